import Exposition

/// `/proc/stat` kernel-wide lines: boot time, context switches, forks, interrupts and
/// the number of runnable and blocked tasks; with `softirq` set, softirqs by vector
/// (node_exporter's `--collector.stat.softirq`).
public struct StatCollector: Collector {
    public let name = "stat"
    private let softirqs: Bool

    public init(softirqs: Bool = false) {
        self.softirqs = softirqs
    }

    /// The vectors of the `softirq` line, in the kernel's column order (after the total).
    static let softirqVectors = ["hi", "timer", "net_tx", "net_rx", "block", "block_iopoll", "tasklet", "sched",
                                 "hrtimer", "rcu"]

    /// `softirq <total> <hi> <timer> ...` as (vector, count) pairs; empty when the line is absent.
    public static func parseSoftirqs(_ bytes: ArraySlice<UInt8>) throws -> [(vector: String, count: Double)] {
        for line in bytes.lines() where line.hasPrefix("softirq ") {
            let fields = line.fields().dropFirst(2)
            var result: [(vector: String, count: Double)] = []
            for (vector, field) in zip(softirqVectors, fields) {
                guard let count = field.parseUInt64() else {
                    throw CollectorError("malformed /proc/stat softirq line: \(line.prefix(120).string)")
                }
                result.append((vector, Double(count)))
            }
            return result
        }
        return []
    }

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let bytes = try context.reader.read(context.paths.proc("stat"))
        let stat = try Self.parse(bytes)
        var families: [MetricFamily] = []
        func add(_ name: String, _ type: MetricType, _ help: String, _ value: Double?) {
            if let value { families.append(.single(name, type, help: help, value: value)) }
        }
        add("node_boot_time_seconds", .gauge, "When the system booted, in seconds since the Unix epoch.", stat.bootTime)
        add("node_context_switches_total", .counter, "Context switches since boot.", stat.contextSwitches)
        add("node_forks_total", .counter, "Processes and threads created since boot.", stat.forks)
        add("node_intr_total", .counter, "Interrupts serviced since boot.", stat.interrupts)
        add("node_procs_running", .gauge, "Tasks currently runnable.", stat.procsRunning)
        add("node_procs_blocked", .gauge, "Tasks currently blocked waiting for I/O.", stat.procsBlocked)
        if softirqs {
            var family = MetricFamily(name: "node_softirqs_total", type: .counter, help: "Softirqs handled since boot, by vector.")
            for (vector, count) in try Self.parseSoftirqs(bytes) {
                family.add(count, ["vector": vector])
            }
            families.append(family)
        }
        return families
    }

    /// The kernel-wide values of /proc/stat; nil where the line is absent (older kernels).
    public struct Values: Sendable, Equatable {
        /// `btime`, seconds since the epoch.
        public var bootTime: Double?
        /// `ctxt`.
        public var contextSwitches: Double?
        /// `processes`.
        public var forks: Double?
        /// The first number of `intr` (the total; per-IRQ counts follow).
        public var interrupts: Double?
        /// `procs_running`.
        public var procsRunning: Double?
        /// `procs_blocked`.
        public var procsBlocked: Double?

        public init(bootTime: Double? = nil, contextSwitches: Double? = nil, forks: Double? = nil,
                    interrupts: Double? = nil, procsRunning: Double? = nil, procsBlocked: Double? = nil) {
            self.bootTime = bootTime
            self.contextSwitches = contextSwitches
            self.forks = forks
            self.interrupts = interrupts
            self.procsRunning = procsRunning
            self.procsBlocked = procsBlocked
        }
    }

    /// The `btime`, `ctxt`, `processes`, `intr`, `procs_running` and `procs_blocked` lines of
    /// `/proc/stat`. Other lines are ignored; a known line whose value is not a number throws.
    public static func parse(_ bytes: ArraySlice<UInt8>) throws -> Values {
        var values = Values()
        var sawAnything = false
        for line in bytes.lines() {
            let fields = line.fields()
            guard let key = fields.first else { continue }
            sawAnything = true
            let target: WritableKeyPath<Values, Double?>
            if key.equals("btime") {
                target = \.bootTime
            } else if key.equals("ctxt") {
                target = \.contextSwitches
            } else if key.equals("processes") {
                target = \.forks
            } else if key.equals("intr") {
                target = \.interrupts
            } else if key.equals("procs_running") {
                target = \.procsRunning
            } else if key.equals("procs_blocked") {
                target = \.procsBlocked
            } else {
                continue
            }
            guard fields.count >= 2, let number = fields[1].parseUInt64() else {
                throw CollectorError("malformed /proc/stat line: \(line.prefix(120).string)")
            }
            values[keyPath: target] = Double(number)
        }
        guard sawAnything else { throw CollectorError("/proc/stat is empty") }
        return values
    }
}
