#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Exposition

/// `/proc/net/sockstat` and `/proc/net/sockstat6`: socket counts per protocol, as
/// `node_sockstat_<PROTOCOL>_<field>` gauges (`node_sockstat_TCP_inuse`, `node_sockstat_UDP6_inuse`,
/// `node_sockstat_FRAG_memory`), `node_sockstat_<PROTOCOL>_mem_bytes` for protocols whose `mem`
/// is counted in pages, and `node_sockstat_sockets_used` from the IPv4 file.
///
/// A file that does not exist (IPv6 disabled) contributes nothing.
public struct SockstatCollector: Collector {
    public let name = "sockstat"

    /// The fields exported, in this order; any other key on a line is ignored.
    static let fields = ["inuse", "orphan", "tw", "alloc", "mem", "memory"]

    /// One protocol line: `TCP: inuse 1 orphan 0 tw 79 alloc 1 mem 0`.
    public struct ProtocolLine: Sendable, Equatable {
        public var protocolName: String
        /// The key/value pairs in the line's order.
        public var values: [(key: String, value: Int64)]

        public init(protocolName: String, values: [(key: String, value: Int64)]) {
            self.protocolName = protocolName
            self.values = values
        }

        public func value(_ key: String) -> Int64? { values.first { $0.key == key }?.value }

        public static func == (lhs: ProtocolLine, rhs: ProtocolLine) -> Bool {
            lhs.protocolName == rhs.protocolName && lhs.values.elementsEqual(rhs.values) { $0 == $1 }
        }
    }

    /// A parsed file: `sockets: used N` (IPv4 only) and the protocol lines.
    public struct File: Sendable, Equatable {
        public var socketsUsed: Int64?
        public var protocols: [ProtocolLine]
    }

    private let pageSize: Int64

    /// `pageSize` converts `mem` (in pages) to bytes; the host's by default.
    public init(pageSize: Int? = nil) {
        self.pageSize = Int64(pageSize ?? Int(sysconf(Int32(_SC_PAGESIZE))))
    }

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        var families: [MetricFamily] = []
        for (relative, isIPv6) in [("net/sockstat", false), ("net/sockstat6", true)] {
            let path = context.paths.proc(relative)
            guard let bytes = try context.reader.readIfPresent(path) else { continue }
            let file = try Self.parse(bytes, file: path)
            // sockstat6 has no `sockets:` line; should one appear, the IPv4 count stays the only one.
            if !isIPv6, let used = file.socketsUsed {
                families.append(.single("node_sockstat_sockets_used", .gauge,
                                        help: "Sockets of all kinds allocated by the kernel, from /proc/net/sockstat.",
                                        value: Double(used)))
            }
            for line in file.protocols {
                families += self.families(line, source: "/proc/" + relative)
            }
        }
        return families
    }

    private func families(_ line: ProtocolLine, source: String) -> [MetricFamily] {
        let prefix = "node_sockstat_" + MetricNames.sanitize(line.protocolName) + "_"
        var result: [MetricFamily] = []
        for field in Self.fields {
            // Every protocol line yields inuse, as node_exporter does, even when the key is absent.
            guard let value = line.value(field) ?? (field == "inuse" ? 0 : nil) else { continue }
            result.append(.single(prefix + field, .gauge,
                                  help: "\(line.protocolName) sockets: \(field) from \(source)\(Self.unit(field)).",
                                  value: Double(value)))
        }
        if let pages = line.value("mem") {
            result.append(.single(prefix + "mem_bytes", .gauge,
                                  help: "Memory used by \(line.protocolName) sockets in bytes (mem pages times the page size), from \(source).",
                                  value: Double(pages) * Double(pageSize)))
        }
        return result
    }

    private static func unit(_ field: String) -> String {
        switch field {
        case "mem": " (pages)"
        case "memory": " (bytes)"
        default: ""
        }
    }

    /// Parses one file: lines of `PROTOCOL: key value [key value ...]`. Blank lines are skipped;
    /// a line without a protocol and at least one pair, an odd number of words after the
    /// protocol, or a value that is not a whole number throws, naming the file.
    public static func parse(_ bytes: ArraySlice<UInt8>, file: String = "/proc/net/sockstat") throws -> File {
        var result = File(socketsUsed: nil, protocols: [])
        for line in bytes.lines() {
            let words = line.fields()
            if words.isEmpty { continue }
            guard words.count >= 3, words.count % 2 == 1, words[0].count > 1, words[0].last == UInt8(ascii: ":") else {
                throw CollectorError("\(file): malformed line: \(line.prefix(120).string)")
            }
            var values: [(key: String, value: Int64)] = []
            for index in stride(from: 1, to: words.count, by: 2) {
                guard let value = words[index + 1].parseInt64() else {
                    throw CollectorError("\(file): \(words[index].string) is not a whole number: \(line.prefix(120).string)")
                }
                values.append((words[index].string, value))
            }
            let protocolName = words[0].dropLast().string
            if protocolName == "sockets" {
                result.socketsUsed = values.first { $0.key == "used" }?.value ?? 0
            } else {
                result.protocols.append(ProtocolLine(protocolName: protocolName, values: values))
            }
        }
        return result
    }
}
