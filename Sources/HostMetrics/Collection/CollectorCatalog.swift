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
        Entry(name: "cpu", enabledByDefault: true) { _ in CpuCollector() },
        Entry(name: "diskstats", enabledByDefault: true) { options in
            try DiskstatsCollector(deviceExclude: options.diskstatsDeviceExclude ?? DiskstatsCollector.defaultDeviceExclude,
                                   deviceInclude: options.diskstatsDeviceInclude)
        },
        Entry(name: "entropy", enabledByDefault: true) { _ in EntropyCollector() },
        Entry(name: "filefd", enabledByDefault: true) { _ in FilefdCollector() },
        Entry(name: "filesystem", enabledByDefault: true) { options in
            try FilesystemCollector(options: FilesystemOptions(
                mountPointsExclude: options.filesystemMountPointsExclude ?? FilesystemOptions.defaultMountPointsExclude,
                fsTypesExclude: options.filesystemFSTypesExclude ?? FilesystemOptions.defaultFSTypesExclude,
                mountTimeoutSeconds: options.filesystemMountTimeoutSeconds))
        },
        Entry(name: "loadavg", enabledByDefault: true) { _ in LoadavgCollector() },
        Entry(name: "meminfo", enabledByDefault: true) { _ in MeminfoCollector() },
        Entry(name: "netdev", enabledByDefault: true) { options in
            try NetdevCollector(deviceInclude: options.netdevDeviceInclude, deviceExclude: options.netdevDeviceExclude)
        },
        Entry(name: "pressure", enabledByDefault: true) { _ in PressureCollector() },
        Entry(name: "stat", enabledByDefault: true) { _ in StatCollector() },
        Entry(name: "time", enabledByDefault: true) { _ in TimeCollector() },
        Entry(name: "uname", enabledByDefault: true) { _ in UnameCollector() },
        Entry(name: "vmstat", enabledByDefault: true) { options in
            try VmstatCollector(fields: options.vmstatFields ?? VmstatCollector.defaultFields)
        },
    ]

    public static var names: [String] { entries.map(\.name) }

    /// Builds the collectors whose names `isEnabled` accepts, in catalog order.
    public static func build(options: HostCollectorOptions, isEnabled: (Entry) -> Bool) throws -> [any Collector] {
        try entries.filter(isEnabled).map { try $0.make(options) }
    }
}
