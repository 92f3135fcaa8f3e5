import CloudHTTP
import Foundation
@testable import GCPCloud
import Synchronization
import Testing
import TestSupport

/// `projects.timeSeries.list`: timestamps, typed decoding of the v3 JSON shapes, and the client
/// against `gcp_server.py` (pagination, auth renewal, throttling, faults).
@Suite struct GCPMonitoringTests {
    // 2023-11-14T22:13:20Z
    static let end = 1_700_000_000.0

    // MARK: RFC 3339

    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00Z"), (1_700_000_000, "2023-11-14T22:13:20Z"), (1_709_210_096, "2024-02-29T12:34:56Z"),
        (951_782_400, "2000-02-29T00:00:00Z"), (1_700_000_000.25, "2023-11-14T22:13:20.250Z"), (-86_400, "1969-12-31T00:00:00Z"),
    ])
    func formatsAndParsesRFC3339(seconds: Double, text: String) {
        #expect(RFC3339.format(seconds) == text)
        #expect(RFC3339.parse(text) == seconds)
    }

    @Test func parsesFractionsAndOffsets() {
        #expect(RFC3339.parse("2023-11-14T22:13:20.123456789Z").map { abs($0 - 1_700_000_000.123456789) < 1e-6 } == true)
        #expect(RFC3339.parse("2023-11-14T23:13:20+01:00") == 1_700_000_000)
        #expect(RFC3339.parse("2023-11-14T21:43:20-00:30") == 1_700_000_000)
    }

    @Test(arguments: ["", "2023-11-14", "2023-11-14T22:13:20", "2023-13-14T22:13:20Z", "2023-11-14T22:13:20.Z",
                      "2023-11-14T22:13:20Zjunk", "2023-11-14 22:13:20Z", "abcd-11-14T22:13:20Z"])
    func rejectsWhatIsNotRFC3339(text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    // MARK: decoding

    @Test func decodesEveryValueShape() throws {
        let json = """
        {"timeSeries": [
          {"metric": {"type": "compute.googleapis.com/instance/cpu/utilization", "labels": {"instance_name": "web-1"}},
           "resource": {"type": "gce_instance", "labels": {"zone": "europe-west1-b", "instance_id": "42"}},
           "metricKind": "GAUGE", "valueType": "DOUBLE",
           "points": [{"interval": {"startTime": "2023-11-14T22:13:20Z", "endTime": "2023-11-14T22:13:20Z"}, "value": {"doubleValue": 0.25}},
                      {"interval": {"endTime": "2023-11-14T22:12:20Z"}, "value": {"doubleValue": "NaN"}}]},
          {"metric": {"type": "logging.googleapis.com/log_entry_count"}, "resource": {"type": "global"},
           "metricKind": "DELTA", "valueType": "INT64",
           "points": [{"interval": {"startTime": "2023-11-14T22:12:20Z", "endTime": "2023-11-14T22:13:20Z"}, "value": {"int64Value": "9007199254740993"}}]},
          {"metric": {"type": "loadbalancing.googleapis.com/https/total_latencies"}, "resource": {"type": "https_lb_rule"},
           "metricKind": "CUMULATIVE", "valueType": "DISTRIBUTION",
           "points": [{"interval": {"startTime": "2023-11-14T00:00:00Z", "endTime": "2023-11-14T22:13:20Z"},
                       "value": {"distributionValue": {"count": "6", "mean": 15.5, "sumOfSquaredDeviation": 2.5,
                                 "bucketOptions": {"explicitBuckets": {"bounds": [10, 20, 50]}}, "bucketCounts": ["1", "4", "1"]}}}]},
          {"metric": {"type": "custom.googleapis.com/up"}, "resource": {"type": "global"}, "metricKind": "GAUGE", "valueType": "BOOL",
           "points": [{"interval": {"endTime": "2023-11-14T22:13:20Z"}, "value": {"boolValue": true}}]}
        ], "nextPageToken": "abc"}
        """
        let page = try TimeSeriesPage.decode(Array(json.utf8))
        #expect(page.nextPageToken == "abc")
        try #require(page.series.count == 4)
        let cpu = page.series[0]
        #expect(cpu.metricLabels == ["instance_name": "web-1"])
        #expect(cpu.resourceLabels["zone"] == "europe-west1-b")
        #expect(cpu.metricKind == .gauge && cpu.valueType == .double)
        #expect(cpu.points[0] == TimeSeries.Point(startTime: Self.end, endTime: Self.end, value: .double(0.25)))
        #expect(cpu.points[1].value.number?.isNaN == true)
        #expect(cpu.points[1].startTime == nil)
        // Beyond 2^53: a JSON number would have lost the last digit, the string keeps it.
        #expect(page.series[1].points[0].value == .int64(9_007_199_254_740_993))
        #expect(page.series[1].metricKind == .delta)
        guard case .distribution(let histogram) = page.series[2].points[0].value else {
            Issue.record("not a distribution")
            return
        }
        #expect(histogram == TimeSeries.Distribution(count: 6, mean: 15.5, sumOfSquaredDeviation: 2.5,
                                                     bounds: [10, 20, 50], bucketCounts: [1, 4, 1]))
        #expect(histogram.sum == 93)
        #expect(page.series[3].points[0].value == .bool(true))
    }

    @Test func expandsLinearAndExponentialBuckets() throws {
        #expect(try BucketBounds.decode(["linearBuckets": ["numFiniteBuckets": 3, "width": 5.0, "offset": 1.0]]) == [1, 6, 11, 16])
        #expect(try BucketBounds.decode(["exponentialBuckets": ["numFiniteBuckets": 3, "growthFactor": 2.0, "scale": 0.5]])
            == [0.5, 1, 2, 4])
        #expect(throws: TimeSeriesPage.DecodeError.self) {
            try BucketBounds.decode(["linearBuckets": ["numFiniteBuckets": 100_000_000, "width": 1.0, "offset": 0.0]])
        }
    }

    @Test func emptyAnswerMeansNoSeries() throws {
        let page = try TimeSeriesPage.decode(Array("{}".utf8))
        #expect(page.series.isEmpty)
        #expect(page.nextPageToken == nil)
    }

    @Test(arguments: [
        ("[]", "not a JSON object"),
        (#"{"timeSeries": {}}"#, "timeSeries is not a list"),
        (#"{"timeSeries": [{"resource": {}}]}"#, "metric.type is missing"),
        (#"{"timeSeries": [{"metric": {"type": "m"}, "metricKind": "SOMETIMES"}]}"#, "unknown metricKind"),
        (#"{"timeSeries": [{"metric": {"type": "m"}, "points": [{"interval": {"endTime": "yesterday"}, "value": {"doubleValue": 1}}]}]}"#, "endTime"),
        (#"{"timeSeries": [{"metric": {"type": "m"}, "points": [{"interval": {"endTime": "2023-11-14T22:13:20Z"}, "value": {"int64Value": "12x"}}]}]}"#, "int64Value is not an int64"),
        (#"{"timeSeries": [{"metric": {"type": "m"}, "points": [{"interval": {"endTime": "2023-11-14T22:13:20Z"}, "value": {}}]}]}"#, "none of"),
        (#"{"timeSeries": [{"metric": {"type": "m"}, "points": [{"interval": {"endTime": "2023-11-14T22:13:20Z"}, "value": {"distributionValue": {"count": "1", "bucketOptions": {"explicitBuckets": {"bounds": [1]}}, "bucketCounts": ["1", "0", "0"]}}}]}]}"#, "3 bucketCounts for 1 bounds"),
        (#"{"timeSeries": [{"metric": {"type": "m", "labels": {"a": 1}}}]}"#, "metric.labels.a is not a string"),
    ])
    func malformedPagesNameTheProblem(json: String, expected: String) {
        #expect {
            try TimeSeriesPage.decode(Array(json.utf8))
        } throws: { error in "\(error)".contains(expected) }
    }

    // MARK: against gcp_server.py

    static func seriesJSON(_ type: String, instance: String, kind: String = "GAUGE", valueType: String = "DOUBLE",
                           values: [String], endTimes: [String]) -> String {
        let points = zip(values, endTimes).map { value, time in
            #"{"interval": {"startTime": "\#(time)", "endTime": "\#(time)"}, "value": \#(value)}"#
        }.joined(separator: ",")
        return #"{"metric": {"type": "\#(type)", "labels": {"instance_name": "\#(instance)"}}, "resource": {"type": "gce_instance", "labels": {"zone": "us-central1-a"}}, "metricKind": "\#(kind)", "valueType": "\#(valueType)", "points": [\#(points)]}"#
    }

    static let cpu = "compute.googleapis.com/instance/cpu/utilization"

    static func seededServer(seriesCount: Int = 5) throws -> PythonServer {
        let server = try startGCPServer()
        var series = (1...seriesCount).map { index in
            seriesJSON(cpu, instance: "vm-\(index)", values: [#"{"doubleValue": 0.\#(index)}"#, #"{"doubleValue": 0.5}"#, #"{"doubleValue": 9}"#],
                       endTimes: ["2023-11-14T22:12:20Z", "2023-11-14T22:11:20Z", "2023-11-14T20:00:00Z"])
        }
        series.append(seriesJSON("compute.googleapis.com/instance/network/received_bytes_count", instance: "vm-1", kind: "DELTA",
                                 valueType: "INT64", values: [#"{"int64Value": "123456"}"#], endTimes: ["2023-11-14T22:12:20Z"]))
        try server.control("POST", "/_control/series", json: "[" + series.joined(separator: ",") + "]")
        return server
    }

    final class RecordedSleeps: Sendable {
        let delays = Mutex<[Double]>([])
        var sleep: @Sendable (Double) -> Void { { seconds in self.delays.withLock { $0.append(seconds) } } }
    }

    static func client(_ server: PythonServer, pageSize: Int = 10_000, attempts: Int = 3,
                       sleeps: RecordedSleeps = RecordedSleeps()) throws -> GCPMonitoringClient {
        let session = CurlSession(userAgent: "test")
        let sender = RetryingSender(session: session, policy: RetryPolicy(maxAttempts: attempts, baseDelay: 0.01, maxDelay: 5),
                                    sleep: sleeps.sleep)
        let tokens = try GCPTokenSources.standard(keyFile: nil, environment: ["GCE_METADATA_HOST": "127.0.0.1:\(server.port)"],
                                                  sender: RetryingSender(session: session, policy: RetryPolicy(maxAttempts: 1)))
        return GCPMonitoringClient(sender: sender, tokens: tokens, endpoint: server.endpoint, pageSize: pageSize)
    }

    @Test func followsNextPageTokenThroughEveryPage() throws {
        let server = try Self.seededServer()
        let client = try Self.client(server, pageSize: 2)
        let series = try client.listTimeSeries(project: "test-project", filter: #"metric.type = "\#(Self.cpu)""#,
                                               start: Self.end - 300, end: Self.end, alignmentPeriod: 60, aligner: "ALIGN_MEAN")
        #expect(series.map { $0.metricLabels["instance_name"] ?? "" } == ["vm-1", "vm-2", "vm-3", "vm-4", "vm-5"])
        // The point at 20:00 lies outside the interval and is not returned.
        #expect(series.allSatisfy { $0.points.count == 2 })
        #expect(series[2].points[0].value == .double(0.3))
        #expect(series[0].resourceLabels == ["zone": "us-central1-a"])
        let stats = try gcpStats(server)
        #expect(stats["timeSeriesRequests"] as? Int == 3)
        let queries = try #require(stats["queries"] as? [[String: String]])
        #expect(queries.first?["interval.startTime"] == "2023-11-14T22:08:20Z")
        #expect(queries.first?["interval.endTime"] == "2023-11-14T22:13:20Z")
        #expect(queries.first?["aggregation.alignmentPeriod"] == "60s")
        #expect(queries.first?["aggregation.perSeriesAligner"] == "ALIGN_MEAN")
        #expect(queries.first?["pageSize"] == "2")
        #expect(queries.first?["pageToken"] == nil)
        #expect(queries.dropFirst().allSatisfy { $0["pageToken"]?.isEmpty == false })
        #expect(queries.first?["filter"] == #"metric.type = "\#(Self.cpu)""#)
        // One token for all pages.
        #expect(stats["metadataRequests"] as? Int == 1)
    }

    @Test func int64ValuesAndPrefixFilters() throws {
        let server = try Self.seededServer(seriesCount: 1)
        let client = try Self.client(server)
        let series = try client.listTimeSeries(project: "test-project",
                                               filter: #"metric.type = starts_with("compute.googleapis.com/instance/network/")"#,
                                               start: Self.end - 300, end: Self.end)
        try #require(series.count == 1)
        #expect(series[0].metricKind == .delta)
        #expect(series[0].valueType == .int64)
        #expect(series[0].points.map(\.value) == [.int64(123_456)])
    }

    @Test func noMatchingSeriesIsAnEmptyList() throws {
        let server = try Self.seededServer(seriesCount: 1)
        let series = try Self.client(server).listTimeSeries(project: "other-project", filter: #"metric.type = "x""#,
                                                            start: Self.end - 60, end: Self.end)
        #expect(series.isEmpty)
    }

    @Test func throttlingIsRetriedHonouringRetryAfter() throws {
        let server = try Self.seededServer(seriesCount: 2)
        try server.control("POST", "/_control/fault", json: #"{"mode": "429", "count": 1, "retryAfter": 2}"#)
        let sleeps = RecordedSleeps()
        let series = try Self.client(server, sleeps: sleeps).listTimeSeries(
            project: "test-project", filter: #"metric.type = "\#(Self.cpu)""#, start: Self.end - 300, end: Self.end)
        #expect(series.count == 2)
        #expect(sleeps.delays.withLock { $0 } == [2])
        #expect(try gcpStats(server)["faultsInjected"] as? Int == 1)
    }

    @Test func persistentServerErrorsEndInAServiceError() throws {
        let server = try Self.seededServer(seriesCount: 1)
        try server.control("POST", "/_control/fault", json: #"{"mode": "500", "count": 10}"#)
        let error = try #require(throws: GCPCallError.self) {
            try Self.client(server, attempts: 2).listTimeSeries(project: "test-project", filter: #"metric.type = "\#(Self.cpu)""#,
                                                                start: Self.end - 300, end: Self.end)
        }
        guard case .service(_, let status, let code, _) = error else { Issue.record("\(error)"); return }
        #expect(status == 500)
        #expect(code == "INTERNAL")
        #expect(try gcpStats(server)["faultsInjected"] as? Int == 2)
    }

    @Test func malformedBodyIsAMalformedError() throws {
        let server = try Self.seededServer(seriesCount: 1)
        try server.control("POST", "/_control/fault", json: #"{"mode": "malformed", "count": 1}"#)
        let error = try #require(throws: GCPCallError.self) {
            try Self.client(server).listTimeSeries(project: "test-project", filter: #"metric.type = "\#(Self.cpu)""#,
                                                   start: Self.end - 300, end: Self.end)
        }
        #expect("\(error)".contains("malformed response"))
    }

    @Test func rejectedTokenIsRenewedOnce() throws {
        let server = try Self.seededServer(seriesCount: 1)
        let client = try Self.client(server)
        let filter = #"metric.type = "\#(Self.cpu)""#
        #expect(try client.listTimeSeries(project: "test-project", filter: filter, start: Self.end - 300, end: Self.end).count == 1)
        try server.control("POST", "/_control/revoke")
        #expect(try client.listTimeSeries(project: "test-project", filter: filter, start: Self.end - 300, end: Self.end).count == 1)
        let stats = try gcpStats(server)
        #expect(stats["authFailures"] as? Int == 1)
        #expect(stats["tokensIssued"] as? Int == 2)
    }

    @Test func badFilterIsAServiceErrorWithoutTheToken() throws {
        let server = try Self.seededServer(seriesCount: 1)
        let error = try #require(throws: GCPCallError.self) {
            try Self.client(server).listTimeSeries(project: "test-project", filter: "metric.type ~ nonsense",
                                                   start: Self.end - 300, end: Self.end)
        }
        guard case .service(_, let status, let code, _) = error else { Issue.record("\(error)"); return }
        #expect(status == 400)
        #expect(code == "INVALID_ARGUMENT")
        #expect(!"\(error)".contains("ya29"))
    }

    @Test func badArgumentsAreRefusedBeforeSending() throws {
        let server = try Self.seededServer(seriesCount: 1)
        let client = try Self.client(server)
        #expect(throws: GCPCallError.self) {
            try client.listTimeSeries(project: "test-project", filter: "metric.type = \"x\"", start: Self.end, end: Self.end - 1)
        }
        #expect(throws: GCPCallError.self) {
            try client.listTimeSeries(project: "", filter: "metric.type = \"x\"", start: 0, end: 1)
        }
        #expect(try gcpStats(server)["timeSeriesRequests"] as? Int == 0)
    }

    @Test func serviceAccountTokensWorkEndToEnd() throws {
        let server = try Self.seededServer(seriesCount: 3)
        let path = try GCPTestKey.get().writeServiceAccountFile(tokenURI: server.endpoint + "/token")
        let sender = RetryingSender(session: CurlSession(userAgent: "test"), policy: RetryPolicy(maxAttempts: 1))
        let tokens = try GCPTokenSources.standard(keyFile: path, environment: [:], sender: sender)
        let client = GCPMonitoringClient(sender: sender, tokens: tokens, endpoint: server.endpoint + "/", pageSize: 1)
        let series = try client.listTimeSeries(project: "test-project", filter: #"metric.type = "\#(Self.cpu)""#,
                                               start: Self.end - 300, end: Self.end)
        #expect(series.count == 3)
        let stats = try gcpStats(server)
        #expect(stats["tokenRequests"] as? Int == 1)
        #expect(stats["timeSeriesRequests"] as? Int == 3)
    }
}
