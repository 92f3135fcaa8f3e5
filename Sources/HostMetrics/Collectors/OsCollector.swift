#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Exposition
import Synchronization

/// `os-release(5)` of the host: `node_os_info` (always 1, the fields as labels) and
/// `node_os_version` (VERSION_ID's major.minor as a number).
///
/// The file is `<rootfs>/etc/os-release`, else `<rootfs>/usr/lib/os-release`. It is parsed again
/// only when its path or modification time changes.
public struct OsCollector: Collector {
    public let name = "os"

    /// The `node_os_info` labels and the os-release keys they come from.
    static let infoLabels: [(label: String, key: String)] = [
        ("build_id", "BUILD_ID"), ("id", "ID"), ("id_like", "ID_LIKE"), ("image_id", "IMAGE_ID"),
        ("image_version", "IMAGE_VERSION"), ("name", "NAME"), ("pretty_name", "PRETTY_NAME"),
        ("variant", "VARIANT"), ("variant_id", "VARIANT_ID"), ("version", "VERSION"),
        ("version_codename", "VERSION_CODENAME"), ("version_id", "VERSION_ID"),
    ]

    private let files: [String]?
    private let cache = Cache()

    /// `files` replaces the rootfs-relative candidates, in order (for tests).
    public init(files: [String]? = nil) {
        self.files = files
    }

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let candidates = files ?? [context.paths.root("/etc/os-release"), context.paths.root("/usr/lib/os-release")]
        for path in candidates {
            var info = stat()
            guard stat(path, &info) == 0 else {
                let error = HostFileError(path: path, errno: errno)
                if error.isMissing { continue }
                throw error
            }
            let stamp = Stamp(path: path, seconds: Int64(info.st_mtim.tv_sec), nanoseconds: Int64(info.st_mtim.tv_nsec),
                              size: Int64(info.st_size))
            if let families = cache.families(for: stamp) { return families }
            let bytes: ArraySlice<UInt8>
            do {
                bytes = try context.reader.read(path)
            } catch {
                guard error.isMissing else { throw error }
                continue
            }
            let families = Self.families(from: try OsRelease.parse(bytes, file: path))
            cache.store(families, for: stamp)
            return families
        }
        return []
    }

    /// The families for one parsed os-release file.
    public static func families(from release: [String: String]) -> [MetricFamily] {
        var info = MetricFamily(name: "node_os_info", type: .gauge,
                                help: "Operating system identification from os-release (always 1).")
        info.add(1, labels: infoLabels.map { Label($0.label, release[$0.key] ?? "") })
        var families = [info]
        if let version = OsRelease.majorMinor(release["VERSION_ID"] ?? ""), version > 0 {
            var family = MetricFamily(name: "node_os_version", type: .gauge,
                                      help: "Major.minor part of the operating system's VERSION_ID, as a number.")
            family.add(version, ["id": release["ID"] ?? "", "id_like": release["ID_LIKE"] ?? "",
                                 "name": release["NAME"] ?? ""])
            families.append(family)
        }
        return families
    }

    /// What identifies one version of the file.
    struct Stamp: Equatable {
        var path: String
        var seconds: Int64
        var nanoseconds: Int64
        var size: Int64
    }

    private final class Cache: Sendable {
        private let entry = Mutex<(stamp: Stamp, families: [MetricFamily])?>(nil)

        func families(for stamp: Stamp) -> [MetricFamily]? {
            entry.withLock { $0?.stamp == stamp ? $0?.families : nil }
        }

        func store(_ families: [MetricFamily], for stamp: Stamp) {
            entry.withLock { $0 = (stamp, families) }
        }
    }
}
