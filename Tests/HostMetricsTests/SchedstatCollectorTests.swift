import Exposition
import HostMetrics
import Testing

@Suite struct SchedstatCollectorTests {
    @Test func cpuLinesGiveSecondsAndTimeslices() throws {
        // cpu0 ... 2045936778163039 343796328169361 4767485306
        // cpu1 ... 1904686152592476 364107263788241 5145567945
        let families = try collect(SchedstatCollector(), paths: Fixtures.edge("schedstat"))
        #expect(families.map(\.name) == ["node_schedstat_running_seconds_total", "node_schedstat_waiting_seconds_total",
                                         "node_schedstat_timeslices_total"])
        #expect(families.allSatisfy { $0.type == .counter && $0.samples.count == 2 })
        #expect(families.value("node_schedstat_running_seconds_total", ["cpu": "0"]) == 2045936778163039 / 1e9)
        #expect(families.value("node_schedstat_running_seconds_total", ["cpu": "1"]) == 1904686152592476 / 1e9)
        #expect(families.value("node_schedstat_waiting_seconds_total", ["cpu": "0"]) == 343796328169361 / 1e9)
        #expect(families.value("node_schedstat_waiting_seconds_total", ["cpu": "1"]) == 364107263788241 / 1e9)
        #expect(families.value("node_schedstat_timeslices_total", ["cpu": "0"]) == 4767485306)
        #expect(families.value("node_schedstat_timeslices_total", ["cpu": "1"]) == 5145567945)
    }

    @Test func kernelsWithoutSchedstatsGiveNothing() throws {
        // This host's kernel has no CONFIG_SCHEDSTATS: no /proc/schedstat in the captured tree.
        #expect(try collect(SchedstatCollector(), paths: Fixtures.host).isEmpty)
        #expect(try collect(SchedstatCollector(), paths: Fixtures.edge("missing")).isEmpty)
    }

    @Test func parseSkipsHeaderAndDomains() throws {
        let cpus = try SchedstatCollector.parse(ArraySlice("""
            version 17
            timestamp 1
            cpu12 0 0 0 0 0 0 100 200 300
            domain0 MC 00000003 1 2 3
            cpu13 9 9 9 9 9 9 1 2 3 4 5
            """.utf8))
        #expect(cpus == [
            .init(cpu: "12", runningNanoseconds: 100, waitingNanoseconds: 200, timeslices: 300),
            .init(cpu: "13", runningNanoseconds: 1, waitingNanoseconds: 2, timeslices: 3),
        ])
        #expect(try SchedstatCollector.parse(ArraySlice("version 15\ntimestamp 1\n".utf8)).isEmpty)
    }

    @Test func malformedCPULinesFail() {
        #expect(throws: CollectorError.self) { try collect(SchedstatCollector(), paths: Fixtures.edge("schedstat-malformed")) }
        #expect(throws: CollectorError.self) { try collect(SchedstatCollector(), paths: Fixtures.edge("schedstat-short")) }
        #expect(throws: CollectorError.self) { try SchedstatCollector.parse(ArraySlice("cpu0 1 2 3 4 5 6 7 8 -9\n".utf8)) }
    }
}
