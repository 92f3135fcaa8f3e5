import Exposition

/// `/proc/mdstat`: state, member disks and sync progress of Linux software RAID (md) arrays, as
/// node_exporter 1.5's `node_md_*` families.
///
/// The file is one block per array: a device line (`md0 : active raid1 sdb1[1] sda1[0](F)`), an
/// indented status line (`1953381440 blocks super 1.2 [2/1] [U_]`), and optional indented
/// bitmap and progress lines (`[=>...]  recovery = 8.5% (16775552/195310144) ...`,
/// `resync=DELAYED`). No file (no md driver loaded) means no families.
public struct MdadmCollector: Collector {
    public let name = "mdadm"

    public init() {}

    /// One array of `/proc/mdstat`.
    public struct MDArray: Sendable, Equatable {
        public var device: String
        /// `active`, `inactive` (or another word the kernel prints there), or, while a sync line
        /// is present, `recovering`, `resyncing` or `checking`.
        public var state: String
        public var disksActive: UInt64
        /// The disks the array needs (`n` of `[n/m]`); for raid0 and linear the member count.
        public var disksRequired: UInt64
        public var disksFailed: UInt64
        public var disksSpare: UInt64
        public var blocks: UInt64
        /// `blocks` unless a recovery, resync or check is running (or pending: 0).
        public var blocksSynced: UInt64

        public init(device: String, state: String, disksActive: UInt64, disksRequired: UInt64, disksFailed: UInt64,
                    disksSpare: UInt64, blocks: UInt64, blocksSynced: UInt64) {
            self.device = device
            self.state = state
            self.disksActive = disksActive
            self.disksRequired = disksRequired
            self.disksFailed = disksFailed
            self.disksSpare = disksSpare
            self.blocks = blocks
            self.blocksSynced = blocksSynced
        }
    }

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let file = context.paths.proc("mdstat")
        guard let bytes = try context.reader.readIfPresent(file) else { return [] }
        return Self.families(try Self.parse(bytes, file: file))
    }

    /// Parses the whole file. Header (`Personalities`), footer (`unused devices`) and blank lines
    /// are skipped; an array without a status line, or a status line without the numbers its
    /// RAID level must show, throws naming `file`.
    public static func parse(_ bytes: ArraySlice<UInt8>, file: String = "/proc/mdstat") throws -> [MDArray] {
        let lines = bytes.lines()
        var arrays: [MDArray] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            index += 1
            guard let first = line.first, !first.isBlank, !line.trimmingWhitespace().isEmpty,
                  !line.hasPrefix("Personalities"), !line.hasPrefix("unused"), !line.hasPrefix("read_ahead")
            else { continue }
            // The indented lines that follow belong to this array.
            var block: [ArraySlice<UInt8>] = []
            while index < lines.count, let lead = lines[index].first, lead.isBlank,
                  !lines[index].trimmingWhitespace().isEmpty {
                block.append(lines[index])
                index += 1
            }
            arrays.append(try parseArray(line, block, file: file))
        }
        return arrays
    }

    private static func parseArray(_ line: ArraySlice<UInt8>, _ block: [ArraySlice<UInt8>], file: String) throws -> MDArray {
        let fields = line.fields()
        guard fields.count >= 3, fields[1].equals(":") else {
            throw CollectorError("\(file): malformed array line: \(line.prefix(200).string)")
        }
        let device = fields[0].string
        guard let statusLine = block.first else {
            // The kernel prints no size line for an array without members (`md0 : inactive`).
            guard StorageFiles.contains("inactive", in: line) else {
                throw CollectorError("\(file): \(device) has no status line")
            }
            return MDArray(device: device, state: fields[2].string, disksActive: 0, disksRequired: 0, disksFailed: 0,
                           disksSpare: 0, blocks: 0, blocksSynced: 0)
        }
        let status = statusLine.fields()
        guard let blocks = status.first?.parseUInt64() else {
            throw CollectorError("\(file): \(device): status line does not start with a block count: "
                + statusLine.trimmingWhitespace().prefix(200).string)
        }

        let disksFailed = UInt64(StorageFiles.count("(F)", in: line))
        let disksSpare = UInt64(StorageFiles.count("(S)", in: line))
        var disksActive: UInt64 = 0
        var disksRequired: UInt64 = 0
        if StorageFiles.contains("raid0", in: line) || StorageFiles.contains("linear", in: line) {
            // No redundancy, so no [n/m]: every listed member (`sda1[0]`) is required and active.
            disksRequired = UInt64(StorageFiles.count("[", in: line))
            disksActive = disksRequired
        } else if StorageFiles.contains("inactive", in: line) {
            // An assembled-but-stopped array: nothing is active and nothing is required yet.
        } else {
            guard let counts = memberCounts(status) else {
                throw CollectorError("\(file): \(device): no [required/active] [U_] counts in status line: "
                    + statusLine.trimmingWhitespace().prefix(200).string)
            }
            (disksRequired, disksActive) = counts
        }

        var state = fields[2].string
        var blocksSynced = blocks
        if let progress = block.dropFirst().first(where: isSyncLine) {
            if StorageFiles.contains("recovery", in: progress) {
                state = "recovering"
            } else if StorageFiles.contains("check", in: progress) {
                state = "checking"
            } else {
                state = "resyncing"
            }
            if StorageFiles.contains("PENDING", in: progress) || StorageFiles.contains("DELAYED", in: progress) {
                blocksSynced = 0
            } else {
                guard let done = syncedBlocks(progress) else {
                    throw CollectorError("\(file): \(device): no (done/total) in sync line: "
                        + progress.trimmingWhitespace().prefix(200).string)
                }
                blocksSynced = done
            }
        }
        return MDArray(device: device, state: state, disksActive: disksActive, disksRequired: disksRequired,
                       disksFailed: disksFailed, disksSpare: disksSpare, blocks: blocks, blocksSynced: blocksSynced)
    }

    /// A recovery, resync or check line. A reshape is not one of node_exporter 1.5's states, so
    /// its line leaves the array `active` and fully synced, as 1.5 reports it.
    private static func isSyncLine(_ line: ArraySlice<UInt8>) -> Bool {
        !StorageFiles.contains("reshape", in: line)
            && (StorageFiles.contains("recovery", in: line) || StorageFiles.contains("resync", in: line)
                || StorageFiles.contains("check", in: line))
    }

    /// `(required, active)` from the `[n/m] [UU_]` pair of a status line; `blocks` must follow the
    /// block count.
    private static func memberCounts(_ status: [ArraySlice<UInt8>]) -> (UInt64, UInt64)? {
        guard status.count >= 4, status[1].equals("blocks") else { return nil }
        for position in 2..<(status.count - 1) {
            let counts = status[position]
            let map = status[position + 1]
            guard counts.count >= 5, counts.first == UInt8(ascii: "["), counts.last == UInt8(ascii: "]"),
                  map.count >= 3, map.first == UInt8(ascii: "["), map.last == UInt8(ascii: "]"),
                  map.dropFirst().dropLast().allSatisfy({ $0 == UInt8(ascii: "U") || $0 == UInt8(ascii: "_") })
            else { continue }
            let parts = counts.dropFirst().dropLast().split(byte: UInt8(ascii: "/"))
            guard parts.count == 2, let required = parts[0].parseUInt64(), let active = parts[1].parseUInt64() else { continue }
            return (required, active)
        }
        return nil
    }

    /// The `done` of `(done/total)` in a progress line.
    private static func syncedBlocks(_ line: ArraySlice<UInt8>) -> UInt64? {
        for field in line.fields() where field.count >= 5 && field.first == UInt8(ascii: "(") && field.last == UInt8(ascii: ")") {
            let parts = field.dropFirst().dropLast().split(byte: UInt8(ascii: "/"))
            if parts.count == 2, let done = parts[0].parseUInt64(), parts[1].parseUInt64() != nil { return done }
        }
        return nil
    }

    /// node_exporter's five state series per array, and the `mdstat` state each one stands for.
    private static let stateSeries: [(label: String, state: String)] = [
        ("active", "active"), ("inactive", "inactive"), ("recovering", "recovering"),
        ("resync", "resyncing"), ("check", "checking"),
    ]

    public static func families(_ arrays: [MDArray]) -> [MetricFamily] {
        guard !arrays.isEmpty else { return [] }
        var required = MetricFamily(name: "node_md_disks_required", type: .gauge,
                                    help: "Member disks the md array is built for.")
        var disks = MetricFamily(name: "node_md_disks", type: .gauge,
                                 help: "Member disks of the md array by state: active, failed (F) or spare (S).")
        var state = MetricFamily(name: "node_md_state", type: .gauge,
                                 help: "1 for the state the md array is in (active, inactive, recovering, resync, check), 0 for the others.")
        var blocks = MetricFamily(name: "node_md_blocks", type: .gauge,
                                  help: "Size of the md array in 1 KiB blocks.")
        var synced = MetricFamily(name: "node_md_blocks_synced", type: .gauge,
                                  help: "Blocks of the md array already in sync; lower than node_md_blocks while a recovery, resync or check runs.")
        for array in arrays {
            let device = Label("device", array.device)
            required.add(Double(array.disksRequired), labels: [device])
            disks.add(Double(array.disksActive), labels: [device, Label("state", "active")])
            disks.add(Double(array.disksFailed), labels: [device, Label("state", "failed")])
            disks.add(Double(array.disksSpare), labels: [device, Label("state", "spare")])
            for series in stateSeries {
                state.add(array.state == series.state ? 1 : 0, labels: [device, Label("state", series.label)])
            }
            blocks.add(Double(array.blocks), labels: [device])
            synced.add(Double(array.blocksSynced), labels: [device])
        }
        return [required, disks, state, blocks, synced]
    }
}
