import Exposition
import HostMetrics
import Testing

@Suite struct SockstatCollectorTests {
    @Test func capturedHost() throws {
        let families = try collect(SockstatCollector(pageSize: 4096), paths: Fixtures.host)
        // The families node_exporter 1.5 printed for these files.
        #expect(Set(families.map(\.name)) == [
            "node_sockstat_sockets_used",
            "node_sockstat_TCP_inuse", "node_sockstat_TCP_orphan", "node_sockstat_TCP_tw", "node_sockstat_TCP_alloc",
            "node_sockstat_TCP_mem", "node_sockstat_TCP_mem_bytes",
            "node_sockstat_UDP_inuse", "node_sockstat_UDP_mem", "node_sockstat_UDP_mem_bytes",
            "node_sockstat_UDPLITE_inuse", "node_sockstat_RAW_inuse", "node_sockstat_FRAG_inuse", "node_sockstat_FRAG_memory",
            "node_sockstat_TCP6_inuse", "node_sockstat_UDP6_inuse", "node_sockstat_UDPLITE6_inuse", "node_sockstat_RAW6_inuse",
            "node_sockstat_FRAG6_inuse", "node_sockstat_FRAG6_memory",
        ])
        #expect(families.count == 20)
        #expect(families.allSatisfy { $0.type == .gauge })
        // sockets: used 16 / TCP: inuse 3 orphan 0 tw 2 alloc 3 mem 0
        #expect(families.value("node_sockstat_sockets_used") == 16)
        #expect(families.value("node_sockstat_TCP_inuse") == 3)
        #expect(families.value("node_sockstat_TCP_tw") == 2)
        #expect(families.value("node_sockstat_TCP_alloc") == 3)
        #expect(families.value("node_sockstat_TCP_mem_bytes") == 0)
        #expect(families.value("node_sockstat_TCP6_inuse") == 0)
    }

    @Test func memoryPagesBecomeBytes() throws {
        let families = try collect(SockstatCollector(pageSize: 4096), paths: Fixtures.edge("net-ipv4-only"))
        // sockets: used 231 / TCP: inuse 12 orphan 1 tw 7 alloc 20 mem 5 / UDP: inuse 3 mem 2 /
        // UDPLITE: inuse 0 / RAW: inuse 1 / FRAG: inuse 0 memory 0; no sockstat6.
        #expect(families.count == 14)
        #expect(families.value("node_sockstat_sockets_used") == 231)
        #expect(families.value("node_sockstat_TCP_inuse") == 12)
        #expect(families.value("node_sockstat_TCP_orphan") == 1)
        #expect(families.value("node_sockstat_TCP_tw") == 7)
        #expect(families.value("node_sockstat_TCP_alloc") == 20)
        #expect(families.value("node_sockstat_TCP_mem") == 5)
        #expect(families.value("node_sockstat_TCP_mem_bytes") == 20480)
        #expect(families.value("node_sockstat_UDP_mem") == 2)
        #expect(families.value("node_sockstat_UDP_mem_bytes") == 8192)
        #expect(families.value("node_sockstat_RAW_inuse") == 1)
        #expect(families.value("node_sockstat_FRAG_memory") == 0)
        #expect(families[family: "node_sockstat_FRAG_mem_bytes"] == nil)
        #expect(!families.contains { $0.name.contains("6_") })

        let bigPages = try collect(SockstatCollector(pageSize: 65536), paths: Fixtures.edge("net-ipv4-only"))
        #expect(bigPages.value("node_sockstat_TCP_mem_bytes") == 327_680)
    }

    @Test func parseLines() throws {
        let file = try SockstatCollector.parse(ArraySlice("sockets: used 9\nTCP: inuse 1 orphan 0 tw 79 alloc 1 mem 0\n\nNEW: orphan -1 extra 4\n".utf8))
        #expect(file.socketsUsed == 9)
        #expect(file.protocols.map(\.protocolName) == ["TCP", "NEW"])
        #expect(file.protocols[0].value("tw") == 79)
        #expect(file.protocols[1].value("orphan") == -1)
        #expect(file.protocols[1].value("inuse") == nil)
    }

    @Test func unknownKeysAreIgnoredAndInuseAlwaysReported() throws {
        // A protocol line without inuse still yields <PROTO>_inuse 0, as in node_exporter; keys
        // node_exporter does not know are not exported.
        let families = try collect(SockstatCollector(pageSize: 4096), paths: Fixtures.edge("sockstat-odd"))
        #expect(Set(families.map(\.name)) == ["node_sockstat_NEW_inuse", "node_sockstat_NEW_orphan", "node_sockstat_TCP6_inuse"])
        #expect(families.value("node_sockstat_NEW_inuse") == 0)
        #expect(families.value("node_sockstat_NEW_orphan") == 2)
        #expect(families.value("node_sockstat_TCP6_inuse") == 4)
    }

    @Test func malformedInput() {
        for text in ["TCP: inuse\n", "TCP: inuse 1 orphan\n", "TCP: inuse x\n", "TCP inuse 1\n", ": inuse 1\n"] {
            #expect(throws: CollectorError.self, "\(text)") { try SockstatCollector.parse(ArraySlice(text.utf8)) }
        }
        let error = #expect(throws: CollectorError.self) { try collect(SockstatCollector(), paths: Fixtures.edge("net-malformed")) }
        #expect(error?.description.contains("/proc/net/sockstat") == true)
    }

    @Test func missingFilesMeanNoFamilies() throws {
        #expect(try collect(SockstatCollector(), paths: Fixtures.edge("missing")).isEmpty)
    }
}
