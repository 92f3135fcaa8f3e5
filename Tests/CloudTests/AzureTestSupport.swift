import CloudCache
import CloudHTTP
import Exposition
import Foundation
import Logging
import Synchronization
import TestSupport
@testable import AzureCloud

/// `Tests/Servers/azure_server.py` with a known tenant, application, secret and federated token,
/// and jobs pointed at it.
enum AzureTestSupport {
    static let tenant = "11111111-2222-3333-4444-555555555555"
    static let clientId = "app-under-test"
    static let secret = "s3cret-Value~with.odd=chars&more"
    static let federated = "eyJhbGciOiJSUzI1NiJ9.federated-1.sig"
    static let subscription = "00000000-0000-0000-0000-000000000001"
    static let vmType = "Microsoft.Compute/virtualMachines"

    static func startServer(pageSize: Int = 100) throws -> PythonServer {
        try PythonServer("azure_server.py", ["--tenant", tenant, "--client-id", clientId, "--client-secret", secret,
                                             "--federated-token", federated, "--page-size", "\(pageSize)"],
                         readyPath: "/_control/stats")
    }

    static func stats(_ server: PythonServer) throws -> [String: Any] {
        try server.control("GET", "/_control/stats") as? [String: Any] ?? [:]
    }

    static func sender(sleeps: Recorder<Double> = Recorder()) -> RetryingSender {
        RetryingSender(session: CurlSession(userAgent: "nimbus-tests"),
                       policy: RetryPolicy(maxAttempts: 3, baseDelay: 0.01, maxDelay: 30),
                       sleep: { sleeps.append($0) })
    }

    static func vmId(_ name: String, group: String = "rg-web", subscription: String = subscription) -> String {
        "/subscriptions/\(subscription)/resourceGroups/\(group)/providers/Microsoft.Compute/virtualMachines/\(name)"
    }

    /// Seeds resources: (name, group, location, tags).
    static func seedVMs(_ server: PythonServer, _ vms: [(String, String, String, [String: String])],
                        subscription: String = subscription) throws {
        let resources: [[String: Any]] = vms.map { vm in
            ["id": vmId(vm.0, group: vm.1, subscription: subscription), "name": vm.0, "type": vmType,
             "location": vm.2, "tags": vm.3]
        }
        let json = try JSONSerialization.data(withJSONObject: ["subscription": subscription, "resources": resources])
        try server.control("POST", "/_control/resources", json: String(decoding: json, as: UTF8.self))
    }

    /// Seeds one metric of a resource with points (seconds ago, aggregation values).
    static func seedMetric(_ server: PythonServer, resourceId: String, name: String,
                           points: [(Int, [String: Double])]) throws {
        let data: [[String: Any]] = points.map { point in
            var entry: [String: Any] = ["secondsAgo": point.0]
            for (key, value) in point.1 { entry[key] = value }
            return entry
        }
        let payload: [String: Any] = ["resourceId": resourceId,
                                      "metrics": [["name": name, "unit": "Percent", "timeseries": [["metadatavalues": [], "data": data]]]]]
        let json = try JSONSerialization.data(withJSONObject: payload)
        try server.control("POST", "/_control/metrics", json: String(decoding: json, as: UTF8.self))
    }

    static func config(_ server: PythonServer, credential: AzureJobConfig.Credential, batch: Bool,
                       metrics: [AzureMetricConfig] = [cpuMetric]) -> AzureJobConfig {
        var config = AzureJobConfig(name: "azure-test", tenantId: tenant, clientId: clientId, credential: credential,
                                    subscriptions: [subscription], resourceType: vmType)
        config.endpoints.management = server.endpoint
        config.endpoints.login = server.endpoint
        config.endpoints.metrics = batch ? server.endpoint + "/regional/{region}" : nil
        config.exportTags = ["env", "Cost Center"]
        config.metrics = metrics
        config.timeout = 10
        return config
    }

    static let cpuMetric = AzureMetricConfig(namespace: vmType, names: ["Percentage CPU", "Network In Total"],
                                             aggregations: [.average, .maximum], length: 600)

    static func job(_ config: AzureJobConfig, sleeps: Recorder<Double> = Recorder(), environment: [String: String] = [:]) -> AzureJob {
        let tokens = AzureTokenProvider(job: config, sender: sender(sleeps: sleeps), environment: environment)
        return AzureJob(config: config, sender: sender(sleeps: sleeps), tokens: tokens)
    }

    static func context(_ stats: CloudStats = CloudStats(), logs: LogCapture? = nil) -> RefreshContext {
        let logger = logs.map { capture in Logger(label: "azure-tests") { _ in CapturingLogHandler(capture: capture) } }
            ?? CacheTestSupport.quietLogger
        return RefreshContext(stats: stats, logger: logger, startedAt: Date().timeIntervalSince1970)
    }

    static func exposition(_ families: [MetricFamily]) -> String {
        var set = MetricSet(families)
        _ = set.normalize()
        return String(decoding: TextEncoder.encode(set.families, format: .prometheusText), as: UTF8.self)
    }

    static func family(_ families: [MetricFamily], _ name: String) -> MetricFamily? {
        families.first { $0.name == name }
    }

    static func value(_ family: MetricFamily?, _ labels: [String: String]) -> Double? {
        family?.samples.first { sample in labels.allSatisfy { sample.labels.contains(Label($0.key, $0.value)) } }?.value
    }

    static func secretFile(_ directory: CacheScratchDirectory, _ text: String = secret + "\n") throws -> String {
        try directory.write(text, to: "client-secret")
        return directory.file("client-secret")
    }
}

/// Log lines kept for inspection (message and metadata as one string each).
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

struct CapturingLogHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        capture.append("\(event.level) \(event.message) \(merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
    }
}
