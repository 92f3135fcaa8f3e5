import CloudCache
import Foundation
import Logging

/// Reads the configured metrics of discovered resources: through the regional
/// `metrics:getBatch` API (up to 50 resources of one subscription and region per call) when a
/// metrics endpoint is configured, otherwise with one ARM `Metrics - List` call per resource,
/// which stops in a subscription whose remaining ARM reads fell below the threshold.
struct MetricsFetcher {
    static let perResourceAPIVersion = "2018-01-01"
    static let batchAPIVersion = "2023-10-01"
    /// The batch API's limit.
    static let batchSize = 50

    let api: AzureAPI
    let config: AzureJobConfig
    let stats: CloudStats
    let logger: Logger
    /// Seconds since the epoch at the end of the window.
    let now: Double

    struct Outcome {
        var readings: [MetricReading] = []
        /// Per-resource calls not made because of the ARM read quota, by subscription.
        var skipped: [String: Int] = [:]
    }

    func fetch(_ resources: [AzureResource], limits: inout ARMRateLimits) throws(AzureCallError) -> Outcome {
        var outcome = Outcome()
        for metric in config.metrics {
            if let template = config.endpoints.metrics {
                try fetchBatches(metric, resources, template: template, into: &outcome)
            } else {
                try fetchEach(metric, resources, limits: &limits, into: &outcome)
            }
        }
        return outcome
    }

    // MARK: metrics:getBatch

    private func fetchBatches(_ metric: AzureMetricConfig, _ resources: [AzureResource], template: String,
                              into outcome: inout Outcome) throws(AzureCallError) {
        // One call serves resources of one subscription and one region.
        var groups: [String: [AzureResource]] = [:]
        var order: [String] = []
        for resource in resources {
            let key = "\(resource.subscriptionId)|\(resource.location.lowercased())"
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(resource)
        }
        for key in order {
            let members = groups[key] ?? []
            guard let first = members.first else { continue }
            let region = first.location.lowercased()
            guard AzureConfigReader.isPathSegment(region) else {
                logger.warning("Azure resource without a usable location; its metrics are skipped",
                               metadata: ["job": "\(config.name)", "resource_id": "\(first.id)"])
                continue
            }
            let base = template.replacingOccurrences(of: "{region}", with: region)
            var start = 0
            while start < members.count {
                let chunk = Array(members[start..<min(start + Self.batchSize, members.count)])
                start += Self.batchSize
                outcome.readings += try fetchBatch(metric, chunk, base: base, subscription: first.subscriptionId)
            }
        }
    }

    private func fetchBatch(_ metric: AzureMetricConfig, _ chunk: [AzureResource], base: String,
                            subscription: String) throws(AzureCallError) -> [MetricReading] {
        let query = QueryEncoding.query([
            ("starttime", AzureTime.format(now - metric.length)), ("endtime", AzureTime.format(now)),
            ("interval", metric.timeGrain), ("metricnamespace", metric.namespace),
            ("metricnames", metric.names.joined(separator: ",")), ("aggregation", aggregationList(metric)),
            ("api-version", Self.batchAPIVersion),
        ])
        let url = "\(base)/subscriptions/\(subscription)/metrics:getBatch?\(query)"
        let body = (try? JSONSerialization.data(withJSONObject: ["resourceids": chunk.map(\.id)])).map { Array($0) } ?? []
        stats.recordBilled(provider: AzureCloud.provider, api: "metrics_batch", units: Double(chunk.count * metric.names.count), dollars: 0)
        let answer = try api.call(api: "metrics_batch", method: "POST", url: url, body: body, scope: config.scopes.metrics,
                                  stats: stats) { bytes in
            let decoded = try JSONDecoder().decode(BatchMetricsResponse.self, from: Data(bytes))
            for entry in decoded.values { for value in entry.value { try value.validate() } }
            return decoded
        }
        let byId = Dictionary(chunk.map { ($0.id.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        var readings: [MetricReading] = []
        for entry in answer.value.values {
            // The service may change the case of ids; anything not asked for is ignored.
            guard let resource = byId[entry.resourceid.lowercased()] else { continue }
            for value in entry.value {
                readings += MetricReading.newest(value, resource: resource, namespace: metric.namespace,
                                                 aggregations: metric.aggregations)
            }
        }
        return readings
    }

    // MARK: Metrics - List, one resource at a time

    private func fetchEach(_ metric: AzureMetricConfig, _ resources: [AzureResource], limits: inout ARMRateLimits,
                           into outcome: inout Outcome) throws(AzureCallError) {
        for resource in resources {
            if limits.isLow(resource.subscriptionId) {
                outcome.skipped[resource.subscriptionId, default: 0] += 1
                continue
            }
            let query = QueryEncoding.query([
                ("api-version", Self.perResourceAPIVersion), ("metricnamespace", metric.namespace),
                ("metricnames", metric.names.joined(separator: ",")), ("aggregation", aggregationList(metric)),
                ("interval", metric.timeGrain),
                ("timespan", "\(AzureTime.format(now - metric.length))/\(AzureTime.format(now))"),
            ])
            let path = resource.id.split(separator: "/", omittingEmptySubsequences: false)
                .map { QueryEncoding.component(String($0)) }.joined(separator: "/")
            let url = "\(config.endpoints.management)\(path)/providers/Microsoft.Insights/metrics?\(query)"
            stats.recordBilled(provider: AzureCloud.provider, api: "metrics", units: Double(metric.names.count), dollars: 0)
            let answer = try api.call(api: "metrics", url: url, scope: config.scopes.management, stats: stats) { bytes in
                let decoded = try JSONDecoder().decode(ResourceMetricsResponse.self, from: Data(bytes))
                for value in decoded.value { try value.validate() }
                return decoded
            }
            limits.observe(subscription: resource.subscriptionId, headers: answer.headers)
            for value in answer.value.value {
                outcome.readings += MetricReading.newest(value, resource: resource, namespace: metric.namespace,
                                                         aggregations: metric.aggregations)
            }
        }
    }

    private func aggregationList(_ metric: AzureMetricConfig) -> String {
        metric.aggregations.map(\.rawValue).joined(separator: ",")
    }
}
