import Foundation
import HostMetrics

/// A throw-away `proc`/`sys` tree under the temporary directory for the storage collectors'
/// tests (mdadm, nfs, nfsd, xfs, btrfs, zfs, mountstats, meminfo_numa, buddyinfo, interrupts,
/// processes); removed when released.
final class StorageScratchTree {
    let root: String

    init(_ files: [String: String] = [:]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("nimbus-storage-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        for (relative, content) in files { try write(relative, content) }
    }

    func write(_ relative: String, _ content: String) throws {
        let url = URL(fileURLWithPath: root + "/" + relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(content.utf8).write(to: url)
    }

    var paths: HostPaths { HostPaths(procfs: root + "/proc", sysfs: root + "/sys", rootfs: "/", udevData: root + "/udev") }

    deinit { try? FileManager.default.removeItem(atPath: root) }
}
