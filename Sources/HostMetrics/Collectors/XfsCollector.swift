import Exposition

/// `/sys/fs/xfs/<device>/stats/stats`: per-filesystem XFS counters, as node_exporter 1.5's
/// `node_xfs_*` families with a `device` label.
///
/// The file has the format of the global `/proc/fs/xfs/stat` (`extent_alloc 4 values`,
/// `abt ...`, `blk_map ...`, `bmbt ...`, `dir ...`, `ig ...`, `rw <writes> <reads>`,
/// `vnodes ...`, and more this collector does not export). Like node_exporter, only the
/// per-device files are read; `/sys/fs/xfs/stats/stats` (all filesystems together) is not a
/// device. No `/sys/fs/xfs` (no XFS module loaded) means no families.
public struct XfsCollector: Collector {
    public let name = "xfs"

    public init() {}

    /// One exported counter: its family, the stats line it comes from and its position there.
    struct Counter {
        let name: String
        let line: String
        let position: Int
        let help: String
    }

    /// How many values each line this collector reads must have (`vnodes` lost its last value,
    /// `free`, on old kernels).
    static let lineLengths: [String: Set<Int>] = [
        "extent_alloc": [4], "abt": [4], "blk_map": [7], "bmbt": [4], "dir": [4], "ig": [7], "rw": [2], "vnodes": [7, 8],
    ]

    static let counters: [Counter] = [
        Counter(name: "extent_allocation_extents_allocated_total", line: "extent_alloc", position: 0, help: "Extents allocated."),
        Counter(name: "extent_allocation_blocks_allocated_total", line: "extent_alloc", position: 1, help: "Blocks allocated."),
        Counter(name: "extent_allocation_extents_freed_total", line: "extent_alloc", position: 2, help: "Extents freed."),
        Counter(name: "extent_allocation_blocks_freed_total", line: "extent_alloc", position: 3, help: "Blocks freed."),
        Counter(name: "allocation_btree_lookups_total", line: "abt", position: 0, help: "Lookups in the free-space allocation B-trees."),
        Counter(name: "allocation_btree_compares_total", line: "abt", position: 1, help: "Compares in the free-space allocation B-trees."),
        Counter(name: "allocation_btree_records_inserted_total", line: "abt", position: 2, help: "Records inserted into the free-space allocation B-trees."),
        Counter(name: "allocation_btree_records_deleted_total", line: "abt", position: 3, help: "Records deleted from the free-space allocation B-trees."),
        Counter(name: "block_mapping_reads_total", line: "blk_map", position: 0, help: "Block map lookups for reads."),
        Counter(name: "block_mapping_writes_total", line: "blk_map", position: 1, help: "Block map lookups for writes."),
        Counter(name: "block_mapping_unmaps_total", line: "blk_map", position: 2, help: "Block unmaps (file block deletions)."),
        Counter(name: "block_mapping_extent_list_insertions_total", line: "blk_map", position: 3, help: "Extent list insertions."),
        Counter(name: "block_mapping_extent_list_deletions_total", line: "blk_map", position: 4, help: "Extent list deletions."),
        Counter(name: "block_mapping_extent_list_lookups_total", line: "blk_map", position: 5, help: "Extent list lookups."),
        Counter(name: "block_mapping_extent_list_compares_total", line: "blk_map", position: 6, help: "Extent list compares."),
        Counter(name: "block_map_btree_lookups_total", line: "bmbt", position: 0, help: "Lookups in the block map B-trees."),
        Counter(name: "block_map_btree_compares_total", line: "bmbt", position: 1, help: "Compares in the block map B-trees."),
        Counter(name: "block_map_btree_records_inserted_total", line: "bmbt", position: 2, help: "Records inserted into the block map B-trees."),
        Counter(name: "block_map_btree_records_deleted_total", line: "bmbt", position: 3, help: "Records deleted from the block map B-trees."),
        Counter(name: "directory_operation_lookup_total", line: "dir", position: 0, help: "Directory name lookups that missed the VFS name cache."),
        Counter(name: "directory_operation_create_total", line: "dir", position: 1, help: "Directory entries created."),
        Counter(name: "directory_operation_remove_total", line: "dir", position: 2, help: "Directory entries removed."),
        Counter(name: "directory_operation_getdents_total", line: "dir", position: 3, help: "getdents calls on directories."),
        Counter(name: "inode_operation_attempts_total", line: "ig", position: 0, help: "Inode cache lookups."),
        Counter(name: "inode_operation_found_total", line: "ig", position: 1, help: "Inode cache lookups that found the inode."),
        Counter(name: "inode_operation_recycled_total", line: "ig", position: 2, help: "Inode cache hits on an inode that was being recycled and could not be used."),
        Counter(name: "inode_operation_missed_total", line: "ig", position: 3, help: "Inode cache lookups that did not find the inode."),
        Counter(name: "inode_operation_duplicates_total", line: "ig", position: 4, help: "Inodes another thread had already added when this one tried to add them to the cache."),
        Counter(name: "inode_operation_reclaims_total", line: "ig", position: 5, help: "Inodes reclaimed from the cache to free memory."),
        Counter(name: "inode_operation_attribute_changes_total", line: "ig", position: 6, help: "Explicit changes of inode attributes."),
        Counter(name: "read_calls_total", line: "rw", position: 1, help: "read(2) calls on files of the filesystem."),
        Counter(name: "write_calls_total", line: "rw", position: 0, help: "write(2) calls on files of the filesystem."),
        Counter(name: "vnode_active_total", line: "vnodes", position: 0, help: "Vnodes not on free lists."),
        Counter(name: "vnode_allocate_total", line: "vnodes", position: 1, help: "Vnode allocations."),
        Counter(name: "vnode_get_total", line: "vnodes", position: 2, help: "Vnode gets."),
        Counter(name: "vnode_hold_total", line: "vnodes", position: 3, help: "Vnode holds."),
        Counter(name: "vnode_release_total", line: "vnodes", position: 4, help: "Vnode releases."),
        Counter(name: "vnode_reclaim_total", line: "vnodes", position: 5, help: "Vnode reclaims."),
        Counter(name: "vnode_remove_total", line: "vnodes", position: 6, help: "Vnode removals."),
    ]

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let root = context.paths.sys("fs/xfs")
        guard let entries = try FileReader.listDirectoryIfPresent(root) else { return [] }
        var devices: [(device: String, lines: [String: [UInt64]])] = []
        for device in entries {
            let file = root + "/" + device + "/stats/stats"
            // Not a device directory (the global `stats`), or unmounted since the listing.
            guard let bytes = try context.reader.readIfPresent(file) else { continue }
            devices.append((device, try Self.parse(bytes, file: file)))
        }
        return Self.families(devices)
    }

    /// The lines this collector exports, by name. Lines it does not export are skipped unchecked
    /// (kernels add B-tree lines often); an exported line with the wrong number of values or a
    /// value that is not an unsigned integer throws naming `file`.
    public static func parse(_ bytes: ArraySlice<UInt8>, file: String) throws -> [String: [UInt64]] {
        var result: [String: [UInt64]] = [:]
        for line in bytes.lines() {
            let fields = line.fields()
            guard fields.count >= 2 else { continue }
            let key = fields[0].string
            guard let lengths = lineLengths[key] else { continue }
            guard lengths.contains(fields.count - 1) else {
                throw CollectorError("\(file): \"\(key)\" has \(fields.count - 1) values, expected \(lengths.sorted().map(String.init).joined(separator: " or "))")
            }
            var values: [UInt64] = []
            for field in fields.dropFirst() {
                guard let value = field.parseUInt64() else {
                    throw CollectorError("\(file): \"\(field.prefix(40).string)\" is not a counter in line: \(line.prefix(160).string)")
                }
                values.append(value)
            }
            result[key] = values
        }
        return result
    }

    static func families(_ devices: [(device: String, lines: [String: [UInt64]])]) -> [MetricFamily] {
        var families = counters.map {
            MetricFamily(name: "node_xfs_" + $0.name, type: .counter, help: "XFS: " + $0.help)
        }
        for (device, lines) in devices {
            for (index, counter) in counters.enumerated() {
                guard let values = lines[counter.line] else { continue }
                families[index].add(Double(values[counter.position]), ["device": device])
            }
        }
        return families.filter { !$0.samples.isEmpty }
    }
}
