import CloudCache
import CloudHTTP
import Exposition
import Foundation
import Testing
import TestSupport
@testable import AzureCloud

/// `AzureJob` against `azure_server.py`: discovery with pagination, metrics through
/// `metrics:getBatch` and per resource, names and labels, rate-limit headers, retries and
/// failures that keep the cache's last good values.
@Suite struct AzureJobTests {
    typealias S = AzureTestSupport

    private static let cpuAverage = "azure_microsoft_compute_virtualmachines_percentage_cpu_average"
    private static let cpuMaximum = "azure_microsoft_compute_virtualmachines_percentage_cpu_maximum"

    /// Five VMs in two regions and two groups, two of them with CPU datapoints.
    private static func seedFleet(_ server: PythonServer) throws {
        try S.seedVMs(server, [
            ("web-1", "rg-web", "westeurope", ["env": "prod", "Cost Center": "42"]),
            ("web-2", "rg-web", "westeurope", ["ENV": "staging"]),
            ("db-1", "rg-data", "northeurope", [:]),
            ("db-2", "rg-data", "northeurope", [:]),
            ("batch-1", "rg-batch", "westeurope", [:]),
        ])
        // The newest point lacks `maximum`: the maximum must come from the point before.
        try S.seedMetric(server, resourceId: S.vmId("web-1"), name: "Percentage CPU",
                         points: [(240, ["average": 10, "maximum": 30]), (120, ["average": 20, "maximum": 50]), (60, ["average": 25])])
        try S.seedMetric(server, resourceId: S.vmId("db-1", group: "rg-data"), name: "Percentage CPU",
                         points: [(60, ["average": 80, "maximum": 95]), (3600, ["average": 1, "maximum": 1])])
    }

    private static func secretCredential() -> (AzureJobConfig.Credential, [String: String]) {
        (.clientSecretEnvironment("AZ_SECRET"), ["AZ_SECRET": S.secret])
    }

    @Test func discoveryFollowsNextLinkAndKeepsTheResourceFields() throws {
        let server = try S.startServer(pageSize: 2)
        try Self.seedFleet(server)
        let (credential, environment) = Self.secretCredential()
        let families = try S.job(S.config(server, credential: credential, batch: true), environment: environment).refresh(S.context())
        let info = try #require(S.family(families, "azure_resource_info"))
        #expect(info.samples.count == 5)
        #expect(S.value(info, ["resource_id": S.vmId("web-1"), "resource_name": "web-1", "resource_group": "rg-web",
                               "subscription_id": S.subscription, "region": "westeurope", "resource_type": S.vmType,
                               "tag_env": "prod", "tag_cost_center": "42"]) == 1)
        // Tag keys match case-insensitively, as in Azure.
        #expect(S.value(info, ["resource_name": "web-2", "tag_env": "staging"]) == 1)
        let stats = try S.stats(server)
        #expect(stats["resourceRequests"] as? Int == 3)
        let queries = try #require(stats["queries"] as? [[String: Any]])
        let listing = queries.filter { $0["api"] as? String == "resources" }
        let filter = (listing.first?["query"] as? [String: [String]])?["$filter"]
        #expect(filter == ["resourceType eq 'Microsoft.Compute/virtualMachines'"])
    }

    @Test func resourceGroupsNarrowTheListing() throws {
        let server = try S.startServer()
        try Self.seedFleet(server)
        let (credential, environment) = Self.secretCredential()
        var config = S.config(server, credential: credential, batch: true)
        config.resourceGroups = ["rg-data"]
        let families = try S.job(config, environment: environment).refresh(S.context())
        let names = S.family(families, "azure_resource_info")?.samples.compactMap { $0.labels.first { $0.name == "resource_name" }?.value }
        #expect(names?.sorted() == ["db-1", "db-2"])
    }

    @Test func batchMetricsExportTheNewestDatapointOfEachAggregation() throws {
        let server = try S.startServer()
        try Self.seedFleet(server)
        let (credential, environment) = Self.secretCredential()
        let stats = CloudStats()
        let families = try S.job(S.config(server, credential: credential, batch: true), environment: environment).refresh(S.context(stats))
        let average = S.family(families, Self.cpuAverage)
        #expect(S.value(average, ["resource_name": "web-1", "region": "westeurope", "resource_group": "rg-web",
                                  "subscription_id": S.subscription, "tag_env": "prod"]) == 25)
        #expect(S.value(S.family(families, Self.cpuMaximum), ["resource_name": "web-1"]) == 50)
        #expect(S.value(average, ["resource_name": "db-1"]) == 80)
        #expect(average?.samples.count == 2)
        #expect(average?.help.hasSuffix("(cached).") == true)

        let serverStats = try S.stats(server)
        // One call per (subscription, region): westeurope and northeurope.
        #expect(serverStats["batchRequests"] as? Int == 2)
        #expect((serverStats["batchSizes"] as? [Int])?.sorted() == [2, 3])
        #expect(serverStats["metricsRequests"] as? Int == 0)
        let scopes = (serverStats["tokenGrants"] as? [[String: Any]])?.compactMap { $0["scope"] as? String }
        #expect(Set(scopes ?? []) == ["https://management.azure.com/.default", "https://metrics.monitor.azure.com/.default"])
        #expect(stats.requests(provider: "azure", api: "metrics_batch", outcome: "success") == 2)
        // The VM families feed the cross-provider view (percent → ratio).
        #expect(S.value(S.family(families, "nimbus_cloud_instance_cpu_utilization_ratio"), ["instance": S.vmId("db-1", group: "rg-data")]) == 0.8)
    }

    @Test func batchesHoldAtMostFiftyResources() throws {
        let server = try S.startServer(pageSize: 40)
        try S.seedVMs(server, (1...120).map { ("vm-\($0)", "rg-scale", "eastus", [:]) })
        let (credential, environment) = Self.secretCredential()
        let families = try S.job(S.config(server, credential: credential, batch: true), environment: environment).refresh(S.context())
        #expect(S.family(families, "azure_resource_info")?.samples.count == 120)
        #expect((try S.stats(server)["batchSizes"] as? [Int]) == [50, 50, 20])
    }

    @Test func perResourceMetricsWhenNoBatchEndpointIsConfigured() throws {
        let server = try S.startServer()
        try Self.seedFleet(server)
        let directory = try CacheScratchDirectory()
        try directory.write(S.federated, to: "token")
        let config = S.config(server, credential: .workloadIdentity(tokenFile: directory.file("token")), batch: false)
        let families = try S.job(config).refresh(S.context())
        #expect(S.value(S.family(families, Self.cpuAverage), ["resource_name": "web-1"]) == 25)
        #expect(S.value(S.family(families, Self.cpuMaximum), ["resource_name": "db-1"]) == 95)
        let stats = try S.stats(server)
        #expect(stats["metricsRequests"] as? Int == 5)
        #expect(stats["batchRequests"] as? Int == 0)
        let query = (stats["queries"] as? [[String: Any]])?.first { $0["api"] as? String == "metrics" }?["query"] as? [String: [String]]
        #expect(query?["metricnames"] == ["Percentage CPU,Network In Total"])
        #expect(query?["aggregation"] == ["Average,Maximum"])
        #expect(query?["interval"] == ["PT1M"])
        #expect(query?["timespan"]?.first?.contains("/") == true)
    }

    @Test func rateLimitHeadersAreExportedAndALowQuotaSkipsPerResourceCalls() throws {
        let server = try S.startServer()
        try Self.seedFleet(server)
        try server.control("POST", "/_control/ratelimit", json: #"{"remainingReads": 103}"#)
        let (credential, environment) = Self.secretCredential()
        let logs = LogCapture()
        let families = try S.job(S.config(server, credential: credential, batch: false), environment: environment)
            .refresh(S.context(logs: logs))
        let limits = S.family(families, "azure_arm_ratelimit_remaining")
        // Listing leaves 102, then two metrics calls (101, 100) and the third sees 100 ≥ 100, leaving 99.
        #expect(S.value(limits, ["subscription_id": S.subscription, "kind": "subscription_reads"]) == 99)
        #expect(S.value(limits, ["subscription_id": S.subscription, "kind": "subscription_resource_requests"]) == 249)
        #expect(try S.stats(server)["metricsRequests"] as? Int == 3)
        #expect(S.value(S.family(families, "azure_metrics_skipped_calls"), ["subscription_id": S.subscription]) == 2)
        #expect(S.family(families, "azure_resource_info")?.samples.count == 5)
        #expect(logs.all.contains { $0.contains("read quota is low") && $0.contains("skipped_calls=2") })
    }

    @Test func throttlingIsRetriedAfterRetryAfter() throws {
        let server = try S.startServer()
        try Self.seedFleet(server)
        try server.control("POST", "/_control/fault", json: #"{"mode": "429", "count": 1, "retryAfter": 7, "target": "resources"}"#)
        let (credential, environment) = Self.secretCredential()
        let sleeps = Recorder<Double>()
        let stats = CloudStats()
        let families = try S.job(S.config(server, credential: credential, batch: true), sleeps: sleeps, environment: environment)
            .refresh(S.context(stats))
        #expect(S.family(families, "azure_resource_info")?.samples.count == 5)
        #expect(sleeps.all == [7])
        #expect(stats.requests(provider: "azure", api: "resources", outcome: "throttled") == 1)
        #expect(stats.requests(provider: "azure", api: "resources", outcome: "success") == 1)
    }

    @Test(arguments: ["resources", "batch"])
    func aMalformedAnswerThrowsSoTheCacheKeepsItsValues(target: String) throws {
        let server = try S.startServer()
        try Self.seedFleet(server)
        try server.control("POST", "/_control/fault", json: #"{"mode": "malformed", "count": 1, "target": "\#(target)"}"#)
        let (credential, environment) = Self.secretCredential()
        let stats = CloudStats()
        let job = S.job(S.config(server, credential: credential, batch: true), environment: environment)
        let api = target == "batch" ? "metrics_batch" : "resources"
        #expect {
            _ = try job.refresh(S.context(stats))
        } throws: { error in
            "\(error)".contains("Azure \(api): malformed response")
        }
        #expect(stats.requests(provider: "azure", api: api, outcome: "malformed_response") == 1)
    }

    @Test func serverErrorsThatPersistThrowWithAzuresErrorCode() throws {
        let server = try S.startServer()
        try Self.seedFleet(server)
        try server.control("POST", "/_control/fault", json: #"{"mode": "500", "count": 5, "target": "resources"}"#)
        let (credential, environment) = Self.secretCredential()
        #expect {
            _ = try S.job(S.config(server, credential: credential, batch: true), environment: environment).refresh(S.context())
        } throws: { error in
            "\(error)" == "Azure resources: HTTP 500: InternalServerError: Injected failure"
        }
    }

    @Test func anExpiredTokenIsRenewedOnce() throws {
        let server = try S.startServer()
        try Self.seedFleet(server)
        let (credential, environment) = Self.secretCredential()
        let job = S.job(S.config(server, credential: credential, batch: true), environment: environment)
        _ = try job.refresh(S.context())
        try server.control("POST", "/_control/revoke")
        let families = try job.refresh(S.context())
        #expect(S.value(S.family(families, Self.cpuAverage), ["resource_name": "web-1"]) == 25)
        // The listing's 401 renews every scope's token, so the batch call goes through at once.
        #expect(try S.stats(server)["authFailures"] as? Int == 1)
        #expect(try S.stats(server)["tokensIssued"] as? Int == 4)
    }

    @Test func theEncodedFamiliesPassPromtool() throws {
        let server = try S.startServer()
        try Self.seedFleet(server)
        let (credential, environment) = Self.secretCredential()
        var config = S.config(server, credential: credential, batch: true)
        config.metrics = [AzureMetricConfig(namespace: S.vmType, names: ["Percentage CPU"],
                                            aggregations: AzureMetricConfig.Aggregation.allCases, length: 600)]
        try S.seedMetric(server, resourceId: S.vmId("web-2"), name: "Percentage CPU",
                         points: [(60, ["average": 1, "minimum": 0.5, "maximum": 2, "total": 10, "count": 4])])
        let text = S.exposition(try S.job(config, environment: environment).refresh(S.context()))
        #expect(text.contains("azure_microsoft_compute_virtualmachines_percentage_cpu_total_value{"))
        #expect(text.contains("azure_microsoft_compute_virtualmachines_percentage_cpu_count_value{"))
        guard let result = try Promtool.check(text) else { return }
        #expect(result.status == 0, "promtool: \(result.unexpected)")
        #expect(result.unexpected.isEmpty)
    }
}
