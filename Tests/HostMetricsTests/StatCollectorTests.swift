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

@Suite struct StatSoftirqTests {
    @Test func softirqsByVectorWhenEnabled() throws {
        let stat = "cpu  1 2 3 4\nintr 5 1 2\nsoftirq 100 1 20 3 40 5 0 6 17 0 8\nbtime 1700000000\n"
        let vectors = try StatCollector.parseSoftirqs(ArraySlice(stat.utf8))
        #expect(vectors.map(\.vector) == ["hi", "timer", "net_tx", "net_rx", "block", "block_iopoll", "tasklet", "sched", "hrtimer", "rcu"])
        #expect(vectors.map(\.count) == [1, 20, 3, 40, 5, 0, 6, 17, 0, 8])
    }

    @Test func softirqFamilyOnlyWithTheSetting() throws {
        let off = try collect(StatCollector(), paths: Fixtures.host)
        #expect(off[family: "node_softirqs_total"] == nil)
        let on = try collect(StatCollector(softirqs: true), paths: Fixtures.host)
        let family = try #require(on[family: "node_softirqs_total"])
        #expect(family.type == .counter)
        #expect(family.samples.count == 10)
        // The captured line: softirq 144709 0 18348 4 11363 39464 0 5 41131 0 34394
        #expect(on.value("node_softirqs_total", ["vector": "net_rx"]) == 11363)
        #expect(on.value("node_softirqs_total", ["vector": "rcu"]) == 34394)
    }

    @Test func malformedSoftirqLineThrows() {
        #expect(throws: CollectorError.self) {
            try StatCollector.parseSoftirqs(ArraySlice("softirq 10 1 x 3\n".utf8))
        }
    }
}
