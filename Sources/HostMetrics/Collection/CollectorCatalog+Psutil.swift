extension CollectorCatalog {
    /// Collectors of what psutil offers beyond node_exporter: process groups, interface addresses, users, CPU counts.
    static let psutilEntries: [Entry] = []
}
