import Exposition

/// `/sys/class/scsi_tape/st*/stats/`: SCSI tape drive I/O statistics, `node_tape_*{device}` as in
/// node_exporter 1.5. Only the plain `st<n>` nodes are read: `nst<n>` and the mode variants
/// (`st0a`, `st0l`, `st0m`) are other names of the same drive with the same counters.
public struct TapestatsCollector: Collector {
    public let name = "tapestats"

    /// node_exporter's default for `--collector.tapestats.ignored-devices`: nothing ignored.
    public static let defaultIgnoredDevices = "^$"

    private let ignored: NameFilter

    public init(ignoredDevices: String = TapestatsCollector.defaultIgnoredDevices) throws {
        ignored = try NameFilter(exclude: ignoredDevices)
    }

    /// Statistics file -> family, type, help and whether the value is nanoseconds (to seconds).
    static let statistics: [(file: String, family: String, type: MetricType, help: String, nanoseconds: Bool)] = [
        ("in_flight", "node_tape_io_now", .gauge, "I/O requests outstanding on the tape drive now.", false),
        ("io_ns", "node_tape_io_time_seconds_total", .counter,
         "Time spent on all tape I/O (reads, writes, and movement such as seeks and rewinds), in seconds.", true),
        ("other_cnt", "node_tape_io_others_total", .counter,
         "Tape commands other than reads and writes (their time is io_time minus read_time minus write_time).", false),
        ("read_byte_cnt", "node_tape_read_bytes_total", .counter, "Bytes read from the tape drive.", false),
        ("read_cnt", "node_tape_reads_completed_total", .counter, "Read requests issued to the tape drive.", false),
        ("read_ns", "node_tape_read_time_seconds_total", .counter, "Time spent waiting for tape reads, in seconds.", true),
        ("resid_cnt", "node_tape_residual_total", .counter,
         "Reads or writes that ended with a non-zero residual count (read larger than the block, or a short write).", false),
        ("write_byte_cnt", "node_tape_written_bytes_total", .counter, "Bytes written to the tape drive.", false),
        ("write_cnt", "node_tape_writes_completed_total", .counter, "Write requests issued to the tape drive.", false),
        ("write_ns", "node_tape_write_time_seconds_total", .counter, "Time spent waiting for tape writes, in seconds.", true),
    ]

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let classDir = context.paths.sys("class/scsi_tape")
        guard let entries = try SysfsHardware.listClass(classDir) else { return [] }
        var families = Self.statistics.map { MetricFamily(name: $0.family, type: $0.type, help: $0.help) }
        for device in entries where Self.isTape(device) && ignored.accepts(device) {
            let dir = classDir + "/" + device + "/stats"
            guard FileReader.exists(dir) else { continue }
            let labels = [Label("device", device)]
            for (index, statistic) in Self.statistics.enumerated() {
                guard let value = try SysfsHardware.unsigned(&context.reader, dir + "/" + statistic.file) else { continue }
                families[index].add(statistic.nanoseconds ? Double(value) * 0.000000001 : Double(value), labels: labels)
            }
        }
        return families.filter { !$0.samples.isEmpty }
    }

    /// `st` followed by digits only.
    static func isTape(_ name: String) -> Bool {
        let bytes = name.utf8
        guard bytes.count > 2, name.hasPrefix("st") else { return false }
        return bytes.dropFirst(2).allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
