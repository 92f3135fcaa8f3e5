import Exposition
@testable import HostMetrics
import Testing

/// The series as the text format writes them (sorted, labels sorted), without HELP/TYPE lines,
/// plus a report that nothing was dropped as duplicate or invalid.
private func seriesLines(_ families: [MetricFamily]) -> (lines: [String], report: NormalizationReport) {
    var set = MetricSet(families)
    let report = set.normalize()
    let text = String(decoding: TextEncoder.encode(set.families, format: .prometheusText), as: UTF8.self)
    return (text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init), report)
}

@Suite struct NetclassCollectorTests {
    /// node_exporter 1.5's netclass output on the machine the fixture was captured from, every
    /// series (`curl ... | grep ^node_network_`, netdev's counters left out).
    static let nodeExporterOnCapturedHost = [
        #"node_network_address_assign_type{device="eth0"} 0"#,
        #"node_network_address_assign_type{device="ifb0"} 1"#,
        #"node_network_address_assign_type{device="ifb1"} 1"#,
        #"node_network_address_assign_type{device="lo"} 0"#,
        #"node_network_carrier{device="eth0"} 1"#,
        #"node_network_carrier{device="lo"} 1"#,
        #"node_network_carrier_changes_total{device="eth0"} 2"#,
        #"node_network_carrier_changes_total{device="ifb0"} 0"#,
        #"node_network_carrier_changes_total{device="ifb1"} 0"#,
        #"node_network_carrier_changes_total{device="lo"} 0"#,
        #"node_network_carrier_down_changes_total{device="eth0"} 1"#,
        #"node_network_carrier_down_changes_total{device="ifb0"} 0"#,
        #"node_network_carrier_down_changes_total{device="ifb1"} 0"#,
        #"node_network_carrier_down_changes_total{device="lo"} 0"#,
        #"node_network_carrier_up_changes_total{device="eth0"} 1"#,
        #"node_network_carrier_up_changes_total{device="ifb0"} 0"#,
        #"node_network_carrier_up_changes_total{device="ifb1"} 0"#,
        #"node_network_carrier_up_changes_total{device="lo"} 0"#,
        #"node_network_device_id{device="eth0"} 0"#,
        #"node_network_device_id{device="ifb0"} 0"#,
        #"node_network_device_id{device="ifb1"} 0"#,
        #"node_network_device_id{device="lo"} 0"#,
        #"node_network_dormant{device="eth0"} 0"#,
        #"node_network_dormant{device="lo"} 0"#,
        #"node_network_flags{device="eth0"} 4099"#,
        #"node_network_flags{device="ifb0"} 130"#,
        #"node_network_flags{device="ifb1"} 130"#,
        #"node_network_flags{device="lo"} 9"#,
        #"node_network_iface_id{device="eth0"} 4"#,
        #"node_network_iface_id{device="ifb0"} 2"#,
        #"node_network_iface_id{device="ifb1"} 3"#,
        #"node_network_iface_id{device="lo"} 1"#,
        #"node_network_iface_link{device="eth0"} 4"#,
        #"node_network_iface_link{device="ifb0"} 2"#,
        #"node_network_iface_link{device="ifb1"} 3"#,
        #"node_network_iface_link{device="lo"} 1"#,
        #"node_network_iface_link_mode{device="eth0"} 0"#,
        #"node_network_iface_link_mode{device="ifb0"} 0"#,
        #"node_network_iface_link_mode{device="ifb1"} 0"#,
        #"node_network_iface_link_mode{device="lo"} 0"#,
        #"node_network_info{address="00:00:00:00:00:00",broadcast="00:00:00:00:00:00",device="lo",duplex="",ifalias="",operstate="unknown"} 1"#,
        #"node_network_info{address="02:fc:00:00:00:01",broadcast="ff:ff:ff:ff:ff:ff",device="eth0",duplex="unknown",ifalias="",operstate="up"} 1"#,
        #"node_network_info{address="1a:ed:3f:a2:3c:9c",broadcast="ff:ff:ff:ff:ff:ff",device="ifb0",duplex="",ifalias="",operstate="down"} 1"#,
        #"node_network_info{address="9a:c8:89:6d:b4:c5",broadcast="ff:ff:ff:ff:ff:ff",device="ifb1",duplex="",ifalias="",operstate="down"} 1"#,
        #"node_network_mtu_bytes{device="eth0"} 1400"#,
        #"node_network_mtu_bytes{device="ifb0"} 1500"#,
        #"node_network_mtu_bytes{device="ifb1"} 1500"#,
        #"node_network_mtu_bytes{device="lo"} 65536"#,
        #"node_network_name_assign_type{device="eth0"} 1"#,
        #"node_network_name_assign_type{device="lo"} 2"#,
        #"node_network_net_dev_group{device="eth0"} 0"#,
        #"node_network_net_dev_group{device="ifb0"} 0"#,
        #"node_network_net_dev_group{device="ifb1"} 0"#,
        #"node_network_net_dev_group{device="lo"} 0"#,
        #"node_network_protocol_type{device="eth0"} 1"#,
        #"node_network_protocol_type{device="ifb0"} 1"#,
        #"node_network_protocol_type{device="ifb1"} 1"#,
        #"node_network_protocol_type{device="lo"} 772"#,
        #"node_network_speed_bytes{device="eth0"} -125000"#,
        #"node_network_transmit_queue_length{device="eth0"} 1000"#,
        #"node_network_transmit_queue_length{device="ifb0"} 32"#,
        #"node_network_transmit_queue_length{device="ifb1"} 32"#,
        #"node_network_transmit_queue_length{device="lo"} 1000"#,
        #"node_network_up{device="eth0"} 1"#,
        #"node_network_up{device="ifb0"} 0"#,
        #"node_network_up{device="ifb1"} 0"#,
        #"node_network_up{device="lo"} 0"#,
    ]

    @Test func capturedHostMatchesNodeExporterSeriesForSeries() throws {
        let families = try collect(NetclassCollector(), paths: Fixtures.host)
        let (lines, report) = seriesLines(families)
        #expect(report == NormalizationReport())
        #expect(lines == Self.nodeExporterOnCapturedHost)
    }

    @Test func typesAndLabelNamesFollowNodeExporter() throws {
        let families = try collect(NetclassCollector(), paths: Fixtures.host)
        let counters = ["node_network_carrier_changes_total", "node_network_carrier_up_changes_total",
                        "node_network_carrier_down_changes_total"]
        for family in families where !family.samples.isEmpty {
            #expect(family.type == (counters.contains(family.name) ? .counter : .gauge), "\(family.name)")
            #expect(!family.help.isEmpty)
            let names = Set(family.samples.flatMap { $0.labels.map(\.name) })
            if family.name == "node_network_info" {
                #expect(names == ["address", "broadcast", "device", "duplex", "ifalias", "operstate"])
            } else {
                #expect(names == ["device"], "\(family.name)")
            }
        }
    }

    @Test func symlinkedClassEntriesStillLeaveNetdevItsStatistics() throws {
        // The fixture's class/net/<device> entries are links into devices/...; netdev's
        // rx_nohandler files are reached through them.
        #expect(FileReader.readLink(Fixtures.path("host/sys/class/net/eth0")) == "../../devices/pci0000:00/0000:00:03.0/virtio2/net/eth0")
        let families = try collect(NetdevCollector(), paths: Fixtures.host)
        #expect(families.value("node_network_receive_nohandler_total", ["device": "eth0"]) == 7)
    }

    @Test func handMadeDevicesWithHexFlagsSpeedsAndMissingAttributes() throws {
        let families = try collect(NetclassCollector(), paths: Fixtures.edge("netclass"))
        // 10000 Mb/s = 1 250 000 000 bytes/s; tun's 10 Mb/s = 1 250 000.
        #expect(families.value("node_network_speed_bytes", ["device": "enp5s0"]) == 1_250_000_000)
        #expect(families.value("node_network_speed_bytes", ["device": "tun0"]) == 1_250_000)
        // 0x1003 = 4099, 0x1091 = 4241.
        #expect(families.value("node_network_flags", ["device": "enp5s0"]) == 4099)
        #expect(families.value("node_network_flags", ["device": "tun0"]) == 4241)
        #expect(families.value("node_network_mtu_bytes", ["device": "enp5s0"]) == 9000)
        #expect(families.value("node_network_protocol_type", ["device": "tun0"]) == 65534)
        #expect(families.value("node_network_iface_link", ["device": "veth1a2b3c4"]) == 6)
        #expect(families.value("node_network_iface_id", ["device": "veth1a2b3c4"]) == 7)
        #expect(families.value("node_network_name_assign_type", ["device": "enp5s0"]) == 4)
        #expect(families.value("node_network_carrier_up_changes_total", ["device": "wlp2s0"]) == 6)
        #expect(families.value("node_network_carrier_changes_total", ["device": "wlp2s0"]) == 12)
        #expect(families.value("node_network_dormant", ["device": "wlp2s0"]) == 1)
        #expect(families.value("node_network_iface_link_mode", ["device": "wlp2s0"]) == 1)
        // wlp2s0 has no speed or duplex attribute: no speed series, an empty duplex label.
        #expect(families[family: "node_network_speed_bytes"]?.samples.count == 3)
        #expect(families.value("node_network_info", [
            "device": "wlp2s0", "address": "8c:c6:81:aa:bb:cc", "broadcast": "ff:ff:ff:ff:ff:ff",
            "duplex": "", "ifalias": "", "operstate": "dormant",
        ]) == 1)
        #expect(families.value("node_network_info", [
            "device": "enp5s0", "address": "3c:ec:ef:12:34:56", "broadcast": "ff:ff:ff:ff:ff:ff",
            "duplex": "full", "ifalias": #"uplink to core-sw1 "ge-0/0/1""#, "operstate": "up",
        ]) == 1)
        #expect(families.value("node_network_info", [
            "device": "tun0", "address": "", "broadcast": "", "duplex": "full", "ifalias": "", "operstate": "unknown",
        ]) == 1)
        // Only operstate "up" counts as up: dormant and unknown do not.
        #expect(families.value("node_network_up", ["device": "enp5s0"]) == 1)
        #expect(families.value("node_network_up", ["device": "veth1a2b3c4"]) == 1)
        #expect(families.value("node_network_up", ["device": "wlp2s0"]) == 0)
        #expect(families.value("node_network_up", ["device": "tun0"]) == 0)
    }

    @Test func aDeviceRemovedAfterTheListingIsLeftOut() throws {
        // ghost0's class link points at a device directory that no longer exists.
        let families = try collect(NetclassCollector(), paths: Fixtures.edge("netclass"))
        let devices = Set(families[family: "node_network_up"]!.samples.flatMap { $0.labels.map(\.value) })
        #expect(devices == ["enp5s0", "tun0", "veth1a2b3c4", "wlp2s0"])
    }

    @Test func ignoredDevicesRegexpMatchesAnywhereInTheName() throws {
        let families = try collect(NetclassCollector(ignoredDevices: "^veth|p2s"), paths: Fixtures.edge("netclass"))
        for family in families {
            for sample in family.samples {
                let device = sample.labels.first { $0.name == "device" }?.value
                #expect(device == "enp5s0" || device == "tun0", "\(family.name) \(String(describing: device))")
            }
        }
        #expect(families.value("node_network_up", ["device": "tun0"]) == 0)
    }

    @Test func theDefaultIgnoresNothing() throws {
        let families = try collect(NetclassCollector(ignoredDevices: NetclassCollector.defaultIgnoredDevices),
                                   paths: Fixtures.edge("netclass"))
        #expect(families[family: "node_network_info"]?.samples.count == 4)
    }

    @Test func invalidSpeedIsPublishedUnlessIgnored() throws {
        let kept = try collect(NetclassCollector(), paths: Fixtures.host)
        #expect(kept.value("node_network_speed_bytes", ["device": "eth0"]) == -125_000)
        let dropped = try collect(NetclassCollector(ignoreInvalidSpeed: true), paths: Fixtures.host)
        #expect(dropped.value("node_network_speed_bytes", ["device": "eth0"]) == nil)
        // A valid speed stays.
        let edge = try collect(NetclassCollector(ignoreInvalidSpeed: true), paths: Fixtures.edge("netclass"))
        #expect(edge.value("node_network_speed_bytes", ["device": "enp5s0"]) == 1_250_000_000)
    }

    @Test func regularFilesBesideTheDevicesAreNotDevices() throws {
        // The bonding tree has /sys/class/net/bonding_masters.
        let families = try collect(NetclassCollector(), paths: Fixtures.edge("bonding"))
        let devices = Set(families[family: "node_network_up"]!.samples.flatMap { $0.labels.map(\.value) })
        #expect(devices == ["bond0", "bond1", "eth1", "eth2", "eth3", "eth4", "idle"])
        #expect(families.value("node_network_up", ["device": "eth2"]) == 0)
    }

    @Test func malformedNumberIsAnErrorNamingTheFile() throws {
        let error = #expect(throws: CollectorError.self) {
            try collect(NetclassCollector(), paths: Fixtures.edge("netclass-malformed"))
        }
        #expect(error?.description.contains("netclass-malformed/sys/class/net/eth0/mtu") == true)
        #expect(error?.description.contains("1500 bytes") == true)
    }

    @Test func noSysfsClassNetMeansNoFamilies() throws {
        let families = try collect(NetclassCollector(), paths: Fixtures.edge("missing"))
        #expect(families.isEmpty)
    }

    @Test func invalidIgnoredDevicesRegexpIsRejected() {
        #expect(throws: CollectorError.self) { try NetclassCollector(ignoredDevices: "(") }
    }

    @Test func catalogEntryDefaultsAndSettings() throws {
        let entry = try #require(CollectorCatalog.entry("netclass"))
        #expect(entry.enabledByDefault)
        #expect(entry.settings.map(\.name) == ["ignored-devices", "ignore-invalid-speed", "netlink"])
        #expect(entry.settings.first?.defaultValue == "^$")
        let collector = try entry.make(CollectorSettings(collector: "netclass", declared: entry.settings,
                                                         given: ["ignore-invalid-speed": ["true"], "ignored-devices": ["^lo$"]]))
        var context = CollectContext(paths: Fixtures.host)
        let families = try collector.collect(&context)
        #expect(families.value("node_network_speed_bytes", ["device": "eth0"]) == nil)
        #expect(families.value("node_network_up", ["device": "lo"]) == nil)
        #expect(families.value("node_network_up", ["device": "eth0"]) == 1)
    }

    /// This machine's own /sys: drivers answer EINVAL for attributes that do not apply (speed of a
    /// link that is down, duplex of loopback); that must leave the series out, not fail the scrape.
    @Test func liveSysfsDoesNotFail() throws {
        guard FileReader.exists("/sys/class/net/lo") else { return }
        let families = try collect(NetclassCollector(), paths: HostPaths())
        #expect(families.value("node_network_protocol_type", ["device": "lo"]) == 772)
        #expect(families.value("node_network_speed_bytes", ["device": "lo"]) == nil)
    }

    @Test func integersInEveryBaseTheKernelWrites() {
        func signed(_ text: String) -> Int64? { NetSysfs.parseSigned(ArraySlice(text.utf8)) }
        func unsigned(_ text: String) -> UInt64? { NetSysfs.parseUnsigned(ArraySlice(text.utf8)) }
        #expect(signed("0") == 0)
        #expect(signed("-1") == -1)
        #expect(signed("0x1003") == 4099)
        #expect(signed("0X1f") == 31)
        #expect(signed("010") == 8)
        #expect(signed("0b101") == 5)
        #expect(signed("0o17") == 15)
        #expect(signed("-9223372036854775808") == Int64.min)
        #expect(signed("9223372036854775808") == nil)
        #expect(signed("08") == nil)
        #expect(signed("0x") == nil)
        #expect(signed("") == nil)
        #expect(signed("-") == nil)
        #expect(signed("12 ") == nil)
        #expect(unsigned("0xffffffffffffffff") == UInt64.max)
        #expect(unsigned("0x10000000000000000") == nil)
        #expect(unsigned("-1") == nil)
    }
}
