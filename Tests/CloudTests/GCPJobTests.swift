import CloudCache
import CloudHTTP
import ConfigFile
import Exposition
import Foundation
@testable import GCPCloud
import Synchronization
import Testing
import TestSupport

/// `GCPJob` against `gcp_server.py`: stackdriver_exporter names, the four kinds of series,
/// DELTA sums across refreshes, histograms, the Compute Engine inventory, throttling and
/// malformed pages; plus naming and window rules on their own.
@Suite struct GCPJobTests {
    /// On a minute boundary; refreshes run 30 s later, so windows end here.
    static let base = 1_699_999_980.0
    static let cpu = "compute.googleapis.com/instance/cpu/utilization"

    // MARK: naming and windows

    @Test(arguments: [
        ("gce_instance", "compute.googleapis.com/instance/cpu/utilization",
         "stackdriver_gce_instance_compute_googleapis_com_instance_cpu_utilization"),
        ("k8s_container", "kubernetes.io/container/cpu/core_usage_time",
         "stackdriver_k_8_s_container_kubernetes_io_container_cpu_core_usage_time"),
        ("https_lb_rule", "loadbalancing.googleapis.com/https/backend_latencies",
         "stackdriver_https_lb_rule_loadbalancing_googleapis_com_https_backend_latencies"),
        ("global", "custom.googleapis.com/HTTPServer/requestCount",
         "stackdriver_global_custom_googleapis_com_http_server_request_count"),
        ("", "custom.googleapis.com/a//b", "stackdriver_custom_googleapis_com_a_b"),
    ])
    func namesFollowStackdriverExporter(resource: String, type: String, expected: String) {
        #expect(StackdriverNaming.metricName(resourceType: resource, metricType: type) == expected)
    }

    @Test func windowEndsOnAnAlignmentBoundaryAndCoversTheLength() {
        let window = MonitoringQuery.window(now: Self.base + 30, period: 60, length: 300, delay: 0)
        #expect(window.start == Self.base - 300 && window.end == Self.base)
        let delayed = MonitoringQuery.window(now: Self.base + 30, period: 60, length: 90, delay: 60)
        #expect(delayed.end == Self.base - 60 && delayed.start == Self.base - 180)
    }

    @Test func filtersAndTheExtraTerms() {
        var metric = GCPJobConfig.Metric(type: Self.cpu, filter: #"resource.labels.zone = "us-central1-a""#)
        #expect(MonitoringQuery.filter(for: metric) == #"metric.type = "\#(Self.cpu)" AND resource.labels.zone = "us-central1-a""#)
        metric.typePrefix = true
        metric.filter = #"resource.labels.zone = "a" OR resource.labels.zone = "b""#
        #expect(MonitoringQuery.filter(for: metric)
            == #"metric.type = starts_with("\#(Self.cpu)") AND (resource.labels.zone = "a" OR resource.labels.zone = "b")"#)
    }

    @Test func labelCollisionsAreKeptUnderAPrefix() {
        let series = TimeSeries(metricType: "m", metricLabels: ["zone": "metric-zone", "le": "x"], resourceType: "r",
                                resourceLabels: ["zone": "resource-zone", "project_id": "p1"], metricKind: .gauge,
                                valueType: .distribution, points: [])
        let labels = SeriesLabels.make(series, project: "other", isHistogram: true)
        #expect(labels == [Label("metric_le", "x"), Label("project_id", "p1"), Label("resource_zone", "resource-zone"),
                           Label("zone", "metric-zone")])
    }

    // MARK: against gcp_server.py

    static func time(_ offset: Double) -> String { RFC3339.format(base + offset) }

    /// A series in the API's JSON shape; `points` are (end offset from `base`, value JSON).
    static func seriesJSON(_ type: String, resource: String = "gce_instance", instance: String = "vm-1",
                           kind: String, valueType: String, points: [(Double, String)]) -> String {
        let list = points.map { offset, value in
            let start = kind == "GAUGE" ? time(offset) : time(kind == "DELTA" ? offset - 60 : -86_400)
            return #"{"interval": {"startTime": "\#(start)", "endTime": "\#(time(offset))"}, "value": \#(value)}"#
        }.joined(separator: ",")
        return #"{"metric": {"type": "\#(type)", "labels": {"instance_name": "\#(instance)"}}, "resource": {"type": "\#(resource)", "labels": {"zone": "us-central1-a", "project_id": "test-project", "instance_id": "\#(instance)-id"}}, "metricKind": "\#(kind)", "valueType": "\#(valueType)", "points": [\#(list)]}"#
    }

    static func distribution(count: Int, mean: Double, counts: [Int]) -> String {
        let buckets = counts.map { #""\#($0)""# }.joined(separator: ",")
        return #"{"distributionValue": {"count": "\#(count)", "mean": \#(mean), "bucketOptions": {"explicitBuckets": {"bounds": [10, 20, 50]}}, "bucketCounts": [\#(buckets)]}}"#
    }

    static func seed(_ server: PythonServer, _ series: [String]) throws {
        try server.control("POST", "/_control/series", json: #"{"replace": true, "timeSeries": [\#(series.joined(separator: ","))]}"#)
    }

    final class Sleeps: Sendable {
        let delays = Mutex<[Double]>([])
    }

    static func job(_ server: PythonServer, metrics: [GCPJobConfig.Metric], inventory: Bool = false,
                    sleeps: Sleeps = Sleeps()) -> GCPJob {
        let config = GCPJobConfig(name: "gcp-test", project: "test-project", interval: 60, timeout: 10,
                                  endpoints: .init(monitoring: server.endpoint, compute: server.endpoint),
                                  metrics: metrics, computeInventory: inventory)
        let session = CurlSession(userAgent: "nimbus-tests")
        let sender = RetryingSender(session: session, policy: RetryPolicy(maxAttempts: 3, baseDelay: 0.01, maxDelay: 5),
                                    sleep: { seconds in sleeps.delays.withLock { $0.append(seconds) } })
        return GCPJob(config: config, environment: ["GCE_METADATA_HOST": "127.0.0.1:\(server.port)"], sender: sender,
                      tokenSender: RetryingSender(session: session, policy: RetryPolicy(maxAttempts: 1)))
    }

    static func refresh(_ job: GCPJob, at offset: Double = 30, stats: CloudStats = CloudStats()) throws -> [MetricFamily] {
        var set = MetricSet(try job.refresh(RefreshContext(stats: stats, logger: CacheTestSupport.quietLogger,
                                                           startedAt: base + offset)))
        let report = set.normalize()
        #expect(report == NormalizationReport())
        return set.families
    }

    static func text(_ families: [MetricFamily]) -> String {
        String(decoding: TextEncoder.encode(families, format: .prometheusText), as: UTF8.self)
    }

    static func family(_ families: [MetricFamily], _ name: String) throws -> MetricFamily {
        try #require(families.first { $0.name == name }, "no family \(name)")
    }

    static func value(_ family: MetricFamily, suffix: String = "", _ labels: [String: String]) -> Double? {
        family.samples.first { sample in
            sample.suffix == suffix && labels.allSatisfy { key, value in sample.labels.contains(Label(key, value)) }
        }?.value
    }

    @Test func gaugeAndCumulativeExportTheNewestPoint() throws {
        let server = try startGCPServer()
        let received = "compute.googleapis.com/instance/network/received_bytes_count"
        try Self.seed(server, [
            Self.seriesJSON(Self.cpu, kind: "GAUGE", valueType: "DOUBLE",
                            points: [(0, #"{"doubleValue": 0.75}"#), (-60, #"{"doubleValue": 0.5}"#), (-1000, #"{"doubleValue": 9}"#)]),
            Self.seriesJSON(Self.cpu, instance: "vm-2", kind: "GAUGE", valueType: "DOUBLE", points: [(-120, #"{"doubleValue": 0.25}"#)]),
            Self.seriesJSON(received, kind: "CUMULATIVE", valueType: "INT64",
                            points: [(-60, #"{"int64Value": "1000"}"#), (0, #"{"int64Value": "1500"}"#)]),
        ])
        let job = Self.job(server, metrics: [
            .init(type: Self.cpu, aligner: "ALIGN_MEAN", length: 300),
            .init(type: "compute.googleapis.com/instance/network/", typePrefix: true, length: 300),
        ])
        let stats = CloudStats()
        let families = try Self.refresh(job, stats: stats)
        let gauge = try Self.family(families, "stackdriver_gce_instance_compute_googleapis_com_instance_cpu_utilization")
        #expect(gauge.type == .gauge)
        #expect(gauge.help.hasSuffix("(cached)"))
        #expect(gauge.samples.count == 2)
        #expect(Self.value(gauge, ["instance_name": "vm-1", "zone": "us-central1-a", "project_id": "test-project",
                                   "instance_id": "vm-1-id"]) == 0.75)
        #expect(Self.value(gauge, ["instance_name": "vm-2"]) == 0.25)
        let counter = try Self.family(families, "stackdriver_gce_instance_compute_googleapis_com_instance_network_received_bytes_count")
        #expect(counter.type == .counter)
        #expect(Self.value(counter, ["instance_name": "vm-1"]) == 1500)

        let queries = try #require(try gcpStats(server)["queries"] as? [[String: String]])
        try #require(queries.count == 2)
        #expect(queries[0]["filter"] == #"metric.type = "\#(Self.cpu)""#)
        #expect(queries[0]["interval.startTime"] == Self.time(-300) && queries[0]["interval.endTime"] == Self.time(0))
        #expect(queries[0]["aggregation.perSeriesAligner"] == "ALIGN_MEAN" && queries[0]["aggregation.alignmentPeriod"] == "60s")
        #expect(queries[1]["filter"] == #"metric.type = starts_with("compute.googleapis.com/instance/network/")"#)
        #expect(queries[1]["aggregation.perSeriesAligner"] == nil)
        // Self metrics: every call under provider gcp, billed units = series returned.
        #expect(stats.requests(provider: "gcp", api: "timeSeries.list", outcome: "success") == 2)
        #expect(stats.requests(provider: "gcp", api: "metadata.token", outcome: "success") == 1)
        let requested = try Self.family(stats.families(), "nimbus_cloud_metrics_requested_total")
        #expect(Self.value(requested, ["provider": "gcp", "api": "timeSeries.list"]) == 3)
    }

    @Test func deltasAreSummedAcrossRefreshesWithoutDoubleCounting() throws {
        let server = try startGCPServer()
        let type = "logging.googleapis.com/log_entry_count"
        func series(_ points: [(Double, String)]) -> String {
            Self.seriesJSON(type, resource: "global", kind: "DELTA", valueType: "INT64", points: points)
        }
        try Self.seed(server, [series([(-120, #"{"int64Value": "5"}"#), (-60, #"{"int64Value": "7"}"#)])])
        let job = Self.job(server, metrics: [.init(type: type, length: 300)])
        let name = "stackdriver_global_logging_googleapis_com_log_entry_count"
        let first = try Self.family(try Self.refresh(job), name)
        #expect(first.type == .counter)
        #expect(Self.value(first, ["instance_name": "vm-1"]) == 12)

        // The next window overlaps the first: only the point at +60 is new.
        try Self.seed(server, [series([(-120, #"{"int64Value": "5"}"#), (-60, #"{"int64Value": "7"}"#), (60, #"{"int64Value": "3"}"#)])])
        #expect(Self.value(try Self.family(try Self.refresh(job, at: 90), name), ["instance_name": "vm-1"]) == 15)
        // No new point: the counter holds.
        #expect(Self.value(try Self.family(try Self.refresh(job, at: 100), name), ["instance_name": "vm-1"]) == 15)

        // A restarted job continues from the persisted sums and end times.
        let restarted = Self.job(server, metrics: [.init(type: type, length: 300)])
        restarted.restore(persistentState: job.persistentState())
        try Self.seed(server, [series([(60, #"{"int64Value": "3"}"#), (120, #"{"int64Value": "1"}"#)])])
        #expect(Self.value(try Self.family(try Self.refresh(restarted, at: 150), name), ["instance_name": "vm-1"]) == 16)
    }

    @Test func distributionsBecomeCumulativeHistogramsThatPromtoolAccepts() throws {
        let server = try startGCPServer()
        let latency = "loadbalancing.googleapis.com/https/total_latencies"
        let requests = "serviceruntime.googleapis.com/api/request_latencies"
        try Self.seed(server, [
            Self.seriesJSON(latency, resource: "https_lb_rule", kind: "CUMULATIVE", valueType: "DISTRIBUTION",
                            points: [(0, Self.distribution(count: 6, mean: 15.5, counts: [1, 4, 1]))]),
            Self.seriesJSON(requests, resource: "api", kind: "DELTA", valueType: "DISTRIBUTION",
                            points: [(-60, Self.distribution(count: 2, mean: 5, counts: [2]))]),
        ])
        let job = Self.job(server, metrics: [.init(type: latency), .init(type: requests)])
        let families = try Self.refresh(job)
        let histogram = try Self.family(families, "stackdriver_https_lb_rule_loadbalancing_googleapis_com_https_total_latencies")
        #expect(histogram.type == .histogram)
        let buckets = histogram.samples.filter { $0.suffix == "_bucket" }
            .map { sample in (sample.labels.first { $0.name == "le" }?.value ?? "", sample.value) }
        #expect(buckets.map(\.0) == ["10", "20", "50", "+Inf"])
        #expect(buckets.map(\.1) == [1, 5, 6, 6])
        #expect(Self.value(histogram, suffix: "_sum", ["instance_name": "vm-1"]) == 93)
        #expect(Self.value(histogram, suffix: "_count", ["instance_name": "vm-1"]) == 6)

        let deltaName = "stackdriver_api_serviceruntime_googleapis_com_api_request_latencies"
        #expect(Self.value(try Self.family(families, deltaName), suffix: "_count", [:]) == 2)
        try Self.seed(server, [
            Self.seriesJSON(requests, resource: "api", kind: "DELTA", valueType: "DISTRIBUTION",
                            points: [(-60, Self.distribution(count: 2, mean: 5, counts: [2])),
                                     (60, Self.distribution(count: 3, mean: 30, counts: [0, 1, 1, 1]))]),
        ])
        let summed = try Self.family(try Self.refresh(job, at: 90), deltaName)
        #expect(summed.type == .histogram)
        #expect(summed.samples.filter { $0.suffix == "_bucket" }.map(\.value) == [2, 3, 4, 5])
        #expect(Self.value(summed, suffix: "_sum", [:]) == 100)
        #expect(Self.value(summed, suffix: "_count", [:]) == 5)

        let text = Self.text(try Self.refresh(job, at: 90))
        #expect(text.contains(#"le="+Inf""#))
        if let result = try Promtool.check(text) {
            #expect(result.status == 0, "promtool: \(result.unexpected)")
            #expect(result.unexpected.isEmpty)
        }
    }

    @Test func gaugesAndCountersPassPromtoolApartFromTheTotalSuffix() throws {
        let server = try startGCPServer()
        try Self.seed(server, [
            Self.seriesJSON(Self.cpu, kind: "GAUGE", valueType: "DOUBLE", points: [(0, #"{"doubleValue": 0.5}"#)]),
            Self.seriesJSON("compute.googleapis.com/instance/uptime", kind: "DELTA", valueType: "DOUBLE", points: [(0, #"{"doubleValue": 60}"#)]),
        ])
        let job = Self.job(server, metrics: [.init(type: "compute.googleapis.com/instance/", typePrefix: true)])
        guard let result = try Promtool.check(Self.text(try Self.refresh(job))) else { return }
        // stackdriver_exporter's counter names carry no `_total`; the names are the contract.
        let other = result.unexpected.filter { !$0.contains(#"counter metrics should have "_total" suffix"#) }
        #expect(other.isEmpty, "promtool: \(other)")
        #expect(result.status == 0 || result.status == 3)
    }

    static func instanceJSON(_ id: Int, zone: String, status: String, labels: String = "{}") -> String {
        let prefix = "https://www.googleapis.com/compute/v1/projects/test-project/zones/\(zone)"
        return #"{"id": "\#(id)", "name": "vm-\#(id)", "zone": "\#(prefix)", "machineType": "\#(prefix)/machineTypes/e2-medium", "status": "\#(status)", "labels": \#(labels)}"#
    }

    @Test func computeInventoryFollowsEveryPage() throws {
        let server = try startGCPServer()
        let instances = [
            Self.instanceJSON(1, zone: "us-central1-a", status: "RUNNING", labels: #"{"team": "web", "cost-center": "42"}"#),
            Self.instanceJSON(2, zone: "us-central1-a", status: "RUNNING"),
            Self.instanceJSON(3, zone: "europe-west1-b", status: "TERMINATED"),
        ]
        try server.control("POST", "/_control/instances", json: #"{"pageSize": 2, "instances": [\#(instances.joined(separator: ","))]}"#)
        let stats = CloudStats()
        let families = try Self.refresh(Self.job(server, metrics: [], inventory: true), stats: stats)
        let info = try Self.family(families, "gcp_compute_instance_info")
        #expect(info.samples.count == 3)
        let first = try #require(info.samples.first { $0.labels.contains(Label("instance_id", "1")) })
        #expect(first.value == 1)
        #expect(Set(first.labels) == [Label("project", "test-project"), Label("zone", "us-central1-a"), Label("instance_id", "1"),
                                      Label("name", "vm-1"), Label("machine_type", "e2-medium"), Label("status", "RUNNING"),
                                      Label("label_cost_center", "42"), Label("label_team", "web")])
        let counts = try Self.family(families, "gcp_compute_instances")
        #expect(Self.value(counts, ["zone": "us-central1-a", "status": "RUNNING", "project": "test-project"]) == 2)
        #expect(Self.value(counts, ["zone": "europe-west1-b", "status": "TERMINATED"]) == 1)
        #expect(try gcpStats(server)["computeRequests"] as? Int == 2)
        #expect(stats.requests(provider: "gcp", api: "compute.instances.aggregatedList", outcome: "success") == 2)
        if let result = try Promtool.check(Self.text(families)) { #expect(result.unexpected.isEmpty, "\(result.unexpected)") }
    }

    @Test func metricPaginationIsFollowed() throws {
        let server = try startGCPServer()
        try Self.seed(server, (1...5).map { index in
            Self.seriesJSON(Self.cpu, instance: "vm-\(index)", kind: "GAUGE", valueType: "DOUBLE", points: [(0, #"{"doubleValue": \#(index)}"#)])
        })
        let job = Self.job(server, metrics: [.init(type: Self.cpu)])
        // The client asks for 10000 per page; the fake honours pageSize, so narrow the page server-side.
        let config = job.config
        let session = CurlSession(userAgent: "nimbus-tests")
        let tokens = try GCPTokenSources.standard(keyFile: try GCPTestKey.get().writeServiceAccountFile(tokenURI: server.endpoint + "/token"),
                                                  environment: [:], sender: RetryingSender(session: session))
        let client = GCPMonitoringClient(sender: RetryingSender(session: session), tokens: tokens, endpoint: server.endpoint, pageSize: 2)
        let query = MonitoringQuery(metric: config.metrics[0], now: Self.base + 30)
        let listed = try client.listTimeSeries(project: "test-project", filter: query.filter, start: query.start, end: query.end)
        #expect(listed.count == 5)
        // And through the job, all five series land in one family.
        let family = try Self.family(try Self.refresh(job), "stackdriver_gce_instance_compute_googleapis_com_instance_cpu_utilization")
        #expect(family.samples.map(\.value).sorted() == [1, 2, 3, 4, 5])
        #expect(try gcpStats(server)["timeSeriesRequests"] as? Int == 4)
    }

    @Test func throttlingIsRetriedThenSucceeds() throws {
        let server = try startGCPServer()
        try Self.seed(server, [Self.seriesJSON(Self.cpu, kind: "GAUGE", valueType: "DOUBLE", points: [(0, #"{"doubleValue": 0.5}"#)])])
        try server.control("POST", "/_control/fault", json: #"{"mode": "429", "count": 1, "retryAfter": 1}"#)
        let sleeps = Sleeps()
        let stats = CloudStats()
        let families = try Self.refresh(Self.job(server, metrics: [.init(type: Self.cpu)], sleeps: sleeps), stats: stats)
        #expect(families.contains { $0.name.hasSuffix("cpu_utilization") })
        #expect(sleeps.delays.withLock { $0 } == [1])
        #expect(stats.requests(provider: "gcp", api: "timeSeries.list", outcome: "throttled") == 1)
        #expect(stats.requests(provider: "gcp", api: "timeSeries.list", outcome: "success") == 1)
    }

    @Test func malformedPageThrowsAndCountsNothingTwice() throws {
        let server = try startGCPServer()
        let type = "logging.googleapis.com/log_entry_count"
        try Self.seed(server, [Self.seriesJSON(type, resource: "global", kind: "DELTA", valueType: "INT64",
                                               points: [(-60, #"{"int64Value": "4"}"#)])])
        let job = Self.job(server, metrics: [.init(type: type)], inventory: true)
        let name = "stackdriver_global_logging_googleapis_com_log_entry_count"
        #expect(Self.value(try Self.family(try Self.refresh(job), name), [:]) == 4)
        try server.control("POST", "/_control/fault", json: #"{"mode": "malformed", "count": 1, "target": "instances"}"#)
        let error = try #require(throws: GCPCallError.self) { try Self.refresh(job, at: 40) }
        #expect("\(error)".contains("compute.instances.aggregatedList: malformed response"))
        #expect(!"\(error)".contains("ya29"))
        try server.control("POST", "/_control/fault", json: #"{"mode": "malformed", "count": 1}"#)
        #expect(throws: GCPCallError.self) { try Self.refresh(job, at: 50) }
        #expect(Self.value(try Self.family(try Self.refresh(job, at: 60), name), [:]) == 4)
    }

    @Test func cacheKeepsTheLastGoodValuesWhenARefreshFails() throws {
        let server = try startGCPServer()
        let now = Date().timeIntervalSince1970
        let end = (now / 60).rounded(.down) * 60
        try server.control("POST", "/_control/series", json: "[" + #"{"metric": {"type": "\#(Self.cpu)"}, "resource": {"type": "gce_instance", "labels": {"zone": "z"}}, "metricKind": "GAUGE", "valueType": "DOUBLE", "points": [{"interval": {"endTime": "\#(RFC3339.format(end - 60))"}, "value": {"doubleValue": 0.5}}]}"# + "]")
        var config = Self.job(server, metrics: [.init(type: Self.cpu, length: 600)]).config
        config.interval = 0.05
        let session = CurlSession(userAgent: "nimbus-tests")
        let job = GCPJob(config: config, environment: ["GCE_METADATA_HOST": "127.0.0.1:\(server.port)"],
                         sender: RetryingSender(session: session, policy: RetryPolicy(maxAttempts: 1)))
        // First a good refresh, then only malformed pages.
        let cache = CloudCache(jobs: [job], logger: CacheTestSupport.quietLogger)
        cache.start()
        defer { cache.stop() }
        #expect(CacheTestSupport.waitUntil { cache.refreshCount(job: job.name) >= 1 })
        try server.control("POST", "/_control/fault", json: #"{"mode": "malformed", "count": 1000}"#)
        #expect(CacheTestSupport.waitUntil { ((try? gcpStats(server))?["faultsInjected"] as? Int ?? 0) >= 3 })
        var out: [UInt8] = []
        cache.appendRendered(format: .prometheusText, into: &out)
        let text = String(decoding: out, as: UTF8.self)
        #expect(text.contains(#"stackdriver_gce_instance_compute_googleapis_com_instance_cpu_utilization{project_id="test-project",zone="z"} 0.5"#))
    }

    // MARK: configuration

    static func config(_ yaml: String, environment: [String: String] = [:]) throws(ConfigError) -> [GCPJobConfig] {
        try GCPConfigReader.read(try ConfigNode.parse(yaml, file: "gcp.yml").mapping().required("gcp"), environment: environment)
    }

    @Test func readsAFullJob() throws {
        let keyPath = try GCPTestKey.get().writeServiceAccountFile(tokenURI: "http://127.0.0.1:1/token")
        let jobs = try Self.config("""
            gcp:
              jobs:
                - name: gcp-prod
                  credentials_file: \(keyPath)
                  interval: 2m
                  max_age: 10m
                  timeout: 20s
                  endpoints: {monitoring: "http://127.0.0.1:9/", compute: "http://127.0.0.1:8"}
                  metrics:
                    - type: compute.googleapis.com/instance/cpu/utilization
                      aligner: ALIGN_MEAN
                      alignment_period: 60s
                      length: 5m
                      delay: 1m
                      filter: 'resource.labels.zone = "us-central1-a"'
                    - type: compute.googleapis.com/instance/network/
                      type_prefix: true
                  compute_inventory: true
            """)
        try #require(jobs.count == 1)
        let job = jobs[0]
        #expect(job.project == "test-project")  // from the key file
        #expect(job.credentialsFile == keyPath)
        #expect(job.interval == 120 && job.maxAge == 600 && job.timeout == 20)
        #expect(job.endpoints == .init(monitoring: "http://127.0.0.1:9/", compute: "http://127.0.0.1:8"))
        #expect(job.metrics[0] == .init(type: Self.cpu, aligner: "ALIGN_MEAN", alignmentPeriod: 60, length: 300, delay: 60,
                                        filter: #"resource.labels.zone = "us-central1-a""#))
        #expect(job.metrics[1].typePrefix && job.metrics[1].length == 120)
        #expect(job.computeInventory)
    }

    @Test func environmentSuppliesProjectAndEndpoints() throws {
        let jobs = try Self.config("gcp:\n  jobs:\n    - name: a\n      compute_inventory: true\n",
                                   environment: ["GOOGLE_CLOUD_PROJECT": "env-project",
                                                 GCPConfigReader.monitoringEndpointVariable: "http://127.0.0.1:7"])
        #expect(jobs.first?.project == "env-project")
        #expect(jobs.first?.endpoints.monitoring == "http://127.0.0.1:7")
        #expect(jobs.first?.endpoints.compute == GCPJobConfig.Endpoints.defaultCompute)
    }

    @Test(arguments: [
        ("    - name: a\n      project: p-1\n", 4, "gcp.jobs[0]", "fetches nothing"),
        ("    - name: a\n      compute_inventory: true\n", 4, "gcp.jobs[0]", "project is required"),
        ("    - name: a\n      project: p-1\n      metrics:\n        - type: m\n          length: 30s\n", 8, "gcp.jobs[0].metrics[0].length", "at least the job interval"),
        ("    - name: a\n      project: p-1\n      metrics:\n        - type: m\n          aligner: MEAN\n", 8, "gcp.jobs[0].metrics[0].aligner", "not an aligner"),
        ("    - name: a\n      project: p-1\n      metrics:\n        - type: 'a\"b'\n", 7, "gcp.jobs[0].metrics[0].type", "not a metric type"),
        ("    - name: a\n      project: p-1\n      interval: soon\n      compute_inventory: true\n", 6, "gcp.jobs[0].interval", "duration"),
        ("    - name: a\n      project: p-1\n      endpoints: {monitoring: ftp://x}\n      compute_inventory: true\n", 6, "gcp.jobs[0].endpoints.monitoring", "http"),
        ("    - name: a\n      project: p-1\n      credentials_file: /nonexistent/key.json\n      compute_inventory: true\n", 6, "gcp.jobs[0].credentials_file", "cannot read"),
        ("    - name: a\n      project: p-1\n      compute_inventory: true\n    - name: a\n      project: p-1\n      compute_inventory: true\n", 7, "gcp.jobs[1]", "used twice"),
        ("    - name: a\n      projekt: p-1\n", 5, "gcp.jobs[0].projekt", "unknown field"),
    ])
    func configErrorsNameFileLineAndField(jobs: String, line: Int, field: String, message: String) {
        #expect {
            try Self.config("# comment\ngcp:\n  jobs:\n" + jobs)
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.file == "gcp.yml" && error.line == line && error.field == field && error.message.contains(message)
        }
    }
}
