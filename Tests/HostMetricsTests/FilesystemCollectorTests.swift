import Exposition
import Foundation
import HostMetrics
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A statfs stand-in: every path answers with usage derived from its length, except the paths
/// told to fail or to block until the test opens the gate. It records every call.
private final class FakeStatfs: Sendable {
    private let calls = Mutex<[String]>([])
    private let failing: [String: Int32]
    private let blocking: Set<String>
    private let gate = ConditionLock()
    private let gateOpen = Mutex(false)

    init(failing: [String: Int32] = [:], blocking: Set<String> = []) {
        self.failing = failing
        self.blocking = blocking
    }

    static func usage(for path: String) -> FilesystemUsage {
        let n = UInt64(path.utf8.count)
        return FilesystemUsage(blockSize: 4096, blocks: 1000 * n, freeBlocks: 400 * n, availableBlocks: 300 * n,
                               files: 50 * n, freeFiles: 20 * n)
    }

    var function: StatfsFunction {
        { [self] path in
            calls.withLock { $0.append(path) }
            if blocking.contains(path) {
                gate.withLock {
                    while !gateOpen.withLock({ $0 }) { gate.wait() }
                }
            }
            if let code = failing[path] { return .failed(errno: code) }
            return .usage(Self.usage(for: path))
        }
    }

    func calls(to path: String) -> Int { calls.withLock { $0.filter { $0 == path }.count } }
    var allCalls: [String] { calls.withLock { $0 } }

    func open() {
        gate.withLock {
            gateOpen.withLock { $0 = true }
            gate.broadcast()
        }
    }
}

private func labels(_ device: String, _ fsType: String, _ mountPoint: String) -> [String: String] {
    ["device": device, "fstype": fsType, "mountpoint": mountPoint]
}

/// Every mountpoint label of a family, in output order.
private func mountPoints(_ families: [MetricFamily], _ name: String) -> [String] {
    families[family: name]?.samples.map { sample in
        sample.labels.first { $0.name == "mountpoint" }?.value ?? "?"
    } ?? []
}

@Suite struct FilesystemCollectorTests {
    // MARK: mountinfo parsing

    @Test func parsesAMountinfoLineWithOptionalFields() throws {
        let line = "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 shared:7 - ext3 /dev/root rw,errors=continue"
        let mount = try #require(MountInfo.parseLine(ArraySlice(line.utf8)))
        #expect(mount.mountID == 36)
        #expect(mount.parentID == 35)
        #expect(mount.majorMinor == "98:0")
        #expect(mount.root == "/mnt1")
        #expect(mount.mountPoint == "/mnt2")
        #expect(mount.mountOptions == ["rw", "noatime"])
        #expect(mount.optionalFields == ["master:1", "shared:7"])
        #expect(mount.fsType == "ext3")
        #expect(mount.source == "/dev/root")
        #expect(mount.superOptions == ["rw", "errors=continue"])
        #expect(!mount.isReadOnly)
    }

    @Test func decodesOctalEscapesInPathsAndSource() throws {
        let mounts = try MountInfo.parse(FileReaderBox.read(Fixtures.path("edge/mounts-escaped/proc/1/mountinfo")))
        #expect(mounts.count == 14)
        #expect(mounts[2].mountPoint == "/srv/My Files")
        #expect(mounts[2].source == "/dev/mapper/vg-my data")
        #expect(mounts[2].optionalFields == ["shared:7", "master:3", "propagate_from:2"])
        #expect(mounts[3].mountPoint == "/srv/tab\there")
        #expect(mounts[4].mountPoint == "/mnt/back\\slash\nnl")
        #expect(mounts[4].root == "/sub")
        // A backslash without three octal digits after it is kept.
        #expect(ArraySlice(#"a\04b\9x\"#.utf8).unescapingOctal() == #"a\04b\9x\"#)
        #expect(ArraySlice(#"\101\102"#.utf8).unescapingOctal() == "AB")
    }

    @Test func readOnlyComesFromMountOrSuperblockOptions() throws {
        let mountRO = try #require(MountInfo.parseLine(ArraySlice("1 0 8:1 / /a ro,relatime - ext4 /dev/sda1 rw".utf8)))
        let superRO = try #require(MountInfo.parseLine(ArraySlice("2 0 8:2 / /b rw - ext4 /dev/sda2 ro,noload".utf8)))
        let neither = try #require(MountInfo.parseLine(ArraySlice("3 0 8:3 / /c rw - ext4 /dev/sda3 rw,errors=ro".utf8)))
        #expect(mountRO.isReadOnly)
        #expect(superRO.isReadOnly)
        #expect(!neither.isReadOnly)
    }

    @Test func keepsAnEmptyMountSourceInItsPlace() throws {
        let mount = try #require(MountInfo.parseLine(ArraySlice("5 1 0:50 / /x rw - tmpfs  rw,size=4k".utf8)))
        #expect(mount.source == "")
        #expect(mount.superOptions == ["rw", "size=4k"])
    }

    @Test func rejectsMalformedMountinfo() {
        for bad in ["36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 ext3 /dev/root rw",  // no separator
                    "36 35 98:0 /mnt1",                                               // truncated
                    "x 35 98:0 / / rw - ext4 /dev/root rw",                           // bad id
                    "36 35 98:0 / / rw -"] {                                          // no fstype
            #expect(MountInfo.parseLine(ArraySlice(bad.utf8)) == nil, "\(bad)")
        }
        let error = #expect(throws: CollectorError.self) {
            try MountInfo.parse(ArraySlice("1 0 8:1 / / rw - ext4 /dev/sda1 rw\ngarbage\n".utf8), file: "/p/1/mountinfo")
        }
        #expect(error?.description.contains("/p/1/mountinfo") == true)
        #expect(error?.description.contains("garbage") == true)
    }

    @Test func malformedFileFailsTheCollectorNamingIt() throws {
        let dir = try TemporaryTree(files: ["proc/1/mountinfo": "1 0 8:1 / / rw ext4\n"])
        let collector = try FilesystemCollector(options: FilesystemOptions(), statfs: FakeStatfs().function)
        let error = #expect(throws: CollectorError.self) { try collect(collector, paths: dir.paths) }
        #expect(error?.description.contains(dir.root + "/proc/1/mountinfo") == true)
    }

    // MARK: the captured host

    @Test func capturedHostReportsOnlyTheRootFilesystem() throws {
        let fake = FakeStatfs()
        let families = try collect(FilesystemCollector(options: FilesystemOptions(), statfs: fake.function),
                                   paths: Fixtures.host)
        #expect(families.map(\.name) == [
            "node_filesystem_size_bytes", "node_filesystem_free_bytes", "node_filesystem_avail_bytes",
            "node_filesystem_files", "node_filesystem_files_free", "node_filesystem_readonly",
            "node_filesystem_device_error",
        ])
        #expect(families.allSatisfy { $0.type == .gauge })
        // /proc, /sys, /dev and their children are excluded by mount point, cgroup by type.
        #expect(fake.allCalls == ["/"])
        let root = labels("/dev/vda", "ext4", "/")
        // "/" has length 1: 1000 blocks of 4096 bytes, 400 free, 300 available, 50 inodes, 20 free.
        #expect(families.value("node_filesystem_size_bytes", root) == 4_096_000)
        #expect(families.value("node_filesystem_free_bytes", root) == 1_638_400)
        #expect(families.value("node_filesystem_avail_bytes", root) == 1_228_800)
        #expect(families.value("node_filesystem_files", root) == 50)
        #expect(families.value("node_filesystem_files_free", root) == 20)
        #expect(families.value("node_filesystem_readonly", root) == 0)
        #expect(families.value("node_filesystem_device_error", root) == 0)
        #expect(families.allSatisfy { $0.samples.count == 1 })
    }

    @Test func realStatfsOnTheRootDirectory() throws {
        let families = try collect(FilesystemCollector(), paths: Fixtures.host)
        let root = labels("/dev/vda", "ext4", "/")
        #expect(families.value("node_filesystem_device_error", root) == 0)
        var expected = statvfs()
        #expect(statvfs("/", &expected) == 0)
        #expect(families.value("node_filesystem_size_bytes", root) == Double(expected.f_blocks) * Double(expected.f_bsize))
        #expect(families.value("node_filesystem_files", root) == Double(expected.f_files))
    }

    // MARK: selection, escapes, read-only

    @Test func defaultExcludesAndEscapedMountPoints() throws {
        let fake = FakeStatfs()
        let families = try collect(FilesystemCollector(options: FilesystemOptions(), statfs: fake.function),
                                   paths: Fixtures.edge("mounts-escaped"))
        // Excluded: /dev (mount point), docker overlay (both), /run/credentials/..., binfmt_misc,
        // tracefs under /sys, iso9660, and the second "/" (same labels).
        #expect(mountPoints(families, "node_filesystem_device_error") == [
            "/", "/srv/My Files", "/srv/tab\there", "/mnt/back\\slash\nnl", "/run", "/home/user/.cache/doc", "/nfs",
        ])
        #expect(fake.allCalls.count == 7)
        #expect(families.value("node_filesystem_readonly", labels("/dev/vdb1", "ext4", "/srv/tab\there")) == 1)
        #expect(families.value("node_filesystem_readonly", labels("tmpfs", "tmpfs", "/mnt/back\\slash\nnl")) == 1)
        #expect(families.value("node_filesystem_readonly", labels("/dev/mapper/vg-my data", "xfs", "/srv/My Files")) == 0)
        // "/srv/My Files" is 13 bytes long: 13000 blocks of 4096 bytes.
        #expect(families.value("node_filesystem_size_bytes", labels("/dev/mapper/vg-my data", "xfs", "/srv/My Files"))
            == Double(13000 * 4096))
        #expect(families.value("node_filesystem_files_free", labels("portal", "fuse.portal", "/home/user/.cache/doc")) == Double(20 * 21))
    }

    @Test func defaultPatternsAreNodeExporters() throws {
        let options = FilesystemOptions()
        #expect(options.mountPointsExclude
            == "^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)")
        #expect(options.fsTypesExclude
            == "^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|sysfs|tracefs)$")
        #expect(options.mountTimeoutSeconds == 5)

        let collector = try FilesystemCollector(options: options, statfs: FakeStatfs().function)
        func mount(_ point: String, _ type: String) -> MountInfo {
            MountInfo(mountID: 1, parentID: 0, majorMinor: "0:1", root: "/", mountPoint: point, mountOptions: ["rw"],
                      optionalFields: [], fsType: type, source: "src", superOptions: ["rw"])
        }
        let kept = ["/", "/devices", "/run", "/run/user/1000", "/run/credentials", "/var/lib/docker", "/system",
                    "/home", "/boot/efi", "/procfs-backup"]
        let dropped = ["/dev", "/dev/shm", "/proc", "/proc/sys/fs/binfmt_misc", "/sys", "/sys/fs/cgroup",
                       "/run/credentials/x.service", "/var/lib/docker/volumes", "/var/lib/containers/storage/overlay"]
        let selected = collector.select((kept + dropped).map { mount($0, "ext4") }, paths: HostPaths())
        #expect(selected.map(\.mountPoint) == kept)

        let keptTypes = ["ext4", "xfs", "tmpfs", "nfs4", "cgroup3", "fuse.sshfs", "zfs"]
        let droppedTypes = ["autofs", "binfmt_misc", "bpf", "cgroup", "cgroup2", "configfs", "debugfs", "devpts",
                            "devtmpfs", "fusectl", "hugetlbfs", "iso9660", "mqueue", "nsfs", "overlay", "proc",
                            "procfs", "pstore", "rpc_pipefs", "securityfs", "selinuxfs", "squashfs", "sysfs", "tracefs"]
        let byType = collector.select((keptTypes + droppedTypes).enumerated().map { mount("/m\($0.offset)", $0.element) },
                                      paths: HostPaths())
        #expect(byType.map(\.fsType) == keptTypes)
    }

    @Test func customPatternsReplaceTheDefaults() throws {
        let options = FilesystemOptions(mountPointsExclude: "^/srv/", fsTypesExclude: "")
        let fake = FakeStatfs()
        let families = try collect(FilesystemCollector(options: options, statfs: fake.function),
                                   paths: Fixtures.edge("mounts-escaped"))
        let points = mountPoints(families, "node_filesystem_device_error")
        #expect(points.contains("/dev"))
        #expect(points.contains("/sys/kernel/tracing"))
        #expect(!points.contains("/srv/My Files"))
        #expect(throws: CollectorError.self) { try FilesystemCollector(options: FilesystemOptions(mountPointsExclude: "(")) }
        #expect(throws: CollectorError.self) { try FilesystemCollector(options: FilesystemOptions(mountTimeoutSeconds: 0)) }
    }

    @Test func fallsBackToSelfMountinfo() throws {
        let fake = FakeStatfs()
        let families = try collect(FilesystemCollector(options: FilesystemOptions(), statfs: fake.function),
                                   paths: Fixtures.edge("mounts-self-only"))
        #expect(mountPoints(families, "node_filesystem_size_bytes") == ["/", "/boot efi"])
        #expect(fake.allCalls == ["/", "/boot efi"])
    }

    @Test func emptyAndMissingMountTables() throws {
        let empty = try collect(FilesystemCollector(options: FilesystemOptions(), statfs: FakeStatfs().function),
                                paths: Fixtures.edge("io-empty"))
        #expect(empty.count == 7)
        #expect(empty.allSatisfy { $0.samples.isEmpty })
        let error = #expect(throws: HostFileError.self) {
            try collect(FilesystemCollector(options: FilesystemOptions(), statfs: FakeStatfs().function),
                        paths: Fixtures.edge("missing"))
        }
        #expect(error?.path == Fixtures.path("edge/missing/proc/self/mountinfo"))
    }

    // MARK: rootfs

    @Test func stripsTheRootfsPrefixAndStatsUnderIt() throws {
        let fake = FakeStatfs()
        var paths = Fixtures.edge("rootfs-container")
        paths.rootfs = "/host"
        let families = try collect(FilesystemCollector(options: FilesystemOptions(), statfs: fake.function), paths: paths)
        // The container's own overlay root is excluded by type, /host/proc by mount point once stripped.
        #expect(mountPoints(families, "node_filesystem_device_error") == ["/", "/boot", "/hostile"])
        #expect(fake.allCalls == ["/host/", "/host/boot", "/host/hostile"])
        #expect(families.value("node_filesystem_readonly", labels("/dev/vda1", "ext4", "/")) == 1)
        #expect(families.value("node_filesystem_size_bytes", labels("/dev/vda2", "ext4", "/boot"))
            == Double(1000 * "/host/boot".utf8.count * 4096))
    }

    // MARK: errors and deadlines

    @Test func statfsErrorsGiveDeviceErrorWithoutSizes() throws {
        let fake = FakeStatfs(failing: ["/nfs": EACCES, "/run": EIO])
        let families = try collect(FilesystemCollector(options: FilesystemOptions(), statfs: fake.function),
                                   paths: Fixtures.edge("mounts-escaped"))
        let nfs = labels("server:/export", "nfs4", "/nfs")
        #expect(families.value("node_filesystem_device_error", nfs) == 1)
        #expect(families.value("node_filesystem_readonly", nfs) == 0)
        #expect(families.value("node_filesystem_size_bytes", nfs) == nil)
        #expect(families.value("node_filesystem_files", nfs) == nil)
        #expect(families.value("node_filesystem_device_error", labels("tmpfs", "tmpfs", "/run")) == 1)
        #expect(families.value("node_filesystem_device_error", labels("/dev/vda1", "ext4", "/")) == 0)
        #expect(families[family: "node_filesystem_size_bytes"]?.samples.count == 5)
        #expect(families[family: "node_filesystem_device_error"]?.samples.count == 7)
        // Errors are not stuck mounts: the next scrape asks again.
        _ = try collect(FilesystemCollector(options: FilesystemOptions(), statfs: fake.function),
                        paths: Fixtures.edge("mounts-escaped"))
        #expect(fake.calls(to: "/nfs") == 2)
    }

    @Test func hungStatfsIsCutOffAndNotProbedAgainUntilItReturns() throws {
        let fake = FakeStatfs(blocking: ["/nfs"])
        let collector = try FilesystemCollector(options: FilesystemOptions(mountTimeoutSeconds: 0.5), statfs: fake.function)
        let paths = Fixtures.edge("mounts-escaped")
        let nfs = labels("server:/export", "nfs4", "/nfs")

        // First scrape: the hung mount costs about the timeout, and only it is reported failed.
        var start = Clock.monotonicNanoseconds()
        let first = try collect(collector, paths: paths)
        var elapsed = Double(Clock.monotonicNanoseconds() - start) / 1e9
        #expect(elapsed >= 0.49)
        #expect(elapsed < 3)
        #expect(first.value("node_filesystem_device_error", nfs) == 1)
        #expect(first.value("node_filesystem_readonly", nfs) == 0)
        #expect(first.value("node_filesystem_size_bytes", nfs) == nil)
        #expect(first.value("node_filesystem_device_error", labels("/dev/vda1", "ext4", "/")) == 0)
        #expect(first[family: "node_filesystem_size_bytes"]?.samples.count == 6)
        #expect(collector.stuckMountPoints == ["/nfs"])

        // Second scrape: not probed again, answered at once.
        start = Clock.monotonicNanoseconds()
        let second = try collect(collector, paths: paths)
        elapsed = Double(Clock.monotonicNanoseconds() - start) / 1e9
        // Well under the timeout: nothing waited for a deadline.
        #expect(elapsed < 0.45)
        #expect(fake.calls(to: "/nfs") == 1)
        #expect(fake.calls(to: "/") == 2)
        #expect(second.value("node_filesystem_device_error", nfs) == 1)
        #expect(second[family: "node_filesystem_size_bytes"]?.samples.count == 6)

        // The hung call returns: the mount is forgotten as stuck and the next scrape retries it.
        fake.open()
        let deadline = Clock.monotonicNanoseconds() + 5_000_000_000
        while !collector.stuckMountPoints.isEmpty && Clock.monotonicNanoseconds() < deadline {
            usleep(5_000)
        }
        #expect(collector.stuckMountPoints.isEmpty)
        let third = try collect(collector, paths: paths)
        #expect(fake.calls(to: "/nfs") == 2)
        #expect(third.value("node_filesystem_device_error", nfs) == 0)
        #expect(third.value("node_filesystem_size_bytes", nfs) == Double(4 * 1000 * 4096))
    }

    @Test func proberReusesOneThreadAndReplacesOnlyAHungOne() throws {
        let fake = FakeStatfs(blocking: ["/hang"])
        let prober = StatfsProber(statfs: fake.function)
        for _ in 0..<20 {
            #expect(prober.probe("/ok", timeoutNanoseconds: 1_000_000_000) == .usage(FakeStatfs.usage(for: "/ok")))
        }
        #expect(prober.threadCount == 1)
        #expect(prober.probe("/hang", timeoutNanoseconds: 50_000_000) == .timedOut)
        #expect(prober.probe("/hang", timeoutNanoseconds: 50_000_000) == .stuck)
        #expect(prober.probe("/ok", timeoutNanoseconds: 1_000_000_000) == .usage(FakeStatfs.usage(for: "/ok")))
        #expect(prober.threadCount == 2)
        #expect(fake.calls(to: "/hang") == 1)
        fake.open()
        let deadline = Clock.monotonicNanoseconds() + 5_000_000_000
        while prober.threadCount > 1 && Clock.monotonicNanoseconds() < deadline { usleep(5_000) }
        #expect(prober.threadCount == 1)
        #expect(prober.stuckPaths.isEmpty)
        #expect(prober.probe("/hang", timeoutNanoseconds: 1_000_000_000) == .usage(FakeStatfs.usage(for: "/hang")))
    }

    @Test func systemStatfsReportsErrno() {
        #expect(systemStatfs("/nonexistent/nimbus-test-path") == .failed(errno: ENOENT))
        guard case .usage(let usage) = systemStatfs("/") else {
            Issue.record("statfs on / failed")
            return
        }
        #expect(usage.blockSize > 0)
        #expect(usage.blocks >= usage.freeBlocks)
        #expect(usage.freeBlocks >= usage.availableBlocks)
    }
}

/// Reads a fixture file into bytes.
private enum FileReaderBox {
    static func read(_ path: String) throws -> ArraySlice<UInt8> {
        var reader = FileReader()
        return try reader.read(path)
    }
}

/// A throw-away fixture tree under the temporary directory, removed when released.
private final class TemporaryTree {
    let root: String

    init(files: [String: String]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("nimbus-fs-\(UUID().uuidString)").path
        for (relative, content) in files {
            let url = URL(fileURLWithPath: root + "/" + relative)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(content.utf8).write(to: url)
        }
    }

    var paths: HostPaths { HostPaths(procfs: root + "/proc", sysfs: root + "/sys", rootfs: "/", udevData: root + "/udev") }

    deinit { try? FileManager.default.removeItem(atPath: root) }
}
