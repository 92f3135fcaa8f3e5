import Exposition

/// `/proc/pressure/{cpu,io,memory}` (pressure stall information, Linux 4.20+): the total time
/// tasks were delayed for lack of each resource.
public struct PressureCollector: Collector {
    public let name = "pressure"

    public init() {}

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        var families: [MetricFamily] = []
        for resource in Resource.allCases {
            let bytes: ArraySlice<UInt8>
            do {
                bytes = try context.reader.read(context.paths.proc("pressure/" + resource.rawValue))
            } catch {
                // A kernel without PSI (or booted with psi=0) has no /proc/pressure.
                if error.isMissing { continue }
                throw error
            }
            let stall = try Self.parse(bytes, resource: resource)
            switch resource {
            case .cpu:
                families.append(.single("node_pressure_cpu_waiting_seconds_total", .counter,
                                        help: "Time at least one runnable task waited for a CPU, in seconds.",
                                        value: stall.some))
            case .io:
                families.append(.single("node_pressure_io_waiting_seconds_total", .counter,
                                        help: "Time at least one task waited for I/O, in seconds.",
                                        value: stall.some))
                families.append(.single("node_pressure_io_stalled_seconds_total", .counter,
                                        help: "Time all non-idle tasks waited for I/O at once, in seconds.",
                                        value: stall.full ?? 0))
            case .memory:
                families.append(.single("node_pressure_memory_waiting_seconds_total", .counter,
                                        help: "Time at least one task waited for memory, in seconds.",
                                        value: stall.some))
                families.append(.single("node_pressure_memory_stalled_seconds_total", .counter,
                                        help: "Time all non-idle tasks waited for memory at once, in seconds.",
                                        value: stall.full ?? 0))
            }
        }
        return families
    }

    /// The pressure files this collector reads, in output order.
    public enum Resource: String, Sendable, CaseIterable {
        case cpu, io, memory
    }

    /// The `total=` values of one pressure file, in seconds.
    public struct Stall: Sendable, Equatable {
        /// `some`: at least one task was stalled.
        public var some: Double
        /// `full`: all non-idle tasks were stalled at once; nil for cpu on kernels before 5.13,
        /// which print no `full` line for it.
        public var full: Double?

        public init(some: Double, full: Double?) {
            self.some = some
            self.full = full
        }
    }

    /// Parses `/proc/pressure/<resource>`: `some ... total=<µs>` and `full ... total=<µs>` lines.
    /// The `some` line is required, and so is `full` for io and memory; lines of other kinds are
    /// ignored.
    public static func parse(_ bytes: ArraySlice<UInt8>, resource: Resource) throws -> Stall {
        let file = "/proc/pressure/" + resource.rawValue
        var some: Double?
        var full: Double?
        for line in bytes.lines() {
            let fields = line.fields()
            guard let kind = fields.first else { continue }
            let isSome = kind.equals("some")
            guard isSome || kind.equals("full") else { continue }
            guard let total = fields.dropFirst().first(where: { $0.hasPrefix("total=") }),
                  let microseconds = total.dropFirst(6).parseUInt64()
            else {
                throw CollectorError("malformed \(file) line: \(line.prefix(120).string)")
            }
            if isSome { some = Double(microseconds) / 1e6 } else { full = Double(microseconds) / 1e6 }
        }
        guard let some else { throw CollectorError("no \"some\" line in \(file)") }
        if resource != .cpu && full == nil { throw CollectorError("no \"full\" line in \(file)") }
        return Stall(some: some, full: full)
    }
}
