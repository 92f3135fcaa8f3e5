import Exposition
@testable import HostMetrics
import Testing

private let uuid = "6a3e4f5c-1b2d-4c8e-9f0a-7d6b5c4a3e21"

@Suite struct BcacheCollectorTests {
    private let tree = Fixtures.edge("bcache")

    @Test func cacheSetValues() throws {
        let families = try collect(BcacheCollector(), paths: tree)
        let set = ["uuid": uuid]
        // 12.5k = (12 + 5/10.24) * 1024
        #expect(families.value("node_bcache_average_key_size_sectors", set) == 12788)
        // 5.3M = (5 + 3/10.24) * 2^20
        #expect(families.value("node_bcache_btree_cache_size_bytes", set) == 5_550_080)
        #expect(families.value("node_bcache_cache_available_percent", set) == 97)
        #expect(families.value("node_bcache_congested", set) == 0)
        #expect(families.value("node_bcache_root_usage_percent", set) == 4)
        #expect(families.value("node_bcache_tree_depth", set) == 1)
        #expect(families.value("node_bcache_active_journal_entries", set) == 3)
        #expect(families.value("node_bcache_btree_nodes", set) == 18)
        // The file is in microseconds: 1305 µs.
        #expect(families.value("node_bcache_btree_read_average_duration_seconds", set) == 0.001305)
        #expect(families.value("node_bcache_cache_read_races_total", set) == 2)
    }

    @Test func backingDeviceValues() throws {
        let families = try collect(BcacheCollector(), paths: tree)
        let bdev = ["uuid": uuid, "backing_device": "bdev0"]
        #expect(families.value("node_bcache_dirty_data_bytes", bdev) == 1_560_576)
        // writeback_rate_debug: target 20.4G, rate 8.0k/sec, proportional -427.5k, integral 790.0k, change -2.1k/sec
        #expect(families.value("node_bcache_dirty_target_bytes", bdev) == 21_894_266_880)
        #expect(families.value("node_bcache_writeback_rate", bdev) == 8192)
        #expect(families.value("node_bcache_writeback_rate_proportional_term", bdev) == -437_748)
        #expect(families.value("node_bcache_writeback_rate_integral_term", bdev) == 808_960)
        #expect(families.value("node_bcache_writeback_change", bdev) == -2148)
        // stats_total of the backing device (not the set's, not stats_five_minute).
        #expect(families.value("node_bcache_bypassed_bytes_total", bdev) == 2_462_056_448)
        #expect(families.value("node_bcache_cache_hits_total", bdev) == 546_123)
        #expect(families.value("node_bcache_cache_misses_total", bdev) == 1234)
        #expect(families.value("node_bcache_cache_bypass_hits_total", bdev) == 12)
        #expect(families.value("node_bcache_cache_bypass_misses_total", bdev) == 3)
        #expect(families.value("node_bcache_cache_miss_collisions_total", bdev) == 1)
        #expect(families.value("node_bcache_cache_readaheads_total", bdev) == 0)
        #expect(families[family: "node_bcache_cache_hits_total"]?.samples.count == 1)
    }

    @Test func cacheDeviceValues() throws {
        let families = try collect(BcacheCollector(), paths: tree)
        let cache = ["uuid": uuid, "cache_device": "cache0"]
        #expect(families.value("node_bcache_io_errors", cache) == 0)
        #expect(families.value("node_bcache_metadata_written_bytes_total", cache) == 512)
        #expect(families.value("node_bcache_written_bytes_total", cache) == 1_283_457_024)
        // priority_stats only when asked for.
        #expect(families[family: "node_bcache_priority_stats_unused_percent"] == nil)
        let withPriority = try collect(BcacheCollector(priorityStats: true), paths: tree)
        #expect(withPriority.value("node_bcache_priority_stats_unused_percent", cache) == 87)
        #expect(withPriority.value("node_bcache_priority_stats_metadata_percent", cache) == 1)
    }

    @Test func typesAndFamilyCount() throws {
        let families = try collect(BcacheCollector(priorityStats: true), paths: tree)
        #expect(families.count == 28)
        let counters = Set(families.filter { $0.type == .counter }.map(\.name))
        #expect(counters == ["node_bcache_cache_read_races_total", "node_bcache_bypassed_bytes_total",
                             "node_bcache_cache_hits_total", "node_bcache_cache_misses_total",
                             "node_bcache_cache_bypass_hits_total", "node_bcache_cache_bypass_misses_total",
                             "node_bcache_cache_miss_collisions_total", "node_bcache_cache_readaheads_total",
                             "node_bcache_metadata_written_bytes_total", "node_bcache_written_bytes_total"])
        #expect(families.filter { $0.type != .counter }.allSatisfy { $0.type == .gauge })
    }

    @Test func humanReadableNumbers() {
        #expect(BcacheCollector.dehumanize("0") == 0)
        #expect(BcacheCollector.dehumanize("546") == 546)
        #expect(BcacheCollector.dehumanize("1.1M") == 1_150_976)
        #expect(BcacheCollector.dehumanize("0.0k") == 0)
        #expect(BcacheCollector.dehumanize("3G") == 3_221_225_472)
        #expect(BcacheCollector.dehumanize("1.0T") == 1_099_511_627_776)
        #expect(BcacheCollector.dehumanize("-427.5k", signed: true) == -437_748)
        #expect(BcacheCollector.dehumanize("-427.5k") == nil)
        #expect(BcacheCollector.dehumanize("") == nil)
        #expect(BcacheCollector.dehumanize("12x") == nil)
        #expect(BcacheCollector.dehumanize("k") == nil)
        #expect(BcacheCollector.dehumanize("lots") == nil)
        #expect(BcacheCollector.dehumanize("1.2.3M") == nil)
    }

    @Test func keyedLines() throws {
        let text = "rate:\t\t1.1M/sec\nnext io:\t17ms\n\nQuantiles:\t[0 1 2]\n"
        let values = try BcacheCollector.parseKeyed(ArraySlice(text.utf8), file: "f")
        #expect(values == ["rate": "1.1M", "next io": "17ms", "Quantiles": "2]"])
        #expect(throws: CollectorError.self) { try BcacheCollector.parseKeyed(ArraySlice("no colon here\n".utf8), file: "f") }
    }

    @Test func malformedValueNamesTheFile() {
        let error = #expect(throws: CollectorError.self) {
            try collect(BcacheCollector(), paths: Fixtures.edge("bcache-bad"))
        }
        #expect(error?.description.contains("bcache-bad/sys/fs/bcache/\(uuid)/bdev0/dirty_data") == true)
    }

    @Test func absentGivesNothing() throws {
        #expect(try collect(BcacheCollector(), paths: Fixtures.edge("missing")).isEmpty)
        #expect(try collect(BcacheCollector(), paths: Fixtures.host).isEmpty)
    }
}
