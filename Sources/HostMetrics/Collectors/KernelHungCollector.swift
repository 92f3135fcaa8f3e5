import Exposition

/// `/proc/sys/kernel/hung_task_detect_count` (kernels with CONFIG_DETECT_HUNG_TASK, 6.12 and later):
/// `node_kernel_hung_tasks_total`.
public struct KernelHungCollector: Collector {
    public let name = "kernel_hung"

    public init() {}

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let bytes: ArraySlice<UInt8>
        do {
            bytes = try context.reader.read(context.paths.proc("sys/kernel/hung_task_detect_count"))
        } catch {
            guard error.isMissing else { throw error }
            return []
        }
        return [.single("node_kernel_hung_tasks_total", .counter,
                        help: "Tasks the kernel has detected as hung since boot.", value: try Self.parse(bytes))]
    }

    /// The single count in the file.
    public static func parse(_ bytes: ArraySlice<UInt8>) throws -> Double {
        guard let value = bytes.trimmingWhitespace().parseUInt64() else {
            throw CollectorError("unexpected /proc/sys/kernel/hung_task_detect_count content: \(bytes.prefix(64).string)")
        }
        return Double(value)
    }
}
