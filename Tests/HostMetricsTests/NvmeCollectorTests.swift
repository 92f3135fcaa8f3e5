import Exposition
import HostMetrics
import Testing

@Suite struct NvmeCollectorTests {
    @Test func oneInfoSeriesPerController() throws {
        let families = try collect(NvmeCollector(), paths: Fixtures.edge("nvme"))
        #expect(families.map(\.name) == ["node_nvme_info"])
        #expect(families.first?.type == .gauge)
        // Padding spaces of model and serial are trimmed.
        #expect(families.value("node_nvme_info", ["device": "nvme0", "firmware_revision": "1B2QEXP7",
                                                  "model": "Samsung SSD 970 PRO 512GB", "serial": "S680HF8N190894I",
                                                  "state": "live"]) == 1)
        // No state attribute (older kernel): an empty label value, same label names.
        #expect(families.value("node_nvme_info", ["device": "nvme1", "firmware_revision": "002C", "model": "INTEL SSDPEKNW010T8",
                                                  "serial": "BTNH93910ABC1P0B", "state": ""]) == 1)
        // nvme2 was removed between listing and reading.
        #expect(families.first?.samples.count == 2)
    }

    @Test func absentClassGivesNothing() throws {
        #expect(try collect(NvmeCollector(), paths: Fixtures.edge("missing")).isEmpty)
        #expect(try collect(NvmeCollector(), paths: Fixtures.host).isEmpty)
    }
}
