import Exposition
import HostMetrics
import Testing

@Suite struct SoftnetCollectorTests {
    private static let names = ["node_softnet_processed_total", "node_softnet_dropped_total", "node_softnet_times_squeezed_total"]

    @Test func capturedHost() throws {
        // Kernel 6.18: 15 columns per CPU; 00064702 and 0006dcb1 packets processed.
        let families = try collect(SoftnetCollector(), paths: Fixtures.host)
        #expect(families.map(\.name) == Self.names)
        #expect(families.allSatisfy { $0.type == .counter && $0.samples.count == 2 })
        #expect(families.value("node_softnet_processed_total", ["cpu": "0"]) == 411_394)
        #expect(families.value("node_softnet_processed_total", ["cpu": "1"]) == 449_713)
        #expect(families.value("node_softnet_dropped_total", ["cpu": "1"]) == 0)
        #expect(families.value("node_softnet_times_squeezed_total", ["cpu": "0"]) == 0)
    }

    @Test func elevenColumnFormat() throws {
        let families = try collect(SoftnetCollector(), paths: Fixtures.edge("net-ipv4-only"))
        #expect(families.allSatisfy { $0.samples.count == 4 })
        // 0012d687 00000000 0000001f ... / 000f4240 00000002 00000003 ... / zeros / ffffffff 0000000a 00000100 ...
        #expect(families.value("node_softnet_processed_total", ["cpu": "0"]) == 1_234_567)
        #expect(families.value("node_softnet_times_squeezed_total", ["cpu": "0"]) == 31)
        #expect(families.value("node_softnet_processed_total", ["cpu": "1"]) == 1_000_000)
        #expect(families.value("node_softnet_dropped_total", ["cpu": "1"]) == 2)
        #expect(families.value("node_softnet_times_squeezed_total", ["cpu": "1"]) == 3)
        #expect(families.value("node_softnet_processed_total", ["cpu": "2"]) == 0)
        #expect(families.value("node_softnet_processed_total", ["cpu": "3"]) == 4_294_967_295)
        #expect(families.value("node_softnet_dropped_total", ["cpu": "3"]) == 10)
        #expect(families.value("node_softnet_times_squeezed_total", ["cpu": "3"]) == 256)
    }

    @Test func parseCountsLinesNotCPUNumbers() throws {
        let nine = "0000000a 0000000B 0000000c 0 0 0 0 0 0\n\n"
        let lines = try SoftnetCollector.parse(ArraySlice((nine + nine).utf8))
        #expect(lines == Array(repeating: SoftnetCollector.Line(processed: 10, dropped: 11, timesSqueezed: 12), count: 2))
        #expect(try SoftnetCollector.parse(ArraySlice("".utf8)).isEmpty)
    }

    @Test func malformedInput() {
        for text in ["00000001 00000002 00000003 0 0 0 0 0\n", "0000000g 0 0 0 0 0 0 0 0\n", "-1 0 0 0 0 0 0 0 0\n"] {
            #expect(throws: CollectorError.self, "\(text)") { try SoftnetCollector.parse(ArraySlice(text.utf8)) }
        }
        let error = #expect(throws: CollectorError.self) { try collect(SoftnetCollector(), paths: Fixtures.edge("net-malformed")) }
        #expect(error?.description.contains("/proc/net/softnet_stat") == true)
    }

    @Test func missingFileMeansNoFamilies() throws {
        #expect(try collect(SoftnetCollector(), paths: Fixtures.edge("missing")).isEmpty)
    }
}
