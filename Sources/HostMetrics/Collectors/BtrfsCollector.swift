import Exposition

/// `/sys/fs/btrfs/<uuid>/`: space allocation of each mounted Btrfs filesystem, as node_exporter
/// 1.5's sysfs-based `node_btrfs_*` families.
///
/// Per filesystem: `label`, `metadata_uuid` (else the directory name is the UUID),
/// `devices/<name>` (links to the member block devices, whose `size` is in 512-byte sectors),
/// `allocation/global_rsv_size`, and for each block group type (`data`, `metadata`, `system`)
/// `allocation/<type>/bytes_reserved` plus one directory per RAID profile in use (`single`,
/// `dup`, `raid1`, ...) holding `total_bytes` and `used_bytes`. The entries without a `-` in
/// their name (`features`) are not filesystems. No `/sys/fs/btrfs` means no families.
public struct BtrfsCollector: Collector {
    public let name = "btrfs"

    public init() {}

    static let blockGroupTypes = ["data", "metadata", "system"]

    /// One filesystem as read from sysfs.
    public struct Filesystem: Sendable {
        public struct Profile: Sendable, Equatable {
            public var blockGroupType: String
            public var mode: String
            public var totalBytes: UInt64?
            public var usedBytes: UInt64?
        }

        public var uuid: String
        public var label: String
        /// Member device name and size in bytes (nil when the size could not be read).
        public var devices: [(name: String, bytes: UInt64?)]
        public var globalReserveBytes: UInt64?
        public var reservedBytes: [(blockGroupType: String, bytes: UInt64)]
        public var profiles: [Profile]
    }

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let root = context.paths.sys("fs/btrfs")
        guard let entries = try FileReader.listDirectoryIfPresent(root) else { return [] }
        var filesystems: [Filesystem] = []
        for entry in entries where entry.contains("-") {
            if let filesystem = try Self.read(root + "/" + entry, name: entry, &context.reader) {
                filesystems.append(filesystem)
            }
        }
        return Self.families(filesystems)
    }

    /// Reads one filesystem directory; nil when it vanished (unmounted) while being read.
    static func read(_ directory: String, name: String, _ reader: inout FileReader) throws -> Filesystem? {
        guard FileReader.isDirectory(directory) else { return nil }
        var uuid = try text(directory + "/metadata_uuid", &reader) ?? ""
        if uuid.isEmpty { uuid = name }
        let label = try text(directory + "/label", &reader) ?? ""

        var devices: [(name: String, bytes: UInt64?)] = []
        for device in try FileReader.listDirectoryIfPresent(directory + "/devices") ?? [] {
            let sectors = try number(directory + "/devices/" + device + "/size", &reader)
            devices.append((device, sectors.map { $0 * 512 }))
        }

        let allocation = directory + "/allocation"
        let globalReserve = try number(allocation + "/global_rsv_size", &reader)
        var reserved: [(blockGroupType: String, bytes: UInt64)] = []
        var profiles: [Filesystem.Profile] = []
        for type in blockGroupTypes {
            let typeDirectory = allocation + "/" + type
            guard let entries = try FileReader.listDirectoryIfPresent(typeDirectory) else { continue }
            if let bytes = try number(typeDirectory + "/bytes_reserved", &reader) {
                reserved.append((type, bytes))
            }
            for mode in entries where FileReader.isDirectory(typeDirectory + "/" + mode) {
                profiles.append(Filesystem.Profile(
                    blockGroupType: type, mode: mode,
                    totalBytes: try number(typeDirectory + "/" + mode + "/total_bytes", &reader),
                    usedBytes: try number(typeDirectory + "/" + mode + "/used_bytes", &reader)))
            }
        }
        return Filesystem(uuid: uuid, label: label, devices: devices, globalReserveBytes: globalReserve,
                          reservedBytes: reserved, profiles: profiles)
    }

    /// How many bytes of raw device space a RAID profile uses per byte stored; 0 when unknown.
    public static func allocationRatio(mode: String, deviceCount: Int) -> Double {
        let devices = Double(deviceCount)
        switch mode {
        case "single", "raid0": return 1
        case "dup", "raid1", "raid10": return 2
        case "raid1c3": return 3
        case "raid1c4": return 4
        case "raid5": return devices > 1 ? devices / (devices - 1) : 0
        case "raid6": return devices > 2 ? devices / (devices - 2) : 0
        default: return 0
        }
    }

    static func families(_ filesystems: [Filesystem]) -> [MetricFamily] {
        guard !filesystems.isEmpty else { return [] }
        var info = MetricFamily(name: "node_btrfs_info", type: .gauge,
                                help: "Label of the Btrfs filesystem; value is always 1.")
        var globalReserve = MetricFamily(name: "node_btrfs_global_rsv_size_bytes", type: .gauge,
                                         help: "Size of the Btrfs filesystem's global block reserve in bytes.")
        var reserved = MetricFamily(name: "node_btrfs_reserved_bytes", type: .gauge,
                                    help: "Bytes reserved but not yet used, by block group type.")
        var used = MetricFamily(name: "node_btrfs_used_bytes", type: .gauge,
                                help: "Bytes used in block groups, by block group type and RAID profile.")
        var size = MetricFamily(name: "node_btrfs_size_bytes", type: .gauge,
                                help: "Bytes allocated to block groups, by block group type and RAID profile.")
        var ratio = MetricFamily(name: "node_btrfs_allocation_ratio", type: .gauge,
                                 help: "Raw device bytes used per stored byte by the RAID profile (0 when unknown).")
        var deviceSize = MetricFamily(name: "node_btrfs_device_size_bytes", type: .gauge,
                                      help: "Size in bytes of a device that belongs to the Btrfs filesystem.")
        for filesystem in filesystems {
            let uuid = filesystem.uuid
            info.add(1, ["label": filesystem.label, "uuid": uuid])
            if let bytes = filesystem.globalReserveBytes {
                globalReserve.add(Double(bytes), ["uuid": uuid])
            }
            for entry in filesystem.reservedBytes {
                reserved.add(Double(entry.bytes), ["block_group_type": entry.blockGroupType, "uuid": uuid])
            }
            for profile in filesystem.profiles {
                let labels: KeyValuePairs<String, String> = ["block_group_type": profile.blockGroupType, "mode": profile.mode, "uuid": uuid]
                if let bytes = profile.usedBytes { used.add(Double(bytes), labels) }
                if let bytes = profile.totalBytes { size.add(Double(bytes), labels) }
                ratio.add(allocationRatio(mode: profile.mode, deviceCount: filesystem.devices.count), labels)
            }
            for device in filesystem.devices {
                guard let bytes = device.bytes else { continue }
                deviceSize.add(Double(bytes), ["device": device.name, "uuid": uuid])
            }
        }
        return [info, globalReserve, reserved, used, size, ratio, deviceSize].filter { !$0.samples.isEmpty }
    }

    private static func text(_ path: String, _ reader: inout FileReader) throws -> String? {
        guard let bytes = try reader.readIfPresent(path) else { return nil }
        return bytes.trimmingWhitespace().string
    }

    private static func number(_ path: String, _ reader: inout FileReader) throws -> UInt64? {
        guard let bytes = try reader.readIfPresent(path) else { return nil }
        guard let value = bytes.trimmingWhitespace().parseUInt64() else {
            throw CollectorError("\(path): expected a byte count, got \"\(bytes.trimmingWhitespace().prefix(40).string)\"")
        }
        return value
    }
}
