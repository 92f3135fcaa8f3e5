import Exposition

/// `/proc/spl/kstat/zfs/`: ZFS on Linux kstats, as node_exporter 1.5's `node_zfs_*` families.
///
/// Named kstats (`arcstats`, `abdstats`, `dnodestats`, `dbuf_stats`, `dmu_tx`, `fm`,
/// `vdev_cache_stats`, `vdev_mirror_stats`, `xuio_stats`, `zfetchstats`, `zil`) have a header
/// line, a `name type data` line and one `name type value` line per statistic; every unsigned
/// 64-bit one (type 4) becomes an untyped `node_<subsystem>_<name>` (`node_zfs_arc_hits`).
/// Each pool directory adds `io` (a header row and a value row: `node_zfs_zpool_<field>{zpool}`),
/// `objset-*` kstats (`node_zfs_zpool_dataset_<name>{zpool,dataset}`) and `state`
/// (`node_zfs_zpool_state{zpool,state}`, 1 for the pool's state). No `/proc/spl/kstat/zfs`
/// (no ZFS module loaded) means no families; a kstat this ZFS version lacks is skipped.
public struct ZfsCollector: Collector {
    public let name = "zfs"

    public init() {}

    /// Subsystem (metric name part) and kstat file, as node_exporter 1.5 maps them.
    static let kstats: [(subsystem: String, file: String)] = [
        ("zfs_abd", "abdstats"), ("zfs_arc", "arcstats"), ("zfs_dbuf", "dbuf_stats"), ("zfs_dmu_tx", "dmu_tx"),
        ("zfs_dnode", "dnodestats"), ("zfs_fm", "fm"), ("zfs_vdev_cache", "vdev_cache_stats"),
        ("zfs_vdev_mirror", "vdev_mirror_stats"), ("zfs_xuio", "xuio_stats"), ("zfs_zfetch", "zfetchstats"),
        ("zfs_zil", "zil"),
    ]

    /// The pool states node_exporter 1.5 reports, one series each.
    static let poolStates = ["online", "degraded", "faulted", "offline", "removed", "unavail"]

    /// One `name type data` statistic.
    public struct Statistic: Sendable, Equatable {
        public var name: String
        public var type: Int
        /// The value's text (numbers for numeric types, a dataset name for type 7).
        public var data: String

        public init(name: String, type: Int, data: String) {
            self.name = name
            self.type = type
            self.data = data
        }
    }

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let root = context.paths.proc("spl/kstat/zfs")
        guard let entries = try FileReader.listDirectoryIfPresent(root) else { return [] }
        var builder = FamilyBuilder()

        for kstat in Self.kstats {
            guard let (file, statistics) = try Self.readNamedKstat(root, kstat.file, &context.reader) else { continue }
            for statistic in statistics where statistic.type == 4 {
                let name = "node_" + kstat.subsystem + "_" + Self.metricName(statistic.name)
                builder.add(name, .untyped, help: "ZFS kstat \(file.split(separator: "/").last ?? "") \(statistic.name).",
                            value: try Self.value(statistic, file: file), labels: [])
            }
        }

        for pool in entries where FileReader.isDirectory(root + "/" + pool) {
            let directory = root + "/" + pool
            if let bytes = try context.reader.readIfPresent(directory + "/io") {
                for (field, value) in try Self.parsePoolIO(bytes, file: directory + "/io") {
                    builder.add("node_zfs_zpool_" + Self.metricName(field), .untyped,
                                help: "ZFS pool I/O kstat \(field).", value: Double(value), labels: [Label("zpool", pool)])
                }
            }
            let files = try FileReader.listDirectoryIfPresent(directory) ?? []
            for objset in files where objset.hasPrefix("objset-") {
                let file = directory + "/" + objset
                guard let bytes = try context.reader.readIfPresent(file) else { continue }
                guard let statistics = try Self.parseNamedKstat(bytes, file: file) else {
                    throw CollectorError("\(file): no \"name type data\" header")
                }
                let dataset = statistics.first { $0.name == "dataset_name" }?.data ?? ""
                for statistic in statistics where statistic.type == 4 {
                    builder.add("node_zfs_zpool_dataset_" + Self.metricName(statistic.name), .untyped,
                                help: "ZFS dataset kstat \(statistic.name).", value: try Self.value(statistic, file: file),
                                labels: [Label("zpool", pool), Label("dataset", dataset)])
                }
            }
            if let bytes = try context.reader.readIfPresent(directory + "/state") {
                let state = (bytes.lines().first ?? ArraySlice<UInt8>()).trimmingWhitespace().string.lowercased()
                for name in Self.poolStates {
                    builder.add("node_zfs_zpool_state", .gauge,
                                help: "1 for the state the ZFS pool is in (online, degraded, faulted, offline, removed, unavail), 0 for the others.",
                                value: state == name ? 1 : 0, labels: [Label("state", name), Label("zpool", pool)])
                }
            }
        }
        return builder.families
    }

    /// The path and statistics of the kstat `name`, or nil when this ZFS version does not have it.
    /// OpenZFS 0.8+ prints the dbuf cache table in `dbuf_stats` (node_exporter 1.5's file) and
    /// the statistics in `dbufstats`: the first of the two that is a named kstat is used.
    private static func readNamedKstat(_ root: String, _ name: String, _ reader: inout FileReader) throws
        -> (String, [Statistic])? {
        let candidates = name == "dbuf_stats" ? ["dbuf_stats", "dbufstats"] : [name]
        for candidate in candidates {
            let file = root + "/" + candidate
            guard let bytes = try reader.readIfPresent(file) else { continue }
            if let statistics = try parseNamedKstat(bytes, file: file) { return (file, statistics) }
            if candidate != "dbuf_stats" { throw CollectorError("\(file): no \"name type data\" header") }
        }
        return nil
    }

    /// The statistics of a named kstat, or nil when the file has no `name type data` line (not
    /// a named kstat). A statistic line with fewer than three fields or a non-numeric type throws.
    public static func parseNamedKstat(_ bytes: ArraySlice<UInt8>, file: String) throws -> [Statistic]? {
        var statistics: [Statistic] = []
        var inBody = false
        for line in bytes.lines() {
            let fields = line.fields()
            if !inBody {
                if fields.count == 3 && fields[0].equals("name") && fields[1].equals("type") && fields[2].equals("data") {
                    inBody = true
                }
                continue
            }
            if fields.isEmpty { continue }
            guard fields.count >= 3, let type = fields[1].parseUInt64() else {
                throw CollectorError("\(file): malformed statistic line: \(line.prefix(160).string)")
            }
            // Only strings (type 7, dataset names) may contain spaces.
            let start = fields[2].startIndex
            let data = line[start...].trimmingWhitespace().string
            statistics.append(Statistic(name: fields[0].string, type: Int(truncatingIfNeeded: type), data: data))
        }
        return inBody ? statistics : nil
    }

    /// A pool's `io` kstat: a header row of field names (`nread nwritten reads ...`, at least 12)
    /// and a row of values under it. Throws when a value is missing or not a number.
    public static func parsePoolIO(_ bytes: ArraySlice<UInt8>, file: String) throws -> [(String, UInt64)] {
        var header: [ArraySlice<UInt8>]?
        var result: [(String, UInt64)] = []
        for line in bytes.lines() {
            let fields = line.fields()
            guard let names = header else {
                if fields.count >= 12 && fields[0].equals("nread") { header = fields }
                continue
            }
            if fields.isEmpty { continue }
            guard fields.count >= names.count else {
                throw CollectorError("\(file): \(names.count) fields named, \(fields.count) values given")
            }
            for (name, field) in zip(names, fields) {
                guard let value = field.parseUInt64() else {
                    throw CollectorError("\(file): \"\(field.prefix(40).string)\" is not a number for \(name.string)")
                }
                result.append((name.string, value))
            }
        }
        return result
    }

    static func value(_ statistic: Statistic, file: String) throws -> Double {
        guard let value = ArraySlice(statistic.data.utf8).parseUInt64() else {
            throw CollectorError("\(file): \(statistic.name) is not an unsigned 64-bit number: \"\(statistic.data.prefix(40))\"")
        }
        return Double(value)
    }

    /// node_exporter's naming: `-` becomes `_` (`erpt-dropped`); anything else a metric name
    /// may not hold becomes `_` too.
    static func metricName(_ name: String) -> String {
        MetricNames.sanitize(name)
    }

    /// Families by name in order of first appearance.
    private struct FamilyBuilder {
        private(set) var families: [MetricFamily] = []
        private var index: [String: Int] = [:]

        mutating func add(_ name: String, _ type: MetricType, help: String, value: Double, labels: [Label]) {
            if let position = index[name] {
                families[position].add(value, labels: labels)
            } else {
                index[name] = families.count
                var family = MetricFamily(name: name, type: type, help: help)
                family.add(value, labels: labels)
                families.append(family)
            }
        }
    }
}
