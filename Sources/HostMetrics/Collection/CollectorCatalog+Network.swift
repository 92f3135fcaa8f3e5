extension CollectorCatalog {
    /// Collectors of network statistics and interfaces: netstat, sockstat, softnet, udp_queues, arp, conntrack, tcpstat, ipvs, netclass, bonding, infiniband, fibrechannel.
    static let networkEntries: [Entry] = []
}
