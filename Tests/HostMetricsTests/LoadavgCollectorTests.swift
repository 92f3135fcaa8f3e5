import Exposition
import HostMetrics
import Testing

@Suite struct LoadavgCollectorTests {
    @Test func parsesTheThreeAverages() throws {
        let loads = try LoadavgCollector.parse(ArraySlice("0.41 0.20 0.07 2/180 1234\n".utf8))
        #expect(loads.0 == 0.41)
        #expect(loads.1 == 0.20)
        #expect(loads.2 == 0.07)
    }

    @Test func rejectsTruncatedContent() {
        #expect(throws: CollectorError.self) { try LoadavgCollector.parse(ArraySlice("0.41 0.20".utf8)) }
        #expect(throws: CollectorError.self) { try LoadavgCollector.parse(ArraySlice("".utf8)) }
    }

    @Test func missingFileFailsTheCollector() {
        #expect(throws: HostFileError.self) { try collect(LoadavgCollector(), paths: Fixtures.edge("missing")) }
    }
}
