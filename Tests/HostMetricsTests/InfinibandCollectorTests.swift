import Exposition
@testable import HostMetrics
import Testing

@Suite struct InfinibandCollectorTests {
    static let mlx5 = ["device": "mlx5_0", "port": "1"]

    @Test func adapterInfoWithAndWithoutHCAType() throws {
        let families = try collect(InfinibandCollector(), paths: Fixtures.edge("infiniband"))
        #expect(families.value("node_infiniband_info", [
            "device": "mlx5_0", "board_id": "MT_0000000222", "firmware_version": "16.35.2000", "hca_type": "MT4119",
        ]) == 1)
        #expect(families.value("node_infiniband_info", [
            "device": "irdma0", "board_id": "I40IW Board ID", "firmware_version": "1.52", "hca_type": "",
        ]) == 1)
        #expect(families[family: "node_infiniband_info"]?.samples.count == 3)
    }

    @Test func portStatesAndRates() throws {
        let families = try collect(InfinibandCollector(), paths: Fixtures.edge("infiniband"))
        #expect(families.value("node_infiniband_state_id", Self.mlx5) == 4)
        #expect(families.value("node_infiniband_physical_state_id", Self.mlx5) == 5)
        #expect(families.value("node_infiniband_state_id", ["device": "mlx4_0", "port": "2"]) == 1)
        #expect(families.value("node_infiniband_physical_state_id", ["device": "mlx4_0", "port": "2"]) == 2)
        // Gb/s × 125 000 000.
        #expect(families.value("node_infiniband_rate_bytes_per_second", Self.mlx5) == 12_500_000_000)
        #expect(families.value("node_infiniband_rate_bytes_per_second", ["device": "mlx4_0", "port": "1"]) == 7_000_000_000)
        #expect(families.value("node_infiniband_rate_bytes_per_second", ["device": "mlx4_0", "port": "2"]) == 1_250_000_000)
        #expect(families.value("node_infiniband_rate_bytes_per_second", ["device": "irdma0", "port": "1"]) == 312_500_000)
    }

    @Test func portCountersWithDataWordsTimesFour() throws {
        let families = try collect(InfinibandCollector(), paths: Fixtures.edge("infiniband"))
        #expect(families.value("node_infiniband_port_data_received_bytes_total", Self.mlx5) == 3_950_617_284)    // 987654321 × 4
        #expect(families.value("node_infiniband_port_data_transmitted_bytes_total", Self.mlx5) == 2_220_000_444) // 555000111 × 4
        #expect(families.value("node_infiniband_port_packets_received_total", Self.mlx5) == 123_456_789_012)
        #expect(families.value("node_infiniband_port_packets_transmitted_total", Self.mlx5) == 98_765_432_109)
        #expect(families.value("node_infiniband_unicast_packets_received_total", Self.mlx5) == 123_456_740_799)
        #expect(families.value("node_infiniband_unicast_packets_transmitted_total", Self.mlx5) == 98_765_430_819)
        #expect(families.value("node_infiniband_multicast_packets_received_total", Self.mlx5) == 48_213)
        #expect(families.value("node_infiniband_multicast_packets_transmitted_total", Self.mlx5) == 1_290)
        #expect(families.value("node_infiniband_port_transmit_wait_total", Self.mlx5) == 4_294_967_295)
        #expect(families.value("node_infiniband_symbol_error_total", Self.mlx5) == 11)
        #expect(families.value("node_infiniband_link_downed_total", Self.mlx5) == 1)
        #expect(families.value("node_infiniband_link_error_recovery_total", Self.mlx5) == 3)
        #expect(families.value("node_infiniband_port_discards_received_total", Self.mlx5) == 7)
        #expect(families.value("node_infiniband_port_discards_transmitted_total", Self.mlx5) == 4)
        #expect(families.value("node_infiniband_port_errors_received_total", Self.mlx5) == 2)
        #expect(families.value("node_infiniband_vl15_dropped_total", Self.mlx5) == 0)
        #expect(families.value("node_infiniband_excessive_buffer_overrun_errors_total", Self.mlx5) == 0)
        #expect(families.value("node_infiniband_local_link_integrity_errors_total", Self.mlx5) == 0)
        #expect(families.value("node_infiniband_port_constraint_errors_received_total", Self.mlx5) == 0)
        #expect(families.value("node_infiniband_port_constraint_errors_transmitted_total", Self.mlx5) == 0)
        #expect(families.value("node_infiniband_port_receive_remote_physical_errors_total", Self.mlx5) == 0)
        #expect(families.value("node_infiniband_port_receive_switch_relay_errors_total", Self.mlx5) == 0)
        // No counters_ext on mlx5: no legacy series for it.
        #expect(families.value("node_infiniband_legacy_data_received_bytes_total", Self.mlx5) == nil)
    }

    @Test func legacyExtendedCounters() throws {
        let families = try collect(InfinibandCollector(), paths: Fixtures.edge("infiniband"))
        let port1 = ["device": "mlx4_0", "port": "1"]
        #expect(families.value("node_infiniband_legacy_data_received_bytes_total", port1) == 18_527_668)   // 4631917 × 4
        #expect(families.value("node_infiniband_legacy_data_transmitted_bytes_total", port1) == 14_933_760) // 3733440 × 4
        #expect(families.value("node_infiniband_legacy_packets_received_total", port1) == 62_300)
        #expect(families.value("node_infiniband_legacy_packets_transmitted_total", port1) == 61_355)
        #expect(families.value("node_infiniband_legacy_unicast_packets_received_total", port1) == 61_148)
        #expect(families.value("node_infiniband_legacy_unicast_packets_transmitted_total", port1) == 61_239)
        #expect(families.value("node_infiniband_legacy_multicast_packets_received_total", port1) == 93)
        #expect(families.value("node_infiniband_legacy_multicast_packets_transmitted_total", port1) == 16)
        #expect(families.value("node_infiniband_port_data_received_bytes_total", port1) == 18_527_668)
        // Port 2 has only three counters.
        let port2 = ["device": "mlx4_0", "port": "2"]
        #expect(families.value("node_infiniband_port_data_received_bytes_total", port2) == 0)
        #expect(families.value("node_infiniband_link_downed_total", port2) == 0)
        #expect(families.value("node_infiniband_unicast_packets_received_total", port2) == nil)
    }

    @Test func countersWithoutAPerformanceAgentAreLeftOut() throws {
        let families = try collect(InfinibandCollector(), paths: Fixtures.edge("infiniband"))
        let irdma = ["device": "irdma0", "port": "1"]
        for family in families where family.type == .counter {
            #expect(families.value(family.name, irdma) == nil, "\(family.name)")
        }
        #expect(families.value("node_infiniband_state_id", irdma) == 4)
    }

    @Test func namesTypesAndLabelNames() throws {
        let families = try collect(InfinibandCollector(), paths: Fixtures.edge("infiniband"))
        let gauges: Set = ["node_infiniband_info", "node_infiniband_state_id", "node_infiniband_physical_state_id",
                           "node_infiniband_rate_bytes_per_second"]
        #expect(families.count == 34)
        #expect(Set(families.map(\.name)).count == 34)
        for family in families {
            #expect(family.name.hasPrefix("node_infiniband_"))
            #expect(family.type == (gauges.contains(family.name) ? .gauge : .counter), "\(family.name)")
            #expect(gauges.contains(family.name) || family.name.hasSuffix("_total"))
            for sample in family.samples {
                let labels = Set(sample.labels.map(\.name))
                #expect(labels == (family.name == "node_infiniband_info"
                    ? ["device", "board_id", "firmware_version", "hca_type"] : ["device", "port"]))
            }
        }
    }

    @Test func malformedCounterIsAnErrorNamingTheFile() {
        let error = #expect(throws: CollectorError.self) {
            try collect(InfinibandCollector(), paths: Fixtures.edge("infiniband-malformed"))
        }
        #expect(error?.description.contains("mlx5_0/ports/1/counters/port_rcv_data") == true)
    }

    @Test func stateAndRateParsing() throws {
        #expect(try InfinibandCollector.parseStateID(ArraySlice("4: ACTIVE".utf8), file: "state") == 4)
        #expect(try InfinibandCollector.parseStateID(ArraySlice("5: LinkUp".utf8), file: "phys_state") == 5)
        #expect(throws: CollectorError.self) { try InfinibandCollector.parseStateID(ArraySlice("ACTIVE".utf8), file: "state") }
        #expect(throws: CollectorError.self) { try InfinibandCollector.parseStateID(ArraySlice("x: ACTIVE".utf8), file: "state") }
        #expect(try InfinibandCollector.parseRate(ArraySlice("200 Gb/sec (4X HDR)".utf8), file: "rate") == 25_000_000_000)
        #expect(try InfinibandCollector.parseRate(ArraySlice("14.0625 Gb/sec (1X FDR)".utf8), file: "rate") == 1_757_812_500)
        #expect(throws: CollectorError.self) { try InfinibandCollector.parseRate(ArraySlice("fast".utf8), file: "rate") }
        #expect(throws: CollectorError.self) { try InfinibandCollector.parseRate(ArraySlice("-1 Gb/sec".utf8), file: "rate") }
    }

    @Test func noInfiniBandMeansNoFamilies() throws {
        #expect(try collect(InfinibandCollector(), paths: Fixtures.host).isEmpty)
    }

    @Test func catalogEntryIsOnByDefault() throws {
        #expect(try #require(CollectorCatalog.entry("infiniband")).enabledByDefault)
    }
}
