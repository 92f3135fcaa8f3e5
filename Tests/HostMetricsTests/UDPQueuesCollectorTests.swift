import Exposition
import HostMetrics
import Testing

@Suite struct UDPQueuesCollectorTests {
    @Test func capturedHost() throws {
        // Both tables hold only their header.
        let families = try collect(UDPQueuesCollector(), paths: Fixtures.host)
        #expect(families.map(\.name) == ["node_udp_queues"])
        #expect(families[0].type == .gauge)
        #expect(families[0].samples.count == 4)
        for ip in ["v4", "v6"] {
            for queue in ["tx", "rx"] {
                #expect(families.value("node_udp_queues", ["ip": ip, "queue": queue]) == 0)
            }
        }
    }

    @Test func queuesAreSummedOverSockets() throws {
        // tx_queue:rx_queue 0:0, 0:300, 0:1100, 200:0 (hex); no udp6.
        let families = try collect(UDPQueuesCollector(), paths: Fixtures.edge("net-ipv4-only"))
        #expect(families[family: "node_udp_queues"]?.samples.count == 2)
        #expect(families.value("node_udp_queues", ["ip": "v4", "queue": "tx"]) == 512)
        #expect(families.value("node_udp_queues", ["ip": "v4", "queue": "rx"]) == 5120)
        #expect(families.value("node_udp_queues", ["ip": "v6", "queue": "tx"]) == nil)
    }

    @Test func chunkedReadsGiveTheSameSums() throws {
        // Chunks smaller than a line (the buffer grows), around a line's length, and larger.
        for chunk in [1, 16, 100, 128, 129, 130, 1000] {
            let families = try collect(UDPQueuesCollector(chunkSize: chunk), paths: Fixtures.edge("net-ipv4-only"))
            #expect(families.value("node_udp_queues", ["ip": "v4", "queue": "tx"]) == 512, "chunk \(chunk)")
            #expect(families.value("node_udp_queues", ["ip": "v4", "queue": "rx"]) == 5120, "chunk \(chunk)")
        }
    }

    @Test func lastLineWithoutNewline() throws {
        // Two sockets, 0:100 and 40:300 (hex), the second not followed by a newline.
        for chunk in [16, 64 * 1024] {
            let families = try collect(UDPQueuesCollector(chunkSize: chunk), paths: Fixtures.edge("udp-unterminated"))
            #expect(families.value("node_udp_queues", ["ip": "v4", "queue": "tx"]) == 64)
            #expect(families.value("node_udp_queues", ["ip": "v4", "queue": "rx"]) == 1024)
        }
    }

    @Test func ipv6Table() throws {
        let header = "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
        let line = "  512: 00000000000000000000000001000000:0222 00000000000000000000000000000000:0000 07 00000010:0000FF00 00:00000000 00000000     0        0 3113 2 0000000000000000 0\n"
        let totals = try UDPQueuesCollector.queueTotals(ArraySlice((header + line + line).utf8))
        #expect(totals.tx == 32)
        #expect(totals.rx == 2 * 0xFF00)
    }

    @Test func malformedInput() {
        let header = "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
        let bad = [
            "    0: 0100007F:0035 00000000:0000 07 00000000 00:00000000 00000000     0        0 1 2 0 0\n",        // no rx_queue
            "    0: 0100007F:0035 00000000:0000 07 0000000Z:00000000 00:00000000 00000000     0        0 1 2 0 0\n", // not hex
            "    0: 0100007F:0035 00000000:0000 07 00000000:00000000\n",                                            // too few columns
            "    x: 0100007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1 2 0 0\n", // no sl
            "    0: 0100007F 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1 2 0 0\n",      // no port
        ]
        for line in bad {
            #expect(throws: CollectorError.self, "\(line)") { try UDPQueuesCollector.queueTotals(ArraySlice((header + line).utf8)) }
        }
        let error = #expect(throws: CollectorError.self) { try collect(UDPQueuesCollector(), paths: Fixtures.edge("net-malformed")) }
        #expect(error?.description.contains("/proc/net/udp") == true)
    }

    @Test func missingFilesMeanNoFamilies() throws {
        #expect(try collect(UDPQueuesCollector(), paths: Fixtures.edge("missing")).isEmpty)
    }
}
