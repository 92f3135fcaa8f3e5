import Exposition

/// `/sys/class/net/bonding_masters` and each bond's `bonding/slaves`: how many member links every
/// bonding interface has and how many of them report MII status `up`,
/// `node_bonding_slaves{master}` and `node_bonding_active{master}`.
///
/// No bonding driver loaded (no `bonding_masters`): no families. A bond or member link removed
/// while it is read is left out.
public struct BondingCollector: Collector {
    public let name = "bonding"

    public init() {}

    public struct Bond: Sendable, Equatable {
        public var master: String
        public var slaves: Int
        public var active: Int
    }

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let bonds = try Self.read(&context.reader, classDirectory: context.paths.sys("class/net"))
        guard let bonds else { return [] }
        var slaves = MetricFamily(name: "node_bonding_slaves", type: .gauge,
                                  help: "Member links configured in the bonding interface.")
        var active = MetricFamily(name: "node_bonding_active", type: .gauge,
                                  help: "Member links of the bonding interface whose MII status is up.")
        for bond in bonds {
            slaves.add(Double(bond.slaves), labels: [Label("master", bond.master)])
            active.add(Double(bond.active), labels: [Label("master", bond.master)])
        }
        return [active, slaves]
    }

    /// The bonds listed in `bonding_masters`, or nil when the file does not exist.
    static func read(_ reader: inout FileReader, classDirectory: String) throws -> [Bond]? {
        let mastersFile = classDirectory + "/bonding_masters"
        // Names are copied out before the next read reuses the reader's buffer.
        guard let masters = try NetSysfs.read(&reader, mastersFile)?.fields().map(\.string) else { return nil }
        var bonds: [Bond] = []
        for master in masters {
            let bondDirectory = classDirectory + "/" + master
            // The bond was removed after bonding_masters was read.
            guard let members = try NetSysfs.read(&reader, bondDirectory + "/bonding/slaves")?.fields().map(\.string) else { continue }
            var bond = Bond(master: master, slaves: 0, active: 0)
            for member in members {
                // Kernels since 3.13 link members as lower_<name>, older ones as slave_<name>.
                var status = try NetSysfs.read(&reader, bondDirectory + "/lower_" + member + "/bonding_slave/mii_status")
                if status == nil {
                    status = try NetSysfs.read(&reader, bondDirectory + "/slave_" + member + "/bonding_slave/mii_status")
                }
                // A member released between the two reads is no longer part of the bond.
                guard let status else { continue }
                bond.slaves += 1
                if status.equals("up") { bond.active += 1 }
            }
            bonds.append(bond)
        }
        return bonds
    }
}
