/// One line of `/proc/<pid>/mountinfo` (proc(5)), with the kernel's octal escapes decoded:
///
///     36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
///     (1)(2)(3)   (4)   (5)      (6)       (7)   (8) (9)   (10)         (11)
///
/// Field 7 is zero or more optional fields ended by the single `-` of field 8.
public struct MountInfo: Sendable, Equatable {
    public var mountID: UInt64
    public var parentID: UInt64
    /// `major:minor` of the filesystem's device.
    public var majorMinor: String
    /// The directory of the filesystem that forms the root of this mount.
    public var root: String
    /// Where it is mounted, relative to the reading process's root.
    public var mountPoint: String
    /// Per-mount options (`rw`, `nosuid`, `relatime`, ...).
    public var mountOptions: [String]
    /// Tagged fields such as `shared:1` or `master:2`.
    public var optionalFields: [String]
    /// `ext4`, or `type.subtype` for FUSE filesystems.
    public var fsType: String
    /// The mount source (`/dev/vda1`, `server:/export`, `tmpfs`, `none`).
    public var source: String
    /// Per-superblock options.
    public var superOptions: [String]

    public init(mountID: UInt64, parentID: UInt64, majorMinor: String, root: String, mountPoint: String,
                mountOptions: [String], optionalFields: [String], fsType: String, source: String,
                superOptions: [String]) {
        self.mountID = mountID
        self.parentID = parentID
        self.majorMinor = majorMinor
        self.root = root
        self.mountPoint = mountPoint
        self.mountOptions = mountOptions
        self.optionalFields = optionalFields
        self.fsType = fsType
        self.source = source
        self.superOptions = superOptions
    }

    /// Read-only as `/proc/mounts` reports it: read-only for this mount or for the whole superblock.
    public var isReadOnly: Bool {
        mountOptions.contains("ro") || superOptions.contains("ro")
    }

    /// Parses a whole mountinfo file; blank lines are skipped. `file` names the file in errors.
    public static func parse(_ bytes: ArraySlice<UInt8>, file: String = "mountinfo") throws -> [MountInfo] {
        var mounts: [MountInfo] = []
        for line in bytes.lines() {
            let content = line.trimmingWhitespace()
            if content.isEmpty { continue }
            guard let mount = parseLine(content) else {
                throw CollectorError("\(file): malformed mount line: \(content.prefix(200).string)")
            }
            mounts.append(mount)
        }
        return mounts
    }

    /// One line, or nil when it does not have mountinfo's shape. The kernel separates fields
    /// with single spaces (spaces inside values are escaped), so an empty mount source stays an
    /// empty field rather than shifting the super options into its place.
    public static func parseLine(_ line: ArraySlice<UInt8>) -> MountInfo? {
        let fields = line.split(byte: UInt8(ascii: " "))
        // At least the six leading fields, the separator and the filesystem type.
        guard fields.count >= 8,
              let separator = fields[6...].firstIndex(where: { $0.equals("-") }),
              separator + 1 < fields.count,
              let mountID = fields[0].parseUInt64(), let parentID = fields[1].parseUInt64(),
              !fields[4].isEmpty, !fields[separator + 1].isEmpty
        else { return nil }
        let after = fields[(separator + 1)...]
        return MountInfo(
            mountID: mountID,
            parentID: parentID,
            majorMinor: fields[2].string,
            root: fields[3].unescapingOctal(),
            mountPoint: fields[4].unescapingOctal(),
            mountOptions: options(fields[5]),
            optionalFields: fields[6..<separator].filter { !$0.isEmpty }.map(\.string),
            fsType: after[after.startIndex].unescapingOctal(),
            source: after.count > 1 ? after[after.startIndex + 1].unescapingOctal() : "",
            superOptions: after.count > 2 ? options(after[after.startIndex + 2]) : []
        )
    }

    private static func options(_ field: ArraySlice<UInt8>) -> [String] {
        field.split(byte: UInt8(ascii: ",")).filter { !$0.isEmpty }.map { $0.unescapingOctal() }
    }
}
