extension CollectorCatalog {
    /// Collectors of storage and memory detail: mdadm, nfs, nfsd, xfs, btrfs, zfs, mountstats, meminfo_numa, buddyinfo, interrupts, processes.
    static let storageEntries: [Entry] = [
        Entry("btrfs", enabledByDefault: true) { _ in BtrfsCollector() },
        Entry("buddyinfo", enabledByDefault: false) { _ in BuddyinfoCollector() },
        Entry("interrupts", enabledByDefault: false) { _ in InterruptsCollector() },
        Entry("mdadm", enabledByDefault: true) { _ in MdadmCollector() },
        Entry("meminfo_numa", enabledByDefault: false) { _ in MeminfoNumaCollector() },
        Entry("mountstats", enabledByDefault: false) { _ in MountstatsCollector() },
        Entry("nfs", enabledByDefault: true) { _ in NfsCollector() },
        Entry("nfsd", enabledByDefault: true) { _ in NfsdCollector() },
        Entry("processes", enabledByDefault: false) { _ in ProcessesCollector() },
        Entry("xfs", enabledByDefault: true) { _ in XfsCollector() },
        Entry("zfs", enabledByDefault: true) { _ in ZfsCollector() },
    ]
}
