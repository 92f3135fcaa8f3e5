import Exposition
import HostMetrics
import Testing

@Suite struct VmstatCollectorTests {
    @Test func defaultFieldsOnCapturedHost() throws {
        let families = try collect(VmstatCollector(), paths: Fixtures.host)
        #expect(families.map(\.name) == [
            "node_vmstat_pgpgin", "node_vmstat_pgpgout", "node_vmstat_pswpin", "node_vmstat_pswpout",
            "node_vmstat_pgfault", "node_vmstat_pgmajfault", "node_vmstat_oom_kill",
        ])
        #expect(families.allSatisfy { $0.type == .untyped })
        #expect(families.value("node_vmstat_pgpgin") == 2_427_349)
        #expect(families.value("node_vmstat_pgpgout") == 904_912)
        #expect(families.value("node_vmstat_pswpin") == 0)
        #expect(families.value("node_vmstat_pswpout") == 0)
        #expect(families.value("node_vmstat_pgfault") == 4_157_624)
        #expect(families.value("node_vmstat_pgmajfault") == 2183)
        #expect(families.value("node_vmstat_oom_kill") == 0)
    }

    @Test func fieldsPatternIsARegularExpression() throws {
        let exact = try collect(VmstatCollector(fields: "^nr_free_pages$"), paths: Fixtures.host)
        #expect(exact.map(\.name) == ["node_vmstat_nr_free_pages"])
        #expect(exact.value("node_vmstat_nr_free_pages") == 877_346)

        // Unanchored at the end, as in Go: nr_free_pages_blocks matches too.
        let prefix = try collect(VmstatCollector(fields: "^nr_free_pages"), paths: Fixtures.host)
        #expect(prefix.map(\.name) == ["node_vmstat_nr_free_pages", "node_vmstat_nr_free_pages_blocks"])
        #expect(prefix.value("node_vmstat_nr_free_pages_blocks") == 810_496)

        let none = try collect(VmstatCollector(fields: "^no_such_field$"), paths: Fixtures.host)
        #expect(none.isEmpty)
    }

    @Test func invalidPatternThrows() {
        #expect(throws: CollectorError.self) { try VmstatCollector(fields: "(") }
    }

    @Test func parseReadsEveryLine() throws {
        let fields = try VmstatCollector.parse(ArraySlice("nr_free_pages 5\n\npgfault 18446744073709551615\n".utf8))
        #expect(fields.map(\.name) == ["nr_free_pages", "pgfault"])
        #expect(fields.map(\.value) == [5, Double(UInt64.max)])
    }

    @Test func rejectsMalformedLines() {
        for text in ["pgfault\n", "pgfault x\n", "pgfault 1 2\n", "pgfault -1\n", ""] {
            #expect(throws: CollectorError.self, "\(text)") { try VmstatCollector.parse(ArraySlice(text.utf8)) }
        }
        #expect(throws: CollectorError.self) { try collect(VmstatCollector(), paths: Fixtures.edge("empty")) }
        #expect(throws: HostFileError.self) { try collect(VmstatCollector(), paths: Fixtures.edge("missing")) }
    }
}
