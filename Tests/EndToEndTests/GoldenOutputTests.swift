import Foundation
import TestSupport
import Testing

/// The binary, pointed at the captured fixture tree, must print exactly the committed golden
/// file, apart from the families whose values come from the clock, the running process or
/// the machine's real mounts. Regenerate with `NIMBUS_UPDATE_GOLDEN=1 swift test --filter GoldenOutputTests`
/// (or `make golden`) and review the diff.
@Suite(.serialized) struct GoldenOutputTests {
    static let goldenPath = TestPaths.fixture("golden/host.prom")

    /// Series whose values cannot be the same on two runs or two machines. Their HELP/TYPE
    /// lines stay in the comparison, so the family set is still checked.
    static let volatile: [String] = [
        "node_scrape_collector_duration_seconds", "process_", "node_time_seconds", "node_time_zone_offset_seconds",
        "node_uname_info", "nimbus_exporter_build_info",
        "node_filesystem_avail_bytes", "node_filesystem_free_bytes", "node_filesystem_size_bytes",
        "node_filesystem_files", "node_filesystem_files_free", "node_filesystem_device_error",
        "nimbus_network_address_info",
    ]

    /// Families read from the live machine rather than the fixture tree whose very presence
    /// depends on the machine (adjtimex may be refused, os-release or utmp may be absent): all
    /// their lines, HELP and TYPE included, are left out.
    static let machineDependent: [String] = [
        "node_timex_", "node_os_info", "node_os_version", "nimbus_users_logged_in", "nimbus_user_session_start_time_seconds",
    ]

    /// The metric name a line is about: the sample's name, or the family of a HELP/TYPE line.
    static func metricName(_ line: Substring) -> Substring {
        var rest = line
        if rest.hasPrefix("# HELP ") || rest.hasPrefix("# TYPE ") { rest = rest.dropFirst(7) }
        return rest.prefix { $0 != "{" && $0 != " " }
    }

    static func matches(_ name: Substring, _ prefixes: [String]) -> Bool {
        prefixes.contains { prefix in prefix.hasSuffix("_") ? name.hasPrefix(prefix) : name == prefix }
    }

    static func stable(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).filter { line in
            let name = metricName(line)
            if matches(name, machineDependent) { return false }
            return line.hasPrefix("#") || !matches(name, volatile)
        }.joined(separator: "\n")
    }

    static var fixtureArguments: [String] {
        ["--path.procfs=\(TestPaths.fixture("host/proc"))", "--path.sysfs=\(TestPaths.fixture("host/sys"))",
         "--path.udev.data=\(TestPaths.fixture("host/udev"))"]
    }

    @Test func fixtureTreeMatchesTheGoldenFile() throws {
        let exporter = try RunningExporter(Self.fixtureArguments)
        let output = Self.stable(try exporter.scrape())
        if ProcessInfo.processInfo.environment["NIMBUS_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(atPath: TestPaths.fixture("golden"), withIntermediateDirectories: true)
            try output.write(toFile: Self.goldenPath, atomically: true, encoding: .utf8)
            return
        }
        let golden = try String(contentsOfFile: Self.goldenPath, encoding: .utf8)
        if output != golden {
            let got = output.split(separator: "\n", omittingEmptySubsequences: false)
            let want = golden.split(separator: "\n", omittingEmptySubsequences: false)
            let firstDifference = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }
            let where_ = firstDifference.map { "line \($0.offset + 1): got \"\($0.element.0)\", want \"\($0.element.1)\"" }
                ?? "lengths differ: got \(got.count) lines, want \(want.count)"
            Issue.record("output differs from \(Self.goldenPath) at \(where_)")
        }
    }

    @Test func twoScrapesOfTheSameInputAreByteIdentical() throws {
        let exporter = try RunningExporter(Self.fixtureArguments)
        #expect(Self.stable(try exporter.scrape()) == Self.stable(try exporter.scrape()))
    }

    @Test func goldenOutputPassesPromtoolLint() throws {
        let exporter = try RunningExporter(Self.fixtureArguments)
        guard let result = try Promtool.check(try exporter.scrape()) else {
            Issue.record("promtool is not installed (apt-get install prometheus); `make test` installs it")
            return
        }
        // 0 is clean; 3 means lint only, and every lint line must be one node_exporter's names draw too.
        #expect(result.status == 0 || result.status == 3, "promtool status \(result.status)")
        #expect(result.unexpected.isEmpty, "promtool: \(result.unexpected)")
    }

    @Test func missingProcfsFailsOnlyTheCollectorsThatNeedIt() throws {
        let exporter = try RunningExporter(["--path.procfs=\(TestPaths.fixture("edge/missing/proc"))",
                                            "--path.sysfs=\(TestPaths.fixture("host/sys"))"])
        let response = try exporter.get("/metrics")
        #expect(response.status == 200)
        let parsed = ParsedExposition(response.text)
        #expect(parsed.value("node_scrape_collector_success", ["collector": "meminfo"]) == 0)
        #expect(parsed.value("node_scrape_collector_success", ["collector": "cpu"]) == 0)
        // Collectors that do not read procfs are unaffected.
        #expect(parsed.value("node_scrape_collector_success", ["collector": "time"]) == 1)
        #expect(parsed.value("node_scrape_collector_success", ["collector": "uname"]) == 1)
        #expect(parsed.families["node_time_seconds"] != nil)
        #expect(parsed.families["process_resident_memory_bytes"] != nil)
    }
}
