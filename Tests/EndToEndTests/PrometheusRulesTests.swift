import Foundation
import TestSupport
import Testing

/// The shipped Prometheus and Alertmanager files, checked by the real tools: the scrape configs
/// load with their rule files, the rules parse, every alert's unit tests pass, and every alert
/// and recording rule has such tests.
@Suite struct PrometheusRulesTests {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// The shipped files, listed from the tree so a new one is checked without touching this test.
    enum Shipped {
        static let prometheusDirectory = TestPaths.packageRoot + "/deploy/prometheus"
        static let alertmanagerConfig = TestPaths.packageRoot + "/deploy/alertmanager/alertmanager.yml"
        static let configs = ["prometheus.yml", "prometheus-hashmod-shard.yml"].map { prometheusDirectory + "/" + $0 }
        static let ruleFiles = files(in: "rules", endingWith: ".yml")
        static let unitTestFiles = files(in: "tests", endingWith: ".test.yml")

        private static func files(in subdirectory: String, endingWith suffix: String) -> [String] {
            let directory = prometheusDirectory + "/" + subdirectory
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            return names.filter { $0.hasSuffix(suffix) }.sorted().map { directory + "/" + $0 }
        }
    }

    private func requirePromtool() throws -> String {
        guard let promtool = TestPaths.tool("promtool") else {
            throw Failure(description: "promtool is not installed (apt-get install prometheus); `make test` installs it")
        }
        return promtool
    }

    private func name(_ path: String) -> String { String(path.dropFirst(TestPaths.packageRoot.count + 1)) }

    @Test func theShippedFilesExist() {
        #expect(Shipped.ruleFiles.count >= 3, "rule files: \(Shipped.ruleFiles)")
        #expect(Shipped.unitTestFiles.count >= 3, "unit test files: \(Shipped.unitTestFiles)")
    }

    @Test(arguments: Shipped.configs)
    func scrapeConfigLoadsWithEveryRuleFile(_ config: String) throws {
        let (status, output) = try runTool(try requirePromtool(), ["check", "config", config])
        #expect(status == 0, "promtool check config \(name(config)) exited \(status):\n\(output)")
        // A rule_files glob that matches nothing still passes check config; count what it found.
        let found = output.firstMatch(of: /SUCCESS: (\d+) rule files found/).flatMap { Int($0.1) }
        #expect(found == Shipped.ruleFiles.count,
                "\(name(config)) loads \(found.map(String.init) ?? "no") rule files, \(Shipped.ruleFiles.count) are shipped:\n\(output)")
    }

    @Test(arguments: Shipped.ruleFiles)
    func ruleFileIsValid(_ file: String) throws {
        let (status, output) = try runTool(try requirePromtool(), ["check", "rules", file])
        #expect(status == 0, "promtool check rules \(name(file)) exited \(status):\n\(output)")
    }

    @Test(arguments: Shipped.unitTestFiles)
    func ruleUnitTestsPass(_ file: String) throws {
        let (status, output) = try runTool(try requirePromtool(), ["test", "rules", file])
        #expect(status == 0, "promtool test rules \(name(file)) exited \(status):\n\(output)")
    }

    @Test func everyAlertHasAFiringAndAQuietUnitTest() throws {
        let rules = try RuleInventory(files: Shipped.ruleFiles)
        let tests = try UnitTestInventory(files: Shipped.unitTestFiles)
        try #require(!rules.alerts.isEmpty, "no alerts found in \(Shipped.ruleFiles)")
        for alert in rules.alerts.keys.sorted() {
            #expect(tests.firing.contains(alert), "no promtool test case where \(alert) fires (exp_alerts with exp_labels)")
            #expect(tests.quiet.contains(alert), "no promtool test case where \(alert) stays quiet (exp_alerts: [])")
        }
        let unknown = tests.firing.union(tests.quiet).subtracting(rules.alerts.keys)
        #expect(unknown.isEmpty, "unit tests name alerts no rule file defines: \(unknown.sorted())")
    }

    @Test func everyRecordingRuleHasAnExpectedValue() throws {
        let rules = try RuleInventory(files: Shipped.ruleFiles)
        let tests = try UnitTestInventory(files: Shipped.unitTestFiles)
        try #require(!rules.records.isEmpty, "no recording rules found in \(Shipped.ruleFiles)")
        let untested = rules.records.subtracting(tests.checkedExpressions)
        #expect(untested.isEmpty, "recording rules without a promql_expr_test: \(untested.sorted())")
    }

    @Test func everyAlertCarriesSeverityAndItsAnnotations() throws {
        let rules = try RuleInventory(files: Shipped.ruleFiles)
        for (alert, body) in rules.alerts.sorted(by: { $0.key < $1.key }) {
            #expect(body.contains(/\n\s+severity: (critical|warning|info)\n/), "\(alert) has no severity label")
            for annotation in ["summary", "description", "runbook"] {
                #expect(body.contains(try Regex("\\n\\s+\(annotation): \\S")), "\(alert) has no \(annotation) annotation")
            }
        }
    }

    @Test func alertmanagerConfigIsValid() throws {
        let text = try String(contentsOfFile: Shipped.alertmanagerConfig, encoding: .utf8)
        if let amtool = TestPaths.tool("amtool") {
            let (status, output) = try runTool(amtool, ["check-config", Shipped.alertmanagerConfig])
            #expect(status == 0, "amtool check-config exited \(status):\n\(output)")
        } else {
            // Without amtool (scripts/install-deps.sh test installs it): the structure by hand.
            for key in ["route:", "receivers:", "inhibit_rules:"] {
                #expect(text.contains("\n\(key)\n"), "alertmanager.yml has no top-level \(key)")
            }
            let defined = Set(text.matches(of: /\n  - name: ([\w-]+)/).map { String($0.1) })
            let used = Set(text.matches(of: /\n\s+receiver: ([\w-]+)/).map { String($0.1) })
            #expect(!used.isEmpty && used.isSubset(of: defined), "receivers used \(used.sorted()), defined \(defined.sorted())")
        }
        // A host that cannot be scraped silences its other alerts.
        #expect(text.contains(/source_matchers: \['alertname="HostExporterDown"'\]\n\s+target_matchers: \['alertname!="HostExporterDown"'\]\n\s+equal: \[instance\]/),
                "no inhibit rule from HostExporterDown to the same instance's other alerts")
    }

    @Test(arguments: [("critical", "pager"), ("warning", "tickets")])
    func alertmanagerRoutesBySeverity(_ severity: String, _ receiver: String) throws {
        guard let amtool = TestPaths.tool("amtool") else {
            Issue.record("amtool is not installed (apt-get install prometheus-alertmanager); `make test` installs it")
            return
        }
        let (status, output) = try runTool(amtool, ["config", "routes", "test", "--config.file=\(Shipped.alertmanagerConfig)",
                                                     "alertname=HostCpuUtilisationHigh", "severity=\(severity)"])
        #expect(status == 0, "amtool config routes test exited \(status):\n\(output)")
        // amtool prints warnings first; the receiver is its last line.
        let routed = output.split(separator: "\n").last.map(String.init)?.trimmingCharacters(in: .whitespaces)
        #expect(routed == receiver, "severity=\(severity) routes to \(output), expected \(receiver)")
    }
}

extension PrometheusRulesTests {
    /// Alert and recording rule names in rule files (Prometheus's own layout: `- alert:` and
    /// `- record:` items), each alert with the text of its item.
    struct RuleInventory {
        var alerts: [String: String] = [:]
        var records: Set<String> = []

        init(files: [String]) throws {
            for file in files {
                let text = try String(contentsOfFile: file, encoding: .utf8)
                for match in text.matches(of: /\n\s+- record: ([\w:]+)/) { records.insert(String(match.1)) }
                // An alert's item runs to the next rule or group.
                let items = text.split(separator: /\n\s+- (?=alert:|record:|name:)/)
                for item in items where item.hasPrefix("alert: ") {
                    guard let name = item.firstMatch(of: /^alert: (\w+)/)?.1 else { continue }
                    alerts[String(name)] = "\n" + item
                }
            }
        }
    }

    /// What promtool unit test files check: alerts with an expected firing (`exp_alerts` holding
    /// `exp_labels`) or an expected silence (`exp_alerts: []`), and the expressions of
    /// `promql_expr_test` cases.
    struct UnitTestInventory {
        var firing: Set<String> = []
        var quiet: Set<String> = []
        var checkedExpressions: Set<String> = []

        init(files: [String]) throws {
            for file in files {
                let text = try String(contentsOfFile: file, encoding: .utf8)
                for match in text.matches(of: /\n\s+- expr: ([\w:]+)\s*\n/) { checkedExpressions.insert(String(match.1)) }
                var current: String?
                var awaitingAlerts = false
                for line in text.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                    if let name = line.firstMatch(of: /^alertname: (\w+)$/)?.1 {
                        current = String(name); awaitingAlerts = false
                    } else if line == "exp_alerts: []", let alert = current {
                        quiet.insert(alert); current = nil
                    } else if line == "exp_alerts:" {
                        awaitingAlerts = true
                    } else if awaitingAlerts, line.hasPrefix("- exp_labels:"), let alert = current {
                        firing.insert(alert); current = nil; awaitingAlerts = false
                    }
                }
            }
        }
    }
}
