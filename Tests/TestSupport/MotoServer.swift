import Foundation

/// A moto AWS emulator (`python3 -m moto.server`) on a free loopback port, stopped when the
/// test is done. With `signatureChecking`, only the first three calls go unauthenticated
/// (`seed_moto.py` uses them to make an IAM user and key); every later call must be signed.
public final class MotoServer: @unchecked Sendable {
    public let port: UInt16
    public let child: ChildProcess
    public var endpoint: String { "http://127.0.0.1:\(port)" }

    public init(signatureChecking: Bool) throws {
        guard let python = TestPaths.tool("python3") else { throw RawHTTPClient.Failure(description: "python3 not found") }
        port = freeLoopbackPort()
        var environment = ProcessInfo.processInfo.environment
        if signatureChecking { environment["INITIAL_NO_AUTH_ACTION_COUNT"] = "3" }
        // moto must never reach out for anything; keep proxies out of its way.
        for name in ["http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"] { environment[name] = nil }
        child = try ChildProcess(python, ["-m", "moto.server", "-H", "127.0.0.1", "-p", "\(port)"], environment: environment)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let response = try? RawHTTPClient.request(port: port, path: "/moto-api/data.json"), response.status == 200 { return }
            if !child.process.isRunning { break }
            usleep(100_000)
        }
        let log = child.log
        child.stop()
        throw RawHTTPClient.Failure(description: "moto did not start on port \(port); is moto[server] installed? log:\n\(log)")
    }

    /// What `seed_moto.py` created.
    public struct Seeded: Decodable, Sendable {
        public struct Instance: Decodable, Sendable {
            public var id: String
            public var name: String
            public var team: String
            public var cpu: Double
            public var az: String
            public var owner: String
            public var state: String
        }
        public var access_key_id: String
        public var secret_access_key: String
        public var role_arn: String
        public var region: String
        public var instances: [Instance]
    }

    /// Runs `Tests/Servers/seed_moto.py` against this server.
    public func seed() throws -> Seeded {
        let out = NSTemporaryDirectory() + "nimbus-seed-\(port).json"
        let result = try runTool(TestPaths.tool("python3")!, [
            TestPaths.packageRoot + "/Tests/Servers/seed_moto.py", "--endpoint", endpoint, "--out", out,
        ])
        guard result.status == 0, let data = FileManager.default.contents(atPath: out) else {
            throw RawHTTPClient.Failure(description: "seeding moto failed:\n\(result.output)")
        }
        try? FileManager.default.removeItem(atPath: out)
        return try JSONDecoder().decode(Seeded.self, from: data)
    }

    // Test runners can start children with SIGTERM blocked; a test server needs no graceful stop.
    deinit { child.stop(seconds: 0) }
}
