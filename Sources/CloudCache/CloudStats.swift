import Exposition
import Synchronization

/// Counters about calls to cloud APIs, shared by all jobs: what was asked, what came back, what
/// it is likely to cost. Rendered with the exporter's self metrics.
public final class CloudStats: Sendable {
    private struct APIKey: Hashable {
        var provider: String
        var api: String
    }
    private struct OutcomeKey: Hashable {
        var api: APIKey
        var outcome: String
    }
    private struct Counts {
        var requests: [OutcomeKey: Double] = [:]
        var retries: [APIKey: Double] = [:]
        var metricsRequested: [APIKey: Double] = [:]
        var cost: [APIKey: Double] = [:]
    }

    private let counts = Mutex(Counts())

    public init() {}

    /// One attempt at a call: `outcome` is `success`, `throttled`, `server_error`,
    /// `client_error`, `transport_error` or `malformed_response`.
    public func recordRequest(provider: String, api: String, outcome: String, willRetry: Bool) {
        let key = APIKey(provider: provider, api: api)
        counts.withLock { counts in
            counts.requests[OutcomeKey(api: key, outcome: outcome), default: 0] += 1
            if willRetry { counts.retries[key, default: 0] += 1 }
        }
    }

    /// Billed units asked for (CloudWatch metrics in GetMetricData, API calls elsewhere) and
    /// their price in US dollars at list prices.
    public func recordBilled(provider: String, api: String, units: Double, dollars: Double) {
        let key = APIKey(provider: provider, api: api)
        counts.withLock { counts in
            counts.metricsRequested[key, default: 0] += units
            counts.cost[key, default: 0] += dollars
        }
    }

    /// The number of attempts recorded with that outcome (for tests and logs).
    public func requests(provider: String, api: String, outcome: String) -> Double {
        counts.withLock { $0.requests[OutcomeKey(api: APIKey(provider: provider, api: api), outcome: outcome)] ?? 0 }
    }

    /// All attempts recorded, whatever the outcome.
    public var totalRequests: Double {
        counts.withLock { $0.requests.values.reduce(0, +) }
    }

    public func families() -> [MetricFamily] {
        let snapshot = counts.withLock { $0 }
        var requests = MetricFamily(name: "nimbus_cloud_requests_total", type: .counter,
                                    help: "Calls to cloud APIs made by background refreshes, by outcome; scrapes make none.")
        for (key, value) in snapshot.requests {
            requests.add(value, ["provider": key.api.provider, "api": key.api.api, "outcome": key.outcome])
        }
        var retries = MetricFamily(name: "nimbus_cloud_retries_total", type: .counter,
                                   help: "Cloud API attempts that were retried after throttling, a server error or a transport error.")
        var requested = MetricFamily(name: "nimbus_cloud_metrics_requested_total", type: .counter,
                                     help: "Billed units requested from cloud APIs (metrics for CloudWatch GetMetricData, calls elsewhere).")
        var cost = MetricFamily(name: "nimbus_cloud_estimated_cost_dollars_total", type: .counter,
                                help: "Estimated cost of the cloud API calls made, in US dollars at list prices.")
        for (key, value) in snapshot.retries { retries.add(value, ["provider": key.provider, "api": key.api]) }
        for (key, value) in snapshot.metricsRequested { requested.add(value, ["provider": key.provider, "api": key.api]) }
        for (key, value) in snapshot.cost { cost.add(value, ["provider": key.provider, "api": key.api]) }
        return [requests, retries, requested, cost]
    }
}
