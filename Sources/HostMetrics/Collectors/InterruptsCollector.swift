import Exposition

/// `/proc/interrupts`: interrupts per CPU, as node_exporter 1.5's
/// `node_interrupts_total{cpu,type,info,devices}`.
///
/// The header names the CPUs (`CPU0 CPU1 ...`); each row is `NAME:` and one count per CPU, then
/// for numbered IRQs the controller (`info`) and the trigger and devices (`devices`:
/// `5-edge ACPI:Ged`), for named ones (`NMI`, `LOC`) a description (`info`). Rows with a single
/// total (`ERR`, `MIS`) or no description are skipped, as node_exporter skips them.
public struct InterruptsCollector: Collector {
    public let name = "interrupts"

    public init() {}

    public struct Row: Sendable, Equatable {
        public var type: String
        public var info: String
        public var devices: String
        public var counts: [Double]

        public init(type: String, info: String, devices: String, counts: [Double]) {
            self.type = type
            self.info = info
            self.devices = devices
            self.counts = counts
        }
    }

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let file = context.paths.proc("interrupts")
        guard let bytes = try context.reader.readIfPresent(file) else { return [] }
        return Self.families(try Self.parse(bytes, file: file))
    }

    /// Throws naming `file` when the header is missing or a per-CPU count is not a number.
    public static func parse(_ bytes: ArraySlice<UInt8>, file: String = "/proc/interrupts") throws -> [Row] {
        let lines = bytes.lines()
        guard let header = lines.first?.fields(), !header.isEmpty, header.allSatisfy({ $0.hasPrefix("CPU") }) else {
            throw CollectorError("\(file): no CPU header line")
        }
        let cpus = header.count
        var rows: [Row] = []
        var seen = Set<String>()
        for line in lines.dropFirst() {
            let fields = line.fields()
            // The name, a count per CPU and at least one word of description.
            guard fields.count >= cpus + 2, fields[0].count > 1, fields[0].last == UInt8(ascii: ":") else { continue }
            let type = fields[0].dropLast().string
            var counts: [Double] = []
            counts.reserveCapacity(cpus)
            for field in fields[1...cpus] {
                guard let value = field.parseUInt64() else {
                    throw CollectorError("\(file): \"\(field.prefix(40).string)\" is not a count in: \(line.prefix(200).string)")
                }
                counts.append(Double(value))
            }
            let rest = fields[(cpus + 1)...]
            var row: Row
            if StorageFiles.isNumber(type) {
                row = Row(type: type, info: rest.first.map(\.string) ?? "",
                          devices: rest.dropFirst().map(\.string).joined(separator: " "), counts: counts)
            } else {
                row = Row(type: type, info: rest.map(\.string).joined(separator: " "), devices: "", counts: counts)
            }
            // A name listed twice keeps its last row, as in node_exporter.
            if !seen.insert(type).inserted {
                rows.removeAll { $0.type == type }
            }
            rows.append(row)
        }
        return rows
    }

    static func families(_ rows: [Row]) -> [MetricFamily] {
        guard !rows.isEmpty else { return [] }
        var family = MetricFamily(name: "node_interrupts_total", type: .counter,
                                  help: "Interrupts handled by each CPU, by IRQ number or interrupt name.")
        for row in rows {
            for (cpu, count) in row.counts.enumerated() {
                family.add(count, ["cpu": String(cpu), "devices": row.devices, "info": row.info, "type": row.type])
            }
        }
        return [family]
    }
}
