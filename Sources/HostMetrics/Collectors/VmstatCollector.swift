import Exposition

/// `/proc/vmstat`: `node_vmstat_<field>` (untyped) for the fields the pattern selects.
public struct VmstatCollector: Collector {
    public let name = "vmstat"

    /// node_exporter's default for `--collector.vmstat.fields`.
    public static let defaultFields = "^(oom_kill|pgpg|pswp|pg.*fault).*"

    private let filter: NameFilter

    /// `fields` is a regular expression on the field names; throws when it does not compile.
    public init(fields: String = VmstatCollector.defaultFields) throws {
        filter = try NameFilter(include: fields)
    }

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        try Self.parse(context.reader.read(context.paths.proc("vmstat"))).compactMap { field in
            guard filter.accepts(field.name) else { return nil }
            return .single("node_vmstat_" + MetricNames.sanitize(field.name), .untyped,
                           help: "Kernel memory statistic \(field.name) from /proc/vmstat.", value: field.value)
        }
    }

    /// Every `name value` line of `/proc/vmstat` in file order. Blank lines are skipped; any
    /// other line that is not a name and an unsigned number throws.
    public static func parse(_ bytes: ArraySlice<UInt8>) throws -> [(name: String, value: Double)] {
        var result: [(name: String, value: Double)] = []
        result.reserveCapacity(200)
        for line in bytes.lines() {
            let fields = line.fields()
            if fields.isEmpty { continue }
            guard fields.count == 2, let number = fields[1].parseUInt64() else {
                throw CollectorError("malformed /proc/vmstat line: \(line.prefix(120).string)")
            }
            result.append((fields[0].string, Double(number)))
        }
        guard !result.isEmpty else { throw CollectorError("/proc/vmstat is empty") }
        return result
    }
}
