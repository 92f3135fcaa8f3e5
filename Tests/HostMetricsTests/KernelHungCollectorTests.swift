import Exposition
import HostMetrics
import Testing

@Suite struct KernelHungCollectorTests {
    @Test func capturedHost() throws {
        let families = try collect(KernelHungCollector(), paths: Fixtures.host)
        #expect(families.map(\.name) == ["node_kernel_hung_tasks_total"])
        #expect(families[0].type == .counter)
        #expect(families.value("node_kernel_hung_tasks_total") == 0)
    }

    @Test func countFromTheFile() throws {
        #expect(try collect(KernelHungCollector(), paths: Fixtures.edge("kernel-hung")).value("node_kernel_hung_tasks_total") == 7)
    }

    @Test func kernelsWithoutTheFileGiveNothing() throws {
        #expect(try collect(KernelHungCollector(), paths: Fixtures.edge("missing")).isEmpty)
    }

    @Test func malformedContentFails() throws {
        #expect(throws: CollectorError.self) { try collect(KernelHungCollector(), paths: Fixtures.edge("kernel-hung-malformed")) }
        for text in ["", "x\n", "1 2\n", "1.5\n", "-3\n"] {
            #expect(throws: CollectorError.self, "\(text)") { try KernelHungCollector.parse(ArraySlice(text.utf8)) }
        }
        #expect(try KernelHungCollector.parse(ArraySlice("  42\n".utf8)) == 42)
    }
}
