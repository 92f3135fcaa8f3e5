import Exposition
import Logging

/// One background source of cloud metrics: an AWS job in one account, a GCP project, a REST
/// target. The cache calls `refresh` on the job's own thread, one call at a time, on the job's
/// interval; scrapes never call it.
public protocol CloudJob: AnyObject, Sendable {
    /// Unique among the configured jobs; used in self-metric labels and cache file names.
    var name: String { get }
    /// `aws`, `gcp`, `azure`, `rest`.
    var provider: String { get }
    /// Seconds between refreshes.
    var interval: Double { get }
    /// Changes when the job's configuration changes, so a persisted cache written for another
    /// configuration is not served.
    var fingerprint: String { get }

    /// Fetches everything and returns the families to serve until the next refresh. Throwing
    /// keeps the previous families in the cache.
    func refresh(_ context: RefreshContext) throws -> [MetricFamily]

    /// Job state to persist with the cache (watermarks, counters), as bytes the job understands.
    func persistentState() -> [UInt8]
    /// Called once before the first refresh with what `persistentState` returned last run.
    func restore(persistentState: [UInt8])
}

extension CloudJob {
    public func persistentState() -> [UInt8] { [] }
    public func restore(persistentState: [UInt8]) {}
}

/// What a refresh gets to work with.
public struct RefreshContext: Sendable {
    public let stats: CloudStats
    public let logger: Logger
    /// Seconds since the Unix epoch when the refresh started.
    public let startedAt: Double

    public init(stats: CloudStats, logger: Logger, startedAt: Double) {
        self.stats = stats
        self.logger = logger
        self.startedAt = startedAt
    }
}
