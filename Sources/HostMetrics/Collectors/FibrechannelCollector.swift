import Exposition

/// `/sys/class/fc_host/<host>/`: each Fibre Channel host bus adapter port's identity and state in
/// the labels of `node_fibrechannel_info{fc_host,...}`, and its link statistics as
/// `node_fibrechannel_*_total{fc_host}`.
///
/// No FC adapter: no families. A statistic the adapter's firmware does not implement reads as
/// all ones (0xffffffffffffffff) and is left out, as is one the driver does not provide.
public struct FibrechannelCollector: Collector {
    public let name = "fibrechannel"

    public init() {}

    /// The text attributes in `node_fibrechannel_info`'s labels; `stripsPrefix` drops the `0x` of
    /// the identifiers the kernel writes in hexadecimal (`0x000002` → `000002`).
    static let infoAttributes: [(file: String, stripsPrefix: Bool)] = [
        ("dev_loss_tmo", false), ("fabric_name", true), ("port_id", true), ("port_name", true),
        ("port_state", false), ("port_type", false), ("speed", false), ("supported_classes", false),
        ("supported_speeds", false), ("symbolic_name", false),
    ]

    static let statistics: [(file: String, metric: String, help: String)] = [
        ("dumped_frames", "node_fibrechannel_dumped_frames_total", "Frames the port dumped."),
        ("error_frames", "node_fibrechannel_error_frames_total", "Frames received with errors."),
        ("invalid_crc_count", "node_fibrechannel_invalid_crc_total", "Frames received with an invalid CRC."),
        ("rx_frames", "node_fibrechannel_rx_frames_total", "Frames received by the port."),
        ("rx_words", "node_fibrechannel_rx_words_total", "Words received by the port."),
        ("tx_frames", "node_fibrechannel_tx_frames_total", "Frames sent by the port."),
        ("tx_words", "node_fibrechannel_tx_words_total", "Words sent by the port."),
        ("seconds_since_last_reset", "node_fibrechannel_seconds_since_last_reset_total", "Seconds since the port's statistics were last reset."),
        ("invalid_tx_word_count", "node_fibrechannel_invalid_tx_words_total", "Invalid transmission words received by the port."),
        ("link_failure_count", "node_fibrechannel_link_failure_total", "Times the port's link failed."),
        ("loss_of_sync_count", "node_fibrechannel_loss_of_sync_total", "Times the port lost bit or word synchronisation."),
        ("loss_of_signal_count", "node_fibrechannel_loss_of_signal_total", "Times the port lost its signal."),
        ("nos_count", "node_fibrechannel_nos_total", "Not-Operational primitive sequences the port received."),
        ("fcp_packet_aborts", "node_fibrechannel_fcp_packet_aborts_total", "FCP exchanges the port aborted."),
    ]

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let classDirectory = context.paths.sys("class/fc_host")
        guard let hosts = try NetSysfs.list(classDirectory) else { return [] }

        var info = MetricFamily(name: "node_fibrechannel_info", type: .gauge,
                                help: "The FC host port's speed, state, type, identifiers, name and capabilities in labels; always 1.")
        var counters = Self.statistics.map { MetricFamily(name: $0.metric, type: .counter, help: $0.help) }

        for host in hosts {
            let directory = classDirectory + "/" + host
            // Removed since the listing.
            guard FileReader.isDirectory(directory) else { continue }
            var labels = [Label("fc_host", host)]
            for attribute in Self.infoAttributes {
                var value = try NetSysfs.string(&context.reader, directory + "/" + attribute.file) ?? ""
                if attribute.stripsPrefix && value.utf8.count > 2 { value = String(value.dropFirst(2)) }
                labels.append(Label(attribute.file, value))
            }
            info.add(1, labels: labels)

            for (index, statistic) in Self.statistics.enumerated() {
                let path = directory + "/statistics/" + statistic.file
                guard let bytes = try NetSysfs.read(&context.reader, path) else { continue }
                guard let value = NetSysfs.parseUnsigned(bytes) else {
                    throw CollectorError("\(path): expected a counter, got \"\(bytes.prefix(64).string)\"")
                }
                if value == UInt64.max { continue }
                counters[index].add(Double(value), labels: [Label("fc_host", host)])
            }
        }
        return [info] + counters
    }
}
