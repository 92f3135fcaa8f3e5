import Exposition

/// What a collector gets for one run: where the host's files are, and a read buffer that the
/// worker thread reuses from run to run.
public struct CollectContext: Sendable {
    public let paths: HostPaths
    public var reader: FileReader

    public init(paths: HostPaths, reader: FileReader = FileReader()) {
        self.paths = paths
        self.reader = reader
    }
}

/// One source of host metrics, usually one /proc or /sys file or directory.
///
/// A collector reads fresh values on every call and returns its families in a fixed order.
/// It knows nothing of HTTP or of other collectors. Throwing marks the collector failed for
/// this scrape (`node_scrape_collector_success 0`); the other collectors are unaffected.
public protocol Collector: Sendable {
    /// The name used by `--collector.<name>` and the `collector` label.
    var name: String { get }
    func collect(_ context: inout CollectContext) throws -> [MetricFamily]
}

/// A collector failure with a message for the log.
public struct CollectorError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
