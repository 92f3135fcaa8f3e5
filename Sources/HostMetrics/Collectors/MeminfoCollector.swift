import Exposition
import Synchronization

/// `/proc/meminfo`: one gauge per field, `node_memory_<Field>_bytes` for fields in kB and
/// `node_memory_<Field>` for plain counts (`HugePages_Total`).
public final class MeminfoCollector: Collector {
    public let name = "meminfo"
    /// Family name and help text per field: the same ~55 fields come back on every scrape.
    private let texts = Mutex<[String: (name: String, help: String)]>([:])

    public init() {}

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let fields = try Self.parse(context.reader.read(context.paths.proc("meminfo")))
        return texts.withLock { texts in
            if texts.count > 512 { texts.removeAll() }
            return fields.map { field in
                let text = texts[field.name] ?? {
                    let made = (name: "node_memory_" + field.name,
                                help: field.isBytes ? "Memory statistic \(field.key) from /proc/meminfo, in bytes."
                                                    : "Memory statistic \(field.key) from /proc/meminfo.")
                    texts[field.name] = made
                    return made
                }()
                return .single(text.name, .gauge, help: text.help, value: field.value)
            }
        }
    }

    /// One line of /proc/meminfo.
    public struct Field: Sendable, Equatable {
        /// The key as the kernel prints it, without the colon: `Active(anon)`.
        public var key: String
        /// The metric name after `node_memory_`: `Active_anon_bytes`, `HugePages_Total`.
        public var name: String
        /// Bytes for kB fields, the plain number otherwise.
        public var value: Double
        /// Whether the line had a unit (kB).
        public var isBytes: Bool

        public init(key: String, name: String, value: Double, isBytes: Bool) {
            self.key = key
            self.name = name
            self.value = value
            self.isBytes = isBytes
        }
    }

    /// The fields of `/proc/meminfo` in file order. Blank lines are skipped; a line that is not
    /// `Key: number [kB]`, or a key that appears twice, throws.
    public static func parse(_ bytes: ArraySlice<UInt8>) throws -> [Field] {
        var result: [Field] = []
        result.reserveCapacity(64)
        var seen = Set<String>()
        for line in bytes.lines() {
            let fields = line.fields()
            if fields.isEmpty { continue }
            guard fields.count == 2 || fields.count == 3, fields[0].count > 1,
                  fields[0].last == UInt8(ascii: ":"), let number = fields[1].parseUInt64()
            else {
                throw CollectorError("malformed /proc/meminfo line: \(line.prefix(120).string)")
            }
            let isBytes = fields.count == 3
            if isBytes && !fields[2].equals("kB") {
                throw CollectorError("unknown unit in /proc/meminfo line: \(line.prefix(120).string)")
            }
            let key = fields[0].dropLast()
            let name = metricName(key) + (isBytes ? "_bytes" : "")
            guard seen.insert(name).inserted else {
                throw CollectorError("/proc/meminfo lists \(key.string) twice")
            }
            result.append(Field(key: key.string, name: name, value: isBytes ? Double(number) * 1024 : Double(number),
                                isBytes: isBytes))
        }
        guard !result.isEmpty else { throw CollectorError("/proc/meminfo is empty") }
        return result
    }

    /// node_exporter's naming: a parenthesised part becomes `_part` (`Active(anon)` ->
    /// `Active_anon`); any other byte that may not stand in a metric name becomes `_`.
    static func metricName(_ key: ArraySlice<UInt8>) -> String {
        var name = key
        if let open = key.firstIndex(of: UInt8(ascii: "(")),
           let close = key.lastIndex(of: UInt8(ascii: ")")), close > open {
            name = key[..<open] + [UInt8(ascii: "_")] + key[(open + 1)..<close] + key[(close + 1)...]
        }
        return MetricNames.sanitize(name.string)
    }
}
