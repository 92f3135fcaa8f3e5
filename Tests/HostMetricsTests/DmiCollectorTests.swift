import Exposition
import Foundation
import HostMetrics
import Testing

@Suite struct DmiCollectorTests {
    static func labels(_ families: [MetricFamily]) -> [String: String]? {
        guard let sample = families[family: "node_dmi_info"]?.samples.first else { return nil }
        var result: [String: String] = [:]
        for label in sample.labels { result[label.name] = label.value }
        return result
    }

    @Test func readableAttributesBecomeLabels() throws {
        // class/dmi/id is a symlink to devices/virtual/dmi/id. The serials and the UUID are not
        // readable (directories stand in for root-only files), so their labels are absent, as in
        // node_exporter; chassis_type, modalias and uevent are not labels.
        let families = try collect(DmiCollector(), paths: Fixtures.edge("dmi"))
        #expect(families.map(\.name) == ["node_dmi_info"])
        #expect(families[0].type == .gauge)
        #expect(families[0].samples.count == 1)
        #expect(families[0].samples[0].value == 1)
        #expect(Self.labels(families) == [
            "bios_date": "04/12/2021", "bios_release": "2.2", "bios_vendor": "Dell Inc.", "bios_version": "2.2.4",
            "board_name": "07PXPY", "board_vendor": "Dell Inc.", "board_version": "A01",
            "chassis_asset_tag": "", "chassis_vendor": "Dell Inc.", "chassis_version": "",
            "product_family": "PowerEdge", "product_name": "PowerEdge R6515",
            "product_sku": "SKU=NotProvided;ModelName=PowerEdge R6515",
            // 0xef 0x5b 0xbf: invalid UTF-8 bytes become U+FFFD.
            "product_version": "\u{FFFD}[\u{FFFD}",
            "system_vendor": "Dell Inc.",
        ])
    }

    @Test func noDmiGivesNothing() throws {
        // This host (a VM without SMBIOS tables) has no /sys/class/dmi.
        #expect(try collect(DmiCollector(), paths: Fixtures.host).isEmpty)
        #expect(try collect(DmiCollector(), paths: Fixtures.edge("missing")).isEmpty)
    }

    @Test func valuesAreReadOncePerTree() throws {
        let tree = FileManager.default.temporaryDirectory.appendingPathComponent("dmi-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: tree) }
        let id = tree.appendingPathComponent("sys/class/dmi/id")
        try FileManager.default.createDirectory(at: id, withIntermediateDirectories: true)
        try "Acme\n".write(to: id.appendingPathComponent("sys_vendor"), atomically: true, encoding: .utf8)
        let paths = HostPaths(procfs: tree.path + "/proc", sysfs: tree.path + "/sys")
        let collector = DmiCollector()
        #expect(Self.labels(try collect(collector, paths: paths)) == ["system_vendor": "Acme"])
        try "Other\n".write(to: id.appendingPathComponent("sys_vendor"), atomically: true, encoding: .utf8)
        #expect(Self.labels(try collect(collector, paths: paths)) == ["system_vendor": "Acme"])
        // Another tree is another machine.
        #expect(Self.labels(try collect(collector, paths: Fixtures.edge("dmi")))?["system_vendor"] == "Dell Inc.")
    }
}
