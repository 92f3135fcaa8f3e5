import Exposition
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
}
