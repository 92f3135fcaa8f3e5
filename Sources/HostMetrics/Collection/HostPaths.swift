/// Where the host's pseudo-filesystems are mounted: the real ones, or a container's
/// `/host/proc`, or a fixture tree in tests.
public struct HostPaths: Sendable, Equatable {
    public var procfs: String
    public var sysfs: String
    public var rootfs: String
    /// udev's database, for disk model and serial labels.
    public var udevData: String

    public init(procfs: String = "/proc", sysfs: String = "/sys", rootfs: String = "/", udevData: String = "/run/udev/data") {
        self.procfs = Self.trimmed(procfs)
        self.sysfs = Self.trimmed(sysfs)
        self.rootfs = Self.trimmed(rootfs)
        self.udevData = Self.trimmed(udevData)
    }

    /// `proc("stat")` is `<procfs>/stat`.
    public func proc(_ relative: String) -> String { procfs + "/" + relative }
    /// `sys("block")` is `<sysfs>/block`.
    public func sys(_ relative: String) -> String { sysfs + "/" + relative }

    /// The path under `--path.rootfs` of a host path, for statfs.
    public func root(_ hostPath: String) -> String {
        rootfs.isEmpty ? hostPath : rootfs + hostPath
    }

    /// A mount point as users know it: the `--path.rootfs` prefix removed.
    public func strippingRootfs(_ mountPoint: String) -> String {
        guard !rootfs.isEmpty, mountPoint.hasPrefix(rootfs) else { return mountPoint }
        let rest = mountPoint.dropFirst(rootfs.count)
        if rest.isEmpty { return "/" }
        return rest.first == "/" ? String(rest) : mountPoint
    }

    /// Drops a trailing slash so joins never double it; `/` becomes empty (the join adds it back).
    private static func trimmed(_ path: String) -> String {
        var result = path
        while result.hasSuffix("/") { result.removeLast() }
        return result
    }
}
