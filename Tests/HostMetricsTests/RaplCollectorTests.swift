import Exposition
@testable import HostMetrics
import Testing

@Suite struct RaplCollectorTests {
    private let tree = Fixtures.edge("rapl")
    private func zonePath(_ entry: String) -> String { Fixtures.path("edge/rapl/sys") + "/class/powercap/" + entry }

    @Test func oneFamilyPerZoneName() throws {
        let families = try collect(RaplCollector(), paths: tree)
        #expect(families.map(\.name).sorted() == ["node_rapl_core_joules_total", "node_rapl_dram_joules_total",
                                                  "node_rapl_package_joules_total", "node_rapl_psys_joules_total",
                                                  "node_rapl_uncore_joules_total"])
        #expect(families.allSatisfy { $0.type == .counter })
        #expect(families.value("node_rapl_package_joules_total", ["index": "0", "path": zonePath("intel-rapl:0")])
            == 240422.366267)
        #expect(families.value("node_rapl_package_joules_total", ["index": "1", "path": zonePath("intel-rapl:1")]) == 5)
        #expect(families.value("node_rapl_core_joules_total", ["index": "0", "path": zonePath("intel-rapl:0:0")])
            == 118821.284256)
        // A second "core" (no numeric suffix) takes the next index.
        #expect(families.value("node_rapl_core_joules_total", ["index": "1", "path": zonePath("intel-rapl:1:0")]) == 2.5)
        #expect(families.value("node_rapl_uncore_joules_total", ["index": "0", "path": zonePath("intel-rapl:0:1")]) == 0)
        #expect(families.value("node_rapl_dram_joules_total", ["index": "0", "path": zonePath("intel-rapl:0:2")]) == 1.234567)
        #expect(families.value("node_rapl_psys_joules_total", ["index": "0", "path": zonePath("intel-rapl:2")]) == 0.000042)
        // intel-rapl-mmio:0 has no readable energy_uj (root-only since Linux 5.10): left out, no error.
        #expect(families[family: "node_rapl_package_joules_total"]?.samples.count == 2)
    }

    @Test func zoneLabel() throws {
        let families = try collect(RaplCollector(zoneLabel: true), paths: tree)
        #expect(families.map(\.name) == ["node_rapl_joules_total"])
        #expect(families.first?.samples.count == 7)
        #expect(families.value("node_rapl_joules_total", ["index": "1", "path": zonePath("intel-rapl:1:0"), "rapl_zone": "core"])
            == 2.5)
        #expect(families.value("node_rapl_joules_total", ["index": "0", "path": zonePath("intel-rapl:0"), "rapl_zone": "package"])
            == 240422.366267)
    }

    @Test func zoneIndices() {
        let zones = RaplCollector.zones([("a", "package-0"), ("b", "core"), ("c", "core"), ("d", "package-1"), ("e", "dram-x"),
                                         ("f", "dram-x"), ("g", "odd-1-2")], classDir: "/s")
        #expect(zones.map(\.name) == ["package", "core", "core", "package", "dram-x", "dram-x", "odd-1-2"])
        #expect(zones.map(\.index) == [0, 0, 1, 1, 0, 1, 0])
        #expect(zones.map(\.path) == ["/s/a", "/s/b", "/s/c", "/s/d", "/s/e", "/s/f", "/s/g"])
    }

    @Test func metricNamesSanitisedLikeNodeExporter() {
        #expect(RaplCollector.sanitize("package") == "package")
        #expect(RaplCollector.sanitize("dram.1") == "dram_1")
        #expect(RaplCollector.sanitize("a-_-b") == "a__b")
        #expect(RaplCollector.sanitize("x__-__y") == "x_y")
        #expect(RaplCollector.sanitize("a__b") == "a__b")
        #expect(RaplCollector.sanitize("-lead") == "_lead")
        #expect(RaplCollector.sanitize("trail-") == "trail_")
        #expect(RaplCollector.sanitize("µzone") == "_zone")
    }

    @Test func malformedCounterNamesTheFile() {
        let error = #expect(throws: CollectorError.self) {
            try collect(RaplCollector(), paths: Fixtures.edge("rapl-bad"))
        }
        #expect(error?.description.contains("rapl-bad/sys/class/powercap/intel-rapl:0/energy_uj") == true)
    }

    @Test func absentClassGivesNothing() throws {
        #expect(try collect(RaplCollector(), paths: Fixtures.edge("missing")).isEmpty)
        #expect(try collect(RaplCollector(), paths: Fixtures.host).isEmpty)
    }
}
