import Exposition

/// `/proc/net/arp`: `node_arp_entries{device}`, the IPv4 neighbour entries per interface,
/// for the devices the include/exclude patterns let through.
///
/// No file (a kernel without IPv4) means no families.
public struct ARPCollector: Collector {
    public let name = "arp"
    private let filter: NameFilter

    /// `--collector.arp.device-include` / `--collector.arp.device-exclude`: regular expressions on
    /// device names; both may be given (a device must match the first and not the second).
    public init(deviceInclude: String? = nil, deviceExclude: String? = nil) throws {
        filter = try NameFilter(include: deviceInclude, exclude: deviceExclude)
    }

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let path = context.paths.proc("net/arp")
        guard let bytes = try context.reader.readIfPresent(path) else { return [] }
        var family = MetricFamily(name: "node_arp_entries", type: .gauge,
                                  help: "Entries in the kernel's ARP table per network device, from /proc/net/arp.")
        for entry in try Self.parse(bytes, file: path) where filter.accepts(entry.device) {
            family.add(Double(entry.count), labels: [Label("device", entry.device)])
        }
        return [family]
    }

    /// The number of entries per device (the last column), devices in order of first appearance.
    /// The header (`IP address ...`) and blank lines are skipped; a line with fewer than six
    /// columns throws, naming the file.
    public static func parse(_ bytes: ArraySlice<UInt8>, file: String = "/proc/net/arp") throws -> [(device: String, count: Int)] {
        var result: [(device: String, count: Int)] = []
        var positions: [String: Int] = [:]
        for line in bytes.lines() {
            let columns = line.fields()
            if columns.isEmpty { continue }
            guard columns.count >= 6 else {
                throw CollectorError("\(file): expected six columns: \(line.prefix(160).string)")
            }
            if columns[0].equals("IP") { continue }
            let device = columns[columns.count - 1].string
            if let position = positions[device] {
                result[position].count += 1
            } else {
                positions[device] = result.count
                result.append((device, 1))
            }
        }
        return result
    }
}
