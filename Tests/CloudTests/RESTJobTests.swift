import CloudCache
import CloudHTTP
import Exposition
import Foundation
@testable import RESTCloud
import Testing
import TestSupport

/// `RESTJob` against the scripted server: the families read from a realistic document, the
/// bearer token on the wire, retries, and failures that keep the cache's last good values.
@Suite struct RESTJobTests {
    private static func metric(_ name: String, _ kind: RESTMetricConfig.Kind = .gauge, path: String, value: String? = nil,
                               labels: [(String, String)] = [], help: String = "From the test API") throws -> RESTMetricConfig {
        RESTMetricConfig(name: name, kind: kind, help: help, path: try JSONPath(parsing: path),
                         value: try value.map { try JSONPath(parsing: $0, relative: true) },
                         labels: try labels.map { .init(name: $0.0, path: try JSONPath(parsing: $0.1, relative: true)) })
    }

    private static func job(_ server: ScriptedHTTPServer, metrics: [RESTMetricConfig], token: RESTTargetConfig.TokenSource? = nil,
                            method: RESTTargetConfig.Method = .get, body: String? = nil, environment: [String: String] = [:],
                            sleeps: Recorder<Double> = Recorder()) -> RESTJob {
        let config = RESTTargetConfig(name: "billing", url: server.url("/v1/usage"), method: method, body: body,
                                      token: token, timeout: 5, metrics: metrics)
        let sender = RetryingSender(session: CurlSession(userAgent: "nimbus-tests"),
                                    policy: RetryPolicy(maxAttempts: 3, baseDelay: 0.01, maxDelay: 20),
                                    sleep: { sleeps.append($0) })
        return RESTJob(config: config, sender: sender, environment: environment)
    }

    private static func context(_ stats: CloudStats = CloudStats()) -> RefreshContext {
        RefreshContext(stats: stats, logger: CacheTestSupport.quietLogger, startedAt: Date().timeIntervalSince1970)
    }

    /// The families as the cache would serve them.
    private static func exposition(_ families: [MetricFamily], format: ExpositionFormat = .prometheusText) -> String {
        var set = MetricSet(families)
        _ = set.normalize()
        return String(decoding: TextEncoder.encode(set.families, format: format), as: UTF8.self)
    }

    private static let payload = """
        {
          "data": {"cpu_usage": "12.5", "healthy": true, "queue_depth": null, "meta": {"version": "v2"}},
          "instances": [
            {"id": "i-1", "cpu": 0.25, "location": {"zone": "eu-1a"}},
            {"id": "i-2", "cpu": " 0.5 ", "location": {"zone": "eu-1b"}},
            {"id": "i-3", "cpu": null, "location": {"zone": "eu-1c"}},
            {"id": "i-4", "location": {}},
            {"id": 5, "cpu": false, "location": {"zone": null}},
            {"id": "i-6", "cpu": "n/a", "location": {"zone": "eu-1a"}}
          ],
          "stats": {"requests served": 1234, "by.region": {"eu": 10, "us": 20}}
        }
        """

    private static func billingMetrics() throws -> [RESTMetricConfig] {
        [
            try metric("billing_cpu_usage_ratio", path: "$.data.cpu_usage", help: "CPU usage reported by the billing API"),
            try metric("billing_healthy", path: "$.data.healthy"),
            try metric("billing_queue_depth", path: "$.data.queue_depth"),
            try metric("billing_instance_cpu_ratio", path: "$.instances[*]", value: "cpu",
                       labels: [("instance", "id"), ("zone", "location.zone")]),
            try metric("billing_requests_total", .counter, path: "$.stats['requests served']"),
            try metric("billing_region_requests", .untyped, path: "$.stats['by.region'][*]"),
        ]
    }

    @Test func readsTheDocumentedFamiliesFromARealisticPayload() throws {
        let server = try ScriptedHTTPServer()
        try server.script([.init(status: 200, headers: ["Content-Type": "application/json"], body: Self.payload)])
        let stats = CloudStats()
        let families = try Self.job(server, metrics: try Self.billingMetrics()).refresh(Self.context(stats))

        #expect(families.allSatisfy { $0.help.hasSuffix(" (cached)") })
        let text = Self.exposition(families)
        let expectedLines = [
            "# HELP billing_cpu_usage_ratio CPU usage reported by the billing API (cached)",
            "# TYPE billing_cpu_usage_ratio gauge",
            "billing_cpu_usage_ratio 12.5",
            "billing_healthy 1",
            "billing_instance_cpu_ratio{instance=\"5\",zone=\"\"} 0",
            "billing_instance_cpu_ratio{instance=\"i-1\",zone=\"eu-1a\"} 0.25",
            "billing_instance_cpu_ratio{instance=\"i-2\",zone=\"eu-1b\"} 0.5",
            "# TYPE billing_requests_total counter",
            "billing_requests_total 1234",
            "# TYPE billing_region_requests untyped",
            "billing_region_requests 10",
            "nimbus_rest_skipped_values{metric=\"billing_instance_cpu_ratio\",reason=\"missing\",target=\"billing\"} 1",
            "nimbus_rest_skipped_values{metric=\"billing_instance_cpu_ratio\",reason=\"not_a_number\",target=\"billing\"} 1",
            "nimbus_rest_skipped_values{metric=\"billing_instance_cpu_ratio\",reason=\"null\",target=\"billing\"} 1",
            "nimbus_rest_skipped_values{metric=\"billing_queue_depth\",reason=\"null\",target=\"billing\"} 1",
        ]
        for line in expectedLines {
            #expect(text.contains(line + "\n"), "missing: \(line)\n\(text)")
        }
        // Null, missing and non-numeric values skip their series: no i-3, i-4, i-6 or queue depth.
        #expect(!text.contains("i-3") && !text.contains("i-4") && !text.contains("i-6"))
        #expect(!text.contains("billing_queue_depth "))
        // `[*]` on an object selects every value; both land in one family (same empty label set,
        // so normalisation keeps the first).
        #expect(families.first { $0.name == "billing_region_requests" }?.samples.map(\.value) == [10, 20])
        #expect(stats.requests(provider: "rest", api: "billing", outcome: "success") == 1)
        #expect(stats.totalRequests == 1)
        let request = try #require(try server.requests().first)
        #expect(request.method == "GET")
        #expect(request.path == "/v1/usage")
        #expect(request.headers["accept"] == "application/json")
        #expect(request.headers["authorization"] == nil)
    }

    @Test func bearerTokenFileIsReadAgainAtEveryRefresh() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rest-token-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokenFile = directory.appendingPathComponent("token").path
        try "first-token-abc\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)

        let server = try ScriptedHTTPServer()
        try server.script([.init(body: #"{"up": 1}"#), .init(body: #"{"up": 1}"#)])
        let job = Self.job(server, metrics: [try Self.metric("api_up", path: "$.up")], token: .file(tokenFile))
        _ = try job.refresh(Self.context())
        try "rotated-token-xyz".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        _ = try job.refresh(Self.context())

        #expect(try server.requests().map { $0.headers["authorization"] } == ["Bearer first-token-abc", "Bearer rotated-token-xyz"])
    }

    @Test func bearerTokenFromTheEnvironment() throws {
        let server = try ScriptedHTTPServer()
        try server.script([.init(body: #"{"up": 1}"#)])
        let job = Self.job(server, metrics: [try Self.metric("api_up", path: "$.up")], token: .environment("API_TOKEN"),
                           environment: ["API_TOKEN": "env-token-123"])
        _ = try job.refresh(Self.context())
        #expect(try server.requests().first?.headers["authorization"] == "Bearer env-token-123")
    }

    @Test func unreadableTokenFailsWithoutSendingAnything() throws {
        let server = try ScriptedHTTPServer()
        let missing = "/nonexistent/\(UUID().uuidString)/token"
        let job = Self.job(server, metrics: [try Self.metric("api_up", path: "$.up")], token: .file(missing))
        #expect(throws: RESTJobError.token(target: "billing", reason: "cannot read bearer_token_file \(missing)")) {
            try job.refresh(Self.context())
        }
        #expect(try server.requests().isEmpty)

        let badEnvironment = Self.job(server, metrics: [try Self.metric("api_up", path: "$.up")], token: .environment("T"),
                                      environment: ["T": "has space-secretvalue"])
        let error = try #require(throws: RESTJobError.self) { try badEnvironment.refresh(Self.context()) }
        #expect(!error.description.contains("secretvalue"))
        #expect(error.description.contains("not allowed in an HTTP header"))
    }

    @Test func throttledThenSuccessRetriesAfterTheServersDelay() throws {
        let server = try ScriptedHTTPServer()
        try server.script([.init(status: 429, headers: ["Retry-After": "3"]), .init(body: #"{"up": 1}"#)])
        let sleeps = Recorder<Double>()
        let stats = CloudStats()
        let families = try Self.job(server, metrics: [try Self.metric("api_up", path: "$.up")], sleeps: sleeps)
            .refresh(Self.context(stats))
        #expect(families.first?.samples.first?.value == 1)
        #expect(sleeps.all == [3])
        #expect(try server.requests().count == 2)
        #expect(stats.requests(provider: "rest", api: "billing", outcome: "throttled") == 1)
        #expect(stats.requests(provider: "rest", api: "billing", outcome: "success") == 1)
    }

    @Test func malformedJSONThrowsAndIsCounted() throws {
        let server = try ScriptedHTTPServer()
        try server.script([.init(body: "<html>oops</html>"), .init(body: ""), .init(body: #"{"other": 1}"#)])
        let stats = CloudStats()
        let job = Self.job(server, metrics: [try Self.metric("api_up", path: "$.up")])
        #expect(throws: RESTJobError.malformed(target: "billing", reason: "the body is not JSON")) { try job.refresh(Self.context(stats)) }
        #expect(throws: RESTJobError.malformed(target: "billing", reason: "the body is empty")) { try job.refresh(Self.context(stats)) }
        // Valid JSON in which a path finds nothing at all: not the document the config describes.
        #expect(throws: RESTJobError.malformed(target: "billing", reason: "metric api_up: $.up found nothing in the document")) {
            try job.refresh(Self.context(stats))
        }
        #expect(stats.requests(provider: "rest", api: "billing", outcome: "malformed_response") == 3)
        #expect(stats.requests(provider: "rest", api: "billing", outcome: "success") == 0)
    }

    @Test func emptyArrayIsZeroSeriesNotAFailure() throws {
        let server = try ScriptedHTTPServer()
        try server.script([.init(body: #"{"instances": []}"#)])
        let families = try Self.job(server, metrics: [try Self.metric("x_cpu", path: "$.instances[*]", value: "cpu")])
            .refresh(Self.context())
        #expect(families.first?.samples.isEmpty == true)
    }

    @Test func errorStatusThrowsWithTheTokenCutOut() throws {
        let server = try ScriptedHTTPServer()
        try server.script([.init(status: 401, body: "invalid token: Bearer leaked-token-42\nsee docs")])
        let stats = CloudStats()
        let job = Self.job(server, metrics: [try Self.metric("api_up", path: "$.up")], token: .environment("T"),
                           environment: ["T": "leaked-token-42"])
        let error = try #require(throws: RESTJobError.self) { try job.refresh(Self.context(stats)) }
        #expect(error == .status(target: "billing", status: 401, excerpt: "invalid token: Bearer [redacted] see docs"))
        #expect(!error.description.contains("leaked-token-42"))
        #expect(stats.requests(provider: "rest", api: "billing", outcome: "client_error") == 1)
    }

    @Test func serverErrorsAreRetriedThenReported() throws {
        let server = try ScriptedHTTPServer()
        try server.script([.init(status: 503), .init(status: 502), .init(status: 500)])
        let stats = CloudStats()
        let job = Self.job(server, metrics: [try Self.metric("api_up", path: "$.up")])
        #expect(throws: RESTJobError.status(target: "billing", status: 500, excerpt: "")) { try job.refresh(Self.context(stats)) }
        #expect(stats.requests(provider: "rest", api: "billing", outcome: "server_error") == 3)
    }

    @Test func postSendsTheBodyAsJSON() throws {
        let server = try ScriptedHTTPServer()
        try server.script([.init(body: #"{"up": 1}"#)])
        let job = Self.job(server, metrics: [try Self.metric("api_up", path: "$.up")], method: .post, body: #"{"q": 1}"#)
        _ = try job.refresh(Self.context())
        let request = try #require(try server.requests().first)
        #expect(request.method == "POST")
        #expect(request.body == #"{"q": 1}"#)
        #expect(request.headers["content-type"] == "application/json")
    }

    @Test func hostileStringsBecomeEscapedLabelValues() throws {
        let server = try ScriptedHTTPServer()
        // Keys and values that would break a naive encoder: quotes, backslashes, newlines, braces,
        // a fake HELP line, non-ASCII and an escaped NUL.
        let body = #"""
            {"items": {
              "a\"}\n# HELP x y": {"id": "quote\" brace} back\\slash\nnewline", "v": 1},
              "b": {"id": "# TYPE evil counter\nevil 1", "v": 2},
              "c": {"id": "ünï©ødé \u0000 nul", "v": 3},
              "d": {"id": "{le=\"+Inf\"}", "v": 4}
            }}
            """#
        try server.script([.init(body: body)])
        let families = try Self.job(server, metrics: [try Self.metric("hostile_value", path: "$.items[*]", value: "v",
                                                                     labels: [("id", "id")])])
            .refresh(Self.context())
        #expect(families.first?.samples.count == 4)
        let text = Self.exposition(families)
        #expect(text.contains(#"hostile_value{id="quote\" brace} back\\slash\nnewline"} 1"#), "\(text)")
        #expect(text.contains(##"hostile_value{id="# TYPE evil counter\nevil 1"} 2"##))
        // Every line is a comment or a sample of the configured family: nothing was injected.
        for line in text.split(separator: "\n") {
            #expect(line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") || line.hasPrefix("hostile_value{")
                    || line.hasPrefix("nimbus_rest_skipped_values"), "\(line)")
        }
        #expect(!text.contains("\n# HELP x"))
        let openMetrics = Self.exposition(families, format: .openMetrics)
        #expect(openMetrics.hasSuffix("# EOF\n"))
        if let lint = try Promtool.check(text) {
            #expect(lint.status == 0, "\(lint.unexpected)")
        }
    }

    @Test func fingerprintFollowsWhatShapesTheFamiliesAndHidesSecrets() throws {
        let base = RESTTargetConfig(name: "t", url: "https://x.test/?api_key=hidden-key", metrics: [try Self.metric("a", path: "$.a")])
        var renamed = base
        renamed.metrics = [try Self.metric("b", path: "$.a")]
        var otherHeaders = base
        otherHeaders.headers = [.init(name: "X-Key", value: "v")]
        #expect(RESTFingerprint.of(base) != RESTFingerprint.of(renamed))
        #expect(RESTFingerprint.of(base) == RESTFingerprint.of(otherHeaders))
        #expect(!RESTFingerprint.of(base).contains("hidden-key"))
    }
}
