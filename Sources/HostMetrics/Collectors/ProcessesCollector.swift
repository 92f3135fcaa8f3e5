#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Exposition

/// Process and thread counts by state from `/proc/<pid>/stat` and `/proc/<pid>/task/<tid>/stat`,
/// with the kernel's limits (`/proc/sys/kernel/pid_max`, `threads-max`), as node_exporter 1.5's
/// `node_processes_*` families.
///
/// Processes and threads that exit between the listing and the read are skipped, and so are
/// the ones this exporter may not look at (`/proc` mounted with `hidepid=1`: their files refuse
/// reading; `hidepid=2`: they are not listed at all) — the counts are of what is visible.
public struct ProcessesCollector: Collector {
    public let name = "processes"

    public init() {}

    /// What one scan of `/proc` found.
    public struct Scan: Sendable, Equatable {
        public var pids = 0
        /// The sum of the processes' thread counts (field 20 of `stat`).
        public var threads = 0
        /// Processes by state letter (`R`, `S`, `D`, `Z`, `I`, ...).
        public var states: [String: Int] = [:]
        /// Threads (a process's main thread included) by state letter.
        public var threadStates: [String: Int] = [:]
    }

    /// The two fields of `stat` this collector uses.
    public struct Stat: Sendable, Equatable {
        public var state: String
        public var threads: Int

        public init(state: String, threads: Int) {
            self.state = state
            self.threads = threads
        }
    }

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        guard let entries = try FileReader.listDirectoryIfPresent(context.paths.procfs) else { return [] }
        let scan = try Self.scan(context.paths.procfs, entries: entries, &context.reader)
        let maxThreads = try Self.limit(context.paths.proc("sys/kernel/threads-max"), &context.reader)
        let maxPids = try Self.limit(context.paths.proc("sys/kernel/pid_max"), &context.reader)
        return Self.families(scan, maxThreads: maxThreads, maxPids: maxPids)
    }

    static func scan(_ procfs: String, entries: [String], _ reader: inout FileReader) throws -> Scan {
        var scan = Scan()
        for pid in entries where StorageFiles.isNumber(pid) {
            let file = procfs + "/" + pid + "/stat"
            guard let bytes = try readVisible(file, &reader) else { continue }
            let stat = try parseStat(bytes, file: file)
            scan.pids += 1
            scan.threads += stat.threads
            scan.states[stat.state, default: 0] += 1

            let taskDirectory = procfs + "/" + pid + "/task"
            guard let tasks = try listVisible(taskDirectory) else { continue }
            for tid in tasks where StorageFiles.isNumber(tid) {
                if tid == pid {
                    scan.threadStates[stat.state, default: 0] += 1
                    continue
                }
                let taskFile = taskDirectory + "/" + tid + "/stat"
                guard let taskBytes = try readVisible(taskFile, &reader) else { continue }
                scan.threadStates[try parseStat(taskBytes, file: taskFile).state, default: 0] += 1
            }
        }
        return scan
    }

    /// State and thread count from a `stat` line: `pid (comm) S ppid ...`, where `comm` may hold
    /// spaces and parentheses, so the fields are counted from the last `)`.
    public static func parseStat(_ bytes: ArraySlice<UInt8>, file: String) throws -> Stat {
        guard let close = bytes.lastIndex(of: UInt8(ascii: ")")) else {
            throw CollectorError("\(file): no \")\" after the command name")
        }
        let fields = bytes[(close + 1)...].fields()
        // fields[0] is field 3 (state), fields[17] field 20 (num_threads).
        guard fields.count >= 18, fields[0].count == 1, let threads = fields[17].parseUInt64() else {
            throw CollectorError("\(file): malformed stat: \(bytes.prefix(200).trimmingWhitespace().string)")
        }
        return Stat(state: fields[0].string, threads: Int(clamping: threads))
    }

    /// Whether a failed read means "not there for us" (exited, or hidden by hidepid) rather than
    /// a broken `/proc`.
    public static func isInvisible(_ error: HostFileError) -> Bool {
        error.isMissing || error.errno == ESRCH || error.errno == EACCES || error.errno == EPERM
    }

    private static func readVisible(_ path: String, _ reader: inout FileReader) throws(HostFileError) -> ArraySlice<UInt8>? {
        do {
            return try reader.read(path)
        } catch {
            if isInvisible(error) { return nil }
            throw error
        }
    }

    private static func listVisible(_ path: String) throws(HostFileError) -> [String]? {
        do {
            return try FileReader.listDirectory(path)
        } catch {
            if isInvisible(error) { return nil }
            throw error
        }
    }

    /// A limit file, or nil when the kernel does not have it.
    private static func limit(_ path: String, _ reader: inout FileReader) throws -> Double? {
        guard let bytes = try reader.readIfPresent(path) else { return nil }
        guard let value = bytes.trimmingWhitespace().parseUInt64() else {
            throw CollectorError("\(path): expected a number, got \"\(bytes.trimmingWhitespace().prefix(40).string)\"")
        }
        return Double(value)
    }

    static func families(_ scan: Scan, maxThreads: Double?, maxPids: Double?) -> [MetricFamily] {
        var families: [MetricFamily] = [
            .single("node_processes_threads", .gauge, help: "Threads of all visible processes.", value: Double(scan.threads)),
        ]
        if let maxThreads {
            families.append(.single("node_processes_max_threads", .gauge,
                                    help: "Most threads the kernel allows (kernel.threads-max).", value: maxThreads))
        }
        var states = MetricFamily(name: "node_processes_state", type: .gauge, help: "Visible processes by state letter.")
        for (state, count) in scan.states.sorted(by: { $0.key < $1.key }) {
            states.add(Double(count), ["state": state])
        }
        var threadStates = MetricFamily(name: "node_processes_threads_state", type: .gauge,
                                        help: "Threads of visible processes by state letter.")
        for (state, count) in scan.threadStates.sorted(by: { $0.key < $1.key }) {
            threadStates.add(Double(count), ["thread_state": state])
        }
        families += [states, threadStates].filter { !$0.samples.isEmpty }
        families.append(.single("node_processes_pids", .gauge, help: "Visible processes.", value: Double(scan.pids)))
        if let maxPids {
            families.append(.single("node_processes_max_processes", .gauge,
                                    help: "Highest process ID the kernel hands out plus one (kernel.pid_max).", value: maxPids))
        }
        return families
    }
}
