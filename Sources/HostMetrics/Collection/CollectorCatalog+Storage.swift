extension CollectorCatalog {
    /// Collectors of storage and memory detail: mdadm, nfs, nfsd, xfs, btrfs, zfs, mountstats, meminfo_numa, buddyinfo, interrupts, processes.
    static let storageEntries: [Entry] = []
}
