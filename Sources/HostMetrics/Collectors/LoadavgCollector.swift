import Exposition

/// `/proc/loadavg`: node_load1, node_load5, node_load15.
public struct LoadavgCollector: Collector {
    public let name = "loadavg"

    public init() {}

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let loads = try Self.parse(context.reader.read(context.paths.proc("loadavg")))
        return [
            .single("node_load1", .gauge, help: "1m load average.", value: loads.0),
            .single("node_load5", .gauge, help: "5m load average.", value: loads.1),
            .single("node_load15", .gauge, help: "15m load average.", value: loads.2),
        ]
    }

    /// The first three fields of `/proc/loadavg`.
    public static func parse(_ bytes: ArraySlice<UInt8>) throws -> (Double, Double, Double) {
        let fields = bytes.fields()
        guard fields.count >= 3, let one = fields[0].parseDouble(), let five = fields[1].parseDouble(),
              let fifteen = fields[2].parseDouble()
        else {
            throw CollectorError("unexpected /proc/loadavg content: \(bytes.prefix(64).string)")
        }
        return (one, five, fifteen)
    }
}
