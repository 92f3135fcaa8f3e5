import Exposition
import HostMetrics
import Testing

@Suite struct ConntrackCollectorTests {
    private static let statNames = [
        "node_nf_conntrack_stat_found", "node_nf_conntrack_stat_invalid", "node_nf_conntrack_stat_ignore",
        "node_nf_conntrack_stat_insert", "node_nf_conntrack_stat_insert_failed", "node_nf_conntrack_stat_drop",
        "node_nf_conntrack_stat_early_drop", "node_nf_conntrack_stat_search_restart",
    ]

    @Test func capturedHost() throws {
        // Kernel 6.18: count 0, max 262144, two CPU lines of zeros (header with clashres/chainlength).
        let families = try collect(ConntrackCollector(), paths: Fixtures.host)
        #expect(families.map(\.name) == ["node_nf_conntrack_entries", "node_nf_conntrack_entries_limit"] + Self.statNames)
        #expect(families.allSatisfy { $0.type == .gauge && $0.samples.count == 1 })
        #expect(families.value("node_nf_conntrack_entries") == 0)
        #expect(families.value("node_nf_conntrack_entries_limit") == 262_144)
        for name in Self.statNames { #expect(families.value(name) == 0, "\(name)") }
    }

    @Test func olderKernelColumnsSummedOverCPUs() throws {
        // Kernel 4.x header (searched, delete_list); two CPUs.
        let families = try collect(ConntrackCollector(), paths: Fixtures.edge("conntrack-4.x"))
        #expect(families.count == 10)
        #expect(families.value("node_nf_conntrack_entries") == 1234)
        #expect(families.value("node_nf_conntrack_entries_limit") == 65536)
        #expect(families.value("node_nf_conntrack_stat_found") == 41651)
        #expect(families.value("node_nf_conntrack_stat_invalid") == 17)
        #expect(families.value("node_nf_conntrack_stat_ignore") == 12346)
        #expect(families.value("node_nf_conntrack_stat_insert") == 106)
        #expect(families.value("node_nf_conntrack_stat_insert_failed") == 1)
        #expect(families.value("node_nf_conntrack_stat_drop") == 2)
        #expect(families.value("node_nf_conntrack_stat_early_drop") == 7)
        #expect(families.value("node_nf_conntrack_stat_search_restart") == 5)
    }

    @Test func withoutStatisticsFile() throws {
        let families = try collect(ConntrackCollector(), paths: Fixtures.edge("net-ipv4-only"))
        #expect(families.map(\.name) == ["node_nf_conntrack_entries", "node_nf_conntrack_entries_limit"])
        #expect(families.value("node_nf_conntrack_entries") == 1234)
    }

    @Test func columnsFoundByName() throws {
        // A kernel without search_restart and with the columns in another order.
        let text = "found entries drop\n00000001 00000002 00000003\n00000010 00000020 00000030\n"
        let totals = try ConntrackCollector.parseStatistics(ArraySlice(text.utf8))
        #expect(totals == ["found": 17, "entries": 34, "drop": 51])
    }

    @Test func malformedInput() {
        for text in ["", "found drop\n00000001\n", "found\nxyz\n"] {
            #expect(throws: CollectorError.self, "\(text)") { try ConntrackCollector.parseStatistics(ArraySlice(text.utf8)) }
        }
        let error = #expect(throws: CollectorError.self) { try collect(ConntrackCollector(), paths: Fixtures.edge("net-malformed")) }
        #expect(error?.description.contains("nf_conntrack_count") == true)
    }

    @Test func missingModuleMeansNoFamilies() throws {
        #expect(try collect(ConntrackCollector(), paths: Fixtures.edge("missing")).isEmpty)
    }
}
