import CloudCache
import CloudHTTP
import Exposition
import Synchronization

/// One configured Azure job: discover the resources of one type in each subscription, read
/// their metrics, and hand the cache the families to serve. A failed call throws, so the cache
/// keeps serving the last good values.
public final class AzureJob: CloudJob {
    public let config: AzureJobConfig
    public var name: String { config.name }
    public var provider: String { AzureCloud.provider }
    public var interval: Double { config.interval }
    public let fingerprint: String

    private let api: AzureAPI
    /// Last value of every metric series, kept a while when a window has no datapoint or its
    /// call was skipped for the rate limit.
    private let retained = Mutex<[SeriesKey: RetainedValue]>([:])

    struct SeriesKey: Hashable {
        var name: String
        var labels: [Label]
    }

    struct RetainedValue {
        var value: Double
        var seenAt: Double
        var help: String
    }

    /// `sender` should have a session of its own (see `CurlSession`); `tokens` may share
    /// another.
    public init(config: AzureJobConfig, sender: RetryingSender, tokens: AzureTokenProvider) {
        self.config = config
        self.api = AzureAPI(sender: sender, tokens: tokens, timeout: config.timeout)
        self.fingerprint = "azure \(config)"
    }

    public func refresh(_ context: RefreshContext) throws -> [MetricFamily] {
        let now = context.startedAt
        var limits = ARMRateLimits(threshold: config.minRemainingReads)
        let discovery = ResourceDiscovery(api: api, config: config, stats: context.stats)
        var resources: [AzureResource] = []
        for subscription in config.subscriptions {
            resources += try discovery.resources(in: subscription, limits: &limits)
        }
        let fetcher = MetricsFetcher(api: api, config: config, stats: context.stats, logger: context.logger, now: now)
        let outcome = try fetcher.fetch(resources, limits: &limits)
        for (subscription, count) in outcome.skipped.sorted(by: { $0.key < $1.key }) {
            context.logger.warning("Azure Resource Manager read quota is low; skipping per-resource metrics calls until the next refresh", metadata: [
                "job": "\(name)", "subscription_id": "\(subscription)", "skipped_calls": "\(count)",
                "min_remaining_reads": "\(config.minRemainingReads)",
            ])
        }

        let families = AzureFamilies(config: config)
        var fresh: [SeriesKey: RetainedValue] = [:]
        for reading in outcome.readings {
            let grain = config.metrics.first { $0.namespace == reading.namespace }?.timeGrain ?? "PT1M"
            fresh[families.seriesKey(reading)] = RetainedValue(value: reading.value, seenAt: now,
                                                               help: AzureFamilies.help(reading, timeGrain: grain))
        }
        let keep = max(3 * config.interval, config.metrics.map(\.length).max() ?? 0)
        let liveIds = Set(resources.map(\.id))
        let series = retained.withLock { state -> [SeriesKey: RetainedValue] in
            state.merge(fresh) { _, new in new }
            // Late or skipped datapoints keep their last value a while; a resource that is gone goes now.
            state = state.filter { entry in
                now - entry.value.seenAt <= keep
                    && entry.key.labels.contains { $0.name == "resource_id" && liveIds.contains($0.value) }
            }
            return state
        }
        return [families.info(resources), families.rateLimits(limits), families.skipped(outcome.skipped)]
            + AzureFamilies.metricFamilies(series) + families.crossCloud(resources, series: series)
    }
}
