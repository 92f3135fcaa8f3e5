import Exposition
import HostMetrics
import Testing

@Suite struct NfsdCollectorTests {
    @Test func modernKernelServer() throws {
        let families = try collect(NfsdCollector(), paths: Fixtures.edge("nfs"))
        #expect(families.map(\.name) == [
            "node_nfsd_reply_cache_hits_total", "node_nfsd_reply_cache_misses_total", "node_nfsd_reply_cache_nocache_total",
            "node_nfsd_file_handles_stale_total", "node_nfsd_disk_bytes_read_total", "node_nfsd_disk_bytes_written_total",
            "node_nfsd_server_threads", "node_nfsd_read_ahead_cache_size_blocks", "node_nfsd_read_ahead_cache_not_found_total",
            "node_nfsd_packets_total", "node_nfsd_connections_total", "node_nfsd_rpc_errors_total", "node_nfsd_server_rpcs_total",
            "node_nfsd_requests_total",
        ])
        #expect(families[family: "node_nfsd_server_threads"]?.type == .gauge)
        #expect(families[family: "node_nfsd_read_ahead_cache_size_blocks"]?.type == .gauge)
        #expect(families[family: "node_nfsd_requests_total"]?.type == .counter)
        // rc 0 61524 1198403
        #expect(families.value("node_nfsd_reply_cache_hits_total") == 0)
        #expect(families.value("node_nfsd_reply_cache_misses_total") == 61524)
        #expect(families.value("node_nfsd_reply_cache_nocache_total") == 1_198_403)
        #expect(families.value("node_nfsd_file_handles_stale_total") == 3)
        #expect(families.value("node_nfsd_disk_bytes_read_total") == 1_048_576_000)
        #expect(families.value("node_nfsd_disk_bytes_written_total") == 524_288_000)
        #expect(families.value("node_nfsd_server_threads") == 8)
        #expect(families.value("node_nfsd_packets_total", ["proto": "udp"]) == 0)
        #expect(families.value("node_nfsd_packets_total", ["proto": "tcp"]) == 1_259_928)
        #expect(families.value("node_nfsd_connections_total") == 127)
        // rpc 1259926 5 2 1 2: the total, then bad (not exported), badfmt, badauth, badclnt
        #expect(families.value("node_nfsd_server_rpcs_total") == 1_259_926)
        #expect(families.value("node_nfsd_rpc_errors_total", ["error": "fmt"]) == 2)
        #expect(families.value("node_nfsd_rpc_errors_total", ["error": "auth"]) == 1)
        #expect(families.value("node_nfsd_rpc_errors_total", ["error": "cInt"]) == 2)

        // No proc2 line: 21 v3 procedures (NULL left out) and 33 v4 operations.
        #expect(families[family: "node_nfsd_requests_total"]?.samples.count == 21 + 33)
        #expect(families.value("node_nfsd_requests_total", ["method": "Null", "proto": "3"]) == nil)
        #expect(families.value("node_nfsd_requests_total", ["method": "GetAttr", "proto": "3"]) == 35614)
        #expect(families.value("node_nfsd_requests_total", ["method": "Lookup", "proto": "3"]) == 10020)
        #expect(families.value("node_nfsd_requests_total", ["method": "Access", "proto": "3"]) == 6011)
        #expect(families.value("node_nfsd_requests_total", ["method": "Read", "proto": "3"]) == 312_445)
        #expect(families.value("node_nfsd_requests_total", ["method": "Commit", "proto": "3"]) == 2210)
        // proc4ops: the counter of operation n is the nth after the count.
        #expect(families.value("node_nfsd_requests_total", ["method": "Access", "proto": "4"]) == 5120)  // op 3
        #expect(families.value("node_nfsd_requests_total", ["method": "GetAttr", "proto": "4"]) == 90344)  // op 9
        #expect(families.value("node_nfsd_requests_total", ["method": "PutFH", "proto": "4"]) == 120_033)  // op 22
        #expect(families.value("node_nfsd_requests_total", ["method": "Read", "proto": "4"]) == 45501)  // op 25
        #expect(families.value("node_nfsd_requests_total", ["method": "SetAttr", "proto": "4"]) == 640)  // op 34
        #expect(families.value("node_nfsd_requests_total", ["method": "Verify", "proto": "4"]) == 6)  // op 37
        #expect(families.value("node_nfsd_requests_total", ["method": "Write", "proto": "4"]) == 30211)  // op 38
        #expect(families.value("node_nfsd_requests_total", ["method": "RelLockOwner", "proto": "4"]) == 2)  // op 39
        #expect(families.value("node_nfsd_requests_total", ["method": "PutRootFH", "proto": "4"]) == nil)
    }

    @Test func oldKernelServer() throws {
        let families = try collect(NfsdCollector(), paths: Fixtures.edge("nfs-old"))
        #expect(families.value("node_nfsd_server_threads") == 16)
        #expect(families.value("node_nfsd_read_ahead_cache_size_blocks") == 32)
        #expect(families.value("node_nfsd_read_ahead_cache_not_found_total") == 7)
        #expect(families.value("node_nfsd_reply_cache_hits_total") == 12)
        #expect(families.value("node_nfsd_packets_total", ["proto": "udp"]) == 4070)
        #expect(families[family: "node_nfsd_requests_total"]?.samples.count == 17 + 21 + 33)
        #expect(families.value("node_nfsd_requests_total", ["method": "Null", "proto": "2"]) == nil)
        #expect(families.value("node_nfsd_requests_total", ["method": "Read", "proto": "2"]) == 2750)
        #expect(families.value("node_nfsd_requests_total", ["method": "FsStat", "proto": "2"]) == 9)
        // proc4ops 40 0 3 6 ...: operation n counts 3n.
        #expect(families.value("node_nfsd_requests_total", ["method": "Close", "proto": "4"]) == 12)
        #expect(families.value("node_nfsd_requests_total", ["method": "Write", "proto": "4"]) == 114)
        #expect(families.value("node_nfsd_requests_total", ["method": "RelLockOwner", "proto": "4"]) == 117)
    }

    @Test func shortOperationListsLeaveOutTheOperationsTheyLack() throws {
        // A kernel counting 39 operations (0...38) has no RELEASE_LOCKOWNER column.
        let counters = (0..<39).map { String($0 * 10) }.joined(separator: " ")
        let families = try RPCStatsProbe.families("proc4ops 39 \(counters)\n", server: true)
        #expect(families.value("node_nfsd_requests_total", ["method": "Write", "proto": "4"]) == 380)
        #expect(families.value("node_nfsd_requests_total", ["method": "RelLockOwner", "proto": "4"]) == nil)
        #expect(families[family: "node_nfsd_requests_total"]?.samples.count == 32)
    }

    @Test func missingFileMeansNoFamilies() throws {
        #expect(try collect(NfsdCollector(), paths: Fixtures.edge("missing")).isEmpty)
        #expect(try collect(NfsdCollector(), paths: Fixtures.host).isEmpty)
    }

    @Test func rejectsMalformedLines() {
        let bad = [
            "rc 1 2\n", "fh 1 2 3 4\n", "io 1\n", "ra 1 2 3\n", "rpc 1 2 3 4\n", "net 1 2 3 4 5\n",
            "proc4ops 38 " + Array(repeating: "0", count: 38).joined(separator: " ") + "\n",  // fewer than 39
            "proc4ops 40 1 2\n",
            "th x 0 0.000\n",
            "io 12 -4\n",
        ]
        for text in bad {
            #expect(throws: CollectorError.self, "\(text)") { try RPCStatsProbe.families(text, server: true) }
        }
    }

    /// This machine's own files (usually none for this collector) never fail the collector.
    @Test func liveHost() throws {
        _ = try collect(NfsdCollector(), paths: HostPaths())
    }
}
