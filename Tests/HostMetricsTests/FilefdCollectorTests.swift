import Exposition
import HostMetrics
import Testing

@Suite struct FilefdCollectorTests {
    @Test func capturedHost() throws {
        // file-nr: "230\t0\t2466181"
        let families = try collect(FilefdCollector(), paths: Fixtures.host)
        #expect(families.map(\.name) == ["node_filefd_allocated", "node_filefd_maximum"])
        #expect(families.allSatisfy { $0.type == .gauge })
        #expect(families.value("node_filefd_allocated") == 230)
        #expect(families.value("node_filefd_maximum") == 2_466_181)
    }

    @Test func parseTakesFirstAndThirdNumber() throws {
        let counts = try FilefdCollector.parse(ArraySlice("1024 7 9223372036854775807\n".utf8))
        #expect(counts.allocated == 1024)
        #expect(counts.maximum == Double(Int64.max))
    }

    @Test func rejectsMalformedContent() {
        for text in ["", "\n", "1 0\n", "1 0 2 3\n", "a 0 2\n", "1 0 x\n", "1 -1 2\n", "1\n0\n2\n"] {
            #expect(throws: CollectorError.self, "\(text)") { try FilefdCollector.parse(ArraySlice(text.utf8)) }
        }
        #expect(throws: CollectorError.self) { try collect(FilefdCollector(), paths: Fixtures.edge("empty")) }
        #expect(throws: HostFileError.self) { try collect(FilefdCollector(), paths: Fixtures.edge("missing")) }
    }
}
