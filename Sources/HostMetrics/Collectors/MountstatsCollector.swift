import Exposition

/// `/proc/self/mountstats`: per-mount NFS client statistics, as node_exporter 1.5's
/// `node_mountstats_nfs_*` families labelled `export`, `protocol` and `mountaddr` (the server
/// address from the `addr=` option of the same entry in `/proc/self/mountinfo`; both files list
/// mounts in the same order). The same export seen twice with the same protocol and address
/// (bind mounts) is reported once.
///
/// An NFS entry looks like:
///
///     device srv:/export mounted on /mnt with fstype nfs4 statvers=1.1
///         opts:   rw,vers=4.1,...
///         age:    13968
///         events: 52 226 ... (27 counters)
///         bytes:  1207640230 0 ... (8 counters)
///         xprt:   tcp 832 0 1 0 11 6428 6428 0 12154 0 24 26 5726
///         per-op statistics
///                 NULL: 0 0 0 0 0 0 0 0
///                 READ: 1298 1298 0 207680 1210292152 6 79386 79407 [errors]
///
/// Other filesystems have the device line only.
public struct MountstatsCollector: Collector {
    public let name = "mountstats"

    public init() {}

    /// One entry of the file.
    public struct Mount: Sendable, Equatable {
        public var device: String
        public var mountPoint: String
        public var fsType: String
        /// Present for NFS mounts that print statistics.
        public var nfs: NFSStatistics?
    }

    public struct NFSStatistics: Sendable, Equatable {
        public var statVersion: String
        public var ageSeconds: UInt64 = 0
        /// The 8 `bytes:` counters (zero when the line is absent).
        public var bytes: [UInt64] = Array(repeating: 0, count: 8)
        /// The 27 `events:` counters (zero when the line is absent).
        public var events: [UInt64] = Array(repeating: 0, count: 27)
        /// `tcp`, `udp`, `rdma`, ...; empty without an `xprt:` line.
        public var transportProtocol = ""
        /// The `xprt:` counters in tcp 1.1 order (port, bind, connect, connect time, idle time,
        /// sends, receives, bad xids, active requests, backlog, max slots, sending queue, pending
        /// queue); nil for a transport whose layout is not known (rdma) or without the line.
        public var transport: [UInt64]?
        public var operations: [Operation] = []
    }

    public struct Operation: Sendable, Equatable {
        public var name: String
        /// requests, transmissions, major timeouts, bytes sent, bytes received, queue ms,
        /// response ms, request ms, and errors when the kernel counts them.
        public var values: [UInt64]
    }

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let file = context.paths.proc("self/mountstats")
        guard let bytes = try context.reader.readIfPresent(file) else { return [] }
        let mounts = try Self.parse(bytes, file: file)
        guard mounts.contains(where: { $0.nfs != nil }) else { return [] }
        let infoFile = context.paths.proc("self/mountinfo")
        let infos = try context.reader.readIfPresent(infoFile).map { try MountInfo.parse($0, file: infoFile) } ?? []
        let addresses = infos.map { info in
            info.superOptions.first { $0.hasPrefix("addr=") }.map { String($0.dropFirst(5)) } ?? ""
        }
        return Self.families(mounts, addresses: addresses)
    }

    // MARK: Parsing

    /// Parses the whole file. A device line not shaped `device D mounted on M with fstype T`, or an
    /// NFS statistics line with too few or non-numeric values, throws naming `file`.
    public static func parse(_ bytes: ArraySlice<UInt8>, file: String = "/proc/self/mountstats") throws -> [Mount] {
        let lines = bytes.lines()
        var mounts: [Mount] = []
        var index = 0
        while index < lines.count {
            let fields = lines[index].fields()
            index += 1
            guard let first = fields.first, first.equals("device") else { continue }
            guard fields.count >= 8, fields[2].equals("mounted"), fields[3].equals("on"), fields[5].equals("with"),
                  fields[6].equals("fstype")
            else {
                throw CollectorError("\(file): malformed device line: \(lines[index - 1].prefix(200).string)")
            }
            var mount = Mount(device: fields[1].string, mountPoint: fields[4].string, fsType: fields[7].string, nfs: nil)
            // The statistics block runs to the next blank line.
            var block: [ArraySlice<UInt8>] = []
            while index < lines.count, !lines[index].trimmingWhitespace().isEmpty,
                  !(lines[index].fields().first?.equals("device") ?? false) {
                block.append(lines[index])
                index += 1
            }
            if fields.count > 8, mount.fsType == "nfs" || mount.fsType == "nfs4" {
                var version = fields[8]
                if version.hasPrefix("statvers=") { version = version.dropFirst(9) }
                mount.nfs = try parseNFS(block, statVersion: version.string, device: mount.device, file: file)
            }
            mounts.append(mount)
        }
        return mounts
    }

    private static func parseNFS(_ block: [ArraySlice<UInt8>], statVersion: String, device: String, file: String) throws -> NFSStatistics {
        var stats = NFSStatistics(statVersion: statVersion)
        var inOperations = false
        for line in block {
            let fields = line.fields()
            guard let key = fields.first else { continue }
            if inOperations {
                guard fields.count >= 9, key.last == UInt8(ascii: ":") else {
                    throw CollectorError("\(file): \(device): malformed per-op line: \(line.trimmingWhitespace().prefix(160).string)")
                }
                stats.operations.append(Operation(name: key.dropLast().string,
                                                  values: try numbers(fields.dropFirst(), line, device, file)))
                continue
            }
            if key.equals("age:") {
                guard fields.count >= 2, let age = fields[1].parseUInt64() else {
                    throw CollectorError("\(file): \(device): malformed age line: \(line.trimmingWhitespace().prefix(160).string)")
                }
                stats.ageSeconds = age
            } else if key.equals("bytes:") {
                let values = try numbers(fields.dropFirst(), line, device, file)
                guard values.count >= 8 else {
                    throw CollectorError("\(file): \(device): bytes line has \(values.count) counters, expected 8")
                }
                stats.bytes = Array(values.prefix(8))
            } else if key.equals("events:") {
                let values = try numbers(fields.dropFirst(), line, device, file)
                guard values.count >= 27 else {
                    throw CollectorError("\(file): \(device): events line has \(values.count) counters, expected 27")
                }
                stats.events = Array(values.prefix(27))
            } else if key.equals("xprt:") {
                guard fields.count >= 3 else {
                    throw CollectorError("\(file): \(device): malformed xprt line: \(line.trimmingWhitespace().prefix(160).string)")
                }
                stats.transportProtocol = fields[1].string
                stats.transport = try transport(fields[1], try numbers(fields.dropFirst(2), line, device, file), device, file)
            } else if key.equals("per-op") {
                inOperations = true
            }
        }
        return stats
    }

    /// The xprt counters in tcp 1.1 order. udp lacks the connection counters (inserted as 0);
    /// statvers 1.0 lacks the last three (0). Too few counters throws; an unknown transport gives nil.
    private static func transport(_ proto: ArraySlice<UInt8>, _ values: [UInt64], _ device: String, _ file: String) throws -> [UInt64]? {
        var normalized: [UInt64]
        if proto.equals("tcp") {
            guard values.count >= 10 else {
                throw CollectorError("\(file): \(device): tcp xprt line has \(values.count) counters, expected at least 10")
            }
            normalized = Array(values.prefix(13))
        } else if proto.equals("udp") {
            guard values.count >= 7 else {
                throw CollectorError("\(file): \(device): udp xprt line has \(values.count) counters, expected at least 7")
            }
            normalized = Array(values.prefix(2)) + [0, 0, 0] + Array(values.dropFirst(2).prefix(8))
        } else {
            return nil
        }
        while normalized.count < 13 { normalized.append(0) }
        return normalized
    }

    private static func numbers(_ fields: ArraySlice<ArraySlice<UInt8>>, _ line: ArraySlice<UInt8>, _ device: String,
                                _ file: String) throws -> [UInt64] {
        var values: [UInt64] = []
        values.reserveCapacity(fields.count)
        for field in fields {
            guard let value = field.parseUInt64() else {
                throw CollectorError("\(file): \(device): \"\(field.prefix(40).string)\" is not a counter in: \(line.trimmingWhitespace().prefix(160).string)")
            }
            values.append(value)
        }
        return values
    }

    // MARK: Families

    /// node_exporter reduces counters that may exceed a double's exact range modulo 2^53 first.
    private static func exact(_ value: UInt64) -> Double { Double(value % (1 << 53)) }

    private static let byteCounters: [(name: String, help: String)] = [
        ("read_bytes_total", "Bytes applications read from the mount with read(2)."),
        ("write_bytes_total", "Bytes applications wrote to the mount with write(2)."),
        ("direct_read_bytes_total", "Bytes read from files opened with O_DIRECT."),
        ("direct_write_bytes_total", "Bytes written to files opened with O_DIRECT."),
        ("total_read_bytes_total", "Bytes the client read from the NFS server, all paths together."),
        ("total_write_bytes_total", "Bytes the client wrote to the NFS server, all paths together."),
        ("read_pages_total", "Pages read through mmap(2)ed files."),
        ("write_pages_total", "Pages written through mmap(2)ed files."),
    ]

    /// Transport counter position, family, type and help.
    private static let transportCounters: [(position: Int, name: String, type: MetricType, help: String)] = [
        (1, "transport_bind_total", .counter, "Times the client bound a new transport to the NFS server."),
        (2, "transport_connect_total", .counter, "TCP connections the client opened to the NFS server."),
        (4, "transport_idle_time_seconds", .gauge, "Seconds since the transport last carried RPC traffic."),
        (5, "transport_sends_total", .counter, "RPC requests sent to the NFS server for this mount."),
        (6, "transport_receives_total", .counter, "RPC replies received from the NFS server for this mount."),
        (7, "transport_bad_transaction_ids_total", .counter, "Replies whose transaction ID the client did not know."),
        (9, "transport_backlog_queue_total", .counter, "Requests added to the RPC backlog queue, summed at each send."),
        (10, "transport_maximum_rpc_slots", .gauge, "Most RPC slots ever in use at once."),
        (11, "transport_sending_queue_total", .counter, "Requests on the RPC sending queue, summed at each send."),
        (12, "transport_pending_queue_total", .counter, "Requests on the RPC pending queue, summed at each send."),
    ]

    /// Operation value position, family, scale and help.
    private static let operationCounters: [(position: Int, name: String, scale: Double, help: String)] = [
        (0, "operations_requests_total", 1, "Requests of the NFS operation."),
        (1, "operations_transmissions_total", 1, "Transmissions of the NFS operation, retransmissions included."),
        (2, "operations_major_timeouts_total", 1, "Major timeouts of the NFS operation."),
        (3, "operations_sent_bytes_total", 1, "Bytes sent for the NFS operation, RPC headers included."),
        (4, "operations_received_bytes_total", 1, "Bytes received for the NFS operation, RPC headers included."),
        (5, "operations_queue_time_seconds_total", 0.001, "Seconds requests of the NFS operation waited to be sent."),
        (6, "operations_response_time_seconds_total", 0.001, "Seconds from sending requests of the NFS operation to their replies."),
        (7, "operations_request_time_seconds_total", 0.001, "Seconds from queuing requests of the NFS operation to their completion."),
    ]

    /// Event counter position and family (`congestion_wait`, position 18, is not exported).
    private static let eventCounters: [(position: Int, name: String, help: String)] = [
        (0, "event_inode_revalidate_total", "Revalidations of cached inode attributes with the server."),
        (1, "event_dnode_revalidate_total", "Revalidations of cached directory entries with the server."),
        (2, "event_data_invalidate_total", "Invalidations of an inode's cached data."),
        (3, "event_attribute_invalidate_total", "Invalidations of an inode's cached attributes."),
        (4, "event_vfs_open_total", "Files opened."),
        (5, "event_vfs_lookup_total", "Directory lookups."),
        (6, "event_vfs_access_total", "Permission checks."),
        (7, "event_vfs_update_page_total", "Page updates (potential writes)."),
        (8, "event_vfs_read_page_total", "Single pages read."),
        (9, "event_vfs_read_pages_total", "Groups of pages read."),
        (10, "event_vfs_write_page_total", "Single pages written."),
        (11, "event_vfs_write_pages_total", "Groups of pages written."),
        (12, "event_vfs_getdents_total", "Directory listings read with getdents."),
        (13, "event_vfs_setattr_total", "Attribute changes."),
        (14, "event_vfs_flush_total", "Flushes of pending writes to the server."),
        (15, "event_vfs_fsync_total", "fsync calls on files and directories."),
        (16, "event_vfs_lock_total", "File locking attempts."),
        (17, "event_vfs_file_release_total", "Files closed and released."),
        (19, "event_truncation_total", "File truncations."),
        (20, "event_write_extension_total", "Writes that extended a file."),
        (21, "event_silly_rename_total", "Files removed while another process still had them open."),
        (22, "event_short_read_total", "Reads the server answered with less data than asked for."),
        (23, "event_short_write_total", "Writes the server stored less of than asked for."),
        (24, "event_jukebox_delay_total", "Times the server answered EJUKEBOX (data on offline storage)."),
        (25, "event_pnfs_read_total", "pNFS reads (NFS 4.1+)."),
        (26, "event_pnfs_write_total", "pNFS writes (NFS 4.1+)."),
    ]

    /// The families for the NFS mounts of `mounts`; `addresses[i]` is the server address of
    /// mount `i` (the same position in mountinfo), if known.
    public static func families(_ mounts: [Mount], addresses: [String]) -> [MetricFamily] {
        let prefix = "node_mountstats_nfs_"
        var age = MetricFamily(name: prefix + "age_seconds_total", type: .counter, help: "Seconds since the NFS mount was made.")
        var bytes = byteCounters.map { MetricFamily(name: prefix + $0.name, type: .counter, help: $0.help) }
        var transport = transportCounters.map { MetricFamily(name: prefix + $0.name, type: $0.type, help: $0.help) }
        var operations = operationCounters.map { MetricFamily(name: prefix + $0.name, type: .counter, help: $0.help) }
        var events = eventCounters.map { MetricFamily(name: prefix + $0.name, type: .counter, help: $0.help) }

        var seen = Set<[String]>()
        for (position, mount) in mounts.enumerated() {
            guard let stats = mount.nfs else { continue }
            let address = position < addresses.count ? addresses[position] : ""
            guard seen.insert([mount.device, stats.transportProtocol, address]).inserted else { continue }
            let labels = [Label("export", mount.device), Label("mountaddr", address), Label("protocol", stats.transportProtocol)]

            age.add(Double(stats.ageSeconds), labels: labels)
            for index in byteCounters.indices {
                bytes[index].add(Double(stats.bytes[index]), labels: labels)
            }
            if let values = stats.transport {
                for (index, counter) in transportCounters.enumerated() {
                    let value = counter.position == 4 ? exact(values[counter.position]) : Double(values[counter.position])
                    transport[index].add(value, labels: labels)
                }
            }
            for operation in stats.operations {
                let operationLabels = labels + [Label("operation", operation.name)]
                for (index, counter) in operationCounters.enumerated() {
                    let raw = operation.values[counter.position]
                    let value = counter.scale == 1 ? Double(raw) : exact(raw) / 1000
                    operations[index].add(value, labels: operationLabels)
                }
            }
            for (index, counter) in eventCounters.enumerated() {
                events[index].add(Double(stats.events[counter.position]), labels: labels)
            }
        }
        return ([age] + bytes + transport + operations + events).filter { !$0.samples.isEmpty }
    }
}
