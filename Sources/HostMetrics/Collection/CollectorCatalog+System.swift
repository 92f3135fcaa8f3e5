extension CollectorCatalog {
    /// Collectors of kernel and system facts: timex, os, selinux, textfile, dmi, kernel_hung, watchdog, edac, schedstat.
    static let systemEntries: [Entry] = []
}
