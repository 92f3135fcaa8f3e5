import CloudCache
import Exposition
import Foundation
import Synchronization

/// One configured AWS job: in each of its regions, discover EC2 instances, read their
/// CloudWatch metrics and count CloudTrail events, then hand the cache the families to serve.
public final class AWSJob: CloudJob {
    public let config: AWSJobConfig
    public var name: String { config.name }
    public let provider = "aws"
    public var interval: Double { config.interval }
    public let fingerprint: String

    private let client: AWSClient
    private let credentials: any CredentialSource
    private let endpoints: AWSEndpoints
    private let state = Mutex(JobState())

    private struct JobState {
        var trail = CloudTrailPoller.State()
        var pollers: [String: CloudTrailPoller] = [:]
        /// Last value of every CloudWatch series, kept a while when a window has no datapoint.
        var series: [SeriesKey: RetainedValue] = [:]
    }

    struct SeriesKey: Hashable {
        var name: String
        var labels: [Label]
    }

    struct RetainedValue {
        var value: Double
        var seenAt: Double
        var help: String
    }

    public init(config: AWSJobConfig, client: AWSClient, credentials: any CredentialSource, environment: [String: String]) {
        self.config = config
        self.client = client
        self.credentials = credentials
        self.endpoints = AWSEndpoints(environment: environment, overrides: config.endpoints)
        self.fingerprint = "\(config)"
    }

    public func refresh(_ context: RefreshContext) throws -> [MetricFamily] {
        let now = context.startedAt
        var info = MetricFamily(name: "aws_ec2_info", type: .gauge,
                                help: "EC2 instances discovered with DescribeInstances (cached; refreshed in the background); always 1.")
        var counts = MetricFamily(name: "aws_ec2_instances", type: .gauge,
                                  help: "EC2 instances by region, state and type (cached).")
        var cloudWatchValues: [SeriesKey: (Double, String)] = [:]
        var crossCloud = CrossCloudFamilies()
        var trailState = state.withLock { $0.trail }
        for region in config.regions {
            let regional = RegionContext(region: region, endpoints: endpoints, client: client,
                                         credentials: credentials, stats: context.stats, timeout: config.timeout)
            var instances: [EC2Instance] = []
            if let discovery = config.ec2 {
                instances = try EC2Inventory.fetch(discovery, in: regional)
                EC2Families.add(instances, region: region, exportTags: discovery.exportTags, info: &info, counts: &counts)
                for instance in instances {
                    crossCloud.addInstance(provider: "aws", region: region, instance: instance.instanceId,
                                           name: instance.tags.first { $0.key == "Name" }?.value ?? "",
                                           instanceType: instance.instanceType, state: instance.state)
                }
            }
            if !config.cloudWatch.isEmpty {
                let queries = CloudWatchQuery.plan(config.cloudWatch, instances: instances, region: region, now: now)
                let datapoints = try CloudWatchFetcher.fetch(queries, in: regional)
                for query in queries {
                    guard let point = datapoints[query.id] else { continue }
                    cloudWatchValues[Self.seriesKey(query, region: region)] = (point.value, Self.help(query))
                }
            }
            if let trail = config.cloudTrail {
                var poller = state.withLock { $0.pollers[region] } ?? CloudTrailPoller(settings: trail)
                defer { state.withLock { [poller] in $0.pollers[region] = poller } }
                do {
                    try poller.poll(region: regional, now: now, state: &trailState)
                } catch {
                    // Events counted before the failure stay counted; their ids are remembered.
                    state.withLock { [trailState] in $0.trail = trailState }
                    throw error
                }
            }
        }
        let retained = state.withLock { state -> [SeriesKey: RetainedValue] in
            state.trail = trailState
            for (key, value) in cloudWatchValues {
                state.series[key] = RetainedValue(value: value.0, seenAt: now, help: value.1)
            }
            // A series with no datapoint in this window keeps its last value for a while
            // (CloudWatch data can arrive late), then goes: a resource that is gone must not linger.
            let keep = max(3 * config.interval, config.cloudWatch.map(\.length).max() ?? 0)
            state.series = state.series.filter { now - $0.value.seenAt <= keep }
            return state.series
        }
        for (key, value) in retained where key.name == Self.ec2CPUAverage {
            guard let region = key.labels.first(where: { $0.name == "region" })?.value,
                  let instance = key.labels.first(where: { $0.name == "dimension_instance_id" })?.value else { continue }
            crossCloud.addCPU(provider: "aws", region: region, instance: instance, ratio: value.value / 100)
        }
        var families = [info, counts]
        families.append(contentsOf: Self.cloudWatchFamilies(retained))
        families.append(contentsOf: crossCloud.families)
        if config.cloudTrail != nil { families.append(contentsOf: Self.cloudTrailFamilies(trailState)) }
        return families
    }

    public func persistentState() -> [UInt8] {
        let trail = state.withLock { $0.trail }
        return (try? Array(JSONEncoder().encode(trail))) ?? []
    }

    public func restore(persistentState: [UInt8]) {
        guard !persistentState.isEmpty,
              let trail = try? JSONDecoder().decode(CloudTrailPoller.State.self, from: Data(persistentState)) else { return }
        state.withLock { $0.trail = trail }
    }

    // MARK: Families

    /// CloudWatch's EC2 CPU average, in percent: the source of the cross-cloud CPU ratio.
    static let ec2CPUAverage = "aws_ec2_cpuutilization_average"

    private static func seriesKey(_ query: CloudWatchQuery, region: String) -> SeriesKey {
        var labels = [Label("region", region)]
        if let arn = query.instanceARN { labels.append(Label("name", arn)) }
        for dimension in query.dimensions {
            labels.append(Label(PrometheusNaming.labelName(prefix: "dimension_", dimension.name), dimension.value))
        }
        let name = PrometheusNaming.cloudWatchMetricName(namespace: query.metric.namespace, metric: query.metric.name,
                                                         statistic: query.statistic)
        return SeriesKey(name: name, labels: labels)
    }

    private static func help(_ query: CloudWatchQuery) -> String {
        "CloudWatch \(query.metric.namespace) \(query.metric.name) \(query.statistic) over \(Int(query.metric.period))s, newest datapoint (cached; refreshed in the background)."
    }

    private static func cloudWatchFamilies(_ series: [SeriesKey: RetainedValue]) -> [MetricFamily] {
        var families: [String: MetricFamily] = [:]
        for (key, value) in series {
            families[key.name, default: MetricFamily(name: key.name, type: .gauge, help: value.help)]
                .add(value.value, labels: key.labels)
        }
        return Array(families.values)
    }

    private static func cloudTrailFamilies(_ state: CloudTrailPoller.State) -> [MetricFamily] {
        var events = MetricFamily(name: "aws_cloudtrail_events_total", type: .counter,
                                  help: "CloudTrail management events counted with LookupEvents since the exporter's cache began (cached).")
        for entry in state.counts {
            events.add(entry.count, ["region": entry.region, "event_name": entry.eventName, "event_source": entry.eventSource])
        }
        var newest = MetricFamily(name: "aws_cloudtrail_last_event_timestamp_seconds", type: .gauge,
                                  help: "Time of the newest CloudTrail event seen, by region and event name (cached).")
        for (key, time) in state.watermarks {
            let parts = key.split(separator: "|", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            newest.add(time, ["region": parts[0], "event_name": parts[1]])
        }
        return [events, newest]
    }
}
