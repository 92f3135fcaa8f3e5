#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Exposition

/// Mounted filesystems from `/proc/1/mountinfo` and statfs(2): the `node_filesystem_*` gauges.
///
/// Each statfs runs on a prober thread under `mountTimeoutSeconds`; a mount that does not answer
/// in time is reported with `node_filesystem_device_error 1` and is not probed again until its
/// hung call returns, so a dead NFS server never hangs a scrape.
public final class FilesystemCollector: Collector {
    public let name = "filesystem"
    public let options: FilesystemOptions
    private let mountPointFilter: NameFilter
    private let fsTypeFilter: NameFilter
    private let prober: StatfsProber
    private let timeoutNanoseconds: UInt64

    public convenience init(options: FilesystemOptions = FilesystemOptions()) throws {
        try self.init(options: options, statfs: systemStatfs)
    }

    /// With another statfs implementation: tests use one that sleeps or fails.
    public init(options: FilesystemOptions, statfs: @escaping StatfsFunction) throws {
        guard options.mountTimeoutSeconds.isFinite, options.mountTimeoutSeconds > 0 else {
            throw CollectorError("filesystem: mount timeout must be a positive number of seconds, not \(options.mountTimeoutSeconds)")
        }
        self.options = options
        mountPointFilter = try NameFilter(exclude: options.mountPointsExclude)
        fsTypeFilter = try NameFilter(exclude: options.fsTypesExclude)
        prober = StatfsProber(statfs: statfs)
        timeoutNanoseconds = UInt64(min(options.mountTimeoutSeconds, 1e9) * 1e9)
    }

    /// The mount points (as statfs sees them, under `--path.rootfs`) whose statfs has not returned.
    public var stuckMountPoints: Set<String> { prober.stuckPaths }

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let mounts = try Self.readMountInfo(&context)
        let selected = select(mounts, paths: context.paths)
        var results: [(FilesystemMount, ProbeResult)] = []
        results.reserveCapacity(selected.count)
        for mount in selected {
            results.append((mount, prober.probe(mount.statPath, timeoutNanoseconds: timeoutNanoseconds)))
        }
        return Self.families(results)
    }

    /// `<procfs>/1/mountinfo` (the host's mount namespace when the exporter runs in a container
    /// with the host's PID namespace), or `<procfs>/self/mountinfo` when PID 1's is hidden.
    public static func readMountInfo(_ context: inout CollectContext) throws -> [MountInfo] {
        let primary = context.paths.proc("1/mountinfo")
        do {
            return try MountInfo.parse(context.reader.read(primary), file: primary)
        } catch let error as HostFileError where error.isMissing || error.errno == EACCES || error.errno == EPERM {
            let fallback = context.paths.proc("self/mountinfo")
            return try MountInfo.parse(context.reader.read(fallback), file: fallback)
        }
    }

    /// The mounts to report, in mountinfo order: not excluded by mount point (with the rootfs
    /// prefix removed) or filesystem type, each (device, fstype, mountpoint) once.
    public func select(_ mounts: [MountInfo], paths: HostPaths) -> [FilesystemMount] {
        var seen = Set<String>()
        var result: [FilesystemMount] = []
        for mount in mounts {
            let mountPoint = paths.strippingRootfs(mount.mountPoint)
            guard mountPointFilter.accepts(mountPoint), fsTypeFilter.accepts(mount.fsType) else { continue }
            guard seen.insert(mount.source + "\u{0}" + mount.fsType + "\u{0}" + mountPoint).inserted else { continue }
            result.append(FilesystemMount(device: mount.source, fsType: mount.fsType, mountPoint: mountPoint,
                                          statPath: paths.root(mountPoint), readOnly: mount.isReadOnly))
        }
        return result
    }

    /// The seven families, in a fixed order, from each mount's probe result. A mount whose
    /// statfs failed, timed out or is still stuck gets only `device_error 1` and `readonly`.
    public static func families(_ results: [(FilesystemMount, ProbeResult)]) -> [MetricFamily] {
        var size = MetricFamily(name: "node_filesystem_size_bytes", type: .gauge,
                                help: "Total size of the filesystem in bytes, as statfs reports it.")
        var free = MetricFamily(name: "node_filesystem_free_bytes", type: .gauge,
                                help: "Free space on the filesystem in bytes, counting blocks reserved for root.")
        var avail = MetricFamily(name: "node_filesystem_avail_bytes", type: .gauge,
                                 help: "Space on the filesystem in bytes that unprivileged users can still use.")
        var files = MetricFamily(name: "node_filesystem_files", type: .gauge,
                                 help: "Total number of inodes (file slots) on the filesystem.")
        var filesFree = MetricFamily(name: "node_filesystem_files_free", type: .gauge,
                                     help: "Number of inodes still unused on the filesystem.")
        var readOnly = MetricFamily(name: "node_filesystem_readonly", type: .gauge,
                                    help: "1 if the filesystem is mounted read-only, 0 if writable.")
        var deviceError = MetricFamily(name: "node_filesystem_device_error", type: .gauge,
                                       help: "1 if statfs on the mount point failed or timed out in this scrape, else 0.")
        for (mount, result) in results {
            let labels = [Label("device", mount.device), Label("fstype", mount.fsType),
                          Label("mountpoint", mount.mountPoint)]
            readOnly.add(mount.readOnly ? 1 : 0, labels: labels)
            guard case .usage(let usage) = result else {
                deviceError.add(1, labels: labels)
                continue
            }
            deviceError.add(0, labels: labels)
            let blockSize = Double(usage.blockSize)
            size.add(Double(usage.blocks) * blockSize, labels: labels)
            free.add(Double(usage.freeBlocks) * blockSize, labels: labels)
            avail.add(Double(usage.availableBlocks) * blockSize, labels: labels)
            files.add(Double(usage.files), labels: labels)
            filesFree.add(Double(usage.freeFiles), labels: labels)
        }
        return [size, free, avail, files, filesFree, readOnly, deviceError]
    }
}

/// A mount the filesystem collector reports: its labels and where to statfs it.
public struct FilesystemMount: Sendable, Equatable {
    /// The mount source, the `device` label.
    public var device: String
    public var fsType: String
    /// The mount point without the `--path.rootfs` prefix, the `mountpoint` label.
    public var mountPoint: String
    /// The path statfs is called on: the mount point under `--path.rootfs`.
    public var statPath: String
    public var readOnly: Bool

    public init(device: String, fsType: String, mountPoint: String, statPath: String, readOnly: Bool) {
        self.device = device
        self.fsType = fsType
        self.mountPoint = mountPoint
        self.statPath = statPath
        self.readOnly = readOnly
    }
}
