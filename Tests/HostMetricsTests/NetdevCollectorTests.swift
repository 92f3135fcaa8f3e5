import Exposition
import HostMetrics
import Testing

private let familyNames = [
    "node_network_receive_bytes_total", "node_network_receive_packets_total", "node_network_receive_errs_total",
    "node_network_receive_drop_total", "node_network_receive_fifo_total", "node_network_receive_frame_total",
    "node_network_receive_compressed_total", "node_network_receive_multicast_total",
    "node_network_transmit_bytes_total", "node_network_transmit_packets_total", "node_network_transmit_errs_total",
    "node_network_transmit_drop_total", "node_network_transmit_fifo_total", "node_network_transmit_colls_total",
    "node_network_transmit_carrier_total", "node_network_transmit_compressed_total",
]

private let header = """
    Inter-|   Receive                                                |  Transmit
     face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed

    """

private func devices(_ families: [MetricFamily]) -> [String] {
    families.first?.samples.map { $0.labels.first { $0.name == "device" }?.value ?? "?" } ?? []
}

@Suite struct NetdevCollectorTests {
    @Test func capturedHost() throws {
        let families = try collect(NetdevCollector(), paths: Fixtures.host)
        #expect(families.map(\.name) == familyNames + ["node_network_receive_nohandler_total"])
        #expect(families.allSatisfy { $0.type == .counter && $0.samples.count == 4 })
        // No default exclude: lo is reported, as node_exporter does.
        #expect(devices(families) == ["lo", "ifb0", "ifb1", "eth0"])
        // eth0: 49561907 1400 0 0 0 0 0 0 51726 628 0 0 0 0 0 0
        let eth0 = ["device": "eth0"]
        #expect(families.value("node_network_receive_bytes_total", eth0) == 49_561_907)
        #expect(families.value("node_network_receive_packets_total", eth0) == 1400)
        #expect(families.value("node_network_transmit_bytes_total", eth0) == 51726)
        #expect(families.value("node_network_transmit_packets_total", eth0) == 628)
        #expect(families.value("node_network_receive_errs_total", eth0) == 0)
        #expect(families.value("node_network_receive_bytes_total", ["device": "lo"]) == 25_888_959)
        #expect(families.value("node_network_transmit_packets_total", ["device": "lo"]) == 10194)
    }

    @Test func everyColumnLandsInItsFamily() throws {
        let families = try collect(NetdevCollector(), paths: Fixtures.edge("netdev-names"))
        // eth0:1:  2000 20 1 2 3 4 5 6 3000 30 7 8 9 10 11 12
        let alias = ["device": "eth0:1"]
        let expected: [Double] = [2000, 20, 1, 2, 3, 4, 5, 6, 3000, 30, 7, 8, 9, 10, 11, 12]
        for (name, value) in zip(familyNames, expected) {
            #expect(families.value(name, alias) == value, "\(name)")
        }
    }

    @Test func namesWithColonsLongNamesAndGluedCounters() throws {
        let families = try collect(NetdevCollector(), paths: Fixtures.edge("netdev-names"))
        #expect(devices(families) == ["lo", "eth0:1", "enp0s31f6", "veth-very-long-name0"])
        // Older kernels write a long name flush against its first counter: "enp0s31f6:123456".
        #expect(families.value("node_network_receive_bytes_total", ["device": "enp0s31f6"]) == 123_456)
        #expect(families.value("node_network_receive_multicast_total", ["device": "enp0s31f6"]) == 7)
        #expect(families.value("node_network_transmit_bytes_total", ["device": "enp0s31f6"]) == 654_321)
        // A counter at the top of the 64-bit range.
        #expect(families.value("node_network_receive_bytes_total", ["device": "veth-very-long-name0"])
            == Double(UInt64.max))
        #expect(families.value("node_network_transmit_compressed_total", ["device": "veth-very-long-name0"]) == 16)
    }

    @Test func includeAndExcludePatterns() throws {
        let excluded = try collect(NetdevCollector(deviceExclude: "^lo$"), paths: Fixtures.host)
        #expect(devices(excluded) == ["ifb0", "ifb1", "eth0"])
        let included = try collect(NetdevCollector(deviceInclude: "^(eth|lo)"), paths: Fixtures.host)
        #expect(devices(included) == ["lo", "eth0"])
        // Unanchored patterns match anywhere in the name, like Go's MatchString.
        let unanchored = try collect(NetdevCollector(deviceExclude: "fb"), paths: Fixtures.host)
        #expect(devices(unanchored) == ["lo", "eth0"])
        #expect(throws: CollectorError.self) { try NetdevCollector(deviceInclude: "eth", deviceExclude: "lo") }
        #expect(throws: CollectorError.self) { try NetdevCollector(deviceExclude: "(") }
        // Empty patterns are the same as none.
        #expect(devices(try collect(NetdevCollector(deviceInclude: "", deviceExclude: ""), paths: Fixtures.host)).count == 4)
    }

    @Test func malformedLinesNameTheFile() {
        for bad in ["eth0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16",            // no colon
                    "   : 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16",            // empty name
                    "eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15",              // 15 counters
                    "eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 x",            // not a number
                    "eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 18446744073709551616"] {  // overflow
            let error = #expect(throws: CollectorError.self, "\(bad)") {
                try NetdevCollector.parse(ArraySlice((header + bad + "\n").utf8), file: "/host/proc/net/dev")
            }
            #expect(error?.description.hasPrefix("/host/proc/net/dev: ") == true)
        }
    }

    @Test func headerIsSkippedAndExtraColumnsIgnored() throws {
        let lines = try NetdevCollector.parse(ArraySlice((header + "  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17\n\n").utf8))
        #expect(lines == [NetdevCollector.Line(device: "eth0", counters: Array(1...16))])
        #expect(try NetdevCollector.parse(ArraySlice(header.utf8)).isEmpty)
    }

    @Test func emptyAndMissingFiles() throws {
        let empty = try collect(NetdevCollector(), paths: Fixtures.edge("io-empty"))
        #expect(empty.map(\.name) == familyNames + ["node_network_receive_nohandler_total"])
        #expect(empty.allSatisfy { $0.samples.isEmpty })
        let error = #expect(throws: HostFileError.self) { try collect(NetdevCollector(), paths: Fixtures.edge("missing")) }
        #expect(error?.path == Fixtures.path("edge/missing/proc/net/dev"))
    }
}
