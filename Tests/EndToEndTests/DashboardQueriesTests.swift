import Foundation
import Testing
import TestSupport

/// The proof that the shipped dashboards and rules look at series that exist: a real Prometheus
/// scrapes a running exporter (default host collectors plus process groups, and the AWS example
/// config against moto and the test CloudTrail server) with `deploy/prometheus/rules/*.yml`
/// loaded, and every panel query and every rule expression is evaluated through /api/v1/query.
///
/// How alerts are judged: an alert's expression is a condition, empty while all is well, so an
/// empty answer proves nothing. Each alert expression must evaluate without error, and each of
/// its operands (the parts between top-level comparison and set operators: `a / b < 0.1 and c == 0`
/// gives `a / b` and `c`; number literals dropped) must return data. That shows the condition is
/// computed over series that exist and is quiet because the host is healthy, not because a name
/// or label is wrong. Recording rules and panel queries must return data themselves.
@Suite(.serialized) struct DashboardQueriesTests {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// Queries allowed to come back empty here, each with the reason. `source` is
    /// "<dashboard file>: <panel title>" or "alert <name>"/"record <name>"; `fragment` must
    /// occur in the query (or operand) for the entry to apply.
    static let allowedEmpty: [(source: String, fragment: String, reason: String)] = [
        ("cloud-overview.json: GCP Compute Engine instances", "gcp_compute_instance_info",
         "no GCP job runs in this test (the family is proven against the GCP emulator in MultiCloudTests)"),
        ("cloud-overview.json: Azure resources", "azure_resource_info",
         "no Azure job runs in this test (the family is proven against the Azure emulator in MultiCloudTests)"),
        ("alert CloudInstanceCpuHigh", #"provider!="aws""#,
         "only AWS runs in this test; the AWS side of the same family is queried by the cloud dashboard's cross-cloud CPU panel"),
        ("alert AwsNetworkFlowRoundTripTimeHigh", "aws_networkflowmonitor_round_trip_time_average",
         "exists only when a job asks CloudWatch for AWS/NetworkFlowMonitor RoundTripTime; the AWS example config does not, and moto has no such metric"),
        ("alert NimbusCloudApiThrottled", #"outcome="throttled""#,
         "the emulators do not throttle, so no throttled outcome has been counted; nimbus_cloud_requests_total itself is queried by the exporter-health dashboard"),
    ]

    /// Stand-ins for Grafana's built-in interval variables: ranges long enough for two or more
    /// samples at the test's 1 s scrape interval.
    static let builtIns = ["__rate_interval": "30s", "__interval": "5s", "__range": "1h", "__range_s": "3600", "__interval_ms": "5000"]

    // MARK: - Prometheus

    struct Prometheus {
        let port: UInt16

        func get(_ path: String, _ parameters: [(String, String)] = []) throws -> [String: Any] {
            let query = parameters.map { "\($0.0)=\(Self.encode($0.1))" }.joined(separator: "&")
            let response = try RawHTTPClient.request(port: port, path: query.isEmpty ? path : path + "?" + query)
            guard let json = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
                throw Failure(description: "\(path): HTTP \(response.status) \(response.text.prefix(300))")
            }
            if json["status"] as? String != "success" {
                throw Failure(description: "\(json["errorType"] ?? "error"): \(json["error"] ?? response.text.prefix(300))")
            }
            return json
        }

        static func encode(_ text: String) -> String {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
        }

        /// The instant-query result series (empty when there is none); throws on a query error.
        func query(_ promql: String) throws -> [[String: Any]] {
            let data = try get("/api/v1/query", [("query", promql)])["data"] as? [String: Any]
            if data?["resultType"] as? String == "scalar" || data?["resultType"] as? String == "string" { return [data ?? [:]] }
            return data?["result"] as? [[String: Any]] ?? []
        }

        /// The values of `label` on the series `selector` matches (Grafana's `label_values`).
        func labelValues(_ selector: String?, _ label: String) throws -> [String] {
            let json = try get("/api/v1/label/\(label)/values", selector.map { [("match[]", $0)] } ?? [])
            return (json["data"] as? [String] ?? []).sorted()
        }

        func scalar(_ promql: String) throws -> Double? {
            let series = try query(promql)
            guard let value = series.first?["value"] as? [Any], let text = value.last as? String else { return nil }
            return Double(text)
        }
    }

    // MARK: - The rig

    /// The rule files the test loads: the shipped ones, when there are any.
    static var ruleFiles: [String] {
        let directory = TestPaths.packageRoot + "/deploy/prometheus/rules"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }.sorted().map { directory + "/" + $0 }
    }

    static func environment(moto: MotoServer, seeded: MotoServer.Seeded, trail: PythonServer) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for name in ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "no_proxy", "NO_PROXY", "all_proxy", "ALL_PROXY",
                     "AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_WEB_IDENTITY_TOKEN_FILE",
                     "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] {
            environment[name] = nil
        }
        environment["AWS_ACCESS_KEY_ID"] = seeded.access_key_id
        environment["AWS_SECRET_ACCESS_KEY"] = seeded.secret_access_key
        environment["AWS_REGION"] = seeded.region
        environment["AWS_ENDPOINT_URL"] = moto.endpoint
        environment["AWS_ENDPOINT_URL_CLOUDTRAIL"] = trail.endpoint
        environment["AWS_EC2_METADATA_DISABLED"] = "true"
        return environment
    }

    /// The shipped layout (deploy/prometheus/prometheus.yml) in miniature: job `node` for the host
    /// families, job `nimbus_cloud` for the cloud ones with honor_labels. One exporter serves
    /// both here, so `node` leaves the cloud families out as a host exporter without them would.
    static func prometheusConfig(exporterPort: UInt16) -> String {
        let rules = ruleFiles.map { "  - \"\($0)\"" }.joined(separator: "\n")
        return """
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            rule_files:
            \(rules.isEmpty ? "  []" : rules)
            scrape_configs:
              - job_name: node
                static_configs:
                  - targets: ["127.0.0.1:\(exporterPort)"]
                params:
                  exclude[]: [cloud]
              - job_name: nimbus_cloud
                honor_labels: true
                static_configs:
                  - targets: ["127.0.0.1:\(exporterPort)"]
                params:
                  collect[]: [cloud]
            """
    }

    static func waitUntil(_ what: String, seconds: Double, log: () -> String, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return }
            usleep(200_000)
        }
        throw Failure(description: "timed out after \(seconds)s waiting for \(what); log:\n\(log().suffix(3000))")
    }

    // MARK: - Queries

    /// `label_values(selector, label)` or `label_values(label)`.
    static func parseLabelValues(_ query: String) -> (selector: String?, label: String)? {
        let text = query.trimmingCharacters(in: .whitespaces)
        guard text.hasPrefix("label_values("), text.hasSuffix(")") else { return nil }
        let inner = text.dropFirst("label_values(".count).dropLast()
        guard let comma = inner.lastIndex(of: ",") else { return (nil, inner.trimmingCharacters(in: .whitespaces)) }
        return (inner[..<comma].trimmingCharacters(in: .whitespaces), inner[inner.index(after: comma)...].trimmingCharacters(in: .whitespaces))
    }

    /// Grafana's regex escaping of a value inside a PromQL string (`.` becomes `\\.`).
    static func regexEscaped(_ value: String) -> String {
        var out = ""
        for character in value {
            if "\\^$.|?*+()[]{}".contains(character) { out += "\\\\" }
            out.append(character)
        }
        return out
    }

    /// Replaces `$name`, `${name}`, `${name:format}` and `[[name]]` with `values[name]`.
    static func substitute(_ text: String, _ values: [String: String]) -> String {
        let pattern = #"\$\{([A-Za-z0-9_]+)(?::[^}]*)?\}|\$([A-Za-z0-9_]+)|\[\[([A-Za-z0-9_]+)(?::[^\]]*)?\]\]"#
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return text }
        var result = ""
        var cursor = text.startIndex
        for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let whole = Range(match.range, in: text) else { continue }
            let name = (1...3).lazy.compactMap { Range(match.range(at: $0), in: text) }.first.map { String(text[$0]) } ?? ""
            result += text[cursor..<whole.lowerBound]
            result += values[name] ?? String(text[whole])
            cursor = whole.upperBound
        }
        return result + text[cursor...]
    }

    /// Resolves a dashboard's variables in order, as Grafana does on load: a query variable asks
    /// Prometheus for its label values (with earlier variables substituted); single-value
    /// variables take the first value, multi-value ones all of them as a regex alternation.
    static func resolveVariables(_ dashboard: ShippedDashboard, _ prometheus: Prometheus) -> (values: [String: String], problems: [String]) {
        var values = builtIns
        var problems: [String] = []
        for variable in dashboard.variables {
            switch variable.type {
            case "datasource":
                values[variable.name] = "prometheus"
            case "query":
                let query = substitute(variable.query, values)
                guard let (selector, label) = parseLabelValues(query) else {
                    problems.append("\(dashboard.file) variable \(variable.name): not a label_values() query: \(query)")
                    continue
                }
                do {
                    let found = try prometheus.labelValues(selector, label)
                    guard let first = found.first else {
                        problems.append("\(dashboard.file) variable \(variable.name): \(query) found no values")
                        continue
                    }
                    values[variable.name] = variable.multi || variable.includeAll
                        ? "(" + found.map(regexEscaped).joined(separator: "|") + ")" : first
                } catch {
                    problems.append("\(dashboard.file) variable \(variable.name): \(query): \(error)")
                }
            default:
                problems.append("\(dashboard.file) variable \(variable.name): type \(variable.type) has no test stand-in")
            }
        }
        return (values, problems)
    }

    /// The parts of `expression` between top-level comparison and set operators, with outer
    /// parentheses and number literals dropped. `(a > 1 and b) or c` gives a, b and c.
    static func operands(_ expression: String) -> [String] {
        let text = expression.trimmingCharacters(in: .whitespacesAndNewlines)
        if let inner = strippedParentheses(text) { return operands(inner) }
        let parts = splitAtTopLevelOperators(text)
        if parts.count == 1 { return Double(text) == nil ? [text] : [] }
        return parts.flatMap(operands)
    }

    /// The inside of `( ... )` when the first parenthesis closes at the very end.
    static func strippedParentheses(_ text: String) -> String? {
        let characters = Array(text)
        guard characters.first == "(", characters.last == ")" else { return nil }
        var depth = 0
        var quote: Character?
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if let open = quote {
                if character == "\\" { index += 1 } else if character == open { quote = nil }
            } else if character == "\"" || character == "'" || character == "`" {
                quote = character
            } else if character == "(" {
                depth += 1
            } else if character == ")" {
                depth -= 1
                if depth == 0 && index != characters.count - 1 { return nil }
            }
            index += 1
        }
        return String(characters[1..<(characters.count - 1)])
    }

    static func splitAtTopLevelOperators(_ text: String) -> [String] {
        let characters = Array(text)
        let isWordCharacter = { (c: Character) in c.isLetter || c.isNumber || c == "_" || c == ":" }
        var parts: [String] = []
        var current = ""
        var depth = 0
        var quote: Character?
        var index = 0

        /// Skips `bool`, `on (...)`, `ignoring (...)`, `group_left (...)`, `group_right (...)`.
        func skipModifiers() {
            while true {
                while index < characters.count && characters[index].isWhitespace { index += 1 }
                var end = index
                while end < characters.count && isWordCharacter(characters[end]) { end += 1 }
                let word = String(characters[index..<end])
                guard ["bool", "on", "ignoring", "group_left", "group_right"].contains(word) else { return }
                index = end
                while index < characters.count && characters[index].isWhitespace { index += 1 }
                if index < characters.count && characters[index] == "(" {
                    while index < characters.count && characters[index] != ")" { index += 1 }
                    index += 1
                }
            }
        }

        while index < characters.count {
            let character = characters[index]
            if let open = quote {
                current.append(character)
                if character == "\\" && index + 1 < characters.count {
                    current.append(characters[index + 1]); index += 1
                } else if character == open {
                    quote = nil
                }
                index += 1
                continue
            }
            if character == "\"" || character == "'" || character == "`" { quote = character }
            if "([{".contains(character) { depth += 1 }
            if ")]}".contains(character) { depth -= 1 }
            if depth == 0 {
                let next: Character? = index + 1 < characters.count ? characters[index + 1] : nil
                var operatorLength = 0
                if ["==", "!=", ">=", "<="].contains(String(character) + String(next ?? " ")) {
                    operatorLength = 2
                } else if character == ">" || character == "<" {
                    operatorLength = 1
                } else if isWordCharacter(character), index == 0 || !isWordCharacter(characters[index - 1]) {
                    for word in ["and", "or", "unless"] {
                        let end = index + word.count
                        if end <= characters.count, String(characters[index..<end]) == word,
                           end == characters.count || !isWordCharacter(characters[end]) {
                            operatorLength = word.count
                        }
                    }
                }
                if operatorLength > 0 {
                    parts.append(current)
                    current = ""
                    index += operatorLength
                    skipModifiers()
                    continue
                }
            }
            current.append(character)
            index += 1
        }
        parts.append(current)
        return parts.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    static func allowance(_ source: String, _ query: String) -> (source: String, fragment: String, reason: String)? {
        allowedEmpty.first { $0.source == source && query.contains($0.fragment) }
    }

    // MARK: - Tests

    @Test func operandsSplitConditionsAndDropLiterals() {
        #expect(Self.operands("a / b < 0.1\nand c == 0") == ["a / b", "c"])
        #expect(Self.operands("(x > 0.05 and deriv(x[5m]) >= 0) or (x < -0.05 and deriv(x[5m]) <= 0)")
                == ["x", "deriv(x[5m])", "x", "deriv(x[5m])"])
        #expect(Self.operands(#"sum without (api) (increase(c[1d])) > on () group_left () budget"#)
                == ["sum without (api) (increase(c[1d]))", "budget"])
        #expect(Self.operands(#"up{job="a>b", le!="or"} == bool 0"#) == [#"up{job="a>b", le!="or"}"#])
        #expect(Self.operands("node_load1_per_cpu:ratio_or_more > 1") == ["node_load1_per_cpu:ratio_or_more"])
    }

    @Test func variablesAreSubstitutedAsGrafanaDoes() {
        let values = ["job": "node", "instance": "(127\\\\.0\\\\.0\\\\.1:9100)", "__rate_interval": "30s"]
        #expect(Self.substitute(#"rate(x{job="$job", instance=~"${instance}"}[$__rate_interval])"#, values)
                == #"rate(x{job="node", instance=~"(127\\.0\\.0\\.1:9100)"}[30s])"#)
        let chained = Self.parseLabelValues(#"label_values(up{job="node"}, instance)"#)
        #expect(chained?.selector == #"up{job="node"}"# && chained?.label == "instance")
        let plain = Self.parseLabelValues("label_values(job)")
        #expect(plain != nil && plain?.selector == nil && plain?.label == "job")
        #expect(Self.parseLabelValues("query_result(up)") == nil)
    }

    @Test func everyPanelQueryAndRuleExpressionReturnsData() throws {
        guard let prometheusBinary = TestPaths.tool("prometheus") else {
            Issue.record("Prometheus is not installed (apt-get install prometheus); `make test` installs it")
            return
        }
        let dashboards = try ShippedDashboard.all()
        try #require(!dashboards.isEmpty, "no dashboards in grafana/dashboards")

        // The cloud side: moto with signature checking, seeded, and the CloudTrail server with events.
        let moto = try MotoServer(signatureChecking: true)
        let seeded = try moto.seed()
        let trail = try PythonServer("cloudtrail_server.py", ["--access-key", seeded.access_key_id,
                                                              "--secret-key", seeded.secret_access_key],
                                     readyPath: "/_control/stats")
        let now = Date().timeIntervalSince1970
        try trail.control("POST", "/_control/events", json: """
            [{"EventName": "RunInstances", "EventTime": \(now - 600)},
             {"EventName": "StopInstances", "EventTime": \(now - 200)}]
            """)
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("nimbus-dash-cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: cache) }
        let exporter = try RunningExporter(
            ["--collector.process_groups", "--config.file", TestPaths.packageRoot + "/deploy/examples/aws.yml",
             "--cache.directory", cache.path],
            environment: Self.environment(moto: moto, seeded: seeded, trail: trail))
        // Prometheus should find the cloud families from its first scrape on, so rates have samples.
        try Self.waitUntil("the first AWS refresh", seconds: 30, log: { exporter.child.log }) {
            let page = ParsedExposition((try? exporter.scrape()) ?? "")
            return (page.value("nimbus_cloud_refreshes_total", ["job_name": "ec2-fleet", "provider": "aws"]) ?? 0) >= 1
        }

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nimbus-dash-prom-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.prometheusConfig(exporterPort: exporter.port)
            .write(to: directory.appendingPathComponent("prometheus.yml"), atomically: true, encoding: .utf8)
        let port = freeLoopbackPort()
        let server = try ChildProcess(prometheusBinary, [
            "--config.file=\(directory.path)/prometheus.yml", "--storage.tsdb.path=\(directory.path)/data",
            "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
        ])
        defer { server.stop() }
        let prometheus = Prometheus(port: port)

        // Both jobs up, and at least four scrapes each so every rate() and deriv() has samples.
        try Self.waitUntil("both jobs up with four scrapes", seconds: 40, log: { server.log + exporter.child.log }) {
            ["node", "nimbus_cloud"].allSatisfy { job in
                (try? prometheus.scalar("up{job=\"\(job)\"}")) == 1
                    && ((try? prometheus.scalar("count_over_time(up{job=\"\(job)\"}[1m])")) ?? 0) >= 4
            }
        }
        // Every rule group evaluated at least twice (the second time with rates available).
        let rulesLoaded = !Self.ruleFiles.isEmpty
        if rulesLoaded {
            try Self.waitUntil("two rule evaluations", seconds: 20, log: { server.log }) {
                let groups = ((try? prometheus.get("/api/v1/rules"))?["data"] as? [String: Any])?["groups"] as? [[String: Any]] ?? []
                return !groups.isEmpty && groups.allSatisfy { ($0["lastEvaluation"] as? String ?? "").hasPrefix("20") }
            }
            usleep(1_100_000)
        }

        var failures: [String] = []
        var used = Set<String>()
        var evaluated = 0

        /// Evaluates one query; empty is a failure unless allowed.
        func require(_ source: String, _ query: String) {
            evaluated += 1
            do {
                if try !prometheus.query(query).isEmpty { return }
                if let allowed = Self.allowance(source, query) {
                    used.insert(allowed.source + allowed.fragment)
                    return
                }
                failures.append("\(source): no data for\n    \(query)")
            } catch {
                failures.append("\(source): \(error)\n    \(query)")
            }
        }

        for dashboard in dashboards {
            let (values, problems) = Self.resolveVariables(dashboard, prometheus)
            failures += problems
            for target in dashboard.targets {
                require("\(dashboard.file): \(target.panelTitle)", Self.substitute(target.expr, values))
            }
        }

        if rulesLoaded {
            let groups = (try prometheus.get("/api/v1/rules")["data"] as? [String: Any])?["groups"] as? [[String: Any]] ?? []
            let loadedFiles = Set(groups.compactMap { $0["file"] as? String })
            for file in Self.ruleFiles {
                #expect(loadedFiles.contains(file), "Prometheus did not load \(file)")
            }
            for rule in groups.flatMap({ $0["rules"] as? [[String: Any]] ?? [] }) {
                let name = rule["name"] as? String ?? "?"
                let query = rule["query"] as? String ?? ""
                if rule["health"] as? String == "err" {
                    failures.append("rule \(name) fails to evaluate in Prometheus: \(rule["lastError"] ?? "")")
                }
                if rule["type"] as? String == "alerting" {
                    // The condition itself may be empty (quiet), but it must evaluate.
                    evaluated += 1
                    do { _ = try prometheus.query(query) } catch { failures.append("alert \(name): \(error)\n    \(query)") }
                    let parts = Self.operands(query)
                    if parts.isEmpty { failures.append("alert \(name): no operand to check in \(query)") }
                    for part in parts { require("alert \(name)", part) }
                } else {
                    require("record \(name)", query)
                }
            }
        }

        for entry in Self.allowedEmpty where !used.contains(entry.source + entry.fragment) {
            failures.append("allow-list entry no longer needed (it has data now, or its query is gone): \(entry.source) [\(entry.fragment)]")
        }
        #expect(evaluated > 50, "only \(evaluated) queries evaluated")
        #expect(failures.isEmpty, "\(failures.count) of \(evaluated) queries failed:\n\(failures.joined(separator: "\n"))")
    }
}
