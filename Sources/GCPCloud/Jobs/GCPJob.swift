import CloudCache
import CloudHTTP
import Exposition
import Foundation
import Synchronization

/// One configured GCP job: at each refresh, read every configured metric type from Cloud
/// Monitoring over its window and, when asked, list the project's Compute Engine instances.
/// Any failed call throws, so the cache keeps serving the last good families.
public final class GCPJob: CloudJob {
    public static let computeReadScope = "https://www.googleapis.com/auth/compute.readonly"

    public let config: GCPJobConfig
    public var name: String { config.name }
    public let provider = "gcp"
    public var interval: Double { config.interval }
    public let fingerprint: String

    private let environment: [String: String]
    private let sender: RetryingSender
    private let tokenSender: RetryingSender
    /// Made at the first refresh, so token calls are counted in the cache's self metrics.
    private let tokens = Mutex<CachedGCPToken?>(nil)
    private let deltas = Mutex(DeltaTotals())

    /// `sender` carries the API calls, `tokenSender` the token requests (give it a session of
    /// its own so a token is never stuck behind a long API call); `environment` supplies
    /// `GOOGLE_APPLICATION_CREDENTIALS` and `GCE_METADATA_HOST`.
    public init(config: GCPJobConfig, environment: [String: String], sender: RetryingSender,
                tokenSender: RetryingSender? = nil) {
        self.config = config
        self.environment = environment
        self.sender = sender
        self.tokenSender = tokenSender ?? sender
        self.fingerprint = "gcp-v1 \(config)"
    }

    /// The OAuth scopes the job needs: Monitoring reads, plus Compute reads for the inventory.
    public var scope: String {
        config.computeInventory ? ServiceAccountTokenFetcher.monitoringReadScope + " " + Self.computeReadScope
            : ServiceAccountTokenFetcher.monitoringReadScope
    }

    public func refresh(_ context: RefreshContext) throws -> [MetricFamily] {
        let now = context.startedAt
        let client = GCPMonitoringClient(sender: sender, tokens: try tokenSource(context.stats), endpoint: config.endpoints.monitoring,
                                         stats: context.stats, timeout: config.timeout)
        var builder = FamilyBuilder()
        var totals = deltas.withLock { $0 }
        // Points added before a failure stay added: their end times are remembered, so the next
        // refresh does not add them again.
        defer { deltas.withLock { [totals] in $0 = totals } }
        var skipped = 0
        for metric in config.metrics {
            let query = MonitoringQuery(metric: metric, now: now)
            let series = try client.listTimeSeries(
                project: config.project, filter: query.filter, start: query.start, end: query.end,
                alignmentPeriod: metric.aligner == nil ? nil : Int(metric.alignmentPeriod), aligner: metric.aligner)
            // Cloud Monitoring bills reads by time series returned; the dollar figure is left to
            // the reader of the price list (see docs/gcp.md).
            context.stats.recordBilled(provider: provider, api: GCPMonitoringClient.listAPI, units: Double(series.count), dollars: 0)
            for item in series where !SeriesExport.add(item, project: config.project, now: now, to: &builder, deltas: &totals) {
                skipped += 1
            }
        }
        totals.prune(now: now, retention: deltaRetention)
        SeriesExport.add(totals, to: &builder)
        var families = builder.sortedFamilies
        var crossCloud = CrossCloudFamilies()
        if config.computeInventory {
            let instances = try ComputeInventory.fetch(project: config.project, endpoint: config.endpoints.compute, client: client)
            context.stats.recordBilled(provider: provider, api: ComputeInventory.api, units: 0, dollars: 0)
            families.append(contentsOf: ComputeInventory.families(instances, project: config.project))
            for instance in instances {
                crossCloud.addInstance(provider: provider, region: instance.zone, instance: instance.id, name: instance.name,
                                       instanceType: instance.machineType, state: instance.status)
            }
        }
        // Compute Engine's CPU utilisation is already a 0-1 ratio.
        for family in families where family.name == Self.instanceCPUFamily {
            for sample in family.samples {
                guard let instance = sample.labels.first(where: { $0.name == "instance_id" })?.value,
                      let zone = sample.labels.first(where: { $0.name == "zone" })?.value else { continue }
                crossCloud.addCPU(provider: provider, region: zone, instance: instance, ratio: sample.value)
            }
        }
        families.append(contentsOf: crossCloud.families)
        if skipped + builder.skipped > 0 {
            context.logger.debug("GCP series skipped (no numeric value, unsupported kind or a name of another type)", metadata: [
                "job": "\(name)", "skipped": "\(skipped + builder.skipped)",
            ])
        }
        return families
    }

    /// `compute.googleapis.com/instance/cpu/utilization` on `gce_instance`, under stackdriver_exporter's name.
    static let instanceCPUFamily = "stackdriver_gce_instance_compute_googleapis_com_instance_cpu_utilization"

    /// How long a DELTA series without points keeps its counter: long enough for sparse
    /// deltas, short enough that a deleted resource goes.
    var deltaRetention: Double {
        max(3600, 10 * config.interval, 3 * (config.metrics.map(\.length).max() ?? 0))
    }

    public func persistentState() -> [UInt8] {
        let totals = deltas.withLock { $0 }
        return (try? Array(JSONEncoder().encode(totals))) ?? []
    }

    public func restore(persistentState: [UInt8]) {
        guard !persistentState.isEmpty,
              let totals = try? JSONDecoder().decode(DeltaTotals.self, from: Data(persistentState)) else { return }
        deltas.withLock { $0 = totals }
    }

    private func tokenSource(_ stats: CloudStats) throws(GCPAuthError) -> CachedGCPToken {
        if let existing = tokens.withLock({ $0 }) { return existing }
        let made = try GCPTokenSources.standard(keyFile: config.credentialsFile, environment: environment,
                                                sender: tokenSender, scope: scope, stats: stats)
        return tokens.withLock { current in
            if let current { return current }
            current = made
            return made
        }
    }
}
