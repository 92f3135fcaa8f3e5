import Exposition

/// `/proc/net/dev`: per-interface receive and transmit counters, `node_network_*_total{device}`,
/// plus `node_network_receive_nohandler_total` from sysfs (node_exporter gets it over netlink;
/// the kernel exposes the same counter as `/sys/class/net/<device>/statistics/rx_nohandler`).
public struct NetdevCollector: Collector {
    public let name = "netdev"
    private let filter: NameFilter

    /// `--collector.netdev.device-include` / `--collector.netdev.device-exclude`, mutually exclusive.
    public init(deviceInclude: String? = nil, deviceExclude: String? = nil) throws {
        if let deviceInclude, !deviceInclude.isEmpty, let deviceExclude, !deviceExclude.isEmpty {
            throw CollectorError("netdev: device-include and device-exclude are mutually exclusive")
        }
        filter = try NameFilter(include: deviceInclude, exclude: deviceExclude)
    }

    /// One interface's line: its name and the 16 counters in the file's column order.
    public struct Line: Sendable, Equatable {
        public var device: String
        public var counters: [UInt64]

        public init(device: String, counters: [UInt64]) {
            self.device = device
            self.counters = counters
        }
    }

    /// The families, in the file's column order (receive then transmit).
    static let columns: [(name: String, help: String)] = [
        ("node_network_receive_bytes_total", "Bytes received on the interface."),
        ("node_network_receive_packets_total", "Packets received on the interface."),
        ("node_network_receive_errs_total", "Receive errors the driver counted on the interface."),
        ("node_network_receive_drop_total", "Received packets dropped on the interface."),
        ("node_network_receive_fifo_total", "Receive FIFO (buffer overrun) errors on the interface."),
        ("node_network_receive_frame_total", "Receive framing errors on the interface."),
        ("node_network_receive_compressed_total", "Compressed packets received on the interface."),
        ("node_network_receive_multicast_total", "Multicast frames received on the interface."),
        ("node_network_transmit_bytes_total", "Bytes transmitted on the interface."),
        ("node_network_transmit_packets_total", "Packets transmitted on the interface."),
        ("node_network_transmit_errs_total", "Transmit errors the driver counted on the interface."),
        ("node_network_transmit_drop_total", "Packets dropped on the interface while transmitting."),
        ("node_network_transmit_fifo_total", "Transmit FIFO errors on the interface."),
        ("node_network_transmit_colls_total", "Collisions detected while transmitting on the interface."),
        ("node_network_transmit_carrier_total", "Carrier losses while transmitting on the interface."),
        ("node_network_transmit_compressed_total", "Compressed packets transmitted on the interface."),
    ]

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let file = context.paths.proc("net/dev")
        let lines = try Self.parse(context.reader.read(file), file: file).filter { filter.accepts($0.device) }
        var families = Self.families(lines)
        var noHandler = MetricFamily(name: "node_network_receive_nohandler_total", type: .counter,
                                     help: "Packets received on the interface that no protocol handler took.")
        for line in lines {
            // Interfaces without the attribute (or a sysfs without the device) are left out.
            let path = context.paths.sys("class/net/\(line.device)/statistics/rx_nohandler")
            if let value = try? context.reader.read(path).trimmingWhitespace().parseUInt64() {
                noHandler.add(Double(value), labels: [Label("device", line.device)])
            }
        }
        families.append(noHandler)
        return families
    }

    /// Parses the file. The first two lines are the header; a blank line is skipped. The name
    /// ends at the last `:` of the line (counters never contain one), so names that contain a
    /// colon and long names written flush against it (`enp0s31f6:123`, older kernels) both work.
    public static func parse(_ bytes: ArraySlice<UInt8>, file: String = "/proc/net/dev") throws -> [Line] {
        var result: [Line] = []
        for (number, line) in bytes.lines().enumerated() where number >= 2 {
            if line.trimmingWhitespace().isEmpty { continue }
            guard let colon = line.lastIndex(of: UInt8(ascii: ":")) else {
                throw CollectorError("\(file): no ':' after the interface name: \(line.prefix(200).string)")
            }
            let device = line[..<colon].trimmingWhitespace()
            guard !device.isEmpty else {
                throw CollectorError("\(file): empty interface name: \(line.prefix(200).string)")
            }
            let fields = line[(colon + 1)...].fields()
            guard fields.count >= columns.count else {
                throw CollectorError("\(file): expected \(columns.count) counters for \(device.string), got \(fields.count)")
            }
            var counters: [UInt64] = []
            counters.reserveCapacity(columns.count)
            for field in fields.prefix(columns.count) {
                guard let value = field.parseUInt64() else {
                    throw CollectorError("\(file): not a number \"\(field.prefix(40).string)\" for \(device.string)")
                }
                counters.append(value)
            }
            result.append(Line(device: device.string, counters: counters))
        }
        return result
    }

    /// The 16 counter families in a fixed order, one series per interface.
    public static func families(_ lines: [Line]) -> [MetricFamily] {
        var families = columns.map { MetricFamily(name: $0.name, type: .counter, help: $0.help) }
        for line in lines {
            let labels = [Label("device", line.device)]
            for (index, value) in line.counters.prefix(columns.count).enumerated() {
                families[index].add(Double(value), labels: labels)
            }
        }
        return families
    }
}
