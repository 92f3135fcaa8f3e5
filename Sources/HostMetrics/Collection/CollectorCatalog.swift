/// Settings of individual collectors, from their `--collector.<name>.<setting>` flags.
public struct HostCollectorOptions: Sendable {
    public var filesystemMountPointsExclude: String?
    public var filesystemFSTypesExclude: String?
    public var filesystemMountTimeoutSeconds: Double = 5
    public var diskstatsDeviceExclude: String?
    public var diskstatsDeviceInclude: String?
    public var netdevDeviceInclude: String?
    public var netdevDeviceExclude: String?
    public var vmstatFields: String?

    public init() {}
}

/// Every host collector this exporter has, whether node_exporter enables it by default, and how
/// to build it from the options.
public enum CollectorCatalog {
    public struct Entry: Sendable {
        public let name: String
        public let enabledByDefault: Bool
        public let make: @Sendable (HostCollectorOptions) throws -> any Collector
    }

    public static let entries: [Entry] = [
        Entry(name: "loadavg", enabledByDefault: true) { _ in LoadavgCollector() },
    ]

    public static var names: [String] { entries.map(\.name) }

    /// Builds the collectors whose names `isEnabled` accepts, in catalog order.
    public static func build(options: HostCollectorOptions, isEnabled: (Entry) -> Bool) throws -> [any Collector] {
        try entries.filter(isEnabled).map { try $0.make(options) }
    }
}
