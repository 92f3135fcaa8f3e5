import Exposition
import HostMetrics
import Testing

@Suite struct NetstatCollectorTests {
    /// The families node_exporter 1.5 printed for the captured files (its default field filter).
    static let capturedHostFamilies: Set<String> = [
        "node_netstat_Icmp6_InErrors", "node_netstat_Icmp6_InMsgs", "node_netstat_Icmp6_OutMsgs",
        "node_netstat_Icmp_InErrors", "node_netstat_Icmp_InMsgs", "node_netstat_Icmp_OutMsgs",
        "node_netstat_Ip6_InOctets", "node_netstat_Ip6_OutOctets", "node_netstat_IpExt_InOctets",
        "node_netstat_IpExt_OutOctets", "node_netstat_Ip_Forwarding", "node_netstat_TcpExt_ListenDrops",
        "node_netstat_TcpExt_ListenOverflows", "node_netstat_TcpExt_SyncookiesFailed",
        "node_netstat_TcpExt_SyncookiesRecv", "node_netstat_TcpExt_SyncookiesSent",
        "node_netstat_TcpExt_TCPSynRetrans", "node_netstat_TcpExt_TCPTimeouts", "node_netstat_Tcp_ActiveOpens",
        "node_netstat_Tcp_CurrEstab", "node_netstat_Tcp_InErrs", "node_netstat_Tcp_InSegs",
        "node_netstat_Tcp_OutRsts", "node_netstat_Tcp_OutSegs", "node_netstat_Tcp_PassiveOpens",
        "node_netstat_Tcp_RetransSegs", "node_netstat_Udp6_InDatagrams", "node_netstat_Udp6_InErrors",
        "node_netstat_Udp6_NoPorts", "node_netstat_Udp6_OutDatagrams", "node_netstat_Udp6_RcvbufErrors",
        "node_netstat_Udp6_SndbufErrors", "node_netstat_UdpLite6_InErrors", "node_netstat_UdpLite_InErrors",
        "node_netstat_Udp_InDatagrams", "node_netstat_Udp_InErrors", "node_netstat_Udp_NoPorts",
        "node_netstat_Udp_OutDatagrams", "node_netstat_Udp_RcvbufErrors", "node_netstat_Udp_SndbufErrors",
    ]

    @Test func defaultFieldsOnCapturedHost() throws {
        let families = try collect(NetstatCollector(), paths: Fixtures.host)
        #expect(Set(families.map(\.name)) == Self.capturedHostFamilies)
        #expect(families.count == Self.capturedHostFamilies.count)
        #expect(families.allSatisfy { $0.type == .untyped && $0.samples.count == 1 && $0.samples[0].labels.isEmpty })
        // netstat: TcpExt ... TCPTimeouts 2; IpExt InOctets 2392292758, OutOctets 2342792713.
        #expect(families.value("node_netstat_TcpExt_TCPTimeouts") == 2)
        #expect(families.value("node_netstat_IpExt_InOctets") == 2_392_292_758)
        #expect(families.value("node_netstat_IpExt_OutOctets") == 2_342_792_713)
        // snmp: Ip Forwarding 2; Tcp ActiveOpens 70635, PassiveOpens 70536, InSegs 860692, OutRsts 149.
        #expect(families.value("node_netstat_Ip_Forwarding") == 2)
        #expect(families.value("node_netstat_Tcp_ActiveOpens") == 70635)
        #expect(families.value("node_netstat_Tcp_PassiveOpens") == 70536)
        #expect(families.value("node_netstat_Tcp_InSegs") == 860_692)
        #expect(families.value("node_netstat_Tcp_OutRsts") == 149)
        #expect(families.value("node_netstat_Udp_InDatagrams") == 412)
        #expect(families.value("node_netstat_Udp_OutDatagrams") == 413)
        // snmp6: Icmp6InErrors 1, Icmp6OutMsgs 9, Ip6InOctets 4828, Ip6OutOctets 5580.
        #expect(families.value("node_netstat_Icmp6_InErrors") == 1)
        #expect(families.value("node_netstat_Icmp6_OutMsgs") == 9)
        #expect(families.value("node_netstat_Ip6_InOctets") == 4828)
        #expect(families.value("node_netstat_Ip6_OutOctets") == 5580)
    }

    @Test func withoutIPv6() throws {
        let families = try collect(NetstatCollector(), paths: Fixtures.edge("net-ipv4-only"))
        #expect(families.count == 28)
        #expect(!families.contains { $0.name.contains("6_") })
        #expect(families.value("node_netstat_TcpExt_SyncookiesSent") == 5)
        #expect(families.value("node_netstat_TcpExt_ListenOverflows") == 120)
        #expect(families.value("node_netstat_TcpExt_ListenDrops") == 130)
        #expect(families.value("node_netstat_TcpExt_TCPSynRetrans") == 311)
        #expect(families.value("node_netstat_IpExt_InOctets") == 98_765_432_100)
        #expect(families.value("node_netstat_Ip_Forwarding") == 1)
        #expect(families.value("node_netstat_Icmp_InErrors") == 1)
        #expect(families.value("node_netstat_Tcp_CurrEstab") == 3)
        #expect(families.value("node_netstat_Tcp_InErrs") == 7)
        #expect(families.value("node_netstat_Udp_RcvbufErrors") == 5)
        #expect(families.value("node_netstat_UdpLite_InErrors") == 0)
        // Not selected by the default pattern.
        #expect(families[family: "node_netstat_IpExt_InCsumErrors"] == nil)
        #expect(families[family: "node_netstat_Ip_InHdrErrors"] == nil)
        #expect(families[family: "node_netstat_TcpExt_TCPOFOQueue"] == nil)
    }

    @Test func fieldsPatternSelectsKeys() throws {
        let families = try collect(NetstatCollector(fields: "^(Tcp_MaxConn|IcmpMsg_.*)$"), paths: Fixtures.edge("net-ipv4-only"))
        #expect(Set(families.map(\.name)) == [
            "node_netstat_Tcp_MaxConn", "node_netstat_IcmpMsg_InType3", "node_netstat_IcmpMsg_InType8",
            "node_netstat_IcmpMsg_OutType0", "node_netstat_IcmpMsg_OutType3",
        ])
        #expect(families.value("node_netstat_Tcp_MaxConn") == -1)
        #expect(families.value("node_netstat_IcmpMsg_InType8") == 25)
        #expect(throws: CollectorError.self) { try NetstatCollector(fields: "(") }
    }

    @Test func aKeyInTwoFilesIsOneFamily() throws {
        // IpExt_InOctets in netstat (5) and again in snmp (7): the later file's value, once.
        let families = try collect(NetstatCollector(fields: "^Ip"), paths: Fixtures.edge("netstat-overlap"))
        #expect(families.map(\.name) == ["node_netstat_IpExt_InOctets", "node_netstat_IpExt_OutOctets", "node_netstat_Ip_Forwarding"])
        #expect(families.value("node_netstat_IpExt_InOctets") == 7)
        #expect(families.value("node_netstat_IpExt_OutOctets") == 6)
    }

    @Test func pairedLines() throws {
        let text = "TcpExt: A B\nTcpExt: 1 -2\n\nIpExt: InOctets\nIpExt: 18446744073709551615\n"
        let stats = try NetstatCollector.parsePaired(ArraySlice(text.utf8))
        #expect(stats.map(\.key) == ["TcpExt_A", "TcpExt_B", "IpExt_InOctets"])
        #expect(stats.map(\.value) == [1, -2, Double(UInt64.max)])
    }

    @Test func snmp6Lines() throws {
        let text = "Ip6InReceives                   \t51\nIcmp6InType133 2\nUdpLite6InErrors 0\nnosix 4\nlonely\n"
        let stats = try NetstatCollector.parseSNMP6(ArraySlice(text.utf8))
        #expect(stats.map(\.protocolName) == ["Ip6", "Icmp6", "UdpLite6"])
        #expect(stats.map(\.field) == ["InReceives", "InType133", "InErrors"])
        #expect(stats.map(\.value) == [51, 2, 0])
    }

    @Test func malformedInput() {
        let bad = [
            "TcpExt: A B\nTcpExt: 1\n",          // fewer values than names
            "TcpExt: A\n",                       // names without values
            "TcpExt: A\nIpExt: 1\n",             // values of another protocol
            "TcpExt: A\nTcpExt: x\n",            // not a number
            "TcpExt A\nTcpExt 1\n",              // no colon
        ]
        for text in bad {
            #expect(throws: CollectorError.self, "\(text)") { try NetstatCollector.parsePaired(ArraySlice(text.utf8)) }
        }
        #expect(throws: CollectorError.self) { try NetstatCollector.parseSNMP6(ArraySlice("Ip6InReceives many\n".utf8)) }
        let error = #expect(throws: CollectorError.self) { try collect(NetstatCollector(), paths: Fixtures.edge("net-malformed")) }
        #expect(error?.description.contains("/proc/net/netstat") == true)
    }

    @Test func missingFilesMeanNoFamilies() throws {
        #expect(try collect(NetstatCollector(), paths: Fixtures.edge("missing")).isEmpty)
    }
}
