/// Every host collector this exporter has: its name, whether it is on by default (as in
/// node_exporter), the settings it takes and how to build it from them.
///
/// Entries live next to their collectors' kind in `CollectorCatalog+*.swift` files; this type
/// joins them and answers questions about the whole set.
public enum CollectorCatalog {
    public struct Entry: Sendable {
        public let name: String
        public let enabledByDefault: Bool
        public let settings: [CollectorSetting]
        public let make: @Sendable (CollectorSettings) throws -> any Collector

        public init(_ name: String, enabledByDefault: Bool, settings: [CollectorSetting] = [],
                    make: @escaping @Sendable (CollectorSettings) throws -> any Collector) {
            self.name = name
            self.enabledByDefault = enabledByDefault
            self.settings = settings
            self.make = make
        }
    }

    /// All entries, sorted by name.
    public static let entries: [Entry] = (coreEntries + networkEntries + systemEntries + hardwareEntries + storageEntries
        + psutilEntries).sorted { $0.name < $1.name }

    public static var names: [String] { entries.map(\.name) }

    public static func entry(_ name: String) -> Entry? { entries.first { $0.name == name } }

    /// Builds the collectors whose entries `isEnabled` accepts, in catalog order, with the settings
    /// given on the command line (`given[collector][setting]`, each possibly repeated).
    public static func build(given: [String: [String: [String]]] = [:], isEnabled: (Entry) -> Bool) throws -> [any Collector] {
        try entries.filter(isEnabled).map { entry in
            try entry.make(CollectorSettings(collector: entry.name, declared: entry.settings, given: given[entry.name] ?? [:]))
        }
    }
}
