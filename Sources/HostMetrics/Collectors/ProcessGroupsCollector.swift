#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Exposition
import Synchronization

/// Processes summed by name, under process-exporter's `namedprocess_namegroup_*` families
/// (psutil's per-process fields, with the cardinality of a group instead of a pid).
///
/// For every `/proc/<pid>` it reads `stat`, `status`, `io`, `limits` and counts `fd/`. Grouping:
/// by the command name (`comm`, default) or the executable's name (`exe`: the basename of the
/// `/proc/<pid>/exe` target, else of `argv[0]`, else comm); with `name-pattern` rules
/// (`groupname=regex`, matched against that name, first match wins) only the processes a rule
/// matches are reported, as process-exporter ignores the processes no matcher selects. Kernel
/// threads are left out unless asked for (process-exporter's packaged configuration selects only
/// processes with a command line, which kernel threads lack).
///
/// With `gather-smaps`, `/proc/<pid>/smaps_rollup` adds `memtype="proportionalResident"` and
/// `"proportionalSwapped"` (PSS, psutil's `memory_full_info().pss`), as process-exporter's
/// `-gather-smaps` does; off by default because the kernel walks every mapping to answer.
///
/// At most `max-groups` groups are reported by name, the ones with most processes; the others
/// are summed into `groupname="other"` (together with a program that is itself named "other") and
/// counted in `nimbus_process_groups_folded`. With hidepid, the processes /proc hides from the
/// exporter's user are simply not seen.
///
/// Counters never decrease while a group lives (see `ProcessGroupLedger`). Processes that vanish
/// between the listing and the reading are skipped; files the exporter may not read (`io` and
/// `fd/` of other users' processes without CAP_SYS_PTRACE) count as zero / unknown.
/// Differences from process-exporter: `states` counts processes (not threads), and context
/// switches are those `/proc/<pid>/status` shows (the main thread's, as psutil reports them)
/// rather than a sum over `/proc/<pid>/task/*`, which would cost a read per thread.
public struct ProcessGroupsCollector: Collector {
    public let name = "process_groups"

    public enum GroupBy: String, Sendable, CaseIterable {
        case comm, exe
    }

    /// One `name-pattern` rule.
    public struct Rule: Sendable {
        public let group: String
        public let pattern: String
        fileprivate let matcher: NameFilter

        /// `groupname=regex`; the regex may itself hold `=`.
        public init(_ text: String) throws {
            guard let equals = text.firstIndex(of: "=") else {
                throw CollectorError("process_groups: name-pattern \"\(text)\" is not groupname=regex")
            }
            group = String(text[..<equals])
            pattern = String(text[text.index(after: equals)...])
            guard !group.isEmpty, !pattern.isEmpty else {
                throw CollectorError("process_groups: name-pattern \"\(text)\" needs a group name and a regex")
            }
            matcher = try NameFilter(include: pattern)
        }
    }

    public static let defaultMaxGroups = 200
    /// The group that processes of folded groups are summed into.
    public static let otherGroup = "other"

    private let groupBy: GroupBy
    private let rules: [Rule]
    private let maxGroups: Int
    private let includeKernelThreads: Bool
    private let gatherSmaps: Bool
    private let ticksPerSecond: Double
    private let pageSize: Double
    private let shared = Shared()

    private final class Shared: Sendable {
        let state = Mutex(State())
    }

    private struct State {
        var ledger = ProcessGroupLedger()
        /// `btime` per procfs root: it does not change while the machine is up.
        var bootTimes: [String: Double] = [:]
    }

    /// `maxGroups` 0 reports every group. `ticksPerSecond` and `pageSize` default to the running
    /// system's (`sysconf`); tests pass them to get the same numbers everywhere.
    public init(groupBy: String = "comm", namePatterns: [String] = [], maxGroups: Int = defaultMaxGroups,
                includeKernelThreads: Bool = false, gatherSmaps: Bool = false, ticksPerSecond: Double? = nil, pageSize: Double? = nil) throws {
        guard let by = GroupBy(rawValue: groupBy) else {
            throw CollectorError("process_groups: group-by must be comm or exe, got \"\(groupBy)\"")
        }
        guard maxGroups >= 0 else { throw CollectorError("process_groups: max-groups must not be negative") }
        self.groupBy = by
        self.rules = try namePatterns.map(Rule.init)
        self.maxGroups = maxGroups
        self.includeKernelThreads = includeKernelThreads
        self.gatherSmaps = gatherSmaps
        self.ticksPerSecond = ticksPerSecond ?? Double(sysconf(Int32(_SC_CLK_TCK)))
        self.pageSize = pageSize ?? Double(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// One process as read in this scrape.
    struct Process {
        var pid: Int
        var group: String
        var stat: ProcessFiles.Stat
        var status: ProcessFiles.Status
        var io: (read: UInt64, written: UInt64)?
        var openFiles: Int?
        var openFilesLimit: UInt64?
        var proportional: (resident: UInt64, swapped: UInt64)?
    }

    /// A group's values for one scrape.
    struct Group {
        var processes = 0
        var counts = ProcessGroupLedger.Counts()
        var residentPages: UInt64 = 0
        var virtualBytes: UInt64 = 0
        var swapBytes: UInt64 = 0
        var proportionalResident: UInt64 = 0
        var proportionalSwapped: UInt64 = 0
        var threads: UInt64 = 0
        var openFiles: UInt64 = 0
        var worstFileRatio = 0.0
        /// Running, Sleeping, Waiting, Zombie, Other.
        var states = [0, 0, 0, 0, 0]
        var oldestStartTicks = UInt64.max
    }

    static let stateNames = ["Running", "Sleeping", "Waiting", "Zombie", "Other"]

    static func stateIndex(_ letter: UInt8) -> Int {
        switch letter {
        case UInt8(ascii: "R"): 0
        case UInt8(ascii: "S"): 1
        case UInt8(ascii: "D"): 2
        case UInt8(ascii: "Z"): 3
        default: 4
        }
    }

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        guard let pids = try Self.listPids(context.paths.procfs) else { return [] }
        // One scrape at a time: two interleaved scrapes would book each other's older readings.
        let start = context
        let (families, reader) = try shared.state.withLock { state throws -> ([MetricFamily], FileReader) in
            try scan(pids, &state, start)
        }
        // The scan's reader keeps the buffer it grew, for the next run on this worker.
        context.reader = reader
        return families
    }

    /// The numeric entries of the procfs root, or nil when it does not exist.
    private static func listPids(_ procfs: String) throws -> [Int]? {
        guard let entries = try FileReader.listDirectoryIfPresent(procfs) else { return nil }
        return entries.compactMap { entry in
            guard let first = entry.utf8.first, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") else { return nil }
            return Int(entry)
        }
    }

    private func scan(_ pids: [Int], _ state: inout State, _ context: CollectContext) throws -> ([MetricFamily], FileReader) {
        var context = context
        let bootTime = try self.bootTime(&state, &context)
        var processes: [Process] = []
        processes.reserveCapacity(pids.count)
        for pid in pids {
            if let process = try readProcess(pid: pid, &context) { processes.append(process) }
        }
        let (groups, folded) = aggregate(processes, ledger: state.ledger)
        return (families(groups, folded: folded, bootTime: bootTime), context.reader)
    }

    /// `btime` from `<procfs>/stat`, read once per procfs root; nil when it cannot be read.
    private func bootTime(_ state: inout State, _ context: inout CollectContext) throws -> Double? {
        if let known = state.bootTimes[context.paths.procfs] { return known }
        guard let bytes = try? context.reader.read(context.paths.proc("stat")) else { return nil }
        guard let bootTime = try StatCollector.parse(bytes).bootTime else { return nil }
        state.bootTimes[context.paths.procfs] = bootTime
        return bootTime
    }

    /// Reads one process, or nil when it is gone, unreadable, a kernel thread left out, or not
    /// selected by any rule. Throws only on content that is not the kernel's format.
    private func readProcess(pid: Int, _ context: inout CollectContext) throws -> Process? {
        let directory = context.paths.proc(String(pid))
        let statPath = directory + "/stat"
        // Gone (ENOENT/ESRCH), or not ours to read: skipped, never an error.
        guard let statBytes = try? context.reader.read(statPath) else { return nil }
        guard let stat = ProcessFiles.parseStat(statBytes) else {
            throw CollectorError("\(statPath): not in the /proc/<pid>/stat format: \(statBytes.prefix(120).string)")
        }
        if stat.isKernelThread && !includeKernelThreads { return nil }
        guard let group = groupName(stat: stat, directory: directory, &context) else { return nil }

        let statusPath = directory + "/status"
        guard let statusBytes = try? context.reader.read(statusPath) else { return nil }
        guard let status = ProcessFiles.parseStatus(statusBytes) else {
            throw CollectorError("\(statusPath): a VmSwap or ctxt_switches line holds no number")
        }
        let io = (try? context.reader.read(directory + "/io")).flatMap(ProcessFiles.parseIO)
        let openFiles = try? ProcessFiles.countEntries(directory + "/fd")
        let limit = (try? context.reader.read(directory + "/limits")).flatMap(ProcessFiles.parseOpenFilesLimit)
        let proportional = gatherSmaps
            ? (try? context.reader.read(directory + "/smaps_rollup")).flatMap(ProcessFiles.parseSmapsRollup) : nil
        return Process(pid: pid, group: group, stat: stat, status: status, io: io, openFiles: openFiles,
                       openFilesLimit: limit, proportional: proportional)
    }

    /// The group a process belongs to before folding, or nil when rules exist and none matches.
    private func groupName(stat: ProcessFiles.Stat, directory: String, _ context: inout CollectContext) -> String? {
        var name = stat.comm
        if groupBy == .exe {
            if let target = FileReader.readLink(directory + "/exe"), !ProcessFiles.exeBase(target).isEmpty {
                name = ProcessFiles.exeBase(target)
            } else if let cmdline = try? context.reader.read(directory + "/cmdline"),
                      !ProcessFiles.argv0Base(cmdline).isEmpty {
                name = ProcessFiles.argv0Base(cmdline)
            }
        }
        if rules.isEmpty { return name }
        return rules.first { $0.matcher.accepts(name) }?.group
    }

    /// Folds the smallest groups into "other", books the counters and sums each group.
    private func aggregate(_ processes: [Process], ledger: ProcessGroupLedger) -> (groups: [String: Group], folded: Int) {
        var sizes: [String: Int] = [:]
        for process in processes { sizes[process.group, default: 0] += 1 }
        var kept = Set(sizes.keys)
        var folded = 0
        if maxGroups > 0 && sizes.count > maxGroups {
            let ranked = sizes.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            kept = Set(ranked.prefix(maxGroups).map(\.key))
            folded = ranked.count - maxGroups
        }

        var groups: [String: Group] = [:]
        var booking: [(key: ProcessGroupLedger.ProcessKey, group: String, counts: ProcessGroupLedger.Counts)] = []
        booking.reserveCapacity(processes.count)
        for process in processes {
            let name = kept.contains(process.group) ? process.group : Self.otherGroup
            var group = groups[name] ?? Group()
            let stat = process.stat
            group.processes += 1
            group.residentPages &+= stat.residentPages
            group.virtualBytes &+= stat.virtualBytes
            group.swapBytes &+= process.status.swapBytes
            group.proportionalResident &+= process.proportional?.resident ?? 0
            group.proportionalSwapped &+= process.proportional?.swapped ?? 0
            group.threads &+= stat.threads
            if let open = process.openFiles {
                group.openFiles &+= UInt64(open)
                if let limit = process.openFilesLimit, limit > 0 {
                    group.worstFileRatio = max(group.worstFileRatio, Double(open) / Double(limit))
                }
            }
            group.states[Self.stateIndex(stat.state)] += 1
            group.oldestStartTicks = min(group.oldestStartTicks, stat.startTicks)
            groups[name] = group
            let counts = ProcessGroupLedger.Counts(
                userTicks: stat.userTicks, systemTicks: stat.systemTicks,
                readBytes: process.io?.read ?? 0, writeBytes: process.io?.written ?? 0,
                majorFaults: stat.majorFaults, minorFaults: stat.minorFaults,
                voluntarySwitches: process.status.voluntarySwitches,
                involuntarySwitches: process.status.involuntarySwitches)
            booking.append((ProcessGroupLedger.ProcessKey(pid: process.pid, startTicks: stat.startTicks), name, counts))
        }
        for (name, counts) in ledger.update(booking) {
            groups[name]?.counts = counts
        }
        return (groups, folded)
    }

    private func families(_ groups: [String: Group], folded: Int, bootTime: Double?) -> [MetricFamily] {
        var procs = MetricFamily(name: "namedprocess_namegroup_num_procs", type: .gauge,
                                 help: "Processes in the group.")
        var cpu = MetricFamily(name: "namedprocess_namegroup_cpu_seconds_total", type: .counter,
                               help: "CPU time the group's processes spent, by mode (user, system), in seconds.")
        var readBytes = MetricFamily(name: "namedprocess_namegroup_read_bytes_total", type: .counter,
                                     help: "Bytes the group's processes caused to be read from storage (read_bytes of /proc/<pid>/io).")
        var writeBytes = MetricFamily(name: "namedprocess_namegroup_write_bytes_total", type: .counter,
                                      help: "Bytes the group's processes caused to be written to storage (write_bytes of /proc/<pid>/io).")
        var majorFaults = MetricFamily(name: "namedprocess_namegroup_major_page_faults_total", type: .counter,
                                       help: "Page faults of the group's processes that needed a read from disk.")
        var minorFaults = MetricFamily(name: "namedprocess_namegroup_minor_page_faults_total", type: .counter,
                                       help: "Page faults of the group's processes served without disk I/O.")
        var switches = MetricFamily(name: "namedprocess_namegroup_context_switches_total", type: .counter,
                                    help: "Context switches of the group's processes, by type (voluntary, nonvoluntary).")
        var memory = MetricFamily(name: "namedprocess_namegroup_memory_bytes", type: .gauge,
                                  help: "Memory of the group's processes, by type (resident, virtual, swapped; proportional* with gather-smaps), in bytes.")
        var openFiles = MetricFamily(name: "namedprocess_namegroup_open_filedesc", type: .gauge,
                                     help: "Open file descriptors of the group's processes (those the exporter may list).")
        var worstRatio = MetricFamily(name: "namedprocess_namegroup_worst_fd_ratio", type: .gauge,
                                      help: "The highest ratio of open file descriptors to the soft limit among the group's processes.")
        var oldest = MetricFamily(name: "namedprocess_namegroup_oldest_start_time_seconds", type: .gauge,
                                  help: "When the group's oldest process started, in seconds since the Unix epoch.")
        var threads = MetricFamily(name: "namedprocess_namegroup_num_threads", type: .gauge,
                                   help: "Threads of the group's processes.")
        var states = MetricFamily(name: "namedprocess_namegroup_states", type: .gauge,
                                  help: "The group's processes by scheduler state (Running, Sleeping, Waiting, Zombie, Other).")

        for (name, group) in groups {
            let counts = group.counts
            procs.add(Double(group.processes), ["groupname": name])
            cpu.add(Double(counts.userTicks) / ticksPerSecond, ["groupname": name, "mode": "user"])
            cpu.add(Double(counts.systemTicks) / ticksPerSecond, ["groupname": name, "mode": "system"])
            readBytes.add(Double(counts.readBytes), ["groupname": name])
            writeBytes.add(Double(counts.writeBytes), ["groupname": name])
            majorFaults.add(Double(counts.majorFaults), ["groupname": name])
            minorFaults.add(Double(counts.minorFaults), ["groupname": name])
            switches.add(Double(counts.voluntarySwitches), ["groupname": name, "ctxswitchtype": "voluntary"])
            switches.add(Double(counts.involuntarySwitches), ["groupname": name, "ctxswitchtype": "nonvoluntary"])
            memory.add(Double(group.residentPages) * pageSize, ["groupname": name, "memtype": "resident"])
            memory.add(Double(group.virtualBytes), ["groupname": name, "memtype": "virtual"])
            memory.add(Double(group.swapBytes), ["groupname": name, "memtype": "swapped"])
            if gatherSmaps {
                memory.add(Double(group.proportionalResident), ["groupname": name, "memtype": "proportionalResident"])
                memory.add(Double(group.proportionalSwapped), ["groupname": name, "memtype": "proportionalSwapped"])
            }
            openFiles.add(Double(group.openFiles), ["groupname": name])
            worstRatio.add(group.worstFileRatio, ["groupname": name])
            if let bootTime {
                oldest.add(bootTime + Double(group.oldestStartTicks) / ticksPerSecond, ["groupname": name])
            }
            threads.add(Double(group.threads), ["groupname": name])
            for (index, state) in Self.stateNames.enumerated() {
                states.add(Double(group.states[index]), ["groupname": name, "state": state])
            }
        }
        let foldedFamily = MetricFamily.single(
            "nimbus_process_groups_folded", .gauge,
            help: "Process groups beyond --collector.process_groups.max-groups, summed into groupname=\"other\" in this scrape.",
            value: Double(folded))
        return [procs, cpu, readBytes, writeBytes, majorFaults, minorFaults, switches, memory, openFiles, worstRatio,
                oldest, threads, states, foldedFamily]
    }
}
