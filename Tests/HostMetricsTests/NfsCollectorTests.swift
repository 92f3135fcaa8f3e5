import Exposition
import HostMetrics
import Testing

@Suite struct NfsCollectorTests {
    @Test func modernKernelClient() throws {
        let families = try collect(NfsCollector(), paths: Fixtures.edge("nfs"))
        #expect(families.map(\.name) == [
            "node_nfs_packets_total", "node_nfs_connections_total", "node_nfs_rpcs_total",
            "node_nfs_rpc_retransmissions_total", "node_nfs_rpc_authentication_refreshes_total", "node_nfs_requests_total",
        ])
        #expect(families.allSatisfy { $0.type == .counter })
        // net 61029 21 60960 48
        #expect(families.value("node_nfs_packets_total", ["protocol": "udp"]) == 21)
        #expect(families.value("node_nfs_packets_total", ["protocol": "tcp"]) == 60960)
        #expect(families.value("node_nfs_connections_total") == 48)
        // rpc 1218785 17 9
        #expect(families.value("node_nfs_rpcs_total") == 1_218_785)
        #expect(families.value("node_nfs_rpc_retransmissions_total") == 17)
        #expect(families.value("node_nfs_rpc_authentication_refreshes_total") == 9)

        let requests = try #require(families[family: "node_nfs_requests_total"])
        // No proc2 line (v2 client not built): no v2 series. 22 v3 + 59 v4 procedures.
        #expect(requests.samples.count == 22 + 59)
        #expect(families.value("node_nfs_requests_total", ["method": "Null", "proto": "2"]) == nil)
        #expect(families.value("node_nfs_requests_total", ["method": "GetAttr", "proto": "3"]) == 4711)
        #expect(families.value("node_nfs_requests_total", ["method": "Lookup", "proto": "3"]) == 3310)
        #expect(families.value("node_nfs_requests_total", ["method": "Access", "proto": "3"]) == 2201)
        #expect(families.value("node_nfs_requests_total", ["method": "Read", "proto": "3"]) == 90210)
        #expect(families.value("node_nfs_requests_total", ["method": "ReadDirPlus", "proto": "3"]) == 612)
        #expect(families.value("node_nfs_requests_total", ["method": "Commit", "proto": "3"]) == 1503)
        #expect(families.value("node_nfs_requests_total", ["method": "Null", "proto": "4"]) == 1)
        #expect(families.value("node_nfs_requests_total", ["method": "Read", "proto": "4"]) == 5123)
        #expect(families.value("node_nfs_requests_total", ["method": "Getattr", "proto": "4"]) == 64021)  // 19th
        #expect(families.value("node_nfs_requests_total", ["method": "Clone", "proto": "4"]) == 9)  // 59th
        // The kernel's ten further operations (COPY, ..., READ_PLUS) are not node_exporter methods.
        #expect(!requests.samples.contains { $0.value == 4242 })
    }

    @Test func oldKernelClientPadsMissingV4Operations() throws {
        let families = try collect(NfsCollector(), paths: Fixtures.edge("nfs-old"))
        let requests = try #require(families[family: "node_nfs_requests_total"])
        #expect(requests.samples.count == 18 + 22 + 59)
        #expect(families.value("node_nfs_requests_total", ["method": "WrCache", "proto": "2"]) == 0)
        #expect(families.value("node_nfs_requests_total", ["method": "Read", "proto": "2"]) == 2750)
        #expect(families.value("node_nfs_requests_total", ["method": "FsStat", "proto": "2"]) == 9)
        // proc4 has 48 counters, 100...147, for the first 48 operations (Null ... LayoutReturn).
        #expect(families.value("node_nfs_requests_total", ["method": "Null", "proto": "4"]) == 100)
        #expect(families.value("node_nfs_requests_total", ["method": "LayoutReturn", "proto": "4"]) == 147)  // 48th
        #expect(families.value("node_nfs_requests_total", ["method": "SecinfoNoName", "proto": "4"]) == 0)  // 49th: padded
        #expect(families.value("node_nfs_requests_total", ["method": "Clone", "proto": "4"]) == 0)
        #expect(families.value("node_nfs_packets_total", ["protocol": "udp"]) == 4120)
        #expect(families.value("node_nfs_connections_total") == 0)
    }

    @Test func missingFileMeansNoFamilies() throws {
        #expect(try collect(NfsCollector(), paths: Fixtures.edge("missing")).isEmpty)
        #expect(try collect(NfsCollector(), paths: Fixtures.host).isEmpty)
    }

    @Test func rejectsMalformedLines() throws {
        let bad = [
            "net 1 2 3\n",  // net needs 4 values
            "rpc 1 2 3 4\n",  // client rpc has 3
            "proc3 22 1 2 3\n",  // declares 22, has 3
            "proc3 3 1 2 3\n",  // fewer than the 22 v3 procedures
            "proc2 18 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 x\n",
            "net\n",
            "net -1 0 0 0\n",
        ]
        for text in bad {
            let file = try? RPCStatsProbe.families(text, server: false)
            #expect(file == nil, "accepted: \(text)")
        }
        // Unknown lines are ignored rather than failing the collector.
        let families = try RPCStatsProbe.families("net 1 2 3 4\nfuture 7 8.5 x\nempty\n", server: false)
        #expect(families.map(\.name) == ["node_nfs_packets_total", "node_nfs_connections_total"])
    }

    /// This machine's own files (usually none for this collector) never fail the collector.
    @Test func liveHost() throws {
        _ = try collect(NfsCollector(), paths: HostPaths())
    }
}

/// Runs the nfs or nfsd collector on text written to a scratch tree.
enum RPCStatsProbe {
    static func families(_ text: String, server: Bool) throws -> [MetricFamily] {
        let tree = try StorageScratchTree(["proc/net/rpc/" + (server ? "nfsd" : "nfs"): text])
        return server ? try collect(NfsdCollector(), paths: tree.paths) : try collect(NfsCollector(), paths: tree.paths)
    }
}
