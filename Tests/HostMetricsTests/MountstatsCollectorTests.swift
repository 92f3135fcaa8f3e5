import Exposition
import HostMetrics
import Testing

@Suite struct MountstatsCollectorTests {
    static let home = ["export": "fileserver.example.net:/export/home", "mountaddr": "10.20.0.5", "protocol": "tcp"]
    static let backups = ["export": "10.20.0.9:/backups", "mountaddr": "10.20.0.9", "protocol": "udp"]
    static let media = ["export": "10.20.0.5:/export/media\\040files", "mountaddr": "10.20.0.5", "protocol": "tcp"]

    @Test func familiesAndLabels() throws {
        let families = try collect(MountstatsCollector(), paths: Fixtures.edge("mountstats"))
        // age, 8 byte counters, 10 transport, 8 per-operation and 26 event families.
        #expect(families.count == 1 + 8 + 10 + 8 + 26)
        #expect(families.allSatisfy { $0.name.hasPrefix("node_mountstats_nfs_") })
        #expect(families[family: "node_mountstats_nfs_transport_idle_time_seconds"]?.type == .gauge)
        #expect(families[family: "node_mountstats_nfs_transport_maximum_rpc_slots"]?.type == .gauge)
        #expect(families.filter { $0.type == .counter }.count == families.count - 2)
        // The bind mount of /export/home (same export, protocol, address) is reported once.
        let age = try #require(families[family: "node_mountstats_nfs_age_seconds_total"])
        #expect(age.samples.count == 3)
        #expect(families.value("node_mountstats_nfs_age_seconds_total", Self.home) == 86402)
        #expect(families.value("node_mountstats_nfs_age_seconds_total", Self.backups) == 3600)
        #expect(families.value("node_mountstats_nfs_age_seconds_total", Self.media) == 120)
    }

    @Test func byteEventAndTransportCounters() throws {
        let families = try collect(MountstatsCollector(), paths: Fixtures.edge("mountstats"))
        // bytes: 9120330112 2204110336 104857600 0 9223309312 2204123136 2211840 538112
        #expect(families.value("node_mountstats_nfs_read_bytes_total", Self.home) == 9_120_330_112)
        #expect(families.value("node_mountstats_nfs_write_bytes_total", Self.home) == 2_204_110_336)
        #expect(families.value("node_mountstats_nfs_direct_read_bytes_total", Self.home) == 104_857_600)
        #expect(families.value("node_mountstats_nfs_total_read_bytes_total", Self.home) == 9_223_309_312)
        #expect(families.value("node_mountstats_nfs_total_write_bytes_total", Self.home) == 2_204_123_136)
        #expect(families.value("node_mountstats_nfs_read_pages_total", Self.home) == 2_211_840)
        #expect(families.value("node_mountstats_nfs_write_pages_total", Self.home) == 538_112)
        // events: 3120 88211 14 402 9120 44120 100233 512 0 2201 0 18322 3301 72 9120 412 18 9119 0 33 1201 2 ...
        #expect(families.value("node_mountstats_nfs_event_inode_revalidate_total", Self.home) == 3120)
        #expect(families.value("node_mountstats_nfs_event_vfs_access_total", Self.home) == 100_233)
        #expect(families.value("node_mountstats_nfs_event_vfs_file_release_total", Self.home) == 9119)
        // Position 18 (congestion wait) is skipped: truncation is the 20th counter.
        #expect(families.value("node_mountstats_nfs_event_truncation_total", Self.home) == 33)
        #expect(families.value("node_mountstats_nfs_event_write_extension_total", Self.home) == 1201)
        #expect(families.value("node_mountstats_nfs_event_silly_rename_total", Self.home) == 2)
        #expect(families.value("node_mountstats_nfs_event_jukebox_delay_total", Self.backups) == 2)
        // xprt: tcp 0 1 2 0 14 412003 411998 3 1204112 9 64 2201 18
        #expect(families.value("node_mountstats_nfs_transport_bind_total", Self.home) == 1)
        #expect(families.value("node_mountstats_nfs_transport_connect_total", Self.home) == 2)
        #expect(families.value("node_mountstats_nfs_transport_idle_time_seconds", Self.home) == 14)
        #expect(families.value("node_mountstats_nfs_transport_sends_total", Self.home) == 412_003)
        #expect(families.value("node_mountstats_nfs_transport_receives_total", Self.home) == 411_998)
        #expect(families.value("node_mountstats_nfs_transport_bad_transaction_ids_total", Self.home) == 3)
        #expect(families.value("node_mountstats_nfs_transport_backlog_queue_total", Self.home) == 9)
        #expect(families.value("node_mountstats_nfs_transport_maximum_rpc_slots", Self.home) == 64)
        #expect(families.value("node_mountstats_nfs_transport_sending_queue_total", Self.home) == 2201)
        #expect(families.value("node_mountstats_nfs_transport_pending_queue_total", Self.home) == 18)
        // xprt: udp 0 1 120 119 0 520 3 16 30 44 — port, bind, sends, receives, bad xids, active,
        // backlog, max slots, sending, pending: no connection counters over udp.
        #expect(families.value("node_mountstats_nfs_transport_connect_total", Self.backups) == 0)
        #expect(families.value("node_mountstats_nfs_transport_idle_time_seconds", Self.backups) == 0)
        #expect(families.value("node_mountstats_nfs_transport_sends_total", Self.backups) == 120)
        #expect(families.value("node_mountstats_nfs_transport_receives_total", Self.backups) == 119)
        #expect(families.value("node_mountstats_nfs_transport_backlog_queue_total", Self.backups) == 3)
        #expect(families.value("node_mountstats_nfs_transport_maximum_rpc_slots", Self.backups) == 16)
        #expect(families.value("node_mountstats_nfs_transport_sending_queue_total", Self.backups) == 30)
        #expect(families.value("node_mountstats_nfs_transport_pending_queue_total", Self.backups) == 44)
    }

    @Test func perOperationCounters() throws {
        let families = try collect(MountstatsCollector(), paths: Fixtures.edge("mountstats"))
        func op(_ labels: [String: String], _ operation: String) -> [String: String] {
            labels.merging(["operation": operation]) { $1 }
        }
        #expect(families[family: "node_mountstats_nfs_operations_requests_total"]?.samples.count == 5 + 4 + 1)
        // READ: 70110 70112 0 11218000 9231002112 412 88123 88901 0
        #expect(families.value("node_mountstats_nfs_operations_requests_total", op(Self.home, "READ")) == 70110)
        #expect(families.value("node_mountstats_nfs_operations_transmissions_total", op(Self.home, "READ")) == 70112)
        #expect(families.value("node_mountstats_nfs_operations_sent_bytes_total", op(Self.home, "READ")) == 11_218_000)
        #expect(families.value("node_mountstats_nfs_operations_received_bytes_total", op(Self.home, "READ")) == 9_231_002_112)
        #expect(families.value("node_mountstats_nfs_operations_queue_time_seconds_total", op(Self.home, "READ")) == 0.412)
        #expect(families.value("node_mountstats_nfs_operations_response_time_seconds_total", op(Self.home, "READ")) == 88.123)
        #expect(families.value("node_mountstats_nfs_operations_request_time_seconds_total", op(Self.home, "READ")) == 88.901)
        #expect(families.value("node_mountstats_nfs_operations_major_timeouts_total", op(Self.home, "ACCESS")) == 2)
        // A queue time past 2^53 ms (18446744073709551000 = 2^64 - 616) is reduced modulo 2^53 first.
        #expect(families.value("node_mountstats_nfs_operations_queue_time_seconds_total", op(Self.home, "ACCESS"))
            == Double(9_007_199_254_740_376) / 1000)
        // 8-value lines (no errors column) on the udp mount.
        #expect(families.value("node_mountstats_nfs_operations_major_timeouts_total", op(Self.backups, "READ")) == 1)
        #expect(families.value("node_mountstats_nfs_operations_request_time_seconds_total", op(Self.backups, "WRITE")) == 0.45)
    }

    @Test func noNFSMountsMeansNoFamilies() throws {
        #expect(try collect(MountstatsCollector(), paths: Fixtures.edge("missing")).isEmpty)
        let tree = try StorageScratchTree(["proc/self/mountstats": """
            device proc mounted on /proc with fstype proc
            device /dev/vda1 mounted on / with fstype ext4

            """])
        #expect(try collect(MountstatsCollector(), paths: tree.paths).isEmpty)
    }

    @Test func olderFormatsAndUnknownTransports() throws {
        let mounts = try MountstatsCollector.parse(ArraySlice("""
            device 10.0.0.1:/a mounted on /a with fstype nfs statvers=1.0
            \tage:\t60
            \tbytes:\t1 2 3 4 5 6 7 8
            \tevents:\t1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27
            \txprt:\ttcp 700 1 2 3 4 5 6 7 8 9
            \tper-op statistics
            \t        NULL: 0 0 0 0 0 0 0 0

            device 10.0.0.2:/b mounted on /b with fstype nfs statvers=1.0
            \tage:\t61
            \txprt:\tudp 701 1 2 3 4 5 6
            device 10.0.0.3:/c mounted on /c with fstype nfs4 statvers=1.1
            \tage:\t62
            \txprt:\trdma 0 0 1 0 24 10 10 0 10 0 2 0 0 0 0 0 0 0 0 0 0 0 0 11 0 0 0
            """.utf8))
        #expect(mounts.map(\.device) == ["10.0.0.1:/a", "10.0.0.2:/b", "10.0.0.3:/c"])
        // statvers 1.0 tcp: 10 counters, the three later ones are 0.
        #expect(mounts[0].nfs?.transport == [700, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 0, 0])
        #expect(mounts[0].nfs?.operations.map(\.name) == ["NULL"])
        // statvers 1.0 udp: 7 counters, no connection ones.
        #expect(mounts[1].nfs?.transport == [701, 1, 0, 0, 0, 2, 3, 4, 5, 6, 0, 0, 0])
        #expect(mounts[1].nfs?.bytes == Array(repeating: 0, count: 8))
        #expect(mounts[2].nfs?.transportProtocol == "rdma")
        #expect(mounts[2].nfs?.transport == nil)
        let families = MountstatsCollector.families(mounts, addresses: [])
        #expect(families.value("node_mountstats_nfs_age_seconds_total", ["export": "10.0.0.3:/c", "mountaddr": "", "protocol": "rdma"]) == 62)
        #expect(families[family: "node_mountstats_nfs_transport_sends_total"]?.samples.count == 2)
        #expect(families.value("node_mountstats_nfs_event_pnfs_write_total", ["export": "10.0.0.1:/a", "mountaddr": "", "protocol": "tcp"]) == 27)
    }

    @Test func malformedStatisticsThrow() {
        let cases = [
            "device 1:/a mounted on /a with fstype nfs4 statvers=1.1\n\tbytes:\t1 2 3\n",
            "device 1:/a mounted on /a with fstype nfs4 statvers=1.1\n\tevents:\t1 2 3\n",
            "device 1:/a mounted on /a with fstype nfs4 statvers=1.1\n\tage:\tyoung\n",
            "device 1:/a mounted on /a with fstype nfs4 statvers=1.1\n\txprt:\ttcp 1 2 3\n",
            "device 1:/a mounted on /a with fstype nfs4 statvers=1.1\n\txprt:\tudp 1 2 3\n",
            "device 1:/a mounted on /a with fstype nfs4 statvers=1.1\n\tper-op statistics\n\tREAD: 1 2 3\n",
            "device 1:/a mounted on /a with fstype nfs4 statvers=1.1\n\tper-op statistics\n\tREAD: 1 2 3 4 5 6 7 x\n",
            "device 1:/a mounted at /a with fstype nfs4\n",
            "device 1:/a mounted on /a\n",
        ]
        for text in cases {
            #expect(throws: CollectorError.self, "\(text)") {
                try MountstatsCollector.parse(ArraySlice(text.utf8), file: "/proc/self/mountstats")
            }
        }
    }

    /// This machine's own files (usually none for this collector) never fail the collector.
    @Test func liveHost() throws {
        _ = try collect(MountstatsCollector(), paths: HostPaths())
    }
}
