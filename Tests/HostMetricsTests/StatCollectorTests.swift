import Exposition
import HostMetrics
import Testing

@Suite struct StatCollectorTests {
    @Test func capturedHost() throws {
        let families = try collect(StatCollector(), paths: Fixtures.host)
        #expect(families.map(\.name) == [
            "node_boot_time_seconds", "node_context_switches_total", "node_forks_total", "node_intr_total",
            "node_procs_running", "node_procs_blocked",
        ])
        #expect(families.map(\.type) == [.gauge, .counter, .counter, .counter, .gauge, .gauge])
        #expect(families.value("node_boot_time_seconds") == 1_795_316_879)
        #expect(families.value("node_context_switches_total") == 336_807)
        #expect(families.value("node_forks_total") == 6883)
        #expect(families.value("node_intr_total") == 201_391)
        #expect(families.value("node_procs_running") == 1)
        #expect(families.value("node_procs_blocked") == 0)
    }

    @Test func handMadeValues() throws {
        let families = try collect(StatCollector(), paths: Fixtures.edge("guest-cpus"))
        #expect(families.value("node_boot_time_seconds") == 1_700_000_000)
        #expect(families.value("node_context_switches_total") == 20)
        #expect(families.value("node_forks_total") == 30)
        #expect(families.value("node_intr_total") == 10)
        #expect(families.value("node_procs_running") == 2)
        #expect(families.value("node_procs_blocked") == 1)
    }

    @Test func linesAnOldKernelLacksAreSkipped() throws {
        // Linux 2.4 has no procs_running / procs_blocked, and extra page/swap/disk_io lines.
        let families = try collect(StatCollector(), paths: Fixtures.edge("linux-2.4"))
        #expect(families.map(\.name) == [
            "node_boot_time_seconds", "node_context_switches_total", "node_forks_total", "node_intr_total",
        ])
        #expect(families.value("node_intr_total") == 277_306)
        #expect(families.value("node_context_switches_total") == 60519)
        #expect(families.value("node_forks_total") == 1021)
        #expect(families.value("node_boot_time_seconds") == 1_062_191_376)

        let values = try StatCollector.parse(ArraySlice("cpu  1 2 3 4\nctxt 77\n".utf8))
        #expect(values == StatCollector.Values(contextSwitches: 77))
    }

    @Test func rejectsMalformedValues() {
        for text in ["btime\n", "ctxt abc\n", "processes -1\n", "intr\n", "procs_running 1.5\n", "procs_blocked x\n"] {
            #expect(throws: CollectorError.self, "\(text)") { try StatCollector.parse(ArraySlice(text.utf8)) }
        }
        #expect(throws: CollectorError.self) { try collect(StatCollector(), paths: Fixtures.edge("empty")) }
        #expect(throws: HostFileError.self) { try collect(StatCollector(), paths: Fixtures.edge("missing")) }
    }
}
