extension CollectorCatalog {
    /// Collectors of network statistics and interfaces: netstat, sockstat, softnet, udp_queues, arp, conntrack, tcpstat, ipvs, netclass, bonding, infiniband, fibrechannel.
    static let networkEntries: [Entry] = [
        // net2: netclass, bonding, infiniband, fibrechannel.
        Entry("netclass", enabledByDefault: true, settings: [
            CollectorSetting("ignored-devices", default: NetclassCollector.defaultIgnoredDevices,
                             help: "Regexp of network devices to leave out of the netclass collector."),
            CollectorSetting("ignore-invalid-speed", .bool,
                             help: "Leave out node_network_speed_bytes when the driver reports the speed as unknown (negative)."),
            CollectorSetting("netlink", .bool,
                             help: "Accepted for node_exporter compatibility and ignored: attributes are always read from sysfs."),
        ]) { settings in
            try NetclassCollector(ignoredDevices: settings.string("ignored-devices") ?? NetclassCollector.defaultIgnoredDevices,
                                  ignoreInvalidSpeed: try settings.bool("ignore-invalid-speed"))
        },
        Entry("bonding", enabledByDefault: true) { _ in BondingCollector() },
        Entry("infiniband", enabledByDefault: true) { _ in InfinibandCollector() },
        Entry("fibrechannel", enabledByDefault: true) { _ in FibrechannelCollector() },
        // net2: end.
        // net1: /proc/net statistics (netstat, sockstat, softnet, udp_queues, arp, conntrack, tcpstat, ipvs).
        Entry("arp", enabledByDefault: true, settings: [
            CollectorSetting("device-include", help: "Regexp of network devices whose ARP entries are counted (others are left out)."),
            CollectorSetting("device-exclude", help: "Regexp of network devices whose ARP entries are left out."),
        ]) { settings in
            try ARPCollector(deviceInclude: settings.string("device-include"), deviceExclude: settings.string("device-exclude"))
        },
        Entry("conntrack", enabledByDefault: true) { _ in ConntrackCollector() },
        Entry("ipvs", enabledByDefault: true, settings: [
            CollectorSetting("backend-labels", default: IPVSCollector.allBackendLabels.joined(separator: ","),
                             help: "Comma separated list of the labels of IPVS backend series."),
        ]) { settings in
            try IPVSCollector(backendLabels: settings.string("backend-labels") ?? "")
        },
        Entry("netstat", enabledByDefault: true, settings: [
            CollectorSetting("fields", default: NetstatCollector.defaultFields, help: "Regexp of the <Protocol>_<Field> keys of /proc/net/{netstat,snmp,snmp6} to export."),
        ]) { settings in
            try NetstatCollector(fields: settings.string("fields") ?? NetstatCollector.defaultFields)
        },
        Entry("sockstat", enabledByDefault: true) { _ in SockstatCollector() },
        Entry("softnet", enabledByDefault: true) { _ in SoftnetCollector() },
        Entry("tcpstat", enabledByDefault: false) { _ in TCPStatCollector() },
        Entry("udp_queues", enabledByDefault: true) { _ in UDPQueuesCollector() },
        // net1: end.
    ]
}
