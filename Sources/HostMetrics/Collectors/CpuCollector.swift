import Exposition

/// `/proc/stat` `cpuN` lines: `node_cpu_seconds_total{cpu,mode}` and
/// `node_cpu_guest_seconds_total{cpu,mode}`.
public struct CpuCollector: Collector {
    public let name = "cpu"

    /// The kernel's clock tick for /proc/stat (`USER_HZ`), 100 on every Linux ABI.
    public static let userHZ = 100.0

    /// The columns of a `cpuN` line in the kernel's order, as `node_cpu_seconds_total` modes;
    /// nil for the two guest columns, which go to `node_cpu_guest_seconds_total` instead.
    static let modes: [String?] = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal", nil, nil]
    /// The guest columns (8: guest, 9: guest_nice) as `node_cpu_guest_seconds_total` modes.
    static let guestModes: [(column: Int, mode: String)] = [(8, "user"), (9, "nice")]

    public init() {}

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let cpus = try Self.parse(context.reader.read(context.paths.proc("stat")))
        var seconds = MetricFamily(name: "node_cpu_seconds_total", type: .counter,
                                   help: "Time each CPU spent in each mode, in seconds.")
        var guest = MetricFamily(name: "node_cpu_guest_seconds_total", type: .counter,
                                 help: "Time each CPU spent running virtual CPUs of guests, in seconds (also counted in the user and nice modes).")
        for cpu in cpus {
            let label = String(cpu.cpu)
            for (column, value) in cpu.seconds.enumerated() {
                guard column < Self.modes.count, let mode = Self.modes[column] else { continue }
                seconds.add(value, ["cpu": label, "mode": mode])
            }
            for (column, mode) in Self.guestModes where column < cpu.seconds.count {
                guest.add(cpu.seconds[column], ["cpu": label, "mode": mode])
            }
        }
        return [seconds, guest].filter { !$0.samples.isEmpty }
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
