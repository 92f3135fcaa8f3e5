#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Exposition

/// `uname(2)`: node_uname_info with the kernel's names as labels.
public struct UnameCollector: Collector {
    public let name = "uname"

    public init() {}

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let info = try Self.read()
        var family = MetricFamily(name: "node_uname_info", type: .gauge,
                                  help: "Names the kernel reports through uname(2) (always 1).")
        family.add(1, [
            "domainname": info.domainname, "machine": info.machine, "nodename": info.nodename,
            "release": info.release, "sysname": info.sysname, "version": info.version,
        ])
        return [family]
    }

    /// The fields of `struct utsname`.
    public struct Info: Sendable, Equatable {
        public var sysname: String
        public var nodename: String
        public var release: String
        public var version: String
        public var machine: String
        /// The NIS domain name; `(none)` when unset.
        public var domainname: String

        public init(sysname: String, nodename: String, release: String, version: String, machine: String,
                    domainname: String) {
            self.sysname = sysname
            self.nodename = nodename
            self.release = release
            self.version = version
            self.machine = machine
            self.domainname = domainname
        }
    }

    /// Calls `uname(2)`.
    public static func read() throws -> Info {
        var names = utsname()
        guard uname(&names) == 0 else {
            throw CollectorError("uname(2) failed: \(String(cString: strerror(errno)))")
        }
        // glibc names the field `__domainname` unless _GNU_SOURCE is defined.
        #if canImport(Glibc)
        let domainname = field(&names.__domainname)
        #else
        let domainname = field(&names.domainname)
        #endif
        return Info(sysname: field(&names.sysname), nodename: field(&names.nodename), release: field(&names.release),
                    version: field(&names.version), machine: field(&names.machine), domainname: domainname)
    }

    /// A fixed-size `char[]` field: the bytes before the first NUL, or all of them if there is none.
    public static func field<T>(_ storage: inout T) -> String {
        withUnsafeBytes(of: &storage) { raw in
            let end = raw.firstIndex(of: 0) ?? raw.count
            return String(decoding: raw[..<end], as: UTF8.self)
        }
    }
}
