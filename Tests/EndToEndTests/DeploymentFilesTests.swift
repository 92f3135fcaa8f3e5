import Foundation
import TestSupport
import Testing

/// deploy/: the systemd unit, the container, compose and Kubernetes files, checked against the
/// real binary and tools (no Docker engine or cluster runs here, so nothing is deployed).
@Suite struct DeploymentFilesTests {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// One exporter command line found in a deployment file, with what it needs to run.
    struct DeployedCommand: Decodable {
        var source: String
        var args: [String]
        var env: [String: String]
        /// The cloud config the command's `--config.file` points at, resolved through the file's
        /// own mounts (ConfigMap), when it has one.
        var config: String?
    }

    struct Inspection: Decodable {
        var problems: [String]
        var count: Int?
        var commands: [DeployedCommand]?
        var flags: [[String]]?
    }

    private var root: String { TestPaths.packageRoot }

    /// Runs the YAML-reading half of the checks (`DeploymentInspector.script`) in python3.
    private func inspect(_ mode: String) throws -> Inspection? {
        guard let python = TestPaths.tool("python3") else {
            Issue.record("python3 is not installed")
            return nil
        }
        guard (try? runTool(python, ["-c", "import yaml"]))?.status == 0 else {
            Issue.record("python3 lacks PyYAML (pip install pyyaml; moto[server] brings it)")
            return nil
        }
        let result = try runTool(python, ["-c", DeploymentInspector.script, root, mode])
        guard result.status == 0, let start = result.output.firstIndex(of: "{") else {
            throw Failure(description: "inspector \(mode) failed: \(result.output.suffix(2000))")
        }
        return try JSONDecoder().decode(Inspection.self, from: Data(result.output[start...].utf8))
    }

    private func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nimbus-deploy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// The unit with ExecStart pointing at the built binary (systemd-analyze wants it to exist).
    private func unitForBuiltBinary(in directory: URL) throws -> String {
        let unit = try String(contentsOfFile: root + "/deploy/systemd/nimbus_exporter.service", encoding: .utf8)
        #expect(unit.contains("ExecStart=/usr/local/bin/nimbus_exporter $NIMBUS_EXPORTER_ARGS"))
        let path = directory.appendingPathComponent("nimbus_exporter.service").path
        try unit.replacingOccurrences(of: "/usr/local/bin/nimbus_exporter", with: TestPaths.exporterBinary)
            .write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    // MARK: systemd

    @Test func systemdUnitPassesVerify() throws {
        guard let analyze = TestPaths.tool("systemd-analyze") else {
            Issue.record("systemd-analyze is not installed (apt-get install systemd)")
            return
        }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let unit = try unitForBuiltBinary(in: directory)
        let verify = try runTool(analyze, ["verify", unit])
        // Unknown keys are only warnings (status 0), so any output is a failure.
        #expect(verify.status == 0 && verify.output.isEmpty, "systemd-analyze verify: \(verify.output)")
    }

    @Test func systemdSandboxIsTightButLeavesProcVisible() throws {
        let text = try String(contentsOfFile: root + "/deploy/systemd/nimbus_exporter.service", encoding: .utf8)
        let settings = Set(text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.hasPrefix("#") && $0.contains("=") })
        for required in ["DynamicUser=yes", "ProtectSystem=strict", "NoNewPrivileges=yes", "PrivateTmp=yes",
                         "CapabilityBoundingSet=", "StateDirectory=nimbus_exporter", "MemoryDenyWriteExecute=yes",
                         "SystemCallFilter=@system-service", "EnvironmentFile=-/etc/default/nimbus_exporter"] {
            #expect(settings.contains(required), "missing \(required)")
        }
        for hiding in ["ProtectProc=", "ProcSubset=", "ProtectClock=", "PrivateNetwork=", "ProtectHome=yes",
                       "InaccessiblePaths="] {
            #expect(!settings.contains { $0.hasPrefix(hiding) }, "\(hiding) hides what the collectors read")
        }
        guard let analyze = TestPaths.tool("systemd-analyze") else {
            Issue.record("systemd-analyze is not installed (apt-get install systemd)")
            return
        }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let security = try runTool(analyze, ["security", "--offline=yes", try unitForBuiltBinary(in: directory)])
        let level = security.output.split(separator: "\n").first { $0.contains("Overall exposure level") }
            .flatMap { line in line.split(separator: ":").last?.split(separator: " ").first.flatMap { Double($0) } }
        let exposure = try #require(level, "no exposure level in: \(security.output.suffix(500))")
        // systemd rates up to 3.9 as "OK"; a fully unsandboxed service is 9.6.
        #expect(exposure < 3.0, "exposure \(exposure)")
    }

    /// The seccomp allow-list and MemoryDenyWriteExecute, checked against what the exporter really
    /// does: every system call it makes (host collectors plus a cloud job loading libcurl), traced.
    @Test func systemdSyscallFilterAllowsEverythingTheExporterCalls() throws {
        guard let strace = TestPaths.tool("strace"), let analyze = TestPaths.tool("systemd-analyze") else {
            Issue.record("strace and systemd-analyze are needed (apt-get install strace systemd)")
            return
        }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A REST job against a closed loopback port: libcurl is loaded and used, nothing leaves.
        let config = directory.appendingPathComponent("rest.yml")
        try """
        rest:
          targets:
            - name: probe
              url: http://127.0.0.1:\(freeLoopbackPort())/v1
              interval: 60s
              timeout: 2s
              metrics:
                - {name: probe_value, type: gauge, help: Probe., path: $.v}
        """.write(to: config, atomically: true, encoding: .utf8)
        let trace = directory.appendingPathComponent("trace").path
        let port = freeLoopbackPort()
        let traced = try ChildProcess(strace, ["-f", "-qq", "-o", trace, TestPaths.exporterBinary,
                                               "--web.listen-address=127.0.0.1:\(port)", "--config.file=\(config.path)",
                                               "--cache.directory=\(directory.path)", "--collector.process_groups",
                                               "--collector.process_groups.name-pattern=all=.*"])
        // SIGTERM to strace detaches it and leaves the exporter running: stop the exporter itself.
        let tracer = traced.process.processIdentifier
        let stopTraced = {
            let children = (try? String(contentsOfFile: "/proc/\(tracer)/task/\(tracer)/children", encoding: .utf8)) ?? ""
            for child in children.split(separator: " ").compactMap({ Int32($0) }) { kill(child, SIGTERM) }
            _ = traced.waitForExit(seconds: 15)
            traced.stop()
        }
        defer { stopTraced() }
        var refreshed = false
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && traced.process.isRunning {
            if let page = try? RawHTTPClient.request(port: port, path: "/metrics"), page.status == 200,
               page.text.contains("nimbus_cloud_refreshes_total{") {
                refreshed = true
                break
            }
            usleep(100_000)
        }
        try #require(refreshed, "the traced exporter never finished a refresh; log: \(traced.log.suffix(2000))")
        _ = try RawHTTPClient.request(port: port, path: "/metrics")
        stopTraced()

        let lines = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n")
        var called = Set<String>()
        for line in lines {
            let fields = line.split(separator: " ", maxSplits: 1)
            guard fields.count == 2, let open = fields[1].firstIndex(of: "(") else { continue }
            let name = fields[1][..<open].trimmingCharacters(in: .whitespaces)
            if !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) { called.insert(name) }
        }
        #expect(called.contains("clock_adjtime") || called.contains("adjtimex"), "timex collector not traced")

        let unit = try String(contentsOfFile: root + "/deploy/systemd/nimbus_exporter.service", encoding: .utf8)
        let filters = unit.split(separator: "\n").filter { $0.hasPrefix("SystemCallFilter=") }
            .flatMap { $0.dropFirst("SystemCallFilter=".count).split(separator: " ").map(String.init) }
        #expect(!filters.contains { $0.hasPrefix("~") }, "deny lists are not modelled by this test")
        let groups = try SyscallGroups(listing: runTool(analyze, ["syscall-filter"]))
        let allowed = filters.reduce(into: Set<String>()) { $0.formUnion(groups.expand($1)) }
        #expect(allowed.count > 100, "could not read systemd's groups")
        let blocked = called.subtracting(allowed).sorted()
        #expect(blocked.isEmpty, "system calls the unit's SystemCallFilter would refuse: \(blocked)")

        // MemoryDenyWriteExecute refuses W+X mappings and making memory executable afterwards.
        let writableExecutable = lines.filter { line in
            (line.contains("mprotect(") && line.contains("PROT_EXEC"))
                || (line.contains("mmap(") && line.contains("PROT_EXEC") && line.contains("PROT_WRITE"))
        }
        #expect(writableExecutable.isEmpty, "W+X memory: \(writableExecutable.prefix(3))")
    }

    // MARK: YAML

    @Test func everyYAMLFileParses() throws {
        guard let inspection = try inspect("yaml") else { return }
        #expect((inspection.count ?? 0) >= 10, "YAML files found: \(inspection.count ?? 0)")
        #expect(inspection.problems.isEmpty, "\(inspection.problems)")
    }

    @Test func composeFileMatchesTheShippedConfigs() throws {
        guard let inspection = try inspect("compose") else { return }
        #expect(inspection.problems.isEmpty, "\(inspection.problems.joined(separator: "\n"))")
    }

    @Test func kubernetesManifestsAreConsistent() throws {
        guard let inspection = try inspect("kubernetes") else { return }
        #expect(inspection.problems.isEmpty, "\(inspection.problems.joined(separator: "\n"))")
        if let kubectl = TestPaths.tool("kubectl") {
            let build = try runTool(kubectl, ["kustomize", root + "/deploy/kubernetes"])
            #expect(build.status == 0 && build.output.contains("kind: DaemonSet"), "kustomize: \(build.output.prefix(1000))")
        }
    }

    // MARK: flags

    /// Every deployed command line, started for real: host paths under /host are mapped back to
    /// this machine's, the cloud config is the one the file mounts, cloud endpoints are loopback.
    @Test func deployedCommandLinesStartTheExporter() throws {
        guard let inspection = try inspect("commands"), let commands = inspection.commands else { return }
        #expect(inspection.problems.isEmpty, "\(inspection.problems)")
        let sources = Set(commands.map(\.source))
        for expected in ["systemd", "Dockerfile", "compose", "kubernetes DaemonSet", "kubernetes Deployment"] {
            #expect(sources.contains { $0.hasPrefix(expected) }, "no exporter command found in \(expected)")
        }
        for command in commands {
            let directory = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let arguments = try runnable(command, scratch: directory)
            var environment = ProcessInfo.processInfo.environment.merging(command.env) { _, deployed in deployed }
            // Fake keys and a closed loopback endpoint: cloud jobs run, nothing leaves the machine.
            environment["AWS_ENDPOINT_URL"] = "http://127.0.0.1:\(freeLoopbackPort())"
            environment["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE"
            environment["AWS_SECRET_ACCESS_KEY"] = "example-secret"
            let exporter: RunningExporter
            do { exporter = try RunningExporter(arguments, environment: environment) } catch {
                Issue.record("\(command.source): \(arguments) does not start: \(error)")
                continue
            }
            let page = try exporter.scrape()
            let disablesHost = command.args.contains("--collector.disable-defaults")
            #expect(page.contains("nimbus_exporter_build_info"), "\(command.source)")
            #expect(page.contains("node_load1 ") != disablesHost, "\(command.source): host collectors")
            if command.config != nil { #expect(page.contains("nimbus_cloud_"), "\(command.source): cloud jobs") }
        }
    }

    /// Flags written in prose and comments (READMEs, the environment file, commented alternatives)
    /// are not run, so each must at least be one the binary lists in `--help`.
    @Test func documentedFlagsExist() throws {
        guard let inspection = try inspect("flags"), let flags = inspection.flags else { return }
        #expect(inspection.problems.isEmpty, "\(inspection.problems)")
        #expect(flags.count > 15, "flags found: \(flags.count)")
        let help = try runTool(TestPaths.exporterBinary, ["--help"]).output
        let known = Self.flagNames(help: help)
        #expect(known.contains("--path.rootfs") && known.contains("--no-collector.cpu"))
        let unknown = flags.filter { $0.count == 2 && !known.contains($0[1]) }.map { "\($0[0]): \($0[1])" }
        #expect(unknown.isEmpty, "flags the binary does not have: \(unknown)")
    }

    static func flagNames(help: String) -> Set<String> {
        var names = Set<String>()
        for line in help.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            // "  cpu  [default on]": a collector, switched by --collector.cpu / --no-collector.cpu.
            if line.hasPrefix("  "), !trimmed.hasPrefix("-"), trimmed.contains("[default "),
               let name = trimmed.split(separator: " ").first {
                names.insert("--collector.\(name)")
                names.insert("--no-collector.\(name)")
            }
            for word in trimmed.split(whereSeparator: { $0 == " " || $0 == "," }) where word.hasPrefix("--") {
                names.insert(String(word.prefix { $0.isLetter || $0.isNumber || "-._".contains($0) }))
            }
        }
        return names
    }

    /// The command line to run here, or a failure naming the value that cannot be mapped.
    private func runnable(_ command: DeployedCommand, scratch: URL) throws -> [String] {
        var result: [String] = []
        for argument in command.args {
            guard argument.hasPrefix("--") else {
                throw Failure(description: "\(command.source): \(argument): write flags as --name=value")
            }
            let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
            let name = parts[0]
            let value = parts.count == 2 ? parts[1] : nil
            switch name {
            case "--web.listen-address":
                // Replaced by a free loopback port; the deployed value must still be well formed.
                let valid = value.map { $0.range(of: #"^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]*):[0-9]+$"#, options: .regularExpression) != nil }
                #expect(valid == true, "\(command.source): \(argument)")
            case "--config.file":
                let config = try #require(command.config, "\(command.source): \(argument) does not resolve to a shipped config")
                let file = scratch.appendingPathComponent("config.yml")
                try config.write(to: file, atomically: true, encoding: .utf8)
                result.append("--config.file=\(file.path)")
            case "--cache.directory":
                result.append("--cache.directory=\(scratch.appendingPathComponent("cache").path)")
            case _ where name.hasPrefix("--path."):
                let hostPath = try #require(value, "\(command.source): \(argument) has no value")
                result.append("\(name)=\(Self.pathOnThisMachine(hostPath))")
            default:
                result.append(argument)
            }
        }
        return result
    }

    /// `/host/proc` → `/proc`, `/host/root/run/udev/data` → `/run/udev/data`, `/host` → `/`.
    static func pathOnThisMachine(_ containerPath: String) -> String {
        for prefix in ["/host/root", "/host"] where containerPath == prefix || containerPath.hasPrefix(prefix + "/") {
            let rest = String(containerPath.dropFirst(prefix.count))
            return rest.isEmpty ? "/" : rest
        }
        return containerPath
    }

    // MARK: container image

    /// The run stage installs every library the binary links and every library it opens at run
    /// time. The Swift runtime is linked statically in the image, so its own dependencies count.
    @Test func runtimeImageInstallsTheLibrariesTheBinaryLoads() throws {
        guard let readelf = TestPaths.tool("readelf"), let dpkg = TestPaths.tool("dpkg") else {
            Issue.record("readelf and dpkg are needed")
            return
        }
        let dockerfile = try String(contentsOfFile: root + "/deploy/container/Dockerfile", encoding: .utf8)
        let stages = dockerfile.components(separatedBy: "\nFROM ")
        try #require(stages.count == 3, "expected a build stage and a run stage")
        let installed = Set(stages[2].split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\\" }).map(String.init))
        let baseImage: Set<String> = ["libc6", "libgcc-s1"]

        var needed = Set<String>(), visited = Set<String>()
        var queue = [TestPaths.exporterBinary]
        while let file = queue.popLast() {
            guard visited.insert(file).inserted else { continue }
            let dynamic = try runTool(readelf, ["-d", file]).output
            for line in dynamic.split(separator: "\n") where line.contains("(NEEDED)") {
                guard let open = line.lastIndex(of: "["), let close = line.lastIndex(of: "]") else { continue }
                let soname = String(line[line.index(after: open)..<close])
                // Toolchain libraries are inside the binary in the image; follow their needs.
                if let runtime = Self.toolchainLibrary(soname, beside: file) { queue.append(runtime) } else { needed.insert(soname) }
            }
        }
        needed.formUnion(["libcurl.so.4", "libcrypto.so.3"])
        for soname in needed.sorted() where !soname.hasPrefix("ld-linux") {
            let owner = try runTool(dpkg, ["-S", "*/\(soname)"]).output.split(separator: "\n")
                .first { $0.hasSuffix("/\(soname)") }
                .flatMap { $0.split(separator: ":").first }.map(String.init)
            let package = try #require(owner, "no Debian package owns \(soname)")
            #expect(installed.contains(package) || baseImage.contains(package),
                    "\(soname) comes from \(package), which the run stage does not install")
        }
        #expect(installed.contains("ca-certificates"), "cloud APIs need the CA certificates")
    }

    /// A Swift toolchain library (libswift*, Foundation, dispatch, ICU), found beside `file` or in
    /// the toolchain's runtime directory.
    static func toolchainLibrary(_ soname: String, beside file: String) -> String? {
        let swiftRuntime = ["libswift", "libFoundation", "lib_Foundation", "libdispatch", "libBlocksRuntime"]
        guard swiftRuntime.contains(where: { soname.hasPrefix($0) }) else { return nil }
        var candidates = [URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(soname).path]
        if let swift = TestPaths.tool("swift") {
            let toolchain = URL(fileURLWithPath: swift).resolvingSymlinksInPath().deletingLastPathComponent()
                .deletingLastPathComponent()
            candidates.append(toolchain.appendingPathComponent("lib/swift/linux/\(soname)").path)
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0) } ?? "/nonexistent/\(soname)"
    }
}

/// systemd's named system call groups (`systemd-analyze syscall-filter`), expanded.
struct SyscallGroups {
    var members: [String: [String]] = [:]

    init(listing: (status: Int32, output: String)) throws {
        var current: String?
        for line in listing.output.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if !line.hasPrefix(" ") && trimmed.hasPrefix("@") {
                current = trimmed
                members[trimmed] = []
            } else if let current {
                members[current, default: []].append(trimmed)
            }
        }
        guard listing.status == 0, !members.isEmpty else {
            throw DeploymentFilesTests.Failure(description: "systemd-analyze syscall-filter: \(listing.output.prefix(300))")
        }
    }

    func expand(_ name: String, seen: Set<String> = []) -> Set<String> {
        guard name.hasPrefix("@") else { return [name] }
        guard !seen.contains(name) else { return [] }
        return (members[name] ?? []).reduce(into: Set<String>()) { $0.formUnion(expand($1, seen: seen.union([name]))) }
    }
}
