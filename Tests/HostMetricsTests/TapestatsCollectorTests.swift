import Exposition
@testable import HostMetrics
import Testing

@Suite struct TapestatsCollectorTests {
    private let tree = Fixtures.edge("tapestats")

    @Test func countersOfPlainTapeNodes() throws {
        let families = try collect(TapestatsCollector(), paths: tree)
        #expect(families.map(\.name) == [
            "node_tape_io_now", "node_tape_io_time_seconds_total", "node_tape_io_others_total", "node_tape_read_bytes_total",
            "node_tape_reads_completed_total", "node_tape_read_time_seconds_total", "node_tape_residual_total",
            "node_tape_written_bytes_total", "node_tape_writes_completed_total", "node_tape_write_time_seconds_total",
        ])
        #expect(families.first?.type == .gauge)
        #expect(families.dropFirst().allSatisfy { $0.type == .counter })
        let st0 = ["device": "st0"]
        #expect(families.value("node_tape_io_now", st0) == 1)
        #expect(families.value("node_tape_io_time_seconds_total", st0) == 9247.01108772)
        #expect(families.value("node_tape_io_others_total", st0) == 1409)
        #expect(families.value("node_tape_read_bytes_total", st0) == 979_383_912)
        #expect(families.value("node_tape_reads_completed_total", st0) == 3741)
        #expect(families.value("node_tape_read_time_seconds_total", st0) == 33788355744 * 0.000000001)
        #expect(families.value("node_tape_residual_total", st0) == 19)
        #expect(families.value("node_tape_written_bytes_total", st0) == 1_496_246_784_000)
        #expect(families.value("node_tape_writes_completed_total", st0) == 53_772_916)
        #expect(families.value("node_tape_write_time_seconds_total", st0) == 5233597394395 * 0.000000001)
        // st1 has only some statistics files; st2 has none (kernel before 4.2).
        #expect(families.value("node_tape_reads_completed_total", ["device": "st1"]) == 12)
        #expect(families.value("node_tape_read_bytes_total", ["device": "st1"]) == 12_582_912)
        #expect(families.value("node_tape_io_time_seconds_total", ["device": "st1"]) == nil)
        // nst0, st0a, st0l, nst0a are other nodes of the same drive: never reported.
        let devices = Set(families.flatMap(\.samples).flatMap(\.labels).map(\.value))
        #expect(devices == ["st0", "st1"])
    }

    @Test func ignoredDevices() throws {
        let families = try collect(TapestatsCollector(ignoredDevices: "^st1$"), paths: tree)
        #expect(Set(families.flatMap(\.samples).flatMap(\.labels).map(\.value)) == ["st0"])
        #expect(throws: CollectorError.self) { try TapestatsCollector(ignoredDevices: "(") }
    }

    @Test func tapeNames() {
        #expect(TapestatsCollector.isTape("st0"))
        #expect(TapestatsCollector.isTape("st12"))
        #expect(!TapestatsCollector.isTape("st"))
        #expect(!TapestatsCollector.isTape("st0a"))
        #expect(!TapestatsCollector.isTape("nst0"))
    }

    @Test func malformedCounterNamesTheFile() {
        let error = #expect(throws: CollectorError.self) {
            try collect(TapestatsCollector(), paths: Fixtures.edge("tapestats-bad"))
        }
        #expect(error?.description.contains("tapestats-bad/sys/class/scsi_tape/st0/stats/read_cnt") == true)
    }

    @Test func absentClassGivesNothing() throws {
        #expect(try collect(TapestatsCollector(), paths: Fixtures.edge("missing")).isEmpty)
        #expect(try collect(TapestatsCollector(), paths: Fixtures.host).isEmpty)
    }
}
