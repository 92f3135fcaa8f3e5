/// Settings of the `filesystem` collector, spelled like node_exporter's flags.
public struct FilesystemOptions: Sendable, Equatable {
    /// node_exporter 1.5's `--collector.filesystem.mount-points-exclude` default.
    public static let defaultMountPointsExclude =
        "^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)"
    /// node_exporter 1.5's `--collector.filesystem.fs-types-exclude` default.
    public static let defaultFSTypesExclude =
        "^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|sysfs|tracefs)$"

    /// `--collector.filesystem.mount-points-exclude`: matched against the mount point as users
    /// see it (the `--path.rootfs` prefix removed). Empty excludes nothing.
    public var mountPointsExclude: String
    /// `--collector.filesystem.fs-types-exclude`. Empty excludes nothing.
    public var fsTypesExclude: String
    /// `--collector.filesystem.mount-timeout`: how long one statfs may take before the mount is
    /// reported with `node_filesystem_device_error 1` and left alone until the call returns.
    public var mountTimeoutSeconds: Double

    public init(mountPointsExclude: String = FilesystemOptions.defaultMountPointsExclude,
                fsTypesExclude: String = FilesystemOptions.defaultFSTypesExclude,
                mountTimeoutSeconds: Double = 5) {
        self.mountPointsExclude = mountPointsExclude
        self.fsTypesExclude = fsTypesExclude
        self.mountTimeoutSeconds = mountTimeoutSeconds
    }
}
