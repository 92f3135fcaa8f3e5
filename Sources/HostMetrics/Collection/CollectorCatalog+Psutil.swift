extension CollectorCatalog {
    /// Collectors of what psutil offers beyond node_exporter: process groups, interface addresses, users, CPU counts.
    static let psutilEntries: [Entry] = [
        Entry("cpucount", enabledByDefault: true) { _ in CpuCountCollector() },
        Entry("netif", enabledByDefault: true, settings: [
            CollectorSetting("device-include", help: "Regexp of network interfaces whose addresses to report."),
            CollectorSetting("device-exclude", help: "Regexp of network interfaces whose addresses to leave out."),
        ]) { settings in
            try NetifCollector(deviceInclude: settings.string("device-include"), deviceExclude: settings.string("device-exclude"))
        },
        Entry("process_groups", enabledByDefault: false, settings: [
            CollectorSetting("group-by", default: "comm",
                             help: "Name processes by comm (the kernel's 15-byte command name) or exe (the executable's file name, else argv[0])."),
            CollectorSetting("name-pattern", .list,
                             help: "groupname=regex, repeatable: the first rule whose regex matches the process name names its group; processes no rule matches are not reported."),
            CollectorSetting("max-groups", .int, default: String(ProcessGroupsCollector.defaultMaxGroups),
                             help: "Groups reported by name (those with most processes); the rest are summed into groupname=\"other\". 0 for no limit."),
            CollectorSetting("include-kernel-threads", .bool, default: "false",
                             help: "Also group kernel threads (kworker, ksoftirqd, ...), by their names."),
            CollectorSetting("gather-smaps", .bool, default: "false",
                             help: "Read /proc/<pid>/smaps_rollup for memtype=\"proportionalResident\" and \"proportionalSwapped\" (PSS; costly on large processes)."),
        ]) { settings in
            try ProcessGroupsCollector(groupBy: settings.string("group-by") ?? "comm",
                                       namePatterns: settings.list("name-pattern"),
                                       maxGroups: try settings.int("max-groups") ?? ProcessGroupsCollector.defaultMaxGroups,
                                       includeKernelThreads: try settings.bool("include-kernel-threads"),
                                       gatherSmaps: try settings.bool("gather-smaps"))
        },
        Entry("users", enabledByDefault: true) { _ in UsersCollector() },
    ]
}
