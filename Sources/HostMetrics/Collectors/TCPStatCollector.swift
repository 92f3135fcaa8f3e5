import Exposition

/// `/proc/net/tcp` and `/proc/net/tcp6`: `node_tcp_connection_states{state}`, the number of
/// TCP sockets in each state (only states that have sockets), plus node_exporter 1.5's two
/// extra "states" `rx_queued_bytes` and `tx_queued_bytes`: the sums of the receive and
/// transmit queue columns over all sockets (present whenever there is a socket).
///
/// node_exporter asks the kernel over netlink (`sock_diag`); the tables carry the same states
/// and queue sizes, except that for a listening socket netlink reports its backlog limit as the
/// transmit queue, which the table does not show (it is not a byte count either).
///
/// The IPv6 table is read when it exists; without the IPv4 table there are no families.
public struct TCPStatCollector: Collector {
    public let name = "tcpstat"

    /// The kernel's TCP state numbers (`include/net/tcp_states.h`) and node_exporter's names for them.
    static let stateNames: [UInt64: String] = [
        1: "established", 2: "syn_sent", 3: "syn_recv", 4: "fin_wait1", 5: "fin_wait2", 6: "time_wait",
        7: "close", 8: "close_wait", 9: "last_ack", 10: "listen", 11: "closing",
    ]

    /// Sockets per state number and queue totals over a set of tables.
    public struct Counts: Sendable, Equatable {
        public var states: [UInt64: UInt64] = [:]
        public var sockets: UInt64 = 0
        public var txQueued: UInt64 = 0
        public var rxQueued: UInt64 = 0

        public init() {}

        mutating func add(_ socket: ProcNet.Socket) {
            states[socket.state, default: 0] += 1
            sockets += 1
            txQueued &+= socket.txQueue
            rxQueued &+= socket.rxQueue
        }
    }

    private let chunkSize: Int

    /// The tables are read `chunkSize` bytes at a time: on a busy host they run to megabytes.
    public init(chunkSize: Int = 64 * 1024) {
        self.chunkSize = chunkSize
    }

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        var counts = Counts()
        guard try ProcNet.forEachSocket(atPath: context.paths.proc("net/tcp"), chunkSize: chunkSize, { counts.add($0) })
        else { return [] }
        _ = try ProcNet.forEachSocket(atPath: context.paths.proc("net/tcp6"), chunkSize: chunkSize) { counts.add($0) }
        return [Self.family(counts)]
    }

    /// Adds one table's sockets to `counts`.
    public static func count(_ bytes: ArraySlice<UInt8>, file: String = "/proc/net/tcp", into counts: inout Counts) throws {
        try ProcNet.forEachSocket(in: bytes, file: file) { counts.add($0) }
    }

    /// The family for these counts: one series per known state that has sockets, "unknown" for
    /// state numbers node_exporter has no name for, and the two queue totals when there are sockets.
    public static func family(_ counts: Counts) -> MetricFamily {
        var family = MetricFamily(name: "node_tcp_connection_states", type: .gauge,
                                  help: "TCP sockets per connection state, from /proc/net/tcp{,6}; the rx_queued_bytes and tx_queued_bytes states are the bytes in all sockets' receive and send queues.")
        var unknown: UInt64 = 0
        for (state, number) in counts.states.sorted(by: { $0.key < $1.key }) {
            if let name = stateNames[state] {
                family.add(Double(number), labels: [Label("state", name)])
            } else {
                unknown += number
            }
        }
        // node_exporter names every state number it does not know "unknown".
        if unknown > 0 { family.add(Double(unknown), labels: [Label("state", "unknown")]) }
        if counts.sockets > 0 {
            family.add(Double(counts.rxQueued), labels: [Label("state", "rx_queued_bytes")])
            family.add(Double(counts.txQueued), labels: [Label("state", "tx_queued_bytes")])
        }
        return family
    }
}
