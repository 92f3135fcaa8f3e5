import Exposition
import Foundation
import HostMetrics
import Testing

@Suite struct CpuCollectorTests {
    @Test func capturedHostGivesEveryModeOfEveryCPU() throws {
        // Fixture: cpu0 4221 0 1507 60049 115 0 88 10 0 0 / cpu1 6437 0 1819 54960 2640 0 74 11 0 0
        let families = try collect(CpuCollector(), paths: Fixtures.host)
        #expect(families.map(\.name) == ["node_cpu_seconds_total", "node_cpu_guest_seconds_total"])
        #expect(families[family: "node_cpu_seconds_total"]?.type == .counter)
        #expect(families[family: "node_cpu_guest_seconds_total"]?.type == .counter)
        #expect(families[family: "node_cpu_seconds_total"]?.samples.count == 16)
        #expect(families[family: "node_cpu_guest_seconds_total"]?.samples.count == 4)
        let cpu0: [String: Double] = ["user": 42.21, "nice": 0, "system": 15.07, "idle": 600.49, "iowait": 1.15,
                                      "irq": 0, "softirq": 0.88, "steal": 0.1]
        let cpu1: [String: Double] = ["user": 64.37, "nice": 0, "system": 18.19, "idle": 549.6, "iowait": 26.4,
                                      "irq": 0, "softirq": 0.74, "steal": 0.11]
        for (mode, expected) in cpu0 {
            #expect(families.value("node_cpu_seconds_total", ["cpu": "0", "mode": mode]) == expected, "cpu0 \(mode)")
        }
        for (mode, expected) in cpu1 {
            #expect(families.value("node_cpu_seconds_total", ["cpu": "1", "mode": mode]) == expected, "cpu1 \(mode)")
        }
        for cpu in ["0", "1"] {
            #expect(families.value("node_cpu_guest_seconds_total", ["cpu": cpu, "mode": "user"]) == 0)
            #expect(families.value("node_cpu_guest_seconds_total", ["cpu": cpu, "mode": "nice"]) == 0)
        }
        // The aggregate `cpu` line is not a CPU.
        #expect(families.value("node_cpu_seconds_total", ["cpu": "", "mode": "user"]) == nil)
    }

    @Test func guestColumnsGoToTheGuestFamilyAndCPUNumbersAreKept() throws {
        // cpu0 1000 20 300 40000 5 0 6 7 150 3 / cpu3 2000 0 400 50000 0 1 2 0 250 0 (cpu1, cpu2 offline)
        let families = try collect(CpuCollector(), paths: Fixtures.edge("guest-cpus"))
        #expect(families.value("node_cpu_guest_seconds_total", ["cpu": "0", "mode": "user"]) == 1.5)
        #expect(families.value("node_cpu_guest_seconds_total", ["cpu": "0", "mode": "nice"]) == 0.03)
        #expect(families.value("node_cpu_guest_seconds_total", ["cpu": "3", "mode": "user"]) == 2.5)
        #expect(families.value("node_cpu_guest_seconds_total", ["cpu": "3", "mode": "nice"]) == 0)
        #expect(families.value("node_cpu_seconds_total", ["cpu": "0", "mode": "user"]) == 10)
        #expect(families.value("node_cpu_seconds_total", ["cpu": "0", "mode": "nice"]) == 0.2)
        #expect(families.value("node_cpu_seconds_total", ["cpu": "0", "mode": "steal"]) == 0.07)
        #expect(families.value("node_cpu_seconds_total", ["cpu": "3", "mode": "idle"]) == 500)
        #expect(families.value("node_cpu_seconds_total", ["cpu": "3", "mode": "irq"]) == 0.01)
        #expect(families.value("node_cpu_seconds_total", ["cpu": "1", "mode": "idle"]) == nil)
        let labels = Set(families[family: "node_cpu_seconds_total"]!.samples.map { sample in
            sample.labels.first { $0.name == "cpu" }!.value
        })
        #expect(labels == ["0", "3"])
    }

    @Test func olderKernelsGiveOnlyTheModesTheyPrint() throws {
        // Linux 2.6.9: seven columns, no steal and no guest.
        let families = try collect(CpuCollector(), paths: Fixtures.edge("linux-2.6.9"))
        #expect(families.map(\.name) == ["node_cpu_seconds_total"])
        #expect(families[family: "node_cpu_seconds_total"]?.samples.count == 14)
        #expect(families.value("node_cpu_seconds_total", ["cpu": "0", "mode": "idle"]) == 113117.18)
        #expect(families.value("node_cpu_seconds_total", ["cpu": "1", "mode": "softirq"]) == 0.18)
        #expect(families.value("node_cpu_seconds_total", ["cpu": "0", "mode": "steal"]) == nil)

        // Linux 2.4: four columns.
        let old = try collect(CpuCollector(), paths: Fixtures.edge("linux-2.4"))
        let modes = old[family: "node_cpu_seconds_total"]!.samples.map { sample in
            sample.labels.first { $0.name == "mode" }!.value
        }
        #expect(modes == ["user", "nice", "system", "idle"])
        #expect(old.value("node_cpu_seconds_total", ["cpu": "0", "mode": "idle"]) == 2739.16)
    }

    @Test func parseKeepsTenColumnsInKernelOrder() throws {
        let times = try CpuCollector.parse(ArraySlice("""
            cpu  1 2 3 4 5 6 7 8 9 10 11
            cpu12 100 200 300 400 500 600 700 800 900 1000 1100
            intr 5
            """.utf8))
        #expect(times == [CpuCollector.Times(cpu: 12, seconds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])])
    }

    @Test func rejectsMalformedCPULines() {
        for text in ["cpu0 1 2 3\n", "cpu0 1 x 3 4\n", "cpu0 1 2 3 4\ncpu0 1 2 3 4\n", "cpu0 1 2 3 -4\n",
                     "cpu  1 2 3 4\nintr 1\n", "", "cpu0 99999999999999999999 2 3 4\n"] {
            #expect(throws: CollectorError.self, "\(text)") { try CpuCollector.parse(ArraySlice(text.utf8)) }
        }
        #expect(throws: CollectorError.self) { try collect(CpuCollector(), paths: Fixtures.edge("empty")) }
    }

    @Test func errorsNameTheFile() {
        do {
            _ = try CpuCollector.parse(ArraySlice("cpu0 1 x 3 4\n".utf8))
            Issue.record("no error")
        } catch {
            #expect("\(error)".contains("/proc/stat"))
        }
    }

    @Test func missingFileFailsTheCollector() {
        #expect(throws: HostFileError.self) { try collect(CpuCollector(), paths: Fixtures.edge("missing")) }
    }

    // MARK: - node_cpu_info

    static let amd: [String: String] = [
        "vendor": "AuthenticAMD", "family": "25", "model": "1", "model_name": "AMD EPYC", "microcode": "0x1000065",
        "stepping": "1", "cachesize": "512 KB", "package": "0",
    ]

    @Test func infoIsOffByDefault() throws {
        let families = try collect(CpuCollector(), paths: Fixtures.host)
        #expect(families[family: "node_cpu_info"] == nil)
        let built = try CollectorCatalog.build(isEnabled: { $0.name == "cpu" })
        #expect(try collect(built[0], paths: Fixtures.host)[family: "node_cpu_info"] == nil)
    }

    @Test func infoFromTheCapturedCpuinfo() throws {
        let collector = try CpuCollector(guest: true, info: true, flagsInclude: nil, bugsInclude: nil)
        let families = try collect(collector, paths: Fixtures.host)
        #expect(families.map(\.name) == ["node_cpu_info", "node_cpu_seconds_total", "node_cpu_guest_seconds_total"])
        let info = try #require(families[family: "node_cpu_info"])
        #expect(info.type == .gauge)
        #expect(info.samples.count == 2)
        #expect(families.value("node_cpu_info", Self.amd.merging(["cpu": "0", "core": "0"]) { $1 }) == 1)
        #expect(families.value("node_cpu_info", Self.amd.merging(["cpu": "1", "core": "1"]) { $1 }) == 1)
    }

    @Test func flagAndBugIncludesSelectFromTheFirstCPU() throws {
        let collector = try CpuCollector(guest: true, info: false, flagsInclude: "^(fpu|sse|avx2)$", bugsInclude: "spectre")
        let families = try collect(collector, paths: Fixtures.host)
        // Either include turns info on.
        #expect(families.map(\.name) == ["node_cpu_info", "node_cpu_flag_info", "node_cpu_bug_info",
                                         "node_cpu_seconds_total", "node_cpu_guest_seconds_total"])
        let flags = families[family: "node_cpu_flag_info"]!.samples.map { $0.labels[0].value }
        #expect(flags == ["fpu", "sse", "avx2"])
        let bugs = families[family: "node_cpu_bug_info"]!.samples.map { $0.labels[0].value }
        #expect(bugs == ["spectre_v1", "spectre_v2", "spectre_v2_user"])
        #expect(families[family: "node_cpu_flag_info"]?.type == .gauge)
        #expect(families.value("node_cpu_bug_info", ["bug": "spectre_v1"]) == 1)
    }

    @Test func catalogSettingsReachTheCollector() throws {
        let built = try CollectorCatalog.build(given: ["cpu": ["info.bugs-include": ["^srso$"], "guest": ["false"]]],
                                               isEnabled: { $0.name == "cpu" })
        let families = try collect(built[0], paths: Fixtures.host)
        #expect(families.map(\.name) == ["node_cpu_info", "node_cpu_bug_info", "node_cpu_seconds_total"])
        #expect(families[family: "node_cpu_bug_info"]?.samples.count == 1)
        #expect(throws: (any Error).self) {
            try CollectorCatalog.build(given: ["cpu": ["info.flags-include": ["(unclosed"]]], isEnabled: { $0.name == "cpu" })
        }
    }

    @Test func cpuinfoOfOtherArchitecturesAndMalformedFiles() throws {
        let arm = try CpuInfo.parse(ArraySlice("""
            processor\t: 0
            BogoMIPS\t: 50.00
            Features\t: fp asimd evtstrm aes crc32
            CPU implementer\t: 0x41

            processor\t: 1
            BogoMIPS\t: 50.00
            Features\t: fp asimd evtstrm aes crc32
            """.utf8))
        #expect(arm.map(\.processor) == ["0", "1"])
        #expect(arm[0].flags == ["fp", "asimd", "evtstrm", "aes", "crc32"])
        #expect(arm[0].vendor == "")
        #expect(throws: CollectorError.self) { try CpuInfo.parse(ArraySlice("vendor_id\t: x\n".utf8)) }
        #expect(throws: CollectorError.self) { try CpuInfo.parse(ArraySlice("processor\t: zero\n".utf8)) }
        #expect(throws: CollectorError.self) { try CpuInfo.parse(ArraySlice("".utf8)) }
    }

    // MARK: - Counters never step back

    @Test func countersThatGoBackwardsKeepTheirPreviousValue() throws {
        let tree = FileManager.default.temporaryDirectory.appendingPathComponent("cpu-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: tree) }
        try FileManager.default.createDirectory(at: tree.appendingPathComponent("proc"), withIntermediateDirectories: true)
        let stat = tree.appendingPathComponent("proc/stat").path
        let paths = HostPaths(procfs: tree.path + "/proc", sysfs: tree.path + "/sys")
        let collector = CpuCollector()
        func seconds(_ cpu: String, _ mode: String, _ families: [MetricFamily]) -> Double? {
            families.value("node_cpu_seconds_total", ["cpu": cpu, "mode": mode])
        }

        try "cpu0 100 0 50 10000 500 0 0 0 40 0\ncpu1 200 0 60 20000 700 0 0 0 0 0\n".write(toFile: stat, atomically: true, encoding: .utf8)
        var families = try collect(collector, paths: paths)
        #expect(seconds("0", "iowait", families) == 5)
        #expect(seconds("0", "idle", families) == 100)

        // iowait and idle step back a little (idle by 1 s, under the 3 s hotplug limit); guest too.
        try "cpu0 110 0 50 9900 450 0 0 0 30 0\ncpu1 210 0 60 20100 800 0 0 0 0 0\n".write(toFile: stat, atomically: true, encoding: .utf8)
        families = try collect(collector, paths: paths)
        #expect(seconds("0", "user", families) == 1.1)
        #expect(seconds("0", "idle", families) == 100)
        #expect(seconds("0", "iowait", families) == 5)
        #expect(families.value("node_cpu_guest_seconds_total", ["cpu": "0", "mode": "user"]) == 0.4)
        #expect(seconds("1", "idle", families) == 201)
        #expect(seconds("1", "iowait", families) == 8)

        // Then they move on past the old value.
        try "cpu0 120 0 50 10050 520 0 0 0 50 0\ncpu1 220 0 60 20200 810 0 0 0 0 0\n".write(toFile: stat, atomically: true, encoding: .utf8)
        families = try collect(collector, paths: paths)
        #expect(seconds("0", "idle", families) == 100.5)
        #expect(seconds("0", "iowait", families) == 5.2)

        // cpu1's idle drops by 3 s or more: replugged, its counters start over from the new values.
        try "cpu0 130 0 50 10100 530 0 0 0 50 0\ncpu1 5 0 1 19900 2 0 0 0 0 0\n".write(toFile: stat, atomically: true, encoding: .utf8)
        families = try collect(collector, paths: paths)
        #expect(seconds("1", "idle", families) == 199)
        #expect(seconds("1", "user", families) == 0.05)
        #expect(seconds("1", "iowait", families) == 0.02)
        #expect(seconds("0", "idle", families) == 101)

        // A CPU that went offline and came back starts over too.
        try "cpu0 140 0 50 10200 540 0 0 0 50 0\n".write(toFile: stat, atomically: true, encoding: .utf8)
        families = try collect(collector, paths: paths)
        #expect(seconds("1", "idle", families) == nil)
        try "cpu0 150 0 50 10300 550 0 0 0 50 0\ncpu1 1 0 1 100 1 0 0 0 0 0\n".write(toFile: stat, atomically: true, encoding: .utf8)
        families = try collect(collector, paths: paths)
        #expect(seconds("1", "idle", families) == 1)
        #expect(seconds("1", "user", families) == 0.01)
    }

    // MARK: - sysfs: throttles and isolated CPUs

    @Test func throttleCountsOncePerCoreAndPackageAndIsolatedCPUs() throws {
        // cpu0 pkg0/core0 (5, 30), cpu1 pkg0/core1 (2, 30), cpu2 pkg0/core0 again (its 99s are not
        // read), cpu3 pkg1/core0 (7, 12), cpu4 without topology. isolated: 2-3,5.
        let families = try collect(CpuCollector(), paths: Fixtures.edge("cpu-throttle"))
        #expect(families.map(\.name) == ["node_cpu_seconds_total", "node_cpu_guest_seconds_total", "node_cpu_isolated",
                                         "node_cpu_core_throttles_total", "node_cpu_package_throttles_total"])
        #expect(families[family: "node_cpu_core_throttles_total"]?.type == .counter)
        #expect(families[family: "node_cpu_package_throttles_total"]?.type == .counter)
        #expect(families[family: "node_cpu_isolated"]?.type == .gauge)
        #expect(families[family: "node_cpu_core_throttles_total"]?.samples.count == 3)
        #expect(families.value("node_cpu_core_throttles_total", ["package": "0", "core": "0"]) == 5)
        #expect(families.value("node_cpu_core_throttles_total", ["package": "0", "core": "1"]) == 2)
        #expect(families.value("node_cpu_core_throttles_total", ["package": "1", "core": "0"]) == 7)
        #expect(families[family: "node_cpu_package_throttles_total"]?.samples.count == 2)
        #expect(families.value("node_cpu_package_throttles_total", ["package": "0"]) == 30)
        #expect(families.value("node_cpu_package_throttles_total", ["package": "1"]) == 12)
        let isolated = families[family: "node_cpu_isolated"]!.samples.map { $0.labels[0].value }
        #expect(isolated == ["2", "3", "5"])
        #expect(families.value("node_cpu_isolated", ["cpu": "5"]) == 1)
    }

    @Test func malformedIsolatedListFails() {
        #expect(throws: CollectorError.self) { try collect(CpuCollector(), paths: Fixtures.edge("cpu-isolated-malformed")) }
    }
}
