#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Exposition

/// The standard `process_*` families about the exporter's own process, as every Prometheus
/// client library exports them. Always read from the real `/proc/self`, whatever `--path.procfs` says.
public struct ProcessMetrics: Sendable {
    private let procfs: String
    private let ticksPerSecond: Double
    private let pageSize: Double

    public init(procfs: String = "/proc") {
        self.procfs = procfs
        ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// The fields of `/proc/<pid>/stat` this needs. The command name may hold spaces and `)`,
    /// so fields are counted from the last `)`.
    public struct Stat: Equatable, Sendable {
        public var userTicks: UInt64
        public var systemTicks: UInt64
        public var startTicks: UInt64
        public var virtualBytes: UInt64
        public var residentPages: UInt64
    }

    public static func parseStat(_ bytes: ArraySlice<UInt8>) -> Stat? {
        guard let close = bytes.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        // After ")": state(3) ppid(4) ... utime(14) stime(15) ... starttime(22) vsize(23) rss(24).
        let fields = bytes[(close + 1)...].fields()
        guard fields.count >= 22,
              let user = fields[11].parseUInt64(), let system = fields[12].parseUInt64(),
              let start = fields[19].parseUInt64(), let virtual = fields[20].parseUInt64(),
              let resident = fields[21].parseUInt64()
        else { return nil }
        return Stat(userTicks: user, systemTicks: system, startTicks: start, virtualBytes: virtual, residentPages: resident)
    }

    public func families(reader: inout FileReader) -> [MetricFamily] {
        var result: [MetricFamily] = []
        if let stat = (try? reader.read(procfs + "/self/stat")).flatMap(Self.parseStat) {
            result.append(.single("process_cpu_seconds_total", .counter, help: "User and system CPU time the exporter has used, in seconds.",
                                  value: Double(stat.userTicks + stat.systemTicks) / ticksPerSecond))
            result.append(.single("process_resident_memory_bytes", .gauge, help: "Resident memory of the exporter, in bytes.",
                                  value: Double(stat.residentPages) * pageSize))
            result.append(.single("process_virtual_memory_bytes", .gauge, help: "Virtual memory of the exporter, in bytes.",
                                  value: Double(stat.virtualBytes)))
            if let bootTime = try? bootTimeSeconds(reader: &reader) {
                result.append(.single("process_start_time_seconds", .gauge, help: "When the exporter started, in seconds since the Unix epoch.",
                                      value: bootTime + Double(stat.startTicks) / ticksPerSecond))
            }
        }
        if let openFiles = try? FileReader.listDirectory(procfs + "/self/fd") {
            // The listing's own descriptor is counted by the kernel while it reads; drop it.
            result.append(.single("process_open_fds", .gauge, help: "File descriptors the exporter has open.",
                                  value: Double(max(openFiles.count - 1, 0))))
        }
        var files = rlimit()
        if getrlimit(RLIMIT_NOFILE_VALUE, &files) == 0 {
            result.append(.single("process_max_fds", .gauge, help: "The exporter's limit on open file descriptors.",
                                  value: limitValue(files.rlim_cur)))
        }
        var address = rlimit()
        if getrlimit(RLIMIT_AS_VALUE, &address) == 0 {
            result.append(.single("process_virtual_memory_max_bytes", .gauge, help: "The exporter's limit on virtual memory, in bytes.",
                                  value: limitValue(address.rlim_cur)))
        }
        return result
    }

    private func limitValue(_ limit: rlim_t) -> Double {
        limit == rlim_t.max ? Double(UInt64.max) : Double(limit)
    }

    private func bootTimeSeconds(reader: inout FileReader) throws -> Double {
        for line in try reader.read(procfs + "/stat").lines() where line.hasPrefix("btime ") {
            if let value = line.fields().last?.parseDouble() { return value }
        }
        throw CollectorError("no btime line in \(procfs)/stat")
    }
}

#if canImport(Glibc)
private let RLIMIT_NOFILE_VALUE = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
private let RLIMIT_AS_VALUE = __rlimit_resource_t(RLIMIT_AS.rawValue)
#else
private let RLIMIT_NOFILE_VALUE = RLIMIT_NOFILE
private let RLIMIT_AS_VALUE = RLIMIT_AS
#endif
