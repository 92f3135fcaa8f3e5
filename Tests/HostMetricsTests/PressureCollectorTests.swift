import Exposition
import HostMetrics
import Testing

@Suite struct PressureCollectorTests {
    static let names = [
        "node_pressure_cpu_waiting_seconds_total", "node_pressure_io_waiting_seconds_total",
        "node_pressure_io_stalled_seconds_total", "node_pressure_memory_waiting_seconds_total",
        "node_pressure_memory_stalled_seconds_total",
    ]

    @Test func capturedHost() throws {
        // cpu some total=15261508 (its full line is ignored); io some 24178682, full 23935422; memory 0, 0.
        let families = try collect(PressureCollector(), paths: Fixtures.host)
        #expect(families.map(\.name) == Self.names)
        #expect(families.allSatisfy { $0.type == .counter })
        #expect(families.value("node_pressure_cpu_waiting_seconds_total") == 15.261508)
        #expect(families.value("node_pressure_io_waiting_seconds_total") == 24.178682)
        #expect(families.value("node_pressure_io_stalled_seconds_total") == 23.935422)
        #expect(families.value("node_pressure_memory_waiting_seconds_total") == 0)
        #expect(families.value("node_pressure_memory_stalled_seconds_total") == 0)
    }

    @Test func kernelBeforeFullCPULine() throws {
        // Linux 4.20-5.12 print only a `some` line for cpu.
        let families = try collect(PressureCollector(), paths: Fixtures.edge("psi-4.20"))
        #expect(families.map(\.name) == Self.names)
        #expect(families.value("node_pressure_cpu_waiting_seconds_total") == 1.234567)
        #expect(families.value("node_pressure_io_waiting_seconds_total") == 2.000001)
        #expect(families.value("node_pressure_io_stalled_seconds_total") == 1.5)
        #expect(families.value("node_pressure_memory_waiting_seconds_total") == 987.654321)
        #expect(families.value("node_pressure_memory_stalled_seconds_total") == 0.012345)
    }

    @Test func kernelWithoutPSIGivesNothing() throws {
        #expect(try collect(PressureCollector(), paths: Fixtures.edge("missing")).isEmpty)
    }

    @Test func parseReadsSomeAndFull() throws {
        let stall = try PressureCollector.parse(ArraySlice("""
            some avg10=1.00 avg60=2.00 avg300=3.00 total=42
            full avg10=0.00 avg60=0.00 avg300=0.00 total=7000000
            """.utf8), resource: .io)
        #expect(stall == PressureCollector.Stall(some: 0.000042, full: 7))
        let cpu = try PressureCollector.parse(ArraySlice("some avg10=0.00 avg60=0.00 avg300=0.00 total=5\n".utf8),
                                              resource: .cpu)
        #expect(cpu == PressureCollector.Stall(some: 0.000005, full: nil))
    }

    @Test func rejectsMalformedFiles() {
        let full = "full avg10=0.00 avg60=0.00 avg300=0.00 total=1\n"
        for text in ["", "\n", "some avg10=0.00 avg60=0.00 avg300=0.00\n" + full, "some total=abc\n" + full,
                     "some total=-1\n" + full, "some total=\n" + full, full,
                     "some avg10=0.00 avg60=0.00 avg300=0.00 total=1\n"] {
            #expect(throws: CollectorError.self, "\(text)") {
                try PressureCollector.parse(ArraySlice(text.utf8), resource: .memory)
            }
        }
        #expect(throws: CollectorError.self) { try PressureCollector.parse(ArraySlice("".utf8), resource: .cpu) }
        #expect(throws: CollectorError.self) { try collect(PressureCollector(), paths: Fixtures.edge("empty")) }
    }

    @Test func errorsNameTheFile() {
        do {
            _ = try PressureCollector.parse(ArraySlice("some total=x\n".utf8), resource: .io)
            Issue.record("no error")
        } catch {
            #expect("\(error)".contains("/proc/pressure/io"))
        }
    }
}
