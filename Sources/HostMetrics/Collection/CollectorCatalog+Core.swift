extension CollectorCatalog {
    /// The core host collectors: CPU, memory, disks, filesystems, network devices, time, kernel.
    static let coreEntries: [Entry] = [
        Entry("cpu", enabledByDefault: true, settings: [
            CollectorSetting("guest", .bool, default: "true", help: "Export node_cpu_guest_seconds_total."),
            CollectorSetting("info", .bool, default: "false", help: "Export node_cpu_info from /proc/cpuinfo."),
            CollectorSetting("info.flags-include",
                             help: "Regexp of the first CPU's flags to export as node_cpu_flag_info (turns info on)."),
            CollectorSetting("info.bugs-include",
                             help: "Regexp of the first CPU's bugs to export as node_cpu_bug_info (turns info on)."),
        ]) { settings in
            try CpuCollector(guest: settings.bool("guest"), info: settings.bool("info"),
                             flagsInclude: settings.string("info.flags-include"),
                             bugsInclude: settings.string("info.bugs-include"))
        },
        Entry("diskstats", enabledByDefault: true, settings: [
            CollectorSetting("device-exclude", default: DiskstatsCollector.defaultDeviceExclude,
                             help: "Regexp of disk devices to exclude."),
            CollectorSetting("device-include", help: "Regexp of disk devices to include (instead of the exclude)."),
        ]) { settings in
            try DiskstatsCollector(deviceExclude: settings.string("device-exclude") ?? DiskstatsCollector.defaultDeviceExclude,
                                   deviceInclude: settings.string("device-include"))
        },
        Entry("entropy", enabledByDefault: true) { _ in EntropyCollector() },
        Entry("filefd", enabledByDefault: true) { _ in FilefdCollector() },
        Entry("filesystem", enabledByDefault: true, settings: [
            CollectorSetting("mount-points-exclude", default: FilesystemOptions.defaultMountPointsExclude,
                             help: "Regexp of mount points to exclude."),
            CollectorSetting("fs-types-exclude", default: FilesystemOptions.defaultFSTypesExclude,
                             help: "Regexp of filesystem types to exclude."),
            CollectorSetting("mount-timeout", .duration, default: "5s",
                             help: "How long statfs may take before the mount is reported stuck (node_filesystem_device_error 1)."),
        ]) { settings in
            try FilesystemCollector(options: FilesystemOptions(
                mountPointsExclude: settings.string("mount-points-exclude") ?? "",
                fsTypesExclude: settings.string("fs-types-exclude") ?? "",
                mountTimeoutSeconds: try settings.seconds("mount-timeout") ?? 5))
        },
        Entry("loadavg", enabledByDefault: true) { _ in LoadavgCollector() },
        Entry("meminfo", enabledByDefault: true) { _ in MeminfoCollector() },
        Entry("netdev", enabledByDefault: true, settings: [
            CollectorSetting("device-include", help: "Regexp of network devices to include."),
            CollectorSetting("device-exclude", help: "Regexp of network devices to exclude."),
        ]) { settings in
            try NetdevCollector(deviceInclude: settings.string("device-include"), deviceExclude: settings.string("device-exclude"))
        },
        Entry("pressure", enabledByDefault: true) { _ in PressureCollector() },
        Entry("stat", enabledByDefault: true, settings: [
            CollectorSetting("softirq", .bool, default: "false", help: "Export softirq counts by vector (node_softirqs_total)."),
        ]) { settings in
            StatCollector(softirqs: try settings.bool("softirq"))
        },
        Entry("time", enabledByDefault: true) { _ in TimeCollector() },
        Entry("uname", enabledByDefault: true) { _ in UnameCollector() },
        Entry("vmstat", enabledByDefault: true, settings: [
            CollectorSetting("fields", default: VmstatCollector.defaultFields, help: "Regexp of /proc/vmstat fields to export."),
        ]) { settings in
            try VmstatCollector(fields: settings.string("fields") ?? VmstatCollector.defaultFields)
        },
    ]
}
