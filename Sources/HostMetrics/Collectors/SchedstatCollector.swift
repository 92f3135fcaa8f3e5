import Exposition

/// `/proc/schedstat` (kernels with CONFIG_SCHEDSTATS): per CPU, the time tasks ran on it, the
/// time runnable tasks waited for it, and the number of timeslices it ran.
public struct SchedstatCollector: Collector {
    public let name = "schedstat"

    public init() {}

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let bytes: ArraySlice<UInt8>
        do {
            bytes = try context.reader.read(context.paths.proc("schedstat"))
        } catch {
            guard error.isMissing else { throw error }
            return []
        }
        var running = MetricFamily(name: "node_schedstat_running_seconds_total", type: .counter,
                                   help: "Time this CPU spent running tasks, in seconds.")
        var waiting = MetricFamily(name: "node_schedstat_waiting_seconds_total", type: .counter,
                                   help: "Time runnable tasks spent waiting for this CPU, in seconds.")
        var timeslices = MetricFamily(name: "node_schedstat_timeslices_total", type: .counter,
                                      help: "Timeslices this CPU ran.")
        for cpu in try Self.parse(bytes) {
            running.add(Double(cpu.runningNanoseconds) / 1e9, ["cpu": cpu.cpu])
            waiting.add(Double(cpu.waitingNanoseconds) / 1e9, ["cpu": cpu.cpu])
            timeslices.add(Double(cpu.timeslices), ["cpu": cpu.cpu])
        }
        return [running, waiting, timeslices].filter { !$0.samples.isEmpty }
    }

    /// One `cpuN` line: its 7th, 8th and 9th numbers.
    public struct CPU: Sendable, Equatable {
        public var cpu: String
        public var runningNanoseconds: UInt64
        public var waitingNanoseconds: UInt64
        public var timeslices: UInt64

        public init(cpu: String, runningNanoseconds: UInt64, waitingNanoseconds: UInt64, timeslices: UInt64) {
            self.cpu = cpu
            self.runningNanoseconds = runningNanoseconds
            self.waitingNanoseconds = waitingNanoseconds
            self.timeslices = timeslices
        }
    }

    /// The `cpuN` lines of /proc/schedstat (version 15 and later print nine numbers on each;
    /// `domainN` lines and the header are skipped).
    public static func parse(_ bytes: ArraySlice<UInt8>) throws -> [CPU] {
        var result: [CPU] = []
        for line in bytes.lines() where line.hasPrefix("cpu") {
            let fields = line.fields()
            guard let first = fields.first, let number = first.dropFirst(3).parseUInt64() else { continue }
            guard fields.count >= 10, let running = fields[7].parseUInt64(), let waiting = fields[8].parseUInt64(),
                  let slices = fields[9].parseUInt64(), fields[1..<7].allSatisfy({ $0.parseUInt64() != nil })
            else {
                throw CollectorError("malformed /proc/schedstat line: \(line.prefix(120).string)")
            }
            result.append(CPU(cpu: String(number), runningNanoseconds: running, waitingNanoseconds: waiting,
                              timeslices: slices))
        }
        return result
    }
}
