import Exposition
import HostMetrics
import Testing

/// The catalog entries of the /proc/net collectors: node_exporter 1.5's defaults and flags.
@Suite struct ProcNetCatalogTests {
    @Test func defaultsAsInNodeExporter() throws {
        let expected = ["arp": true, "conntrack": true, "ipvs": true, "netstat": true, "sockstat": true,
                        "softnet": true, "udp_queues": true, "tcpstat": false]
        for (name, enabled) in expected {
            let entry = try #require(CollectorCatalog.entry(name), "\(name)")
            #expect(entry.enabledByDefault == enabled, "\(name)")
        }
        #expect(CollectorCatalog.entry("netstat")?.settings.map(\.name) == ["fields"])
        #expect(CollectorCatalog.entry("netstat")?.settings.first?.defaultValue == NetstatCollector.defaultFields)
        #expect(CollectorCatalog.entry("arp")?.settings.map(\.name) == ["device-include", "device-exclude"])
        #expect(CollectorCatalog.entry("ipvs")?.settings.map(\.name) == ["backend-labels"])
        #expect(CollectorCatalog.entry("ipvs")?.settings.first?.defaultValue
            == "local_address,local_port,remote_address,remote_port,proto,local_mark")
    }

    @Test func settingsReachTheCollectors() throws {
        let netstat = try CollectorCatalog.build(given: ["netstat": ["fields": ["^Tcp_MaxConn$"]]], isEnabled: { $0.name == "netstat" })
        #expect(try collect(try #require(netstat.first as? NetstatCollector), paths: Fixtures.host).map(\.name) == ["node_netstat_Tcp_MaxConn"])

        let arp = try CollectorCatalog.build(given: ["arp": ["device-exclude": ["^eth"]]], isEnabled: { $0.name == "arp" })
        #expect(try collect(try #require(arp.first as? ARPCollector), paths: Fixtures.host).first?.samples.isEmpty == true)

        let ipvs = try CollectorCatalog.build(given: ["ipvs": ["backend-labels": ["proto"]]], isEnabled: { $0.name == "ipvs" })
        let families = try collect(try #require(ipvs.first as? IPVSCollector), paths: Fixtures.edge("ipvs"))
        #expect(families.value("node_ipvs_backend_weight", ["proto": "TCP"]) == 250)

        #expect(throws: (any Error).self) {
            try CollectorCatalog.build(given: ["ipvs": ["backend-labels": ["vip"]]], isEnabled: { $0.name == "ipvs" })
        }
        #expect(throws: (any Error).self) {
            try CollectorCatalog.build(given: ["netstat": ["fields": ["(Tcp"]]], isEnabled: { $0.name == "netstat" })
        }
    }
}
