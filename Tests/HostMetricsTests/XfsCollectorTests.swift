import Exposition
import HostMetrics
import Testing

@Suite struct XfsCollectorTests {
    @Test func perDeviceStatistics() throws {
        let families = try collect(XfsCollector(), paths: Fixtures.edge("xfs"))
        #expect(families.count == 39)
        #expect(families.allSatisfy { $0.type == .counter && $0.name.hasPrefix("node_xfs_") && $0.name.hasSuffix("_total") })
        // sda1 and dm-0; the global sys/fs/xfs/stats/stats is not a device.
        #expect(families.allSatisfy { Set($0.samples.map { $0.labels.map(\.value) }) == [["sda1"], ["dm-0"]] })

        // extent_alloc 2340 910342 1077 402118
        #expect(families.value("node_xfs_extent_allocation_extents_allocated_total", ["device": "sda1"]) == 2340)
        #expect(families.value("node_xfs_extent_allocation_blocks_allocated_total", ["device": "sda1"]) == 910_342)
        #expect(families.value("node_xfs_extent_allocation_extents_freed_total", ["device": "sda1"]) == 1077)
        #expect(families.value("node_xfs_extent_allocation_blocks_freed_total", ["device": "sda1"]) == 402_118)
        // abt 20 41 6 4 on dm-0
        #expect(families.value("node_xfs_allocation_btree_compares_total", ["device": "dm-0"]) == 41)
        #expect(families.value("node_xfs_allocation_btree_records_deleted_total", ["device": "dm-0"]) == 4)
        // blk_map 581623 201944 3810 4412 2240 789012 0
        #expect(families.value("node_xfs_block_mapping_reads_total", ["device": "sda1"]) == 581_623)
        #expect(families.value("node_xfs_block_mapping_unmaps_total", ["device": "sda1"]) == 3810)
        #expect(families.value("node_xfs_block_mapping_extent_list_lookups_total", ["device": "sda1"]) == 789_012)
        #expect(families.value("node_xfs_block_mapping_extent_list_compares_total", ["device": "dm-0"]) == 3)
        // bmbt 17 0 5 2
        #expect(families.value("node_xfs_block_map_btree_lookups_total", ["device": "sda1"]) == 17)
        #expect(families.value("node_xfs_block_map_btree_records_inserted_total", ["device": "sda1"]) == 5)
        // dir 41203 1180 975 9034
        #expect(families.value("node_xfs_directory_operation_lookup_total", ["device": "sda1"]) == 41203)
        #expect(families.value("node_xfs_directory_operation_getdents_total", ["device": "sda1"]) == 9034)
        // ig 66310 60012 3 6298 0 5980 2211
        #expect(families.value("node_xfs_inode_operation_attempts_total", ["device": "sda1"]) == 66310)
        #expect(families.value("node_xfs_inode_operation_missed_total", ["device": "sda1"]) == 6298)
        #expect(families.value("node_xfs_inode_operation_attribute_changes_total", ["device": "sda1"]) == 2211)
        // rw <writes> <reads>: 102934 557812 and 4410 9802
        #expect(families.value("node_xfs_write_calls_total", ["device": "sda1"]) == 102_934)
        #expect(families.value("node_xfs_read_calls_total", ["device": "sda1"]) == 557_812)
        #expect(families.value("node_xfs_read_calls_total", ["device": "dm-0"]) == 9802)
        // vnodes with 8 values (sda1) and the old 7 (dm-0)
        #expect(families.value("node_xfs_vnode_active_total", ["device": "sda1"]) == 7390)
        #expect(families.value("node_xfs_vnode_remove_total", ["device": "sda1"]) == 59082)
        #expect(families.value("node_xfs_vnode_remove_total", ["device": "dm-0"]) == 40)
    }

    @Test func globalStatisticsAreNotADevice() throws {
        // This machine: /sys/fs/xfs holds only the global stats, as node_exporter reports nothing.
        #expect(try collect(XfsCollector(), paths: Fixtures.host).isEmpty)
        #expect(try collect(XfsCollector(), paths: Fixtures.edge("missing")).isEmpty)
    }

    @Test func realKernelFileParses() throws {
        // The global file captured from this machine's kernel has every per-device line.
        var reader = FileReader()
        let lines = try XfsCollector.parse(reader.read(Fixtures.path("host/sys/fs/xfs/stats/stats")), file: "stats")
        #expect(Set(lines.keys) == ["extent_alloc", "abt", "blk_map", "bmbt", "dir", "ig", "rw", "vnodes"])
        #expect(lines["vnodes"]?.count == 8)
    }

    @Test func rejectsWrongCountsAndNonNumbers() throws {
        for text in ["rw 1 2 3\n", "vnodes 1 2 3 4 5 6\n", "ig 1 2 3 4 5 6 x\n", "extent_alloc 1 2 3\n", "dir -1 0 0 0\n"] {
            #expect(throws: CollectorError.self, "\(text)") {
                try XfsCollector.parse(ArraySlice(text.utf8), file: "/sys/fs/xfs/sdz/stats/stats")
            }
        }
        // Lines this collector does not export are not checked: kernels grow them.
        let lines = try XfsCollector.parse(ArraySlice("abtb2 1 2\nrw 5 6\nnew_btree x y z\n".utf8), file: "stats")
        #expect(lines == ["rw": [5, 6]])
        // A device whose file is malformed fails the collector, naming the file.
        let tree = try StorageScratchTree(["sys/fs/xfs/sdz/stats/stats": "rw 1\n"])
        #expect {
            try collect(XfsCollector(), paths: tree.paths)
        } throws: { error in
            "\(error)".contains("/sys/fs/xfs/sdz/stats/stats")
        }
    }

    /// This machine's own files (usually none for this collector) never fail the collector.
    @Test func liveHost() throws {
        _ = try collect(XfsCollector(), paths: HostPaths())
    }
}
