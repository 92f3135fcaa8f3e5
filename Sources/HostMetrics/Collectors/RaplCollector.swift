import Exposition

/// `/sys/class/powercap/*/energy_uj`: the energy counters of Intel/AMD RAPL power zones, as
/// node_exporter 1.5 names them: `node_rapl_<zone>_joules_total{index,path}` (`package`, `core`,
/// `uncore`, `dram`, `psys`), or with `enable-zone-label` one family
/// `node_rapl_joules_total{index,path,rapl_zone}`.
///
/// Since Linux 5.10 `energy_uj` is readable by root only; a zone whose counter cannot be read is
/// left out without an error. Directories without a `name` file (the `intel-rapl` control type
/// itself) are not zones.
public struct RaplCollector: Collector {
    public let name = "rapl"
    private let zoneLabel: Bool

    public init(zoneLabel: Bool = false) {
        self.zoneLabel = zoneLabel
    }

    /// One zone: its name without the `-<n>` suffix, its index and its directory.
    public struct Zone: Equatable, Sendable {
        public var name: String
        public var index: Int
        public var path: String
    }

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let classDir = context.paths.sys("class/powercap")
        guard let entries = try SysfsHardware.listClass(classDir) else { return [] }
        let zones = Self.zones(entries.compactMap { entry in
            guard let name = SysfsHardware.text(&context.reader, classDir + "/" + entry + "/name"), !name.isEmpty else {
                return nil
            }
            return (entry, name)
        }, classDir: classDir)
        var families: [MetricFamily] = []
        var positions: [String: Int] = [:]
        for zone in zones {
            let path = zone.path + "/energy_uj"
            guard let microjoules = try SysfsHardware.unsigned(&context.reader, path) else { continue }
            let joules = Double(microjoules) / 1000000.0
            var labels = [Label("index", String(zone.index)), Label("path", zone.path)]
            let familyName: String
            if zoneLabel {
                familyName = "node_rapl_joules_total"
                labels.append(Label("rapl_zone", zone.name))
            } else {
                familyName = "node_rapl_" + Self.sanitize(zone.name) + "_joules_total"
            }
            if positions[familyName] == nil {
                positions[familyName] = families.count
                let help = zoneLabel ? "Energy the RAPL zone has consumed, in joules."
                    : "Energy the RAPL \(zone.name) zone has consumed, in joules."
                families.append(MetricFamily(name: familyName, type: .counter, help: help))
            }
            families[positions[familyName]!].add(joules, labels: labels)
        }
        return families
    }

    /// Zones from `(directory, name file)` pairs in directory order. `package-1` is zone
    /// `package` with index 1; a name without a numeric suffix (`core`, `dram`) takes the next
    /// index not yet used for that name.
    static func zones(_ named: [(entry: String, name: String)], classDir: String) -> [Zone] {
        var nextIndex: [String: Int] = [:]
        return named.map { entry, rawName in
            var name = rawName
            var index: Int
            let parts = rawName.split(separator: "-", omittingEmptySubsequences: false)
            if parts.count == 2, let number = Int(parts[1]) {
                name = String(parts[0])
                index = number
            } else {
                index = nextIndex[rawName] ?? 0
            }
            nextIndex[name] = index + 1
            return Zone(name: name, index: index, path: classDir + "/" + entry)
        }
    }

    /// node_exporter's metric-name sanitising: every run of characters outside `A-Z a-z 0-9 _`,
    /// together with the underscores around it, becomes one `_`.
    static func sanitize(_ name: String) -> String {
        let bytes = Array(name.utf8)
        func isBad(_ byte: UInt8) -> Bool {
            !((byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
              || byte == UInt8(ascii: "_"))
        }
        var result: [UInt8] = []
        var index = 0
        while index < bytes.count {
            // A match of `_*[^0-9A-Za-z_]+_*` starts here when the underscores are followed by a bad byte.
            var badStart = index
            while badStart < bytes.count, bytes[badStart] == UInt8(ascii: "_") { badStart += 1 }
            var badEnd = badStart
            while badEnd < bytes.count, isBad(bytes[badEnd]) { badEnd += 1 }
            if badEnd > badStart {
                while badEnd < bytes.count, bytes[badEnd] == UInt8(ascii: "_") { badEnd += 1 }
                result.append(UInt8(ascii: "_"))
                index = badEnd
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}
