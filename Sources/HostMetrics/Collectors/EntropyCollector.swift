import Exposition
import Synchronization

/// `/proc/sys/kernel/random/entropy_avail` and `poolsize`: node_entropy_available_bits and
/// node_entropy_pool_size_bits.
public struct EntropyCollector: Collector {
    public let name = "entropy"

    /// The pool size cannot change while the machine runs, so it is read once per path.
    private let poolSize = PoolSizeCache()

    public init() {}

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let availablePath = context.paths.proc("sys/kernel/random/entropy_avail")
        let available = try Self.parse(context.reader.read(availablePath), file: "entropy_avail")
        let poolPath = context.paths.proc("sys/kernel/random/poolsize")
        let pool: Double
        if let cached = poolSize.value(for: poolPath) {
            pool = cached
        } else {
            pool = try Self.parse(context.reader.read(poolPath), file: "poolsize")
            poolSize.store(pool, for: poolPath)
        }
        return [
            .single("node_entropy_available_bits", .gauge, help: "Entropy the kernel's random pool holds, in bits.",
                    value: available),
            .single("node_entropy_pool_size_bits", .gauge, help: "Size of the kernel's random pool, in bits.",
                    value: pool),
        ]
    }

    /// The single number in `/proc/sys/kernel/random/<file>`.
    public static func parse(_ bytes: ArraySlice<UInt8>, file: String) throws -> Double {
        guard let value = bytes.trimmingWhitespace().parseUInt64() else {
            throw CollectorError("unexpected /proc/sys/kernel/random/\(file) content: \(bytes.prefix(64).string)")
        }
        return Double(value)
    }

    private final class PoolSizeCache: Sendable {
        private let cached = Mutex<(path: String, value: Double)?>(nil)

        func value(for path: String) -> Double? {
            cached.withLock { entry in entry?.path == path ? entry?.value : nil }
        }

        func store(_ value: Double, for path: String) {
            cached.withLock { $0 = (path, value) }
        }
    }
}
