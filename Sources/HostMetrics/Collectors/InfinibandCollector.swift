import Exposition

/// `/sys/class/infiniband/<device>/`: each InfiniBand (or RoCE/iWARP) adapter's identity and, per
/// port, its state, signalling rate and the port counters, `node_infiniband_*{device,port}`.
///
/// No such adapter: no families. Counters a driver does not implement (absent, or `N/A (no PMA)`)
/// are left out; the data counters count 32-bit words per lane, so they are multiplied by 4 to
/// give bytes, as node_exporter does.
public struct InfinibandCollector: Collector {
    public let name = "infiniband"

    public init() {}

    /// One counter file: where it is, the family it feeds, and its multiplier.
    struct Counter: Sendable {
        let directory: String
        let file: String
        let metric: String
        let help: String
        let scale: UInt64
    }

    static let counters: [Counter] = [
        Counter(directory: "counters_ext", file: "port_multicast_rcv_packets", metric: "node_infiniband_legacy_multicast_packets_received_total",
                help: "Multicast packets received on the port (extended legacy counter).", scale: 1),
        Counter(directory: "counters_ext", file: "port_multicast_xmit_packets", metric: "node_infiniband_legacy_multicast_packets_transmitted_total",
                help: "Multicast packets sent from the port (extended legacy counter).", scale: 1),
        Counter(directory: "counters_ext", file: "port_rcv_data_64", metric: "node_infiniband_legacy_data_received_bytes_total",
                help: "Data bytes received on the port (extended legacy counter).", scale: 4),
        Counter(directory: "counters_ext", file: "port_rcv_packets_64", metric: "node_infiniband_legacy_packets_received_total",
                help: "Packets received on the port (extended legacy counter).", scale: 1),
        Counter(directory: "counters_ext", file: "port_unicast_rcv_packets", metric: "node_infiniband_legacy_unicast_packets_received_total",
                help: "Unicast packets received on the port (extended legacy counter).", scale: 1),
        Counter(directory: "counters_ext", file: "port_unicast_xmit_packets", metric: "node_infiniband_legacy_unicast_packets_transmitted_total",
                help: "Unicast packets sent from the port (extended legacy counter).", scale: 1),
        Counter(directory: "counters_ext", file: "port_xmit_data_64", metric: "node_infiniband_legacy_data_transmitted_bytes_total",
                help: "Data bytes sent from the port (extended legacy counter).", scale: 4),
        Counter(directory: "counters_ext", file: "port_xmit_packets_64", metric: "node_infiniband_legacy_packets_transmitted_total",
                help: "Packets sent from the port (extended legacy counter).", scale: 1),
        Counter(directory: "counters", file: "excessive_buffer_overrun_errors", metric: "node_infiniband_excessive_buffer_overrun_errors_total",
                help: "Times consecutive flow-control update periods each had at least one receive buffer overrun.", scale: 1),
        Counter(directory: "counters", file: "link_downed", metric: "node_infiniband_link_downed_total",
                help: "Times the link could not recover from an error and went down.", scale: 1),
        Counter(directory: "counters", file: "link_error_recovery", metric: "node_infiniband_link_error_recovery_total",
                help: "Times the link recovered from an error state.", scale: 1),
        Counter(directory: "counters", file: "local_link_integrity_errors", metric: "node_infiniband_local_link_integrity_errors_total",
                help: "Times local physical errors went over the port's threshold.", scale: 1),
        Counter(directory: "counters", file: "multicast_rcv_packets", metric: "node_infiniband_multicast_packets_received_total",
                help: "Multicast packets received on the port, errors included.", scale: 1),
        Counter(directory: "counters", file: "multicast_xmit_packets", metric: "node_infiniband_multicast_packets_transmitted_total",
                help: "Multicast packets sent from the port, errors included.", scale: 1),
        Counter(directory: "counters", file: "port_rcv_constraint_errors", metric: "node_infiniband_port_constraint_errors_received_total",
                help: "Received packets the switch port discarded for constraint violations.", scale: 1),
        Counter(directory: "counters", file: "port_xmit_constraint_errors", metric: "node_infiniband_port_constraint_errors_transmitted_total",
                help: "Packets the switch port did not send because of constraint violations.", scale: 1),
        Counter(directory: "counters", file: "port_rcv_data", metric: "node_infiniband_port_data_received_bytes_total",
                help: "Data bytes received on the port, all lanes.", scale: 4),
        Counter(directory: "counters", file: "port_xmit_data", metric: "node_infiniband_port_data_transmitted_bytes_total",
                help: "Data bytes sent from the port, all lanes.", scale: 4),
        Counter(directory: "counters", file: "port_rcv_discards", metric: "node_infiniband_port_discards_received_total",
                help: "Inbound packets the port discarded because it was down or congested.", scale: 1),
        Counter(directory: "counters", file: "port_xmit_discards", metric: "node_infiniband_port_discards_transmitted_total",
                help: "Outbound packets the port discarded because it was down or congested.", scale: 1),
        Counter(directory: "counters", file: "port_rcv_errors", metric: "node_infiniband_port_errors_received_total",
                help: "Packets with errors received on the port.", scale: 1),
        Counter(directory: "counters", file: "port_rcv_packets", metric: "node_infiniband_port_packets_received_total",
                help: "Packets received on the port over all virtual lanes, errors included.", scale: 1),
        Counter(directory: "counters", file: "port_xmit_packets", metric: "node_infiniband_port_packets_transmitted_total",
                help: "Packets sent from the port over all virtual lanes, errors included.", scale: 1),
        Counter(directory: "counters", file: "port_xmit_wait", metric: "node_infiniband_port_transmit_wait_total",
                help: "Ticks in which the port had data to send but sent none.", scale: 1),
        Counter(directory: "counters", file: "unicast_rcv_packets", metric: "node_infiniband_unicast_packets_received_total",
                help: "Unicast packets received on the port, errors included.", scale: 1),
        Counter(directory: "counters", file: "unicast_xmit_packets", metric: "node_infiniband_unicast_packets_transmitted_total",
                help: "Unicast packets sent from the port, errors included.", scale: 1),
        Counter(directory: "counters", file: "port_rcv_remote_physical_errors", metric: "node_infiniband_port_receive_remote_physical_errors_total",
                help: "Packets received with the end-of-bad-packet delimiter.", scale: 1),
        Counter(directory: "counters", file: "port_rcv_switch_relay_errors", metric: "node_infiniband_port_receive_switch_relay_errors_total",
                help: "Packets the switch could not forward.", scale: 1),
        Counter(directory: "counters", file: "symbol_error", metric: "node_infiniband_symbol_error_total",
                help: "Minor link errors detected on the port's physical lanes.", scale: 1),
        Counter(directory: "counters", file: "VL15_dropped", metric: "node_infiniband_vl15_dropped_total",
                help: "Incoming virtual-lane-15 (management) packets dropped for lack of resources.", scale: 1),
    ]

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let classDirectory = context.paths.sys("class/infiniband")
        guard let devices = try NetSysfs.list(classDirectory) else { return [] }

        var info = MetricFamily(name: "node_infiniband_info", type: .gauge,
                                help: "The adapter's board, firmware version and channel adapter type in labels; always 1.")
        var state = MetricFamily(name: "node_infiniband_state_id", type: .gauge,
                                 help: "Logical port state (1 down, 2 init, 3 armed, 4 active, 5 active deferred).")
        var physicalState = MetricFamily(name: "node_infiniband_physical_state_id", type: .gauge,
                                         help: "Physical port state (1 sleep, 2 polling, 3 disabled, 4 port configuration training, 5 link up, 6 link error recovery, 7 PHY test).")
        var rate = MetricFamily(name: "node_infiniband_rate_bytes_per_second", type: .gauge,
                                help: "The port's signalling rate in bytes per second.")
        var counters = Self.counters.map { MetricFamily(name: $0.metric, type: .counter, help: $0.help) }

        for device in devices {
            let directory = classDirectory + "/" + device
            // Removed since the listing, or a device without ports: nothing to report.
            guard let ports = try NetSysfs.list(directory + "/ports") else { continue }
            info.add(1, labels: [
                Label("board_id", try NetSysfs.string(&context.reader, directory + "/board_id") ?? ""),
                Label("device", device),
                Label("firmware_version", try NetSysfs.string(&context.reader, directory + "/fw_ver") ?? ""),
                Label("hca_type", try NetSysfs.string(&context.reader, directory + "/hca_type") ?? ""),
            ])

            for port in ports {
                let portDirectory = directory + "/ports/" + port
                guard let number = ArraySlice(port.utf8).parseUInt64() else {
                    throw CollectorError("\(portDirectory): port directory name is not a number")
                }
                let labels = [Label("device", device), Label("port", String(number))]

                if let bytes = try NetSysfs.read(&context.reader, portDirectory + "/state") {
                    state.add(try Self.parseStateID(bytes, file: portDirectory + "/state"), labels: labels)
                }
                if let bytes = try NetSysfs.read(&context.reader, portDirectory + "/phys_state") {
                    physicalState.add(try Self.parseStateID(bytes, file: portDirectory + "/phys_state"), labels: labels)
                }
                if let bytes = try NetSysfs.read(&context.reader, portDirectory + "/rate") {
                    rate.add(try Self.parseRate(bytes, file: portDirectory + "/rate"), labels: labels)
                }
                for (index, counter) in Self.counters.enumerated() {
                    let path = portDirectory + "/" + counter.directory + "/" + counter.file
                    guard let bytes = try NetSysfs.read(&context.reader, path) else { continue }
                    guard let value = NetSysfs.parseUnsigned(bytes) else {
                        // Drivers without a performance management agent answer this (older kernels).
                        if bytes.hasPrefix("N/A") { continue }
                        throw CollectorError("\(path): expected a counter, got \"\(bytes.prefix(64).string)\"")
                    }
                    counters[index].add(Double(value) * Double(counter.scale), labels: labels)
                }
            }
        }
        return [info, state, physicalState, rate] + counters
    }

    /// `4: ACTIVE` → 4.
    static func parseStateID(_ bytes: ArraySlice<UInt8>, file: String) throws -> Double {
        let parts = bytes.split(byte: UInt8(ascii: ":"))
        guard parts.count == 2, let id = parts[0].trimmingWhitespace().parseUInt64() else {
            throw CollectorError("\(file): expected \"<id>: <name>\", got \"\(bytes.prefix(64).string)\"")
        }
        return Double(id)
    }

    /// `100 Gb/sec (4X EDR)` → 12 500 000 000 bytes per second.
    static func parseRate(_ bytes: ArraySlice<UInt8>, file: String) throws -> Double {
        let fields = bytes.fields()
        guard fields.count >= 2, let gigabits = fields[0].parseDouble(), gigabits >= 0, gigabits.isFinite else {
            throw CollectorError("\(file): expected \"<number> Gb/sec ...\", got \"\(bytes.prefix(64).string)\"")
        }
        return (gigabits * 125_000_000).rounded(.towardZero)
    }
}
