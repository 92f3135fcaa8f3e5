extension CollectorCatalog {
    /// Collectors of hardware sensors and devices from sysfs: hwmon, thermal_zone, cpufreq, powersupplyclass, rapl, nvme, tapestats, bcache.
    static let hardwareEntries: [Entry] = []
}
