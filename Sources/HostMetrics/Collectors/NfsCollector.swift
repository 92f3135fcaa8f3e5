import Exposition

/// `/proc/net/rpc/nfs`: the NFS client's RPC and per-procedure counters, as node_exporter 1.5's
/// `node_nfs_*` families. No file (no NFS client module loaded) means no families.
///
/// Lines: `net <packets> <udp> <tcp> <tcp connections>`, `rpc <calls> <retransmissions>
/// <auth refreshes>`, and `proc2`/`proc3`/`proc4` with a count followed by one counter per
/// procedure in the kernel's order. A line that is absent gives no series; unknown lines are
/// ignored.
public struct NfsCollector: Collector {
    public let name = "nfs"

    public init() {}

    /// NFSv2 procedures in the kernel's order.
    static let v2Procedures = [
        "Null", "GetAttr", "SetAttr", "Root", "Lookup", "ReadLink", "Read", "WrCache", "Write", "Create",
        "Remove", "Rename", "Link", "SymLink", "MkDir", "RmDir", "ReadDir", "FsStat",
    ]

    /// NFSv3 procedures in the kernel's order.
    static let v3Procedures = [
        "Null", "GetAttr", "SetAttr", "Lookup", "Access", "ReadLink", "Read", "Write", "Create", "MkDir",
        "SymLink", "MkNod", "Remove", "RmDir", "Rename", "Link", "ReadDir", "ReadDirPlus", "FsStat", "FsInfo",
        "PathConf", "Commit",
    ]

    /// The NFSv4 client's operations in the kernel's order (`NFSPROC4_CLNT_*`), as node_exporter
    /// names them. Kernels that count fewer show the rest as 0; further ones are not exported.
    static let v4ClientProcedures = [
        "Null", "Read", "Write", "Commit", "Open", "OpenConfirm", "OpenNoattr", "OpenDowngrade", "Close", "Setattr",
        "FsInfo", "Renew", "SetClientID", "SetClientIDConfirm", "Lock", "Lockt", "Locku", "Access", "Getattr", "Lookup",
        "LookupRoot", "Remove", "Rename", "Link", "Symlink", "Create", "Pathconf", "StatFs", "ReadLink", "ReadDir",
        "ServerCaps", "DelegReturn", "GetACL", "SetACL", "FsLocations", "ReleaseLockowner", "Secinfo", "FsidPresent",
        "ExchangeID", "CreateSession", "DestroySession", "Sequence", "GetLeaseTime", "ReclaimComplete", "LayoutGet",
        "GetDeviceInfo", "LayoutCommit", "LayoutReturn", "SecinfoNoName", "TestStateID", "FreeStateID", "GetDeviceList",
        "BindConnToSession", "DestroyClientID", "Seek", "Allocate", "DeAllocate", "LayoutStats", "Clone",
    ]

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let file = context.paths.proc("net/rpc/nfs")
        guard let bytes = try context.reader.readIfPresent(file) else { return [] }
        return try Self.families(RPCStatsFile(bytes, file: file))
    }

    static func families(_ stats: RPCStatsFile) throws -> [MetricFamily] {
        var families: [MetricFamily] = []
        if let net = try stats.values("net", count: 4) {
            var packets = MetricFamily(name: "node_nfs_packets_total", type: .counter,
                                       help: "Network packets the NFS client sent and received, by transport protocol.")
            packets.add(Double(net[1]), ["protocol": "udp"])
            packets.add(Double(net[2]), ["protocol": "tcp"])
            families.append(packets)
            families.append(.single("node_nfs_connections_total", .counter,
                                    help: "TCP connections the NFS client has made.", value: Double(net[3])))
        }
        if let rpc = try stats.values("rpc", count: 3) {
            families.append(.single("node_nfs_rpcs_total", .counter,
                                    help: "RPC calls the NFS client has made.", value: Double(rpc[0])))
            families.append(.single("node_nfs_rpc_retransmissions_total", .counter,
                                    help: "RPC calls the NFS client had to send again.", value: Double(rpc[1])))
            families.append(.single("node_nfs_rpc_authentication_refreshes_total", .counter,
                                    help: "Times the NFS client refreshed its RPC credentials.", value: Double(rpc[2])))
        }
        var requests = MetricFamily(name: "node_nfs_requests_total", type: .counter,
                                    help: "NFS procedures the client has called, by protocol version and procedure.")
        if let counters = try stats.procedures("proc2", minimum: v2Procedures.count) {
            add(&requests, proto: "2", names: v2Procedures, counters: counters)
        }
        if let counters = try stats.procedures("proc3", minimum: v3Procedures.count) {
            add(&requests, proto: "3", names: v3Procedures, counters: counters)
        }
        if let counters = try stats.procedures("proc4", minimum: 0) {
            add(&requests, proto: "4", names: v4ClientProcedures, counters: counters)
        }
        if !requests.samples.isEmpty { families.append(requests) }
        return families
    }

    /// One series per name; a counter the kernel does not print counts as 0.
    private static func add(_ family: inout MetricFamily, proto: String, names: [String], counters: [UInt64]) {
        for (index, method) in names.enumerated() {
            let value = index < counters.count ? counters[index] : 0
            family.add(Double(value), ["method": method, "proto": proto])
        }
    }
}
