import ConfigFile
@testable import RESTCloud
import Testing

/// Validation of the `rest:` section: a valid file read into every field, and for each mistake
/// an error naming the file, the line and the field.
@Suite struct RESTConfigReaderTests {
    private static let environment = ["API_TOKEN": "secret-from-env"]

    private static func read(_ yaml: String) throws -> [RESTTargetConfig] {
        let root = try ConfigNode.parse(yaml, file: "rest.yml").mapping()
        return try RESTConfigReader.read(try root.required("rest"), environment: environment)
    }

    private static func error(_ yaml: String) -> ConfigError? {
        do {
            _ = try read(yaml)
            Issue.record("expected a ConfigError for:\n\(yaml)")
            return nil
        } catch let error as ConfigError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    /// A valid target with `extra` lines added to it (indented as target keys) and `metric`
    /// lines added to its one metric.
    private static func target(_ extra: String = "", metric: String = "") -> String {
        """
        rest:
          targets:
            - name: billing
              url: https://api.example.test/v1/usage
        \(extra.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))
              metrics:
                - name: billing_cpu_usage_ratio
                  type: gauge
                  path: $.data.cpu
        \(metric.split(separator: "\n").map { "          " + $0 }.joined(separator: "\n"))
        """
    }

    @Test func fullConfigurationReadsIntoEveryField() throws {
        let targets = try Self.read("""
            rest:
              targets:
                - name: billing-api
                  url: https://api.example.com/v1/usage
                  method: POST
                  body: '{"q": 1}'
                  headers: {Accept: application/json, X-Team: payments}
                  bearer_token_file: /run/secrets/token
                  timeout: 10s
                  interval: 60s
                  max_age: 10m
                  metrics:
                    - name: billing_cpu_usage_ratio
                      type: gauge
                      help: CPU usage reported by the billing API
                      path: $.data.cpu_usage
                      labels: {}
                    - name: billing_instance_cpu_ratio
                      type: gauge
                      help: per instance
                      path: $.instances[*]
                      value: cpu
                      labels: {instance: id, zone: location.zone}
                    - name: billing_requests_total
                      type: counter
                      path: $['stats']['requests served']
                - name: status
                  url: http://127.0.0.1:8080/status
                  bearer_token_env: API_TOKEN
                  metrics:
                    - {name: status_up, type: untyped, path: $.up}
            """)
        #expect(targets.count == 2)
        let billing = targets[0]
        #expect(billing.name == "billing-api")
        #expect(billing.method == .post)
        #expect(billing.body == #"{"q": 1}"#)
        #expect(billing.headers == [.init(name: "Accept", value: "application/json"), .init(name: "X-Team", value: "payments")])
        #expect(billing.token == .file("/run/secrets/token"))
        #expect(billing.timeout == 10)
        #expect(billing.interval == 60)
        #expect(billing.maxAge == 600)
        #expect(billing.metrics.map(\.name) == ["billing_cpu_usage_ratio", "billing_instance_cpu_ratio", "billing_requests_total"])
        let perInstance = billing.metrics[1]
        #expect(perInstance.path.steps == [.key("instances"), .wildcard])
        #expect(perInstance.value?.steps == [.key("cpu")])
        #expect(perInstance.labels.map(\.name) == ["instance", "zone"])
        #expect(perInstance.labels[1].path.steps == [.key("location"), .key("zone")])
        #expect(billing.metrics[2].kind == .counter)
        #expect(billing.metrics[2].help.contains("$['stats']['requests served']"))
        let status = targets[1]
        #expect(status.method == .get)
        #expect(status.token == .environment("API_TOKEN"))
        #expect(status.timeout == 30)
        #expect(status.interval == 60)
        #expect(status.maxAge == nil)
        #expect(status.metrics[0].kind == .untyped)
    }

    @Test func noTokenSourceMeansNoAuthentication() throws {
        #expect(try Self.read(Self.target()).first?.token == nil)
    }

    @Test(arguments: [
        // (extra target lines, extra metric lines, line, field, message fragment)
        ("colour: blue", "", 5, "rest.targets[0].colour", "unknown field 'colour'"),
        ("", "colour: blue", 10, "rest.targets[0].metrics[0].colour", "unknown field 'colour'"),
        ("bearer_token_file: /t\nbearer_token_env: API_TOKEN", "", 5, "rest.targets[0].bearer_token_file", "not both"),
        ("headers: {Authorization: Bearer abc}", "", 5, "rest.targets[0].headers.Authorization",
         "use bearer_token_file or bearer_token_env"),
        ("headers: {authorization: x}", "", 5, "rest.targets[0].headers.authorization", "bearer_token_file"),
        ("headers: {'X Bad': x}", "", 5, "rest.targets[0].headers.X Bad", "not a valid header name"),
        ("headers: {X-A: \"a\\r\\nInjected: 1\"}", "", 5, "rest.targets[0].headers.X-A", "line breaks"),
        ("bearer_token_env: MISSING_VAR", "", 5, "rest.targets[0].bearer_token_env", "MISSING_VAR is not set"),
        ("method: DELETE", "", 5, "rest.targets[0].method", "GET or POST"),
        ("body: '{}'", "", 5, "rest.targets[0].body", "POST only"),
        ("timeout: soon", "", 5, "rest.targets[0].timeout", "duration"),
        ("interval: 0s", "", 5, "rest.targets[0].interval", "greater than zero"),
        ("interval: 5m\nmax_age: 1m", "", 6, "rest.targets[0].max_age", "at least the interval"),
        ("", "help: ''", 10, "rest.targets[0].metrics[0].help", "must not be empty"),
        ("", "value: $.cpu", 10, "rest.targets[0].metrics[0].value", "without $"),
        ("", "labels: {zone: 'items[*].zone'}", 10, "rest.targets[0].metrics[0].labels.zone", "only allowed in the metric's path"),
        ("", "labels: {0zone: zone}", 10, "rest.targets[0].metrics[0].labels.0zone", "not a valid label name"),
        ("", "labels: {__name: zone}", 10, "rest.targets[0].metrics[0].labels.__name", "not a valid label name"),
        ("", "labels: {zone: 'a..b'}", 10, "rest.targets[0].metrics[0].labels.zone", "invalid path 'a..b'"),
    ] as [(String, String, Int, String, String)])
    func rejectsMistakes(extra: String, metric: String, line: Int, field: String, fragment: String) throws {
        let error = try #require(Self.error(Self.target(extra, metric: metric)))
        #expect(error.file == "rest.yml")
        #expect(error.field == field, "\(error)")
        #expect(error.line == line, "\(error)")
        #expect(error.description.hasPrefix("rest.yml:\(line):"))
        #expect(error.message.contains(fragment), "\(error)")
    }

    @Test func metricNameAndTypeAndPathErrors() throws {
        let cases: [(String, String, String)] = [
            ("name: 9lives\ntype: gauge\npath: $.a", "rest.targets[0].metrics[0].name", "not a valid Prometheus metric name"),
            ("name: a-b\ntype: gauge\npath: $.a", "rest.targets[0].metrics[0].name", "not a valid Prometheus metric name"),
            ("name: nimbus_x\ntype: gauge\npath: $.a", "rest.targets[0].metrics[0].name", "reserved"),
            ("name: hits\ntype: counter\npath: $.a", "rest.targets[0].metrics[0].name", "_total"),
            ("name: a\ntype: histogram\npath: $.a", "rest.targets[0].metrics[0].type", "gauge, counter or untyped"),
            ("name: a\ntype: gauge\npath: data.a", "rest.targets[0].metrics[0].path", "must start with $"),
            ("name: a\ntype: gauge\npath: \"$['open\"", "rest.targets[0].metrics[0].path", "not closed"),
            ("name: a\ntype: gauge", "rest.targets[0].metrics[0].path", "is required"),
        ]
        for (metric, field, fragment) in cases {
            let yaml = """
                rest:
                  targets:
                    - name: t
                      url: https://x.test/
                      metrics:
                        - \(metric.split(separator: "\n").joined(separator: "\n          "))
                """
            let error = try #require(Self.error(yaml))
            #expect(error.field == field, "\(error)")
            #expect(error.message.contains(fragment), "\(error)")
            #expect(error.line != nil)
            #expect(error.description.hasPrefix("rest.yml:"))
        }
    }

    @Test func targetLevelErrors() throws {
        let cases: [(String, String, String)] = [
            ("targets: []\nextra: 1", "rest.extra", "unknown field"),
            ("targets:\n  - name: t\n    url: ftp://x.test/\n    metrics: [{name: a, type: gauge, path: $}]",
             "rest.targets[0].url", "http:// or https://"),
            ("targets:\n  - name: t\n    url: https://user:pw@x.test/\n    metrics: [{name: a, type: gauge, path: $}]",
             "rest.targets[0].url", "bearer_token_file"),
            ("targets:\n  - name: t\n    url: https://x.test/\n    metrics: []", "rest.targets[0].metrics", "at least one metric"),
            ("targets:\n  - name: t\n    metrics: [{name: a, type: gauge, path: $}]", "rest.targets[0].url", "is required"),
            ("targets:\n  - name: t\n    url: https://x.test/\n    metrics: [{name: a, type: gauge, path: $}]\n"
             + "  - name: t\n    url: https://y.test/\n    metrics: [{name: b, type: gauge, path: $}]", "rest.targets[1]", "used twice"),
            ("targets:\n  - name: t\n    url: https://x.test/\n    metrics: [{name: a, type: gauge, path: $}]\n"
             + "  - name: u\n    url: https://y.test/\n    metrics: [{name: a, type: untyped, path: $}]",
             "rest.targets[1].metrics[0]", "a untyped here but a gauge in rest.targets[0].metrics[0]"),
        ]
        for (body, field, fragment) in cases {
            let yaml = "rest:\n" + body.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
            let error = try #require(Self.error(yaml))
            #expect(error.field == field, "\(error)")
            #expect(error.message.contains(fragment), "\(error)")
            #expect(error.line != nil, "\(error)")
        }
    }

    @Test func errorsNeverEchoTheEnvironmentToken() throws {
        let error = try #require(Self.error(Self.target("bearer_token_env: API_TOKEN\nbearer_token_file: /x")))
        #expect(!error.description.contains("secret-from-env"))
    }
}
