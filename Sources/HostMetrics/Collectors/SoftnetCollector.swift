import Exposition

/// `/proc/net/softnet_stat`: one line of hexadecimal counters per CPU;
/// `node_softnet_processed_total`, `node_softnet_dropped_total` and
/// `node_softnet_times_squeezed_total`, labelled `cpu` with the line's position (0, 1, ...), as
/// node_exporter 1.5 does.
///
/// No file (a kernel without networking) means no families.
public struct SoftnetCollector: Collector {
    public let name = "softnet"

    /// The counters of one line: the file's first three columns.
    public struct Line: Sendable, Equatable {
        public var processed: UInt64
        public var dropped: UInt64
        public var timesSqueezed: UInt64

        public init(processed: UInt64, dropped: UInt64, timesSqueezed: UInt64) {
            self.processed = processed
            self.dropped = dropped
            self.timesSqueezed = timesSqueezed
        }
    }

    /// Kernels since 2.6.23 write at least nine columns.
    static let minimumColumns = 9

    public init() {}

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let path = context.paths.proc("net/softnet_stat")
        guard let bytes = try context.reader.readIfPresent(path) else { return [] }
        let lines = try Self.parse(bytes, file: path)
        var processed = MetricFamily(name: "node_softnet_processed_total", type: .counter,
                                     help: "Packets this CPU took from its network backlog, from /proc/net/softnet_stat.")
        var dropped = MetricFamily(name: "node_softnet_dropped_total", type: .counter,
                                   help: "Packets this CPU dropped because its backlog queue was full, from /proc/net/softnet_stat.")
        var squeezed = MetricFamily(name: "node_softnet_times_squeezed_total", type: .counter,
                                    help: "Times this CPU's packet processing stopped with work left (budget or time used up), from /proc/net/softnet_stat.")
        for (index, line) in lines.enumerated() {
            let labels = [Label("cpu", String(index))]
            processed.add(Double(line.processed), labels: labels)
            dropped.add(Double(line.dropped), labels: labels)
            squeezed.add(Double(line.timesSqueezed), labels: labels)
        }
        return [processed, dropped, squeezed]
    }

    /// One `Line` per non-blank line. A line with fewer than nine columns or a first three that
    /// are not hexadecimal throws, naming the file.
    public static func parse(_ bytes: ArraySlice<UInt8>, file: String = "/proc/net/softnet_stat") throws -> [Line] {
        var result: [Line] = []
        for line in bytes.lines() {
            let columns = line.fields()
            if columns.isEmpty { continue }
            guard columns.count >= minimumColumns else {
                throw CollectorError("\(file): \(columns.count) columns, expected at least \(minimumColumns): \(line.prefix(160).string)")
            }
            guard let processed = ProcNet.hex(columns[0]), let dropped = ProcNet.hex(columns[1]),
                  let squeezed = ProcNet.hex(columns[2])
            else {
                throw CollectorError("\(file): not hexadecimal counters: \(line.prefix(160).string)")
            }
            result.append(Line(processed: processed, dropped: dropped, timesSqueezed: squeezed))
        }
        return result
    }
}
