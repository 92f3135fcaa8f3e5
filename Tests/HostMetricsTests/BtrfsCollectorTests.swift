import Exposition
import HostMetrics
import Testing

@Suite struct BtrfsCollectorTests {
    static let mirror = "5c3a2f4e-8d1b-4f6a-9e27-0b9d4c1e7a53"
    /// The second filesystem's sysfs directory is a17e0c39-...; its metadata_uuid names it.
    static let parity = "d41f8c2a-6b3e-4c59-8a71-2e9f0b5c3d64"

    @Test func twoFilesystems() throws {
        let families = try collect(BtrfsCollector(), paths: Fixtures.edge("btrfs"))
        #expect(families.map(\.name) == [
            "node_btrfs_info", "node_btrfs_global_rsv_size_bytes", "node_btrfs_reserved_bytes", "node_btrfs_used_bytes",
            "node_btrfs_size_bytes", "node_btrfs_allocation_ratio", "node_btrfs_device_size_bytes",
        ])
        #expect(families.allSatisfy { $0.type == .gauge })
        #expect(families.map { $0.samples.count } == [2, 2, 5, 7, 7, 7, 5])

        #expect(families.value("node_btrfs_info", ["label": "data", "uuid": Self.mirror]) == 1)
        #expect(families.value("node_btrfs_info", ["label": "", "uuid": Self.parity]) == 1)
        #expect(families.value("node_btrfs_global_rsv_size_bytes", ["uuid": Self.mirror]) == 536_870_912)
        #expect(families.value("node_btrfs_global_rsv_size_bytes", ["uuid": Self.parity]) == 3_670_016)

        #expect(families.value("node_btrfs_reserved_bytes", ["block_group_type": "data", "uuid": Self.mirror]) == 4096)
        #expect(families.value("node_btrfs_reserved_bytes", ["block_group_type": "metadata", "uuid": Self.mirror]) == 1_048_576)
        #expect(families.value("node_btrfs_reserved_bytes", ["block_group_type": "system", "uuid": Self.mirror]) == 0)
        // No bytes_reserved file for the second filesystem's system group: no series.
        #expect(families.value("node_btrfs_reserved_bytes", ["block_group_type": "system", "uuid": Self.parity]) == nil)

        let mirrorData = ["block_group_type": "data", "mode": "raid1", "uuid": Self.mirror]
        #expect(families.value("node_btrfs_used_bytes", mirrorData) == 912_680_550_400)
        #expect(families.value("node_btrfs_size_bytes", mirrorData) == 1_073_741_824_000)
        #expect(families.value("node_btrfs_allocation_ratio", mirrorData) == 2)
        #expect(families.value("node_btrfs_used_bytes", ["block_group_type": "system", "mode": "raid1", "uuid": Self.mirror]) == 163_840)

        // raid5 over three devices stores 2 data stripes per 3: ratio 3/2.
        let parityData = ["block_group_type": "data", "mode": "raid5", "uuid": Self.parity]
        #expect(families.value("node_btrfs_allocation_ratio", parityData) == 1.5)
        #expect(families.value("node_btrfs_used_bytes", parityData) == 1_610_612_736)
        #expect(families.value("node_btrfs_size_bytes", ["block_group_type": "data", "mode": "single", "uuid": Self.parity]) == 1_073_741_824)
        #expect(families.value("node_btrfs_allocation_ratio", ["block_group_type": "data", "mode": "single", "uuid": Self.parity]) == 1)
        #expect(families.value("node_btrfs_allocation_ratio", ["block_group_type": "metadata", "mode": "raid1c3", "uuid": Self.parity]) == 3)

        // Sizes through the devices/ symlinks, in 512-byte sectors: 3907029168 and 20971520.
        #expect(families.value("node_btrfs_device_size_bytes", ["device": "sdb", "uuid": Self.mirror]) == 2_000_398_934_016)
        #expect(families.value("node_btrfs_device_size_bytes", ["device": "sdc", "uuid": Self.mirror]) == 2_000_398_934_016)
        #expect(families.value("node_btrfs_device_size_bytes", ["device": "loop2", "uuid": Self.parity]) == 10_737_418_240)
    }

    @Test func allocationRatios() {
        let table: [(String, Int, Double)] = [
            ("single", 1, 1), ("raid0", 4, 1), ("dup", 1, 2), ("raid1", 2, 2), ("raid10", 4, 2), ("raid1c3", 3, 3),
            ("raid1c4", 4, 4), ("raid5", 4, 4.0 / 3.0), ("raid6", 6, 1.5), ("raid6", 2, 0), ("raid5", 1, 0), ("mystery", 3, 0),
        ]
        for (mode, devices, ratio) in table {
            #expect(BtrfsCollector.allocationRatio(mode: mode, deviceCount: devices) == ratio, "\(mode) on \(devices)")
        }
    }

    @Test func noBtrfsMeansNoFamilies() throws {
        #expect(try collect(BtrfsCollector(), paths: Fixtures.host).isEmpty)
        #expect(try collect(BtrfsCollector(), paths: Fixtures.edge("missing")).isEmpty)
        // Only the module's features directory: no filesystem mounted.
        let tree = try StorageScratchTree(["sys/fs/btrfs/features/raid56": "0\n"])
        #expect(try collect(BtrfsCollector(), paths: tree.paths).isEmpty)
    }

    @Test func directoryNameIsTheUUIDWithoutMetadataUUID() throws {
        let uuid = "0f0e0d0c-0b0a-4908-8706-050403020100"
        let tree = try StorageScratchTree([
            "sys/fs/btrfs/\(uuid)/label": "scratch\n",
            "sys/fs/btrfs/\(uuid)/allocation/global_rsv_size": "16777216\n",
            "sys/fs/btrfs/\(uuid)/allocation/data/bytes_reserved": "0\n",
            "sys/fs/btrfs/\(uuid)/allocation/data/dup/total_bytes": "8388608\n",
            "sys/fs/btrfs/\(uuid)/allocation/data/dup/used_bytes": "4096\n",
        ])
        let families = try collect(BtrfsCollector(), paths: tree.paths)
        #expect(families.value("node_btrfs_info", ["label": "scratch", "uuid": uuid]) == 1)
        #expect(families.value("node_btrfs_allocation_ratio", ["block_group_type": "data", "mode": "dup", "uuid": uuid]) == 2)
        #expect(families[family: "node_btrfs_device_size_bytes"] == nil)
    }

    @Test func malformedNumberNamesTheFile() throws {
        let uuid = "0f0e0d0c-0b0a-4908-8706-050403020100"
        let tree = try StorageScratchTree(["sys/fs/btrfs/\(uuid)/allocation/global_rsv_size": "lots\n"])
        #expect {
            try collect(BtrfsCollector(), paths: tree.paths)
        } throws: { error in
            "\(error)".contains("\(uuid)/allocation/global_rsv_size")
        }
    }

    /// This machine's own files (usually none for this collector) never fail the collector.
    @Test func liveHost() throws {
        _ = try collect(BtrfsCollector(), paths: HostPaths())
    }
}
