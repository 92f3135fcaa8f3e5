import Foundation
import Testing
import TestSupport

/// The REST/JSON source through the binary, with the shipped example pointed at a local server:
/// the documented families appear, the bearer token from the environment is sent, scrapes cost
/// no API calls, and a broken answer leaves the last good values in place.
@Suite struct RESTSourceTests {
    static let payload = #"""
        {"data": {"cpu_usage": 0.42},
         "instances": [{"id": "web-1", "cpu": 0.7, "location": {"zone": "eu-1a"}},
                       {"id": "web \"2\"\n", "cpu": "0.25", "location": {"zone": "eu-1b"}}],
         "requests_served": "1234"}
        """#

    @Test func exampleConfigAgainstALocalAPI() throws {
        let api = try PythonServer("scripted_http_server.py", readyPath: "/_requests")
        let answer = #"{"status": 200, "headers": {"Content-Type": "application/json"}, "body": \#(String(decoding: try JSONEncoder().encode(Self.payload), as: UTF8.self))}"#
        // A good answer, one that is not JSON, then one slower than the timeout.
        try api.control("POST", "/_script", json: "[\(answer), {\"status\": 200, \"body\": \"not json\"}, \(answer.dropLast()), \"delay\": 3}]")

        let example = try String(contentsOfFile: TestPaths.packageRoot + "/deploy/examples/rest.yml", encoding: .utf8)
        let config = NSTemporaryDirectory() + "nimbus-rest-\(UUID().uuidString).yml"
        try example.replacingOccurrences(of: "https://api.example.com/v1/usage", with: api.endpoint + "/v1/usage")
            .replacingOccurrences(of: "interval: 60s", with: "interval: 1s")
            .replacingOccurrences(of: "timeout: 10s", with: "timeout: 1s")
            .write(toFile: config, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: config) }
        var environment = ProcessInfo.processInfo.environment
        environment["API_TOKEN"] = "token-from-env"
        let exporter = try RunningExporter(["--config.file", config, "--collector.disable-defaults"], environment: environment)

        let deadline = Date().addingTimeInterval(20)
        var page = ParsedExposition("")
        var text = ""
        while Date() < deadline {
            text = try exporter.scrape()
            page = ParsedExposition(text)
            if (page.value("nimbus_cloud_requests_total", ["provider": "rest", "api": "usage-api", "outcome": "transport_error"]) ?? 0) >= 1 { break }
            usleep(100_000)
        }
        // The first answer was good, the second was not JSON, the third too slow: the good values
        // are still served.
        #expect(page.value("usage_cpu_ratio") == 0.42, "\(text)\n\(exporter.child.log)")
        #expect(page.value("usage_instance_cpu_ratio", ["instance": "web-1", "zone": "eu-1a"]) == 0.7)
        #expect(page.value("usage_instance_cpu_ratio", ["instance": "web \"2\"\n", "zone": "eu-1b"]) == 0.25)
        #expect(page.value("usage_requests_served_total") == 1234)
        #expect((page.value("nimbus_cloud_requests_total", ["provider": "rest", "api": "usage-api", "outcome": "malformed_response"]) ?? 0) >= 1)
        let lint = try #require(try Promtool.check(text))
        #expect(lint.status == 0 && lint.unexpected.isEmpty, "\(lint.unexpected)")

        let recorded = try api.control("GET", "/_requests") as? [[String: Any]] ?? []
        let headers = recorded.first?["headers"] as? [String: String]
        #expect(headers?["authorization"] == "Bearer token-from-env")
        // Scrapes do not reach the API.
        let calls = recorded.count
        for _ in 0..<20 { _ = try exporter.scrape() }
        let after = (try api.control("GET", "/_requests") as? [[String: Any]] ?? []).count
        #expect(after - calls <= 1, "at most the background refresh that was due may have run")
    }
}
