import Exposition

/// `/sys/fs/bcache/<uuid>/`: bcache cache sets with their backing (`bdev<n>`) and cache
/// (`cache<n>`) devices, as node_exporter 1.5's `node_bcache_*` families:
/// - per set `{uuid}`: average_key_size_sectors, btree_cache_size_bytes, cache_available_percent,
///   congested, root_usage_percent, tree_depth, active_journal_entries, btree_nodes,
///   btree_read_average_duration_seconds, cache_read_races_total;
/// - per backing device `{uuid,backing_device}`: dirty_data_bytes, dirty_target_bytes,
///   writeback_rate, writeback_rate_proportional_term, writeback_rate_integral_term,
///   writeback_change, and the `stats_total` counters (bypassed_bytes_total, cache_hits_total,
///   cache_misses_total, cache_bypass_hits_total, cache_bypass_misses_total,
///   cache_miss_collisions_total, cache_readaheads_total);
/// - per cache device `{uuid,cache_device}`: io_errors, metadata_written_bytes_total,
///   written_bytes_total, and with `priorityStats` (reading it makes the kernel walk every
///   bucket) priority_stats_unused_percent and priority_stats_metadata_percent.
///
/// bcache prints sizes in its own human-readable form (`20.4G`, `427.5k`); they are converted
/// back to numbers the way prometheus/procfs does. An attribute the kernel does not have is left
/// out; one that cannot be parsed fails the collector with the file named.
public struct BcacheCollector: Collector {
    public let name = "bcache"
    private let priorityStats: Bool

    public init(priorityStats: Bool = false) {
        self.priorityStats = priorityStats
    }

    struct Spec {
        var file: String
        var family: String
        var type: MetricType
        var help: String
        /// Applied to the parsed number.
        var scale: Double = 1
    }

    static let setAttributes: [Spec] = [
        Spec(file: "average_key_size", family: "average_key_size_sectors", type: .gauge,
             help: "Average amount of data per btree key, in sectors."),
        Spec(file: "btree_cache_size", family: "btree_cache_size_bytes", type: .gauge,
             help: "Memory the btree node cache uses, in bytes."),
        Spec(file: "cache_available_percent", family: "cache_available_percent", type: .gauge,
             help: "Share of the cache without dirty data, available for writeback, in percent."),
        Spec(file: "congested", family: "congested", type: .gauge, help: "Congestion the cache set reports."),
        Spec(file: "root_usage_percent", family: "root_usage_percent", type: .gauge,
             help: "How full the btree root node is, in percent."),
        Spec(file: "tree_depth", family: "tree_depth", type: .gauge, help: "Depth of the btree."),
    ]

    static let internalAttributes: [Spec] = [
        Spec(file: "active_journal_entries", family: "active_journal_entries", type: .gauge,
             help: "Journal entries newer than the index."),
        Spec(file: "btree_nodes", family: "btree_nodes", type: .gauge, help: "Nodes in the btree."),
        // The file is in microseconds (node_exporter 1.5 scales it as if nanoseconds).
        Spec(file: "btree_read_average_duration_us", family: "btree_read_average_duration_seconds", type: .gauge,
             help: "Average duration of a btree node read, in seconds.", scale: 1e-6),
        Spec(file: "cache_read_races", family: "cache_read_races_total", type: .counter,
             help: "Cache reads whose bucket was reused while the read was in flight."),
    ]

    static let backingAttributes: [Spec] = [
        Spec(file: "dirty_data", family: "dirty_data_bytes", type: .gauge,
             help: "Dirty data of the backing device held in the cache, in bytes."),
    ]

    /// `writeback_rate_debug` line label -> family.
    static let writebackLines: [(key: String, spec: Spec, signed: Bool)] = [
        ("target", Spec(file: "writeback_rate_debug", family: "dirty_target_bytes", type: .gauge,
                        help: "Amount of dirty data writeback aims for on the backing device, in bytes."), false),
        ("rate", Spec(file: "writeback_rate_debug", family: "writeback_rate", type: .gauge,
                      help: "Current writeback rate of the backing device, in bytes per second."), false),
        ("proportional", Spec(file: "writeback_rate_debug", family: "writeback_rate_proportional_term", type: .gauge,
                              help: "Proportional term of the writeback rate controller."), true),
        ("integral", Spec(file: "writeback_rate_debug", family: "writeback_rate_integral_term", type: .gauge,
                          help: "Integral term of the writeback rate controller."), true),
        ("change", Spec(file: "writeback_rate_debug", family: "writeback_change", type: .gauge,
                        help: "Last change of the writeback rate, in bytes per second."), true),
    ]

    static let totalAttributes: [Spec] = [
        Spec(file: "bypassed", family: "bypassed_bytes_total", type: .counter,
             help: "Bytes of I/O (reads and writes) that went around the cache."),
        Spec(file: "cache_hits", family: "cache_hits_total", type: .counter, help: "I/O requests served from the cache."),
        Spec(file: "cache_misses", family: "cache_misses_total", type: .counter, help: "I/O requests the cache missed."),
        Spec(file: "cache_bypass_hits", family: "cache_bypass_hits_total", type: .counter,
             help: "Hits among I/O requests meant to bypass the cache."),
        Spec(file: "cache_bypass_misses", family: "cache_bypass_misses_total", type: .counter,
             help: "Misses among I/O requests meant to bypass the cache."),
        Spec(file: "cache_miss_collisions", family: "cache_miss_collisions_total", type: .counter,
             help: "Cache-miss insertions that raced with a write of the same data."),
        Spec(file: "cache_readaheads", family: "cache_readaheads_total", type: .counter, help: "Readaheads performed."),
    ]

    static let cacheAttributes: [Spec] = [
        Spec(file: "io_errors", family: "io_errors", type: .gauge,
             help: "I/O errors of the cache device, decayed over io_error_halflife."),
        Spec(file: "metadata_written", family: "metadata_written_bytes_total", type: .counter,
             help: "Bytes of metadata (btree and other non-data writes) written to the cache device."),
        Spec(file: "written", family: "written_bytes_total", type: .counter, help: "Bytes of data written to the cache device."),
    ]

    static let priorityLines: [(key: String, spec: Spec)] = [
        ("Unused", Spec(file: "priority_stats", family: "priority_stats_unused_percent", type: .gauge,
                        help: "Share of the cache device holding no data, in percent.")),
        ("Metadata", Spec(file: "priority_stats", family: "priority_stats_metadata_percent", type: .gauge,
                          help: "Share of the cache device holding metadata, in percent.")),
    ]

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let root = context.paths.sys("fs/bcache")
        guard let entries = try SysfsHardware.listClass(root) else { return [] }
        var output = Output()
        for uuid in entries where uuid.contains("-") {
            let setDir = root + "/" + uuid
            guard let members = SysfsHardware.listDevice(setDir) else { continue }
            let setLabels = [Label("uuid", uuid)]
            for spec in Self.setAttributes {
                try output.read(spec, setDir + "/" + spec.file, setLabels, &context.reader)
            }
            for spec in Self.internalAttributes {
                try output.read(spec, setDir + "/internal/" + spec.file, setLabels, &context.reader)
            }
            for backing in SysfsHardware.numbered(members, prefix: "bdev") {
                let dir = setDir + "/" + backing
                let labels = setLabels + [Label("backing_device", backing)]
                for spec in Self.backingAttributes {
                    try output.read(spec, dir + "/" + spec.file, labels, &context.reader)
                }
                let debugPath = dir + "/writeback_rate_debug"
                if let debug = SysfsHardware.attribute(&context.reader, debugPath) {
                    let values = try Self.parseKeyed(debug, file: debugPath)
                    for line in Self.writebackLines {
                        guard let text = values[line.key] else { continue }
                        guard let value = Self.dehumanize(text, signed: line.signed) else {
                            throw SysfsHardware.malformed(debugPath, ArraySlice(text.utf8))
                        }
                        output.add(line.spec, value, labels)
                    }
                }
                for spec in Self.totalAttributes {
                    try output.read(spec, dir + "/stats_total/" + spec.file, labels, &context.reader)
                }
            }
            for cache in SysfsHardware.numbered(members, prefix: "cache") {
                let dir = setDir + "/" + cache
                let labels = setLabels + [Label("cache_device", cache)]
                for spec in Self.cacheAttributes {
                    try output.read(spec, dir + "/" + spec.file, labels, &context.reader)
                }
                guard priorityStats else { continue }
                let statsPath = dir + "/priority_stats"
                guard let stats = SysfsHardware.attribute(&context.reader, statsPath) else { continue }
                let values = try Self.parseKeyed(stats, file: statsPath)
                for line in Self.priorityLines {
                    guard let text = values[line.key] else { continue }
                    guard text.hasSuffix("%"), let percent = UInt64(text.dropLast()) else {
                        throw SysfsHardware.malformed(statsPath, ArraySlice(text.utf8))
                    }
                    output.add(line.spec, Double(percent), labels)
                }
            }
        }
        return output.families
    }

    /// `key: value` lines (`rate:\t\t1.1M/sec`, `next io:\t17ms`, `Unused:\t\t99%`): key -> the
    /// line's last field with a `/sec` suffix removed.
    static func parseKeyed(_ bytes: ArraySlice<UInt8>, file: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for line in bytes.lines() where !line.trimmingWhitespace().isEmpty {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
                throw CollectorError("\(file): expected \"key: value\", got \"\(line.prefix(80).string)\"")
            }
            guard let last = line[(colon + 1)...].fields().last else { continue }
            var value = last.string
            if value.hasSuffix("/sec") { value.removeLast(4) }
            result[line[..<colon].string] = value
        }
        return result
    }

    /// bcache's human-readable numbers, read as prometheus/procfs reads them: a plain decimal, or
    /// `<int>[.<digit>]<unit>` with a unit of k, M, G, T, P, E, Z or Y (powers of 1024) and a
    /// decimal digit worth 1/10.24 of the unit. The result is truncated to a whole number.
    static func dehumanize(_ text: String, signed: Bool = false) -> Double? {
        var body = Substring(text)
        var negative = false
        if signed, body.hasPrefix("-") {
            negative = true
            body = body.dropFirst()
        }
        guard let last = body.last else { return nil }
        let value: Double
        if last.isASCII, let ascii = last.asciiValue, ascii > UInt8(ascii: "9") {
            let units: [Character: Double] = [
                "k": 0x1p10, "M": 0x1p20, "G": 0x1p30, "T": 0x1p40, "P": 0x1p50, "E": 0x1p60, "Z": 0x1p70, "Y": 0x1p80,
            ]
            guard let multiplier = units[last] else { return nil }
            let number = body.dropLast()
            let parts = number.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            guard let whole = parts.first.flatMap({ plainNumber($0) }) else { return nil }
            var mantissa = whole
            if parts.count == 2 {
                guard parts[1].utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                      let fraction = plainNumber(parts[1]) else { return nil }
                mantissa += fraction / 10.24
            }
            value = mantissa * multiplier
        } else {
            guard let plain = plainNumber(body) else { return nil }
            value = plain
        }
        guard value.isFinite else { return nil }
        let truncated = value.rounded(.towardZero)
        return negative ? -truncated : truncated
    }

    private static func plainNumber(_ text: Substring) -> Double? {
        guard !text.isEmpty, text.utf8.allSatisfy({ ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: ".") }),
              let value = Double(text) else { return nil }
        return value
    }

    /// Families in first-use order.
    struct Output {
        private(set) var families: [MetricFamily] = []
        private var positions: [String: Int] = [:]

        mutating func add(_ spec: Spec, _ value: Double, _ labels: [Label]) {
            let name = "node_bcache_" + spec.family
            if positions[name] == nil {
                positions[name] = families.count
                families.append(MetricFamily(name: name, type: spec.type, help: spec.help))
            }
            families[positions[name]!].add(value * spec.scale, labels: labels)
        }

        /// One single-value attribute; absent when the file is missing or unreadable.
        mutating func read(_ spec: Spec, _ path: String, _ labels: [Label], _ reader: inout FileReader) throws {
            guard let bytes = SysfsHardware.attribute(&reader, path) else { return }
            guard let value = BcacheCollector.dehumanize(bytes.string) else { throw SysfsHardware.malformed(path, bytes) }
            add(spec, value, labels)
        }
    }
}
