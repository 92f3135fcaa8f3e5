import Exposition
import HostMetrics
import Testing

@Suite struct IPVSCollectorTests {
    private static let backendNames = [
        "node_ipvs_backend_connections_active", "node_ipvs_backend_connections_inactive", "node_ipvs_backend_weight",
    ]

    private func backend(_ local: String, _ localPort: String, _ remote: String, _ remotePort: String, _ proto: String,
                         mark: String = "") -> [String: String] {
        ["local_address": local, "local_port": localPort, "remote_address": remote, "remote_port": remotePort,
         "proto": proto, "local_mark": mark]
    }

    @Test func notLoadedOnCapturedHost() throws {
        #expect(try collect(IPVSCollector(), paths: Fixtures.host).isEmpty)
        #expect(try collect(IPVSCollector(), paths: Fixtures.edge("missing")).isEmpty)
    }

    @Test func totals() throws {
        let families = try collect(IPVSCollector(), paths: Fixtures.edge("ipvs"))
        #expect(families.map(\.name) == [
            "node_ipvs_connections_total", "node_ipvs_incoming_packets_total", "node_ipvs_outgoing_packets_total",
            "node_ipvs_incoming_bytes_total", "node_ipvs_outgoing_bytes_total",
        ] + Self.backendNames)
        #expect(families.prefix(5).allSatisfy { $0.type == .counter })
        #expect(families.suffix(3).allSatisfy { $0.type == .gauge })
        // 2F6E 1A2B3C4 19F0A1B 3B9ACA000 12A05F2000
        #expect(families.value("node_ipvs_connections_total") == 12142)
        #expect(families.value("node_ipvs_incoming_packets_total") == 27_440_068)
        #expect(families.value("node_ipvs_outgoing_packets_total") == 27_200_027)
        #expect(families.value("node_ipvs_incoming_bytes_total") == 16_000_000_000)
        #expect(families.value("node_ipvs_outgoing_bytes_total") == 80_000_000_000)
    }

    @Test func backendsWithAllLabels() throws {
        let families = try collect(IPVSCollector(), paths: Fixtures.edge("ipvs"))
        #expect(families.suffix(3).allSatisfy { $0.samples.count == 10 })
        let web = backend("10.0.0.100", "80", "10.0.0.101", "80", "TCP")
        #expect(families.value("node_ipvs_backend_connections_active", web) == 12)
        #expect(families.value("node_ipvs_backend_connections_inactive", web) == 3)
        #expect(families.value("node_ipvs_backend_weight", web) == 100)
        let drained = backend("10.0.0.100", "80", "10.0.0.103", "8080", "TCP")
        #expect(families.value("node_ipvs_backend_weight", drained) == 0)
        #expect(families.value("node_ipvs_backend_connections_inactive", drained) == 5)
        // A persistent service's flags after the scheduler do not disturb the line.
        #expect(families.value("node_ipvs_backend_connections_active", backend("10.0.0.100", "443", "10.0.0.101", "443", "TCP")) == 30)
        // IPv6 in the kernel's full form, written as Go writes addresses; IPv4-mapped as dotted quad.
        #expect(families.value("node_ipvs_backend_connections_inactive", backend("2001:db8::35", "53", "2001:db8::aa:1", "53", "UDP")) == 40)
        #expect(families.value("node_ipvs_backend_weight", backend("2001:db8::35", "53", "fe80::1", "53", "UDP")) == 2)
        #expect(families.value("node_ipvs_backend_weight", backend("2001:db8::35", "53", "10.0.0.105", "53", "UDP")) == 3)
        // Firewall-mark services: no local address, port 0, the mark as written.
        let marked = backend("", "0", "10.0.0.102", "0", "FWM", mark: "0000000A")
        #expect(families.value("node_ipvs_backend_connections_active", marked) == 6)
        #expect(families.value("node_ipvs_backend_weight", marked) == 20)
        // An SCTP service's real servers belong to it (node_exporter 1.5 files them under the service before).
        let sctp = backend("10.0.0.100", "2905", "10.0.0.104", "2905", "SCTP")
        #expect(families.value("node_ipvs_backend_connections_active", sctp) == 2)
    }

    @Test func chosenLabelsSumTheRest() throws {
        let byPort = try collect(IPVSCollector(backendLabels: "local_port"), paths: Fixtures.edge("ipvs"))
        #expect(byPort.suffix(3).allSatisfy { $0.samples.count == 5 && $0.samples.allSatisfy { $0.labels.map(\.name) == ["local_port"] } })
        #expect(byPort.value("node_ipvs_backend_connections_active", ["local_port": "80"]) == 19)
        #expect(byPort.value("node_ipvs_backend_connections_inactive", ["local_port": "80"]) == 8)
        #expect(byPort.value("node_ipvs_backend_weight", ["local_port": "80"]) == 150)
        #expect(byPort.value("node_ipvs_backend_connections_inactive", ["local_port": "53"]) == 43)
        #expect(byPort.value("node_ipvs_backend_weight", ["local_port": "0"]) == 30)

        // Order and repetition in the flag do not matter; the output keeps node_exporter's order.
        let two = try collect(IPVSCollector(backendLabels: "local_port,local_address,local_port"), paths: Fixtures.edge("ipvs"))
        #expect(two[family: "node_ipvs_backend_weight"]?.samples.first?.labels.map(\.name) == ["local_address", "local_port"])
        #expect(two.value("node_ipvs_backend_weight", ["local_address": "10.0.0.100", "local_port": "443"]) == 100)

        let none = try collect(IPVSCollector(backendLabels: ""), paths: Fixtures.edge("ipvs"))
        #expect(none.value("node_ipvs_backend_connections_active") == 62)
        #expect(none.value("node_ipvs_backend_connections_inactive") == 63)
        #expect(none.value("node_ipvs_backend_weight") == 287)
    }

    @Test func unknownLabelIsRejected() {
        #expect(throws: CollectorError.self) { try IPVSCollector(backendLabels: "local_address,vip") }
    }

    @Test func addressForms() throws {
        let table = """
            IP Virtual Server version 1.2.1 (size=4096)
            Prot LocalAddress:Port Scheduler Flags
              -> RemoteAddress:Port Forward Weight ActiveConn InActConn
            TCP  [0000:0000:0000:0000:0000:0000:0000:0001]:0016 rr
              -> [2001:0db8:0000:0001:0000:0000:0000:0001]:0016      Masq    1      0          0
              -> [2001:0000:0000:0001:0000:0000:0001:0000]:0016      Masq    1      0          0
              -> [0000:0000:0000:0000:0000:0000:0000:0000]:0016      Masq    1      0          0
              -> [2001:0db8:0001:0002:0003:0004:0005:0006]:0016      Masq    1      0          0
              -> [2001:0db8:0000:0001:0002:0003:0004:0005]:0016      Masq    1      0          0
              -> FFFFFFFF:FFFF      Masq    1      0          0

            """
        let backends = try IPVSCollector.parseBackends(ArraySlice(table.utf8))
        #expect(backends.map(\.localAddress) == Array(repeating: "::1", count: 6))
        // RFC 5952: the first of two equally long zero runs is shortened, a single zero group is not.
        #expect(backends.map(\.remoteAddress) == ["2001:db8:0:1::1", "2001::1:0:0:1:0", "::", "2001:db8:1:2:3:4:5:6",
                                                  "2001:db8:0:1:2:3:4:5", "255.255.255.255"])
        #expect(backends.last?.remotePort == 65535)
    }

    @Test func malformedInput() {
        let bad = [
            "  -> 0A000065:0050      Masq    100    12         3\n",                         // no service yet
            "TCP  0A000064:0050 wlc\n  -> 0A000065:0050      Masq    100    12\n",           // short backend
            "TCP  0A000064:0050 wlc\n  -> 0A000065:0050      Masq    many   12         3\n", // not a number
            "TCP  0A0000:0050 wlc\n",                                                        // short address
            "TCP  [2001:0db8::1]:0050 wlc\n",                                                // compressed IPv6
            "TCP  0A000064:50 wlc\n",                                                        // short port
        ]
        for text in bad {
            #expect(throws: CollectorError.self, "\(text)") { try IPVSCollector.parseBackends(ArraySlice(text.utf8)) }
        }
        for text in ["", "   Total Incoming\n   Conns\n       1        2 3 4\n", "a\nb\n 1 2 3 4 XYZ\n"] {
            #expect(throws: CollectorError.self, "\(text)") { try IPVSCollector.parseStats(ArraySlice(text.utf8)) }
        }
        let error = #expect(throws: CollectorError.self) { try collect(IPVSCollector(), paths: Fixtures.edge("net-malformed")) }
        #expect(error?.description.contains("/proc/net/ip_vs_stats") == true)
    }
}
