extension CollectorCatalog {
    /// Collectors of kernel and system facts: timex, os, selinux, textfile, dmi, kernel_hung, watchdog, edac, schedstat.
    static let systemEntries: [Entry] = [
        Entry("dmi", enabledByDefault: true) { _ in DmiCollector() },
        Entry("edac", enabledByDefault: true) { _ in EdacCollector() },
        Entry("kernel_hung", enabledByDefault: true) { _ in KernelHungCollector() },
        Entry("os", enabledByDefault: true) { _ in OsCollector() },
        Entry("schedstat", enabledByDefault: true) { _ in SchedstatCollector() },
        Entry("selinux", enabledByDefault: true) { _ in SelinuxCollector() },
        Entry("textfile", enabledByDefault: true, settings: [
            CollectorSetting("directory", default: "",
                             help: "Directory (or glob of directories) to read *.prom files in the text format from; empty: none."),
        ]) { settings in
            TextfileCollector(directory: settings.string("directory") ?? "")
        },
        Entry("timex", enabledByDefault: true) { _ in TimexCollector() },
        Entry("watchdog", enabledByDefault: true) { _ in WatchdogCollector() },
    ]
}
