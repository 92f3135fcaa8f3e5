import Exposition

/// IP Virtual Server: totals from `/proc/net/ip_vs_stats` (`node_ipvs_connections_total`,
/// `node_ipvs_{incoming,outgoing}_{packets,bytes}_total`) and, per real server of each virtual
/// service in `/proc/net/ip_vs`, `node_ipvs_backend_connections_active`,
/// `node_ipvs_backend_connections_inactive` and `node_ipvs_backend_weight`, labelled with the
/// chosen subset of `local_address, local_port, remote_address, remote_port, proto, local_mark`
/// (backends that share the chosen labels are summed).
///
/// Without `/proc/net/ip_vs_stats` (the ip_vs module is not loaded) there are no families.
public struct IPVSCollector: Collector {
    public let name = "ipvs"

    /// Every backend label, in the order node_exporter writes them.
    public static let allBackendLabels = ["local_address", "local_port", "remote_address", "remote_port", "proto", "local_mark"]

    /// The global counters of `/proc/net/ip_vs_stats`.
    public struct Totals: Sendable, Equatable {
        public var connections: UInt64
        public var incomingPackets: UInt64
        public var outgoingPackets: UInt64
        public var incomingBytes: UInt64
        public var outgoingBytes: UInt64

        public init(connections: UInt64, incomingPackets: UInt64, outgoingPackets: UInt64, incomingBytes: UInt64, outgoingBytes: UInt64) {
            self.connections = connections
            self.incomingPackets = incomingPackets
            self.outgoingPackets = outgoingPackets
            self.incomingBytes = incomingBytes
            self.outgoingBytes = outgoingBytes
        }
    }

    /// One real server (`->` line) with the virtual service above it.
    public struct Backend: Sendable, Equatable {
        /// The virtual address; empty for a firewall-mark service.
        public var localAddress: String
        /// 0 for a firewall-mark service.
        public var localPort: UInt16
        /// The mark as the file writes it (eight hex digits); empty for an address service.
        public var localMark: String
        /// `TCP`, `UDP`, `SCTP`, ... or `FWM`.
        public var proto: String
        public var remoteAddress: String
        public var remotePort: UInt16
        public var weight: UInt64
        public var activeConnections: UInt64
        public var inactiveConnections: UInt64

        public func label(_ name: String) -> String {
            switch name {
            case "local_address": localAddress
            case "local_port": String(localPort)
            case "remote_address": remoteAddress
            case "remote_port": String(remotePort)
            case "proto": proto
            case "local_mark": localMark
            default: ""
            }
        }
    }

    private let backendLabels: [String]

    /// `backendLabels`: the labels to keep, from `--collector.ipvs.backend-labels` (comma separated,
    /// empty items ignored). Throws on a label that is not one of `allBackendLabels`.
    public init(backendLabels: String = IPVSCollector.allBackendLabels.joined(separator: ",")) throws {
        let chosen = Set(backendLabels.split(separator: ",").map(String.init))
        let unknown = chosen.subtracting(Self.allBackendLabels).sorted()
        guard unknown.isEmpty else {
            throw CollectorError("--collector.ipvs.backend-labels: unknown label(s) \(unknown.joined(separator: ", ")); known: \(Self.allBackendLabels.joined(separator: ","))")
        }
        self.backendLabels = Self.allBackendLabels.filter(chosen.contains)
    }

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let statsPath = context.paths.proc("net/ip_vs_stats")
        guard let statsBytes = try context.reader.readIfPresent(statsPath) else { return [] }
        let totals = try Self.parseStats(statsBytes, file: statsPath)
        var families: [MetricFamily] = [
            .single("node_ipvs_connections_total", .counter,
                    help: "Connections IPVS has scheduled, from /proc/net/ip_vs_stats.", value: Double(totals.connections)),
            .single("node_ipvs_incoming_packets_total", .counter,
                    help: "Packets IPVS has handled towards the real servers, from /proc/net/ip_vs_stats.",
                    value: Double(totals.incomingPackets)),
            .single("node_ipvs_outgoing_packets_total", .counter,
                    help: "Packets IPVS has handled from the real servers, from /proc/net/ip_vs_stats.",
                    value: Double(totals.outgoingPackets)),
            .single("node_ipvs_incoming_bytes_total", .counter,
                    help: "Bytes IPVS has handled towards the real servers, from /proc/net/ip_vs_stats.",
                    value: Double(totals.incomingBytes)),
            .single("node_ipvs_outgoing_bytes_total", .counter,
                    help: "Bytes IPVS has handled from the real servers, from /proc/net/ip_vs_stats.",
                    value: Double(totals.outgoingBytes)),
        ]
        let tablePath = context.paths.proc("net/ip_vs")
        let backends = try Self.parseBackends(context.reader.read(tablePath), file: tablePath)
        families += self.backendFamilies(backends)
        return families
    }

    func backendFamilies(_ backends: [Backend]) -> [MetricFamily] {
        var active = MetricFamily(name: "node_ipvs_backend_connections_active", type: .gauge,
                                  help: "Active connections to the real server of a virtual service, from /proc/net/ip_vs.")
        var inactive = MetricFamily(name: "node_ipvs_backend_connections_inactive", type: .gauge,
                                    help: "Inactive connections (not established, or closing) to the real server of a virtual service, from /proc/net/ip_vs.")
        var weight = MetricFamily(name: "node_ipvs_backend_weight", type: .gauge,
                                  help: "Scheduling weight of the real server in a virtual service, from /proc/net/ip_vs.")
        // Backends that agree on every chosen label become one series with their values summed.
        var order: [[String]] = []
        var sums: [[String]: (active: UInt64, inactive: UInt64, weight: UInt64)] = [:]
        for backend in backends {
            let key = backendLabels.map(backend.label)
            if sums[key] == nil { order.append(key) }
            let sum = sums[key] ?? (0, 0, 0)
            sums[key] = (sum.active &+ backend.activeConnections, sum.inactive &+ backend.inactiveConnections,
                         sum.weight &+ backend.weight)
        }
        for key in order {
            let sum = sums[key]!
            let labels = zip(backendLabels, key).map { Label($0, $1) }
            active.add(Double(sum.active), labels: labels)
            inactive.add(Double(sum.inactive), labels: labels)
            weight.add(Double(sum.weight), labels: labels)
        }
        return [active, inactive, weight]
    }

    /// `/proc/net/ip_vs_stats`: two header lines, then the five hexadecimal totals (connections,
    /// incoming packets, outgoing packets, incoming bytes, outgoing bytes); the per-second rates
    /// after them are not used.
    public static func parseStats(_ bytes: ArraySlice<UInt8>, file: String = "/proc/net/ip_vs_stats") throws -> Totals {
        let lines = bytes.lines()
        guard lines.count >= 3 else { throw CollectorError("\(file): too short (\(lines.count) lines)") }
        let fields = lines[2].fields()
        guard fields.count == 5 else {
            throw CollectorError("\(file): expected 5 totals on the third line, got \(fields.count): \(lines[2].prefix(120).string)")
        }
        let values = fields.compactMap(ProcNet.hex)
        guard values.count == 5 else {
            throw CollectorError("\(file): totals are not hexadecimal: \(lines[2].prefix(120).string)")
        }
        return Totals(connections: values[0], incomingPackets: values[1], outgoingPackets: values[2],
                      incomingBytes: values[3], outgoingBytes: values[4])
    }

    /// `/proc/net/ip_vs`: three header lines, then each virtual service
    /// (`TCP  0A000001:0050 wlc`, `UDP  [2001:0db8:...:0001]:0035 rr`, `FWM  0000000A wlc`) followed
    /// by its real servers (`  -> 0A000002:0050      Masq    100    12         3`). A real
    /// server before any service, or an address, port or number that does not parse, throws
    /// naming the file.
    public static func parseBackends(_ bytes: ArraySlice<UInt8>, file: String = "/proc/net/ip_vs") throws -> [Backend] {
        var result: [Backend] = []
        var service: (proto: String, address: String, port: UInt16, mark: String)? = nil
        for line in bytes.lines() {
            let fields = line.fields()
            guard fields.count >= 2 else { continue }
            if fields[0].equals("IP") || fields[0].equals("Prot") || fields[1].equals("RemoteAddress:Port") { continue }
            if fields[0].equals("->") {
                guard let current = service else {
                    throw CollectorError("\(file): real server before any virtual service: \(line.prefix(160).string)")
                }
                guard fields.count >= 6, let remote = parseAddressAndPort(fields[1]),
                      let weight = fields[3].parseUInt64(), let active = fields[4].parseUInt64(),
                      let inactive = fields[5].parseUInt64()
                else {
                    throw CollectorError("\(file): malformed real server line: \(line.prefix(160).string)")
                }
                result.append(Backend(localAddress: current.address, localPort: current.port, localMark: current.mark,
                                      proto: current.proto, remoteAddress: remote.address, remotePort: remote.port,
                                      weight: weight, activeConnections: active, inactiveConnections: inactive))
            } else if fields[0].equals("FWM") {
                service = ("FWM", "", 0, fields[1].string)
            } else {
                guard let local = parseAddressAndPort(fields[1]) else {
                    throw CollectorError("\(file): malformed virtual service line: \(line.prefix(160).string)")
                }
                service = (fields[0].string, local.address, local.port, "")
            }
        }
        return result
    }

    /// `C0A80016:0CEA` (IPv4, hex) or `[2001:0db8:0000:0000:0000:0000:0000:0001]:0CEA`
    /// (IPv6, the kernel's full form); the address as Go's `net.IP.String` writes it.
    static func parseAddressAndPort(_ field: ArraySlice<UInt8>) -> (address: String, port: UInt16)? {
        guard let colon = field.lastIndex(of: UInt8(ascii: ":")), field.endIndex - colon == 5,
              let port = ProcNet.hex(field[(colon + 1)...])
        else { return nil }
        let host = field[..<colon]
        if host.first == UInt8(ascii: "[") {
            guard host.last == UInt8(ascii: "]"), let bytes = parseFullIPv6(host.dropFirst().dropLast()) else { return nil }
            return (ProcNet.ipv6String(bytes), UInt16(port))
        }
        guard host.count == 8, let value = ProcNet.hex(host) else { return nil }
        return (ProcNet.ipv4String(UInt32(value)), UInt16(port))
    }

    /// Eight groups of four hex digits separated by `:` (how `%pI6` prints), as 16 bytes.
    static func parseFullIPv6(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        let groups = text.split(byte: UInt8(ascii: ":"))
        guard groups.count == 8 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        for group in groups {
            guard group.count == 4, let value = ProcNet.hex(group) else { return nil }
            bytes.append(UInt8(value >> 8))
            bytes.append(UInt8(value & 0xFF))
        }
        return bytes
    }
}
