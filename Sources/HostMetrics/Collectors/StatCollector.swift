import Exposition

/// `/proc/stat` kernel-wide lines: boot time, context switches, forks, interrupts and
/// the number of runnable and blocked tasks.
public struct StatCollector: Collector {
    public let name = "stat"

    public init() {}

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let stat = try Self.parse(context.reader.read(context.paths.proc("stat")))
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
