import Exposition
import HostMetrics
import Testing

@Suite struct EdacCollectorTests {
    @Test func controllersAndRows() throws {
        // mc0: ce 5 (2 unattributed), ue 1 (0); csrow0 ce 3 ue 1, csrow1 0/0.
        // mc1: ce 12 (0), ue 0 (4); no csrow directories (DIMM layout). dimm*, power are not rows.
        let families = try collect(EdacCollector(), paths: Fixtures.edge("edac"))
        #expect(families.map(\.name) == ["node_edac_correctable_errors_total", "node_edac_csrow_correctable_errors_total",
                                         "node_edac_uncorrectable_errors_total", "node_edac_csrow_uncorrectable_errors_total"])
        #expect(families.allSatisfy { $0.type == .counter })
        #expect(families.value("node_edac_correctable_errors_total", ["controller": "0"]) == 5)
        #expect(families.value("node_edac_correctable_errors_total", ["controller": "1"]) == 12)
        #expect(families.value("node_edac_uncorrectable_errors_total", ["controller": "0"]) == 1)
        #expect(families.value("node_edac_uncorrectable_errors_total", ["controller": "1"]) == 0)
        #expect(families.value("node_edac_csrow_correctable_errors_total", ["controller": "0", "csrow": "unknown"]) == 2)
        #expect(families.value("node_edac_csrow_correctable_errors_total", ["controller": "0", "csrow": "0"]) == 3)
        #expect(families.value("node_edac_csrow_correctable_errors_total", ["controller": "0", "csrow": "1"]) == 0)
        #expect(families.value("node_edac_csrow_correctable_errors_total", ["controller": "1", "csrow": "unknown"]) == 0)
        #expect(families.value("node_edac_csrow_uncorrectable_errors_total", ["controller": "0", "csrow": "unknown"]) == 0)
        #expect(families.value("node_edac_csrow_uncorrectable_errors_total", ["controller": "0", "csrow": "0"]) == 1)
        #expect(families.value("node_edac_csrow_uncorrectable_errors_total", ["controller": "0", "csrow": "1"]) == 0)
        #expect(families.value("node_edac_csrow_uncorrectable_errors_total", ["controller": "1", "csrow": "unknown"]) == 4)
        #expect(families[family: "node_edac_csrow_correctable_errors_total"]?.samples.count == 4)
        #expect(families[family: "node_edac_correctable_errors_total"]?.samples.count == 2)
    }

    @Test func noEdacGivesNothing() throws {
        #expect(try collect(EdacCollector(), paths: Fixtures.host).isEmpty)
        #expect(try collect(EdacCollector(), paths: Fixtures.edge("missing")).isEmpty)
    }

    @Test func malformedOrIncompleteControllersFail() {
        do {
            _ = try collect(EdacCollector(), paths: Fixtures.edge("edac-malformed"))
            Issue.record("no error")
        } catch {
            #expect(error is CollectorError)
            #expect("\(error)".contains("mc0/ce_noinfo_count"))
        }
        #expect(throws: HostFileError.self) { try collect(EdacCollector(), paths: Fixtures.edge("edac-incomplete")) }
    }
}
