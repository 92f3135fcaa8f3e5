import Exposition

/// `/sys/class/net/<device>/*`: the link properties of every network interface (operational
/// state, carrier, MTU, speed, flags, indexes) as node_exporter's netclass collector publishes
/// them, `node_network_*{device}`.
///
/// Attributes a device does not have, or that its driver refuses in the current state (sysfs
/// answers EINVAL for `speed`, `duplex` or `carrier` of a link that is down), are left out for
/// that device; an interface that disappears while it is read is left out altogether.
public struct NetclassCollector: Collector {
    public let name = "netclass"
    private let ignored: NameFilter
    private let ignoreInvalidSpeed: Bool

    /// node_exporter's default for `--collector.netclass.ignored-devices`.
    public static let defaultIgnoredDevices = "^$"

    /// `ignoredDevices`: devices whose name the regexp matches (anywhere) are skipped.
    /// `ignoreInvalidSpeed`: leave out `node_network_speed_bytes` when the driver reports a
    /// negative speed (-1, unknown) instead of publishing -125000.
    public init(ignoredDevices: String = NetclassCollector.defaultIgnoredDevices, ignoreInvalidSpeed: Bool = false) throws {
        ignored = try NameFilter(exclude: ignoredDevices)
        self.ignoreInvalidSpeed = ignoreInvalidSpeed
    }

    /// The numeric attributes, each published as one family. `scale` converts the file's unit.
    struct Attribute: Sendable {
        let file: String
        let metric: String
        let type: MetricType
        let help: String
        let scale: Double
    }

    static let attributes: [Attribute] = [
        Attribute(file: "addr_assign_type", metric: "node_network_address_assign_type", type: .gauge,
                  help: "How the interface's hardware address was assigned (0 permanent, 1 random, 2 stolen, 3 set by user space).", scale: 1),
        Attribute(file: "carrier", metric: "node_network_carrier", type: .gauge,
                  help: "Whether the interface has a physical link (1) or not (0).", scale: 1),
        Attribute(file: "carrier_changes", metric: "node_network_carrier_changes_total", type: .counter,
                  help: "Times the interface's link went up or down.", scale: 1),
        Attribute(file: "carrier_up_count", metric: "node_network_carrier_up_changes_total", type: .counter,
                  help: "Times the interface's link came up.", scale: 1),
        Attribute(file: "carrier_down_count", metric: "node_network_carrier_down_changes_total", type: .counter,
                  help: "Times the interface's link went down.", scale: 1),
        Attribute(file: "dev_id", metric: "node_network_device_id", type: .gauge,
                  help: "Identifier telling apart interfaces that share one hardware address.", scale: 1),
        Attribute(file: "dormant", metric: "node_network_dormant", type: .gauge,
                  help: "Whether the interface is dormant (RFC 2863), waiting for an external event.", scale: 1),
        Attribute(file: "flags", metric: "node_network_flags", type: .gauge,
                  help: "The interface's IFF_* flags as a number.", scale: 1),
        Attribute(file: "ifindex", metric: "node_network_iface_id", type: .gauge,
                  help: "The interface's index in the kernel.", scale: 1),
        Attribute(file: "iflink", metric: "node_network_iface_link", type: .gauge,
                  help: "The index of the interface this one sends through (its own index when none).", scale: 1),
        Attribute(file: "link_mode", metric: "node_network_iface_link_mode", type: .gauge,
                  help: "The interface's link mode (0 default, 1 dormant).", scale: 1),
        Attribute(file: "mtu", metric: "node_network_mtu_bytes", type: .gauge,
                  help: "The interface's maximum transmission unit in bytes.", scale: 1),
        Attribute(file: "name_assign_type", metric: "node_network_name_assign_type", type: .gauge,
                  help: "How the interface got its name (1 kernel enumeration, 2 predictable, 3 user space, 4 renamed).", scale: 1),
        Attribute(file: "netdev_group", metric: "node_network_net_dev_group", type: .gauge,
                  help: "The device group the interface belongs to.", scale: 1),
        Attribute(file: "speed", metric: "node_network_speed_bytes", type: .gauge,
                  help: "The interface's link speed in bytes per second (-125000 when the driver reports it unknown).", scale: 125_000),
        Attribute(file: "tx_queue_len", metric: "node_network_transmit_queue_length", type: .gauge,
                  help: "The length of the interface's transmit queue, in packets.", scale: 1),
        Attribute(file: "type", metric: "node_network_protocol_type", type: .gauge,
                  help: "The interface's hardware type (ARPHRD_*: 1 Ethernet, 772 loopback, ...).", scale: 1),
    ]

    /// The text attributes that label `node_network_info`, in label order.
    static let textAttributes = ["address", "broadcast", "duplex", "ifalias", "operstate"]

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let classDirectory = context.paths.sys("class/net")
        guard let names = try NetSysfs.list(classDirectory) else { return [] }

        var up = MetricFamily(name: "node_network_up", type: .gauge,
                              help: "Whether the interface's operational state is up (1) or anything else (0).")
        var info = MetricFamily(name: "node_network_info", type: .gauge,
                                help: "Text properties of the interface in labels (hardware and broadcast address, duplex, alias, operational state); always 1.")
        var numeric = Self.attributes.map { MetricFamily(name: $0.metric, type: $0.type, help: $0.help) }

        for device in names where ignored.accepts(device) {
            // Files beside the devices (bonding_masters) are not interfaces (ENOTDIR), and a
            // device may go away after the listing (ENOENT).
            guard let directory = try? OpenDirectory(classDirectory + "/" + device) else { continue }
            var values: [Double?] = []
            values.reserveCapacity(Self.attributes.count)
            var texts: [String] = []
            var found = 0
            for attribute in Self.attributes {
                guard let bytes = try NetSysfs.read(&context.reader, attribute.file, in: directory) else {
                    values.append(nil)
                    continue
                }
                found += 1
                guard let value = NetSysfs.parseSigned(bytes) else {
                    throw CollectorError("\(directory.path)/\(attribute.file): expected an integer, got \"\(bytes.prefix(64).string)\"")
                }
                values.append(Double(value) * attribute.scale)
            }
            for file in Self.textAttributes {
                let text = try NetSysfs.read(&context.reader, file, in: directory)?.string
                if text != nil { found += 1 }
                texts.append(text ?? "")
            }
            // Nothing readable: the interface went away between listing and reading.
            if found == 0 { continue }

            let operstate = texts[4]
            up.add(operstate == "up" ? 1 : 0, labels: [Label("device", device)])
            info.add(1, labels: [
                Label("address", texts[0]), Label("broadcast", texts[1]), Label("device", device),
                Label("duplex", texts[2]), Label("ifalias", texts[3]), Label("operstate", operstate),
            ])
            for (index, value) in values.enumerated() {
                guard let value else { continue }
                if ignoreInvalidSpeed && Self.attributes[index].file == "speed" && value < 0 { continue }
                numeric[index].add(value, labels: [Label("device", device)])
            }
        }
        return [info, up] + numeric
    }
}
