#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Exposition

/// Interface addresses, psutil's `net_if_addrs`: one `nimbus_network_address_info` series per
/// address of every interface (IPv4, IPv6 and the hardware address), from `getifaddrs(3)`.
///
/// `getifaddrs` asks the running kernel over netlink about the exporter's own network namespace;
/// it does not read `--path.procfs` or `--path.sysfs`. In a container, the host's addresses are
/// seen only with the host's network namespace (`--network host`, `hostNetwork: true`).
/// psutil's `net_if_stats` (up, duplex, speed, MTU) is the netclass collector's
/// `node_network_up`, `node_network_info{duplex}`, `node_network_speed_bytes` and
/// `node_network_mtu_bytes`, so it is not repeated here.
public struct NetifCollector: Collector {
    public let name = "netif"
    private let filter: NameFilter

    public init(deviceInclude: String? = nil, deviceExclude: String? = nil) throws {
        if let deviceInclude, !deviceInclude.isEmpty, let deviceExclude, !deviceExclude.isEmpty {
            throw CollectorError("netif: device-include and device-exclude are mutually exclusive")
        }
        filter = try NameFilter(include: deviceInclude, exclude: deviceExclude)
    }

    /// One address of one interface, as strings ready for labels. Empty strings are left out of
    /// the labels.
    public struct Address: Sendable, Equatable {
        public var device: String
        public var family: SocketAddress.Family
        public var address: String
        public var netmask: String = ""
        public var prefixLength: Int?
        public var broadcast: String = ""
        /// The other end of a point-to-point link (psutil's `ptp`).
        public var peer: String = ""

        public init(device: String, family: SocketAddress.Family, address: String, netmask: String = "",
                    prefixLength: Int? = nil, broadcast: String = "", peer: String = "") {
            self.device = device
            self.family = family
            self.address = address
            self.netmask = netmask
            self.prefixLength = prefixLength
            self.broadcast = broadcast
            self.peer = peer
        }
    }

    /// `IFF_BROADCAST` and `IFF_POINTOPOINT` of `<net/if.h>`.
    static let broadcastFlag: UInt32 = 0x2
    static let pointToPointFlag: UInt32 = 0x10

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        [Self.family(try Self.interfaceAddresses().filter { filter.accepts($0.device) })]
    }

    public static func family(_ addresses: [Address]) -> MetricFamily {
        var family = MetricFamily(name: "nimbus_network_address_info", type: .gauge,
                                  help: "Addresses of the network interfaces (getifaddrs of the exporter's network namespace; always 1).")
        for address in addresses {
            var labels = [Label("device", address.device), Label("family", address.family.rawValue),
                          Label("address", address.address)]
            if !address.netmask.isEmpty { labels.append(Label("netmask", address.netmask)) }
            if let prefix = address.prefixLength { labels.append(Label("prefix_length", String(prefix))) }
            if !address.broadcast.isEmpty { labels.append(Label("broadcast", address.broadcast)) }
            if !address.peer.isEmpty { labels.append(Label("peer", address.peer)) }
            family.add(1, labels: labels)
        }
        return family
    }

    /// Every address `getifaddrs` lists, in its order; entries without an address or of other
    /// families (CAN, ...) are skipped.
    public static func interfaceAddresses() throws -> [Address] {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0 else {
            throw CollectorError("getifaddrs: \(String(cString: strerror(errno)))")
        }
        defer { freeifaddrs(list) }
        var result: [Address] = []
        var cursor = list
        while let entry = cursor {
            cursor = entry.pointee.ifa_next
            guard let raw = entry.pointee.ifa_addr, let decoded = SocketAddress.decode(UnsafePointer(raw)),
                  let namePointer = entry.pointee.ifa_name else { continue }
            var address = Address(device: String(cString: namePointer), family: decoded.family,
                                  address: SocketAddress.string(decoded.family, decoded.bytes))
            if let mask = entry.pointee.ifa_netmask, let maskBytes = SocketAddress.decode(UnsafePointer(mask)),
               maskBytes.family == decoded.family, decoded.family != .link {
                address.netmask = SocketAddress.string(maskBytes.family, maskBytes.bytes)
                address.prefixLength = SocketAddress.prefixLength(maskBytes.bytes)
            }
            // ifa_broadaddr and ifa_dstaddr share one field; the flags say which it is.
            if let other = entry.pointee.ifa_ifu.ifu_broadaddr,
               let otherBytes = SocketAddress.decode(UnsafePointer(other)), otherBytes.family == decoded.family {
                let text = SocketAddress.string(otherBytes.family, otherBytes.bytes)
                if entry.pointee.ifa_flags & pointToPointFlag != 0 {
                    address.peer = text
                } else if entry.pointee.ifa_flags & broadcastFlag != 0 {
                    address.broadcast = text
                }
            }
            result.append(address)
        }
        return result
    }
}
