import Foundation

/// Where things are for tests that run programs.
public enum TestPaths {
    /// The package root, found from this source file.
    public static let packageRoot: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path
    }()

    public static func fixture(_ relative: String) -> String { packageRoot + "/Tests/Fixtures/" + relative }

    /// The built `nimbus_exporter`: `NIMBUS_EXPORTER_BINARY`, or beside the test bundle.
    public static var exporterBinary: String {
        if let explicit = ProcessInfo.processInfo.environment["NIMBUS_EXPORTER_BINARY"] { return explicit }
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return bundle.appendingPathComponent("nimbus_exporter").path
    }

    /// The first of `names` found on PATH (or at an absolute path), or nil.
    public static func tool(_ names: String...) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in names {
            if name.hasPrefix("/") { if FileManager.default.isExecutableFile(atPath: name) { return name } else { continue } }
            for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
                return "\(dir)/\(name)"
            }
        }
        return nil
    }
}

/// A free TCP port on 127.0.0.1 (bound, read back and released).
public func freeLoopbackPort() -> UInt16 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            _ = bind(fd, pointer, length)
            return getsockname(fd, pointer, &length)
        }
    }
    return UInt16(bigEndian: address.sin_port)
}

/// A child process with captured output, stopped (SIGTERM, then SIGKILL) when the test is done.
public final class ChildProcess: @unchecked Sendable {
    public let process = Process()
    private let output = Pipe()
    private var collected = Data()
    private let lock = NSLock()

    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardOutput = output
        process.standardError = output
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self else { return }
            self.lock.lock(); self.collected.append(data); self.lock.unlock()
        }
        try process.run()
    }

    /// Everything the process wrote to stdout and stderr so far.
    public var log: String {
        lock.lock(); defer { lock.unlock() }
        return String(decoding: collected, as: UTF8.self)
    }

    /// Sends SIGTERM and waits up to `seconds`; SIGKILL after that. Returns the exit status.
    @discardableResult
    public func stop(seconds: Double = 10) -> Int32 {
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(seconds)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        usleep(50_000)
        output.fileHandleForReading.readabilityHandler = nil
        return process.terminationStatus
    }

    /// Waits for the process to exit by itself, up to `seconds`.
    public func waitForExit(seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { return nil }
        usleep(50_000)
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { stop() }
    }
}

/// The exporter under test, listening on a free loopback port, ready when the constructor returns.
public final class RunningExporter: @unchecked Sendable {
    public let port: UInt16
    public let child: ChildProcess

    public init(_ arguments: [String] = [], environment: [String: String]? = nil) throws {
        port = freeLoopbackPort()
        child = try ChildProcess(TestPaths.exporterBinary, ["--web.listen-address=127.0.0.1:\(port)"] + arguments,
                                 environment: environment)
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            if let response = try? RawHTTPClient.request(port: port, path: "/-/healthy"), response.status == 200 { return }
            if !child.process.isRunning { break }
            usleep(50_000)
        }
        let log = child.log
        child.stop()
        throw RawHTTPClient.Failure(description: "exporter did not become healthy on port \(port); log:\n\(log)")
    }

    public func get(_ path: String, headers: [String: String] = [:]) throws -> RawHTTPClient.Response {
        try RawHTTPClient.request(port: port, path: path, headers: headers)
    }

    /// The metrics page as text.
    public func scrape(_ path: String = "/metrics") throws -> String {
        let response = try get(path)
        guard response.status == 200 else { throw RawHTTPClient.Failure(description: "scrape answered \(response.status)") }
        return response.text
    }

    deinit { child.stop() }
}

/// Runs a program to completion with `input` on stdin; returns status and combined output.
public func runTool(_ executable: String, _ arguments: [String], input: String = "") throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let stdin = Pipe(), stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stdout
    try process.run()
    let writer = Thread {
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try? stdin.fileHandleForWriting.close()
    }
    writer.start()
    let data = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// Parsed text exposition: family name -> (type, label names, samples).
public struct ParsedExposition {
    public struct Family {
        public var type: String = "untyped"
        public var labelNames: Set<String> = []
        public var samples: [(labels: [String: String], value: Double)] = []
    }

    public var families: [String: Family] = [:]

    public init(_ text: String) {
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                if parts.count >= 4 { families[String(parts[2]), default: Family()].type = String(parts[3]) }
                continue
            }
            if line.hasPrefix("#") { continue }
            let nameEnd = line.firstIndex { $0 == "{" || $0 == " " } ?? line.endIndex
            let name = String(line[..<nameEnd])
            var labels: [String: String] = [:]
            var rest = line[nameEnd...]
            if rest.first == "{" {
                // Label values may contain escaped quotes; walk them.
                var index = rest.index(after: rest.startIndex)
                while index < rest.endIndex && rest[index] != "}" {
                    let eq = rest[index...].firstIndex(of: "=")!
                    let labelName = String(rest[index..<eq]).trimmingCharacters(in: CharacterSet(charactersIn: ","))
                    var cursor = rest.index(eq, offsetBy: 2)
                    var value = ""
                    while rest[cursor] != "\"" {
                        if rest[cursor] == "\\" {
                            cursor = rest.index(after: cursor)
                            value.append(rest[cursor] == "n" ? "\n" : rest[cursor])
                        } else {
                            value.append(rest[cursor])
                        }
                        cursor = rest.index(after: cursor)
                    }
                    labels[labelName] = value
                    index = rest.index(after: cursor)
                    if index < rest.endIndex && rest[index] == "," { index = rest.index(after: index) }
                }
                rest = rest[rest.index(after: index)...]
            }
            let valueText = rest.trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init) ?? ""
            let value = valueText == "+Inf" ? Double.infinity : valueText == "-Inf" ? -Double.infinity : Double(valueText) ?? .nan
            families[name, default: Family()].labelNames.formUnion(labels.keys)
            families[name, default: Family()].samples.append((labels, value))
        }
    }

    /// The value of the series of `name` with exactly `labels`.
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        families[name]?.samples.first { $0.labels == labels }?.value
    }
}
