import Foundation

/// One of the test servers under `Tests/Servers/` (python3, standard library), started on a free
/// loopback port with `--port` and stopped when the test is done.
public final class PythonServer: @unchecked Sendable {
    public let port: UInt16
    public let child: ChildProcess
    public var endpoint: String { "http://127.0.0.1:\(port)" }

    /// `script` is a file name in `Tests/Servers/`; ready once its port answers HTTP.
    public init(_ script: String, _ arguments: [String] = [], readyPath: String = "/") throws {
        guard let python = TestPaths.tool("python3") else { throw RawHTTPClient.Failure(description: "python3 not found") }
        port = freeLoopbackPort()
        child = try ChildProcess(python, [TestPaths.packageRoot + "/Tests/Servers/" + script, "--port", "\(port)"] + arguments)
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if (try? RawHTTPClient.request(port: port, path: readyPath)) != nil { return }
            if !child.process.isRunning { break }
            usleep(50_000)
        }
        let log = child.log
        child.stop()
        throw RawHTTPClient.Failure(description: "\(script) did not start on port \(port); log:\n\(log)")
    }

    /// Sends JSON (or nothing) to a control path and returns the decoded JSON answer.
    @discardableResult
    public func control(_ method: String = "POST", _ path: String, json: String? = nil) throws -> Any {
        let response = try RawHTTPClient.request(port: port, method: method, path: path,
                                                 headers: json == nil ? [:] : ["Content-Type": "application/json"], body: json)
        guard (200..<300).contains(response.status) else {
            throw RawHTTPClient.Failure(description: "\(method) \(path) answered \(response.status): \(response.text)")
        }
        return try JSONSerialization.jsonObject(with: Data(response.body), options: [.fragmentsAllowed])
    }

    // Test runners can start children with SIGTERM blocked; a test server needs no graceful stop.
    deinit { child.stop(seconds: 0) }
}
