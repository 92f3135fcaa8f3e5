import Exposition
import HostMetrics
import Testing

@Suite struct TCPStatCollectorTests {
    private func states(_ families: [MetricFamily]) -> [String: Double] {
        var result: [String: Double] = [:]
        for sample in families[family: "node_tcp_connection_states"]?.samples ?? [] {
            result[sample.labels.first { $0.name == "state" }!.value] = sample.value
        }
        return result
    }

    @Test func capturedHost() throws {
        // tcp: three listening sockets and two in TIME_WAIT; tcp6: none.
        let families = try collect(TCPStatCollector(), paths: Fixtures.host)
        #expect(families.map(\.name) == ["node_tcp_connection_states"])
        #expect(families[0].type == .gauge)
        #expect(states(families) == ["listen": 3, "time_wait": 2, "rx_queued_bytes": 0, "tx_queued_bytes": 0])
    }

    private static let ipv4OnlyStates: [String: Double] = [
        "established": 3, "syn_sent": 1, "syn_recv": 1, "fin_wait1": 1, "fin_wait2": 1, "time_wait": 2,
        "close_wait": 1, "last_ack": 1, "listen": 2, "closing": 1,
        // rx: 3 (accept queue of :22) + 0x1F4 + 0x10 + 0x2A; tx: 0x24 + 0x5A8 + 1 + 0x30.
        "rx_queued_bytes": 561, "tx_queued_bytes": 1533,
    ]

    @Test func everyStateAndTheQueues() throws {
        let families = try collect(TCPStatCollector(), paths: Fixtures.edge("net-ipv4-only"))
        #expect(states(families) == Self.ipv4OnlyStates)
    }

    @Test func chunkedReadsGiveTheSameCounts() throws {
        for chunk in [1, 64, 149, 150, 151, 4096] {
            let families = try collect(TCPStatCollector(chunkSize: chunk), paths: Fixtures.edge("net-ipv4-only"))
            #expect(states(families) == Self.ipv4OnlyStates, "chunk \(chunk)")
        }
    }

    @Test func ipv6IsAddedAndUnknownStatesNamed() throws {
        var counts = TCPStatCollector.Counts()
        let header = "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
        let established = "   0: 0000000000000000FFFF00000100007F:1F90 0000000000000000FFFF00000100007F:D3C2 01 00000005:00000007 00:00000000 00000000     0        0 4242 1 0000000000000000 20 4 30 10 -1\n"
        let odd = "   1: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0D 00000000:00000000 00:00000000 00000000     0        0 4243 1 0000000000000000 100 0 0 10 0\n"
        try TCPStatCollector.count(ArraySlice((header + established + established + odd).utf8), into: &counts)
        #expect(counts.states == [1: 2, 13: 1])
        #expect(counts.sockets == 3)
        #expect(counts.txQueued == 10)
        #expect(counts.rxQueued == 14)
        #expect(states([TCPStatCollector.family(counts)]) == [
            "established": 2, "unknown": 1, "rx_queued_bytes": 14, "tx_queued_bytes": 10,
        ])
    }

    @Test func eachStateNumberHasItsName() {
        var counts = TCPStatCollector.Counts()
        for state in UInt64(1)...12 { counts.states[state] = state }
        counts.sockets = 78
        #expect(states([TCPStatCollector.family(counts)]) == [
            "established": 1, "syn_sent": 2, "syn_recv": 3, "fin_wait1": 4, "fin_wait2": 5, "time_wait": 6,
            "close": 7, "close_wait": 8, "last_ack": 9, "listen": 10, "closing": 11, "unknown": 12,
            "rx_queued_bytes": 0, "tx_queued_bytes": 0,
        ])
    }

    @Test func noSocketsNoSeries() throws {
        var counts = TCPStatCollector.Counts()
        try TCPStatCollector.count(ArraySlice("  sl  local_address rem_address   st tx_queue rx_queue\n".utf8), into: &counts)
        #expect(counts == TCPStatCollector.Counts())
        #expect(TCPStatCollector.family(counts).samples.isEmpty)
    }

    @Test func malformedInput() {
        let error = #expect(throws: CollectorError.self) { try collect(TCPStatCollector(), paths: Fixtures.edge("net-malformed")) }
        #expect(error?.description.contains("/proc/net/tcp") == true)
    }

    @Test func missingFilesMeanNoFamilies() throws {
        #expect(try collect(TCPStatCollector(), paths: Fixtures.edge("missing")).isEmpty)
    }
}
