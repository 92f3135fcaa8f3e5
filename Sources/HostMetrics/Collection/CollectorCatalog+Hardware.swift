extension CollectorCatalog {
    /// Collectors of hardware sensors and devices from sysfs: hwmon, thermal_zone, cpufreq, powersupplyclass, rapl, nvme, tapestats, bcache.
    static let hardwareEntries: [Entry] = [
        Entry("bcache", enabledByDefault: true, settings: [
            CollectorSetting("priorityStats", .bool, default: "false",
                             help: "Also export the cache devices' priority_stats (costly: the kernel walks every bucket)."),
        ]) { settings in
            try BcacheCollector(priorityStats: settings.bool("priorityStats"))
        },
        Entry("cpufreq", enabledByDefault: true) { _ in CpufreqCollector() },
        Entry("hwmon", enabledByDefault: true) { _ in HwmonCollector() },
        Entry("nvme", enabledByDefault: true) { _ in NvmeCollector() },
        Entry("powersupplyclass", enabledByDefault: true, settings: [
            // node_exporter spells this flag --collector.powersupply.ignored-supplies.
            CollectorSetting("ignored-supplies", default: PowerSupplyClassCollector.defaultIgnoredSupplies,
                             help: "Regexp of power supplies to leave out."),
        ]) { settings in
            try PowerSupplyClassCollector(ignoredSupplies: settings.string("ignored-supplies")
                ?? PowerSupplyClassCollector.defaultIgnoredSupplies)
        },
        Entry("rapl", enabledByDefault: true, settings: [
            CollectorSetting("enable-zone-label", .bool, default: "false",
                             help: "Export one node_rapl_joules_total family with a rapl_zone label instead of one family per zone."),
        ]) { settings in
            try RaplCollector(zoneLabel: settings.bool("enable-zone-label"))
        },
        Entry("tapestats", enabledByDefault: true, settings: [
            CollectorSetting("ignored-devices", default: TapestatsCollector.defaultIgnoredDevices,
                             help: "Regexp of tape devices to leave out."),
        ]) { settings in
            try TapestatsCollector(ignoredDevices: settings.string("ignored-devices") ?? TapestatsCollector.defaultIgnoredDevices)
        },
        Entry("thermal_zone", enabledByDefault: true) { _ in ThermalZoneCollector() },
    ]
}
