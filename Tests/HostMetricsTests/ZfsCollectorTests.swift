import Exposition
import HostMetrics
import Testing

@Suite struct ZfsCollectorTests {
    @Test func namedKstats() throws {
        let families = try collect(ZfsCollector(), paths: Fixtures.edge("zfs"))
        // 58 kstat values, 12 pool io fields, 6 dataset values, the pool state.
        #expect(families.count == 58 + 12 + 6 + 1)
        #expect(families.filter { $0.name != "node_zfs_zpool_state" }.allSatisfy { $0.type == .untyped })

        #expect(families.value("node_zfs_arc_hits") == 18_206_431)
        #expect(families.value("node_zfs_arc_c_max") == 8_589_934_592)
        #expect(families.value("node_zfs_arc_arc_no_grow") == 0)
        // Type 3 (signed) statistics are not exported, as in node_exporter 1.5.
        #expect(families[family: "node_zfs_arc_memory_available_bytes"] == nil)
        #expect(families.value("node_zfs_abd_scatter_data_size") == 3_722_311_680)
        #expect(families.value("node_zfs_dmu_tx_dmu_tx_assigned") == 1_843_390)
        #expect(families.value("node_zfs_dnode_dnode_hold_alloc_hits") == 4_410_932)
        #expect(families.value("node_zfs_fm_erpt_dropped") == 2)  // erpt-dropped
        #expect(families.value("node_zfs_vdev_mirror_preferred_found") == 933_901)
        #expect(families.value("node_zfs_zfetch_max_streams") == 4_102_177)
        #expect(families.value("node_zfs_zil_zil_itx_needcopy_bytes") == Double(UInt64(18_446_744_073_709_537_686)))
        // dbuf_stats is the dbuf table on this ZFS version; the statistics come from dbufstats.
        #expect(families.value("node_zfs_dbuf_hash_hits") == 40412)
        #expect(families.value("node_zfs_dbuf_cache_count") == 1891)
        // Not in this ZFS version: no families.
        #expect(!families.contains { $0.name.hasPrefix("node_zfs_xuio_") || $0.name.hasPrefix("node_zfs_vdev_cache_") })
    }

    @Test func poolsAndDatasets() throws {
        let families = try collect(ZfsCollector(), paths: Fixtures.edge("zfs"))
        let ioFields = ["nread", "nwritten", "reads", "writes", "wtime", "wlentime", "wupdate", "rtime", "rlentime", "rupdate", "wcnt", "rcnt"]
        for field in ioFields {
            #expect(families[family: "node_zfs_zpool_" + field]?.samples.count == 2, "\(field)")
        }
        #expect(families.value("node_zfs_zpool_nread", ["zpool": "tank"]) == 8_816_594_944)
        #expect(families.value("node_zfs_zpool_nwritten", ["zpool": "tank"]) == 40_212_365_312)
        #expect(families.value("node_zfs_zpool_rupdate", ["zpool": "tank"]) == 932_840_120_009_999)
        #expect(families.value("node_zfs_zpool_rcnt", ["zpool": "tank"]) == 1)
        #expect(families.value("node_zfs_zpool_nread", ["zpool": "backup"]) == 1_048_576)

        // Dataset names may contain spaces.
        #expect(families.value("node_zfs_zpool_dataset_nwritten", ["dataset": "tank/home media", "zpool": "tank"]) == 40_211_873_792)
        #expect(families.value("node_zfs_zpool_dataset_reads", ["dataset": "tank", "zpool": "tank"]) == 3310)
        #expect(families.value("node_zfs_zpool_dataset_nunlinked", ["dataset": "tank/home media", "zpool": "tank"]) == 9118)
        #expect(families[family: "node_zfs_zpool_dataset_dataset_name"] == nil)

        let state = try #require(families[family: "node_zfs_zpool_state"])
        #expect(state.type == .gauge)
        #expect(state.samples.count == 12)
        #expect(families.value("node_zfs_zpool_state", ["state": "online", "zpool": "tank"]) == 1)
        #expect(families.value("node_zfs_zpool_state", ["state": "degraded", "zpool": "tank"]) == 0)
        #expect(families.value("node_zfs_zpool_state", ["state": "degraded", "zpool": "backup"]) == 1)
        #expect(families.value("node_zfs_zpool_state", ["state": "online", "zpool": "backup"]) == 0)
        #expect(state.samples.reduce(0) { $0 + $1.value } == 2)
    }

    @Test func noZfsModuleMeansNoFamilies() throws {
        #expect(try collect(ZfsCollector(), paths: Fixtures.host).isEmpty)
        #expect(try collect(ZfsCollector(), paths: Fixtures.edge("missing")).isEmpty)
    }

    @Test func namedKstatParsing() throws {
        let statistics = try #require(try ZfsCollector.parseNamedKstat(ArraySlice("""
            9 1 0x01 3 144 100 200
            name                            type data
            dataset_name                    7    pool/with space
            hits                            4    12
            delta                           3    -4
            """.utf8), file: "x"))
        #expect(statistics == [
            ZfsCollector.Statistic(name: "dataset_name", type: 7, data: "pool/with space"),
            ZfsCollector.Statistic(name: "hits", type: 4, data: "12"),
            ZfsCollector.Statistic(name: "delta", type: 3, data: "-4"),
        ])
        // Not a named kstat at all.
        #expect(try ZfsCollector.parseNamedKstat(ArraySlice("txg birth state\n1 2 C\n".utf8), file: "x") == nil)
    }

    @Test func malformedKstatsNameTheFile() throws {
        let cases: [String: String] = [
            "proc/spl/kstat/zfs/arcstats": "13 1 0x01\nname type data\nhits 4 many\n",  // not a number
            "proc/spl/kstat/zfs/zil": "13 1 0x01\nname type data\nzil_commit_count\n",  // no type and value
            "proc/spl/kstat/zfs/fm": "0 1 0x01 4 192\nerpt-dropped 4 2\n",  // no header line
            "proc/spl/kstat/zfs/tank/io": "12 3 0x00\nnread nwritten reads writes wtime wlentime wupdate rtime rlentime rupdate wcnt rcnt\n1 2 3\n",
            "proc/spl/kstat/zfs/tank/objset-0x1": "1 1 0x01\nname type data\nwrites 4 -1\n",
        ]
        for (file, content) in cases {
            let tree = try StorageScratchTree([file: content])
            #expect(performing: {
                try collect(ZfsCollector(), paths: tree.paths)
            }, throws: { error in
                "\(error)".contains(file)
            })
        }
    }

    /// This machine's own files (usually none for this collector) never fail the collector.
    @Test func liveHost() throws {
        _ = try collect(ZfsCollector(), paths: HostPaths())
    }
}
