import Exposition

/// `/proc/net/udp` and `/proc/net/udp6`: `node_udp_queues{ip="v4"|"v6",queue="tx"|"rx"}`, the
/// bytes queued in all UDP sockets' send and receive buffers (the sums of the `tx_queue` and
/// `rx_queue` columns).
///
/// A table that does not exist (IPv6 disabled) contributes no series.
public struct UDPQueuesCollector: Collector {
    public let name = "udp_queues"

    private let chunkSize: Int

    /// The tables are read `chunkSize` bytes at a time (they grow with the number of sockets).
    public init(chunkSize: Int = 64 * 1024) {
        self.chunkSize = chunkSize
    }

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        var family = MetricFamily(name: "node_udp_queues", type: .gauge,
                                  help: "Bytes queued in UDP sockets' buffers, by IP version and direction, from /proc/net/udp{,6}.")
        for (relative, version) in [("net/udp", "v4"), ("net/udp6", "v6")] {
            var tx: UInt64 = 0
            var rx: UInt64 = 0
            let present = try ProcNet.forEachSocket(atPath: context.paths.proc(relative), chunkSize: chunkSize) { socket in
                tx &+= socket.txQueue
                rx &+= socket.rxQueue
            }
            guard present else { continue }
            family.add(Double(tx), ["queue": "tx", "ip": version])
            family.add(Double(rx), ["queue": "rx", "ip": version])
        }
        return family.samples.isEmpty ? [] : [family]
    }

    /// The sums of the transmit and receive queue columns over every socket line.
    public static func queueTotals(_ bytes: ArraySlice<UInt8>, file: String = "/proc/net/udp") throws -> (tx: UInt64, rx: UInt64) {
        var tx: UInt64 = 0
        var rx: UInt64 = 0
        try ProcNet.forEachSocket(in: bytes, file: file) { socket in
            tx &+= socket.txQueue
            rx &+= socket.rxQueue
        }
        return (tx, rx)
    }
}
