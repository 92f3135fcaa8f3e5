import Exposition
import Synchronization

/// `/proc/stat` `cpuN` lines: `node_cpu_seconds_total{cpu,mode}` and
/// `node_cpu_guest_seconds_total{cpu,mode}`; from sysfs, `node_cpu_isolated{cpu}` and the thermal
/// throttle counters `node_cpu_core_throttles_total` / `node_cpu_package_throttles_total`; with `info`, `/proc/cpuinfo` as `node_cpu_info`
/// and, for the flags and bugs that match the include patterns, `node_cpu_flag_info` and
/// `node_cpu_bug_info`.
///
/// The kernel's per-CPU counters can step backwards (idle and iowait on some kernels, all of
/// them across a CPU hotplug). As node_exporter does, a counter that went down is reported at its
/// previous value, and a CPU whose idle time dropped by 3 s or more starts over from the new values.
public struct CpuCollector: Collector {
    public let name = "cpu"

    /// The kernel's clock tick for /proc/stat (`USER_HZ`), 100 on every Linux ABI.
    public static let userHZ = 100.0

    /// The columns of a `cpuN` line in the kernel's order, as `node_cpu_seconds_total` modes;
    /// nil for the two guest columns, which go to `node_cpu_guest_seconds_total` instead.
    static let modes: [String?] = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal", nil, nil]
    /// The guest columns (8: guest, 9: guest_nice) as `node_cpu_guest_seconds_total` modes.
    static let guestModes: [(column: Int, mode: String)] = [(8, "user"), (9, "nice")]
    /// The idle column, and how far it may step back before the CPU counts as replugged.
    static let idleColumn = 3
    static let jumpBackSeconds = 3.0

    private let guest: Bool
    private let info: Bool
    private let flagsInclude: NameFilter?
    private let bugsInclude: NameFilter?
    private let history = History()

    /// `node_cpu_seconds_total` and `node_cpu_guest_seconds_total` only.
    public init() {
        guest = true
        info = false
        flagsInclude = nil
        bugsInclude = nil
    }

    /// - Parameters:
    ///   - guest: export `node_cpu_guest_seconds_total`.
    ///   - info: export `node_cpu_info` from /proc/cpuinfo.
    ///   - flagsInclude, bugsInclude: regular expressions selecting the first CPU's flags and bugs
    ///     for `node_cpu_flag_info` / `node_cpu_bug_info`; either one turns `info` on.
    public init(guest: Bool, info: Bool, flagsInclude: String?, bugsInclude: String?) throws {
        self.guest = guest
        let flags = flagsInclude.flatMap { $0.isEmpty ? nil : $0 }
        let bugs = bugsInclude.flatMap { $0.isEmpty ? nil : $0 }
        self.info = info || flags != nil || bugs != nil
        self.flagsInclude = try flags.map { try NameFilter(include: $0) }
        self.bugsInclude = try bugs.map { try NameFilter(include: $0) }
    }

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        var families: [MetricFamily] = []
        if info {
            families += try infoFamilies(&context)
        }
        let statPath = context.paths.proc("stat")
        let cpus = history.monotonic(try Self.parse(context.reader.read(statPath)), source: statPath)
        var seconds = MetricFamily(name: "node_cpu_seconds_total", type: .counter,
                                   help: "Time each CPU spent in each mode, in seconds.")
        var guestSeconds = MetricFamily(name: "node_cpu_guest_seconds_total", type: .counter,
                                        help: "Time each CPU spent running virtual CPUs of guests, in seconds (also counted in the user and nice modes).")
        for cpu in cpus {
            let label = String(cpu.cpu)
            for (column, value) in cpu.seconds.enumerated() {
                guard column < Self.modes.count, let mode = Self.modes[column] else { continue }
                seconds.add(value, ["cpu": label, "mode": mode])
            }
            guard guest else { continue }
            for (column, mode) in Self.guestModes where column < cpu.seconds.count {
                guestSeconds.add(cpu.seconds[column], ["cpu": label, "mode": mode])
            }
        }
        families += [seconds, guestSeconds].filter { !$0.samples.isEmpty }
        families += try CpuTopology.isolatedFamily(&context)
        families += CpuTopology.throttleFamilies(&context)
        return families
    }

    private func infoFamilies(_ context: inout CollectContext) throws -> [MetricFamily] {
        let bytes: ArraySlice<UInt8>
        do {
            bytes = try context.reader.read(context.paths.proc("cpuinfo"))
        } catch {
            guard error.isMissing else { throw error }
            return []
        }
        let processors = try CpuInfo.parse(bytes)
        var info = MetricFamily(name: "node_cpu_info", type: .gauge,
                                help: "Identification of each logical CPU from /proc/cpuinfo (always 1).")
        for processor in processors {
            info.add(1, ["package": processor.physicalID, "core": processor.coreID, "cpu": processor.processor,
                         "vendor": processor.vendor, "family": processor.family, "model": processor.model,
                         "model_name": processor.modelName, "microcode": processor.microcode,
                         "stepping": processor.stepping, "cachesize": processor.cacheSize])
        }
        var families = [info].filter { !$0.samples.isEmpty }
        guard let first = processors.first else { return families }
        if let flagsInclude {
            var flags = MetricFamily(name: "node_cpu_flag_info", type: .gauge,
                                     help: "Flags of the first CPU in /proc/cpuinfo that match the include pattern (always 1).")
            for flag in first.flags where flagsInclude.accepts(flag) { flags.add(1, ["flag": flag]) }
            if !flags.samples.isEmpty { families.append(flags) }
        }
        if let bugsInclude {
            var bugs = MetricFamily(name: "node_cpu_bug_info", type: .gauge,
                                    help: "Bugs of the first CPU in /proc/cpuinfo that match the include pattern (always 1).")
            for bug in first.bugs where bugsInclude.accepts(bug) { bugs.add(1, ["bug": bug]) }
            if !bugs.samples.isEmpty { families.append(bugs) }
        }
        return families
    }

    /// The values last reported per CPU, so counters never step back between scrapes.
    final class History: Sendable {
        private struct State {
            var source = ""
            var reported: [Int: [Double]] = [:]
        }

        private let state = Mutex(State())

        /// `current` with every counter that went down replaced by its previous value.
        func monotonic(_ current: [Times], source: String) -> [Times] {
            state.withLock { state in
                if state.source != source {
                    state = State(source: source)
                }
                var next: [Int: [Double]] = [:]
                var result = current
                for index in result.indices {
                    let cpu = result[index].cpu
                    var values = result[index].seconds
                    if let previous = state.reported[cpu], previous.count == values.count,
                       previous.count <= CpuCollector.idleColumn
                        || previous[CpuCollector.idleColumn] - values[CpuCollector.idleColumn] < CpuCollector.jumpBackSeconds {
                        for column in values.indices where values[column] < previous[column] {
                            values[column] = previous[column]
                        }
                    }
                    next[cpu] = values
                    result[index].seconds = values
                }
                state.reported = next
                return result
            }
        }
    }

    /// One `cpuN` line of /proc/stat.
    public struct Times: Sendable, Equatable {
        /// N of `cpuN`.
        public var cpu: Int
        /// Seconds per column in the kernel's order: user nice system idle iowait irq softirq
        /// steal guest guest_nice. Older kernels print fewer columns (at least four); columns
        /// beyond these ten are dropped.
        public var seconds: [Double]

        public init(cpu: Int, seconds: [Double]) {
            self.cpu = cpu
            self.seconds = seconds
        }
    }

    /// The per-CPU lines of `/proc/stat` (the aggregate `cpu` line is skipped), in file order.
    public static func parse(_ bytes: ArraySlice<UInt8>) throws -> [Times] {
        var result: [Times] = []
        var seen = Set<Int>()
        for line in bytes.lines() where line.hasPrefix("cpu") {
            let fields = line.fields()
            guard let first = fields.first, first.count > 3 else { continue }
            // `cpu` followed by anything but a number is not a per-CPU line.
            guard let number = first.dropFirst(3).parseUInt64() else { continue }
            guard number <= UInt64(Int32.max), fields.count >= 5 else {
                throw CollectorError("malformed /proc/stat line: \(line.prefix(120).string)")
            }
            let cpu = Int(number)
            guard seen.insert(cpu).inserted else {
                throw CollectorError("/proc/stat lists cpu\(cpu) twice")
            }
            var seconds: [Double] = []
            seconds.reserveCapacity(modes.count)
            for field in fields[1...].prefix(modes.count) {
                guard let ticks = field.parseUInt64() else {
                    throw CollectorError("malformed /proc/stat line: \(line.prefix(120).string)")
                }
                seconds.append(Double(ticks) / userHZ)
            }
            result.append(Times(cpu: cpu, seconds: seconds))
        }
        guard !result.isEmpty else { throw CollectorError("no cpuN lines in /proc/stat") }
        return result
    }
}
