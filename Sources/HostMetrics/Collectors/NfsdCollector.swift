import Exposition

/// `/proc/net/rpc/nfsd`: the kernel NFS server's reply cache, file handle, I/O, thread, network,
/// RPC and per-operation counters, as node_exporter 1.5's `node_nfsd_*` families. No file (no
/// NFS server module loaded) means no families.
///
/// Lines: `rc <hits> <misses> <nocache>`, `fh <stale> ...` (5), `io <read> <written>`,
/// `th <threads> <full> <histogram...>`, `ra <size> <10 histogram> <not found>`, `net` (4),
/// `rpc <calls> <bad> <badfmt> <badauth> <badclnt>`, `proc2`/`proc3` and `proc4ops` (a count,
/// then one counter per procedure or NFSv4 operation number). Absent lines give no series;
/// unknown lines are ignored.
public struct NfsdCollector: Collector {
    public let name = "nfsd"

    public init() {}

    /// NFSv4 operations node_exporter exports, with their operation numbers (RFC 7530): the
    /// counter of operation `n` is the `n`th value after the count on the `proc4ops` line.
    static let v4Operations: [(name: String, number: Int)] = [
        ("Access", 3), ("Close", 4), ("Commit", 5), ("Create", 6), ("DelegPurge", 7), ("DelegReturn", 8),
        ("GetAttr", 9), ("GetFH", 10), ("Link", 11), ("Lock", 12), ("Lockt", 13), ("Locku", 14), ("Lookup", 15),
        ("LookupRoot", 16), ("Nverify", 17), ("Open", 18), ("OpenAttr", 19), ("OpenConfirm", 20), ("OpenDgrd", 21),
        ("PutFH", 22), ("Read", 25), ("ReadDir", 26), ("ReadLink", 27), ("Remove", 28), ("Rename", 29),
        ("Renew", 30), ("RestoreFH", 31), ("SaveFH", 32), ("SecInfo", 33), ("SetAttr", 34), ("Verify", 37),
        ("Write", 38), ("RelLockOwner", 39),
    ]

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let file = context.paths.proc("net/rpc/nfsd")
        guard let bytes = try context.reader.readIfPresent(file) else { return [] }
        return try Self.families(RPCStatsFile(bytes, file: file))
    }

    static func families(_ stats: RPCStatsFile) throws -> [MetricFamily] {
        var families: [MetricFamily] = []
        func counter(_ name: String, _ help: String, _ value: UInt64) {
            families.append(.single(name, .counter, help: help, value: Double(value)))
        }
        func gauge(_ name: String, _ help: String, _ value: UInt64) {
            families.append(.single(name, .gauge, help: help, value: Double(value)))
        }

        if let rc = try stats.values("rc", count: 3) {
            counter("node_nfsd_reply_cache_hits_total", "Requests answered from the NFS server's reply cache (retransmitted by the client).", rc[0])
            counter("node_nfsd_reply_cache_misses_total", "Cacheable requests the NFS server's reply cache did not hold.", rc[1])
            counter("node_nfsd_reply_cache_nocache_total", "Requests the NFS server handled without consulting the reply cache.", rc[2])
        }
        if let fh = try stats.values("fh", count: 5) {
            counter("node_nfsd_file_handles_stale_total", "Stale file handles the NFS server has answered.", fh[0])
        }
        if let io = try stats.values("io", count: 2) {
            counter("node_nfsd_disk_bytes_read_total", "Bytes the NFS server has read from its filesystems.", io[0])
            counter("node_nfsd_disk_bytes_written_total", "Bytes the NFS server has written to its filesystems.", io[1])
        }
        if let th = try stats.values("th", minimum: 1, leading: 2) {
            gauge("node_nfsd_server_threads", "NFS server threads running.", th[0])
        }
        if let ra = try stats.values("ra", count: 12) {
            gauge("node_nfsd_read_ahead_cache_size_blocks", "Size of the NFS server's read-ahead cache in blocks.", ra[0])
            counter("node_nfsd_read_ahead_cache_not_found_total", "Reads the NFS server's read-ahead cache had no entry for.", ra[11])
        }
        if let net = try stats.values("net", count: 4) {
            var packets = MetricFamily(name: "node_nfsd_packets_total", type: .counter,
                                       help: "Network packets the NFS server received, by transport protocol.")
            packets.add(Double(net[1]), ["proto": "udp"])
            packets.add(Double(net[2]), ["proto": "tcp"])
            families.append(packets)
            counter("node_nfsd_connections_total", "TCP connections the NFS server has accepted.", net[3])
        }
        if let rpc = try stats.values("rpc", count: 5) {
            var errors = MetricFamily(name: "node_nfsd_rpc_errors_total", type: .counter,
                                      help: "RPC calls the NFS server rejected, by reason (fmt: malformed, auth: bad credentials, cInt: bad client).")
            errors.add(Double(rpc[2]), ["error": "fmt"])
            errors.add(Double(rpc[3]), ["error": "auth"])
            errors.add(Double(rpc[4]), ["error": "cInt"])
            families.append(errors)
            counter("node_nfsd_server_rpcs_total", "RPC calls the NFS server has received.", rpc[0])
        }

        var requests = MetricFamily(name: "node_nfsd_requests_total", type: .counter,
                                    help: "NFS procedures and NFSv4 operations the server has handled, by protocol version and name.")
        // The server's v2 and v3 series leave out the NULL procedure, as node_exporter's do.
        if let counters = try stats.procedures("proc2", minimum: NfsCollector.v2Procedures.count) {
            for (index, method) in NfsCollector.v2Procedures.enumerated().dropFirst() {
                requests.add(Double(counters[index]), ["method": method, "proto": "2"])
            }
        }
        if let counters = try stats.procedures("proc3", minimum: NfsCollector.v3Procedures.count) {
            for (index, method) in NfsCollector.v3Procedures.enumerated().dropFirst() {
                requests.add(Double(counters[index]), ["method": method, "proto": "3"])
            }
        }
        if let counters = try stats.procedures("proc4ops", minimum: 39) {
            for operation in v4Operations where operation.number < counters.count {
                requests.add(Double(counters[operation.number]), ["method": operation.name, "proto": "4"])
            }
        }
        if !requests.samples.isEmpty { families.append(requests) }
        return families
    }
}
