import Exposition

/// `/proc/sys/fs/file-nr`: node_filefd_allocated and node_filefd_maximum.
public struct FilefdCollector: Collector {
    public let name = "filefd"

    public init() {}

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let counts = try Self.parse(context.reader.read(context.paths.proc("sys/fs/file-nr")))
        return [
            .single("node_filefd_allocated", .gauge, help: "File handles the kernel has allocated.",
                    value: counts.allocated),
            .single("node_filefd_maximum", .gauge, help: "Most file handles the kernel will allocate (fs.file-max).",
                    value: counts.maximum),
        ]
    }

    /// The first (allocated) and third (maximum) of the three numbers in `file-nr`; the second,
    /// allocated but unused handles, is always 0 since Linux 2.6.
    public static func parse(_ bytes: ArraySlice<UInt8>) throws -> (allocated: Double, maximum: Double) {
        let fields = bytes.trimmingWhitespace().fields()
        guard fields.count == 3, let allocated = fields[0].parseUInt64(), fields[1].parseUInt64() != nil,
              let maximum = fields[2].parseUInt64()
        else {
            throw CollectorError("unexpected /proc/sys/fs/file-nr content: \(bytes.prefix(64).string)")
        }
        return (Double(allocated), Double(maximum))
    }
}
