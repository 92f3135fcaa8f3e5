import Exposition

/// `/sys/devices/system/node/node<N>/meminfo` and `numastat`: memory per NUMA node, as
/// node_exporter 1.5's `node_memory_numa_<Field>{node}` gauges (bytes for kB fields; the names
/// carry no `_bytes` suffix there) and `node_memory_numa_<stat>_total{node}` counters.
///
/// `meminfo` lines are `Node 0 MemTotal:  6121248 kB` (or without a unit for page counts such
/// as `HugePages_Total`); `numastat` lines are `numa_hit 27308013`. No node directories (a
/// kernel without NUMA support) means no families.
public struct MeminfoNumaCollector: Collector {
    public let name = "meminfo_numa"

    public init() {}

    /// One value of one node.
    public struct Value: Sendable, Equatable {
        /// The name after `node_memory_numa_`: `MemTotal`, `Active_anon`, `numa_hit_total`.
        public var name: String
        public var node: String
        public var value: Double
        public var isCounter: Bool

        public init(name: String, node: String, value: Double, isCounter: Bool) {
            self.name = name
            self.node = node
            self.value = value
            self.isCounter = isCounter
        }
    }

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let root = context.paths.sys("devices/system/node")
        guard let entries = try FileReader.listDirectoryIfPresent(root) else { return [] }
        let nodes = entries.filter { $0.hasPrefix("node") && StorageFiles.isNumber($0.dropFirst(4)) }
            .sorted { Int($0.dropFirst(4)) ?? 0 < Int($1.dropFirst(4)) ?? 0 }
        var values: [Value] = []
        for node in nodes {
            let directory = root + "/" + node
            let meminfoFile = directory + "/meminfo"
            // A node taken offline since the listing has no files left: skip it.
            guard let meminfo = try context.reader.readIfPresent(meminfoFile) else { continue }
            values += try Self.parseMeminfo(meminfo, file: meminfoFile)
            let numastatFile = directory + "/numastat"
            guard let numastat = try context.reader.readIfPresent(numastatFile) else { continue }
            values += try Self.parseNumastat(numastat, node: String(node.dropFirst(4)), file: numastatFile)
        }
        return Self.families(values)
    }

    /// A node's meminfo. The node label comes from each line (`Node 0 ...`). A line that is not
    /// `Node N Key: number [kB]` throws naming `file`.
    public static func parseMeminfo(_ bytes: ArraySlice<UInt8>, file: String) throws -> [Value] {
        var values: [Value] = []
        for line in bytes.lines() {
            let fields = line.fields()
            if fields.isEmpty { continue }
            guard fields.count == 4 || fields.count == 5, fields[0].equals("Node"), StorageFiles.isNumber(fields[1].string),
                  fields[2].count > 1, fields[2].last == UInt8(ascii: ":"), let number = fields[3].parseDouble(),
                  fields.count == 4 || fields[4].equals("kB")
            else {
                throw CollectorError("\(file): malformed line: \(line.prefix(160).string)")
            }
            values.append(Value(name: MeminfoCollector.metricName(fields[2].dropLast()), node: fields[1].string,
                                value: fields.count == 5 ? number * 1024 : number, isCounter: false))
        }
        return values
    }

    /// A node's numastat: `name count` lines, exported as `<name>_total` counters.
    public static func parseNumastat(_ bytes: ArraySlice<UInt8>, node: String, file: String) throws -> [Value] {
        var values: [Value] = []
        for line in bytes.lines() {
            let fields = line.fields()
            if fields.isEmpty { continue }
            guard fields.count == 2, let number = fields[1].parseDouble() else {
                throw CollectorError("\(file): malformed line: \(line.prefix(160).string)")
            }
            values.append(Value(name: MetricNames.sanitize(fields[0].string) + "_total", node: node, value: number,
                                isCounter: true))
        }
        return values
    }

    static func families(_ values: [Value]) -> [MetricFamily] {
        var families: [MetricFamily] = []
        var index: [String: Int] = [:]
        for value in values {
            let name = "node_memory_numa_" + value.name
            let position: Int
            if let existing = index[name] {
                position = existing
            } else {
                position = families.count
                index[name] = position
                let help = value.isCounter
                    ? "NUMA statistic \(value.name.dropLast(6)) of the node from numastat."
                    : "Memory statistic \(value.name) of the NUMA node from its meminfo (bytes for kB fields)."
                families.append(MetricFamily(name: name, type: value.isCounter ? .counter : .gauge, help: help))
            }
            families[position].add(value.value, ["node": value.node])
        }
        return families
    }
}
