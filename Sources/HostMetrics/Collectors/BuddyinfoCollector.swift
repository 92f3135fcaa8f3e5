import Exposition

/// `/proc/buddyinfo`: free memory blocks per NUMA node, zone and order, as node_exporter 1.5's
/// `node_buddyinfo_blocks{node,zone,size}` (size is the order: blocks of 2^size pages).
///
///     Node 0, zone      DMA      0      0      0      1      1      3 ...
///
/// Every line must have the same number of orders.
public struct BuddyinfoCollector: Collector {
    public let name = "buddyinfo"

    public init() {}

    public struct Zone: Sendable, Equatable {
        public var node: String
        public var zone: String
        public var blocks: [Double]

        public init(node: String, zone: String, blocks: [Double]) {
            self.node = node
            self.zone = zone
            self.blocks = blocks
        }
    }

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let file = context.paths.proc("buddyinfo")
        guard let bytes = try context.reader.readIfPresent(file) else { return [] }
        return Self.families(try Self.parse(bytes, file: file))
    }

    /// Throws naming `file` on a line not shaped `Node N, zone NAME counts...`, a count that is
    /// not a number, or a line with a different number of orders than the first.
    public static func parse(_ bytes: ArraySlice<UInt8>, file: String = "/proc/buddyinfo") throws -> [Zone] {
        var zones: [Zone] = []
        var orders: Int?
        for line in bytes.lines() {
            let fields = line.fields()
            if fields.isEmpty { continue }
            guard fields.count >= 5, fields[0].equals("Node"), fields[2].equals("zone") else {
                throw CollectorError("\(file): malformed line: \(line.prefix(160).string)")
            }
            var blocks: [Double] = []
            for field in fields.dropFirst(4) {
                guard let value = field.parseUInt64() else {
                    throw CollectorError("\(file): \"\(field.prefix(40).string)\" is not a block count in: \(line.prefix(160).string)")
                }
                blocks.append(Double(value))
            }
            if let orders, orders != blocks.count {
                throw CollectorError("\(file): \(blocks.count) orders in a line after lines with \(orders): \(line.prefix(160).string)")
            }
            orders = blocks.count
            zones.append(Zone(node: trimmingComma(fields[1]), zone: trimmingComma(fields[3]), blocks: blocks))
        }
        return zones
    }

    private static func trimmingComma(_ field: ArraySlice<UInt8>) -> String {
        (field.last == UInt8(ascii: ",") ? field.dropLast() : field).string
    }

    static func families(_ zones: [Zone]) -> [MetricFamily] {
        guard !zones.isEmpty else { return [] }
        var family = MetricFamily(name: "node_buddyinfo_blocks", type: .gauge,
                                  help: "Free blocks of 2^size contiguous pages in the NUMA node's memory zone.")
        for zone in zones {
            for (order, count) in zone.blocks.enumerated() {
                family.add(count, ["node": zone.node, "size": String(order), "zone": zone.zone])
            }
        }
        return [family]
    }
}
