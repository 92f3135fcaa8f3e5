import Exposition
@testable import HostMetrics
import Testing

@Suite struct FibrechannelCollectorTests {
    @Test func infoLabelsWithHexIdentifiersStripped() throws {
        let families = try collect(FibrechannelCollector(), paths: Fixtures.edge("fibrechannel"))
        #expect(families.value("node_fibrechannel_info", [
            "fc_host": "host0", "dev_loss_tmo": "30", "fabric_name": "100000051e0a2b3c", "port_id": "010a00",
            "port_name": "10000090fa942d1e", "port_state": "Online", "port_type": "NPort (fabric via point-to-point)",
            "speed": "16 Gbit", "supported_classes": "Class 3", "supported_speeds": "4 Gbit, 8 Gbit, 16 Gbit",
            "symbolic_name": "Emulex LPe16002B-M6 FV11.4.204.25 DV12.8.0.10 HN:db-07 OS:Linux",
        ]) == 1)
        // "0x0" keeps its last digit, as node_exporter does.
        #expect(families.value("node_fibrechannel_info", [
            "fc_host": "host1", "dev_loss_tmo": "60", "fabric_name": "0", "port_id": "000000",
            "port_name": "21000024ff7e1a01", "port_state": "Linkdown", "port_type": "Unknown",
            "speed": "unknown", "supported_classes": "Class 3", "supported_speeds": "8 Gbit, 16 Gbit, 32 Gbit",
            "symbolic_name": "QLE2742 FW:v8.08.231 DVR:v10.02.07.900-k",
        ]) == 1)
    }

    @Test func hexadecimalStatistics() throws {
        let families = try collect(FibrechannelCollector(), paths: Fixtures.edge("fibrechannel"))
        let host0 = ["fc_host": "host0"]
        #expect(families.value("node_fibrechannel_rx_frames_total", host0) == 439_041_101)      // 0x1a2b3c4d
        #expect(families.value("node_fibrechannel_rx_words_total", host0) == 203_181_136_764)   // 0x2f4e8a1b7c
        #expect(families.value("node_fibrechannel_tx_frames_total", host0) == 435_216_850)      // 0x19f0e1d2
        #expect(families.value("node_fibrechannel_tx_words_total", host0) == 189_469_183_824)   // 0x2c1d3e4f50
        #expect(families.value("node_fibrechannel_seconds_since_last_reset_total", host0) == 604_800) // 0x93a80
        #expect(families.value("node_fibrechannel_invalid_tx_words_total", host0) == 456)       // 0x1c8
        #expect(families.value("node_fibrechannel_fcp_packet_aborts_total", host0) == 43)       // 0x2b
        #expect(families.value("node_fibrechannel_invalid_crc_total", host0) == 3)
        #expect(families.value("node_fibrechannel_link_failure_total", host0) == 2)
        #expect(families.value("node_fibrechannel_loss_of_sync_total", host0) == 6)
        #expect(families.value("node_fibrechannel_loss_of_signal_total", host0) == 0)
        #expect(families.value("node_fibrechannel_nos_total", host0) == 1)
        #expect(families.value("node_fibrechannel_error_frames_total", host0) == 0)
        #expect(families.value("node_fibrechannel_seconds_since_last_reset_total", ["fc_host": "host1"]) == 30)
    }

    @Test func unimplementedAndAbsentStatisticsAreLeftOut() throws {
        let families = try collect(FibrechannelCollector(), paths: Fixtures.edge("fibrechannel"))
        // All ones: the firmware does not count it.
        #expect(families.value("node_fibrechannel_dumped_frames_total", ["fc_host": "host0"]) == nil)
        #expect(families.value("node_fibrechannel_nos_total", ["fc_host": "host1"]) == nil)
        // host1's driver has no fcp_packet_aborts file.
        #expect(families.value("node_fibrechannel_fcp_packet_aborts_total", ["fc_host": "host1"]) == nil)
        #expect(families[family: "node_fibrechannel_dumped_frames_total"]?.samples.isEmpty == true)
    }

    @Test func namesTypesAndLabelNames() throws {
        let families = try collect(FibrechannelCollector(), paths: Fixtures.edge("fibrechannel"))
        let names = Set(families.filter { !$0.samples.isEmpty }.map(\.name))
        #expect(names == [
            "node_fibrechannel_info", "node_fibrechannel_error_frames_total", "node_fibrechannel_fcp_packet_aborts_total",
            "node_fibrechannel_invalid_crc_total", "node_fibrechannel_invalid_tx_words_total",
            "node_fibrechannel_link_failure_total", "node_fibrechannel_loss_of_signal_total",
            "node_fibrechannel_loss_of_sync_total", "node_fibrechannel_nos_total", "node_fibrechannel_rx_frames_total",
            "node_fibrechannel_rx_words_total", "node_fibrechannel_seconds_since_last_reset_total",
            "node_fibrechannel_tx_frames_total", "node_fibrechannel_tx_words_total",
        ])
        for family in families {
            #expect(family.type == (family.name == "node_fibrechannel_info" ? .gauge : .counter))
            for sample in family.samples {
                let labels = Set(sample.labels.map(\.name))
                if family.name == "node_fibrechannel_info" {
                    #expect(labels == ["fc_host", "speed", "port_state", "port_type", "port_id", "port_name", "fabric_name",
                                       "symbolic_name", "supported_classes", "supported_speeds", "dev_loss_tmo"])
                } else {
                    #expect(labels == ["fc_host"])
                }
            }
        }
    }

    @Test func malformedStatisticIsAnErrorNamingTheFile() {
        let error = #expect(throws: CollectorError.self) {
            try collect(FibrechannelCollector(), paths: Fixtures.edge("fibrechannel-malformed"))
        }
        #expect(error?.description.contains("fc_host/host0/statistics/rx_frames") == true)
    }

    @Test func noFibreChannelMeansNoFamilies() throws {
        #expect(try collect(FibrechannelCollector(), paths: Fixtures.host).isEmpty)
    }

    @Test func catalogEntryIsOnByDefault() throws {
        #expect(try #require(CollectorCatalog.entry("fibrechannel")).enabledByDefault)
    }
}
