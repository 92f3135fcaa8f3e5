import Foundation
import Testing
import TestSupport

/// One shipped Grafana dashboard (`grafana/dashboards/*.json`), read as plain JSON so the checks
/// see exactly what Grafana will load.
struct ShippedDashboard {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// A query variable and what it asks Prometheus for.
    struct Variable {
        var name: String
        var type: String
        /// The `label_values(...)` text of a query variable; empty for other types.
        var query: String
        var multi: Bool
        var includeAll: Bool
    }

    /// One query of one panel.
    struct Target {
        var panelTitle: String
        var refId: String
        var expr: String
    }

    let file: String
    let json: [String: Any]

    static let directory = TestPaths.packageRoot + "/grafana/dashboards"

    /// Every `*.json` in the dashboards directory, sorted by name.
    static func all() throws -> [ShippedDashboard] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { name in
            guard let data = FileManager.default.contents(atPath: directory + "/" + name) else {
                throw Failure(description: "\(name): unreadable")
            }
            guard let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw Failure(description: "\(name): not a JSON object")
            }
            return ShippedDashboard(file: name, json: json)
        }
    }

    var variables: [Variable] {
        let list = (json["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? []
        return list.map { entry in
            // Grafana stores a query variable's query as a string or as {query: "..."}.
            let query = (entry["query"] as? [String: Any])?["query"] as? String ?? entry["query"] as? String ?? ""
            return Variable(name: entry["name"] as? String ?? "", type: entry["type"] as? String ?? "",
                            query: entry["type"] as? String == "query" ? query : "",
                            multi: entry["multi"] as? Bool ?? false, includeAll: entry["includeAll"] as? Bool ?? false)
        }
    }

    /// Every panel, including those nested in collapsed rows.
    var panels: [[String: Any]] {
        let top = json["panels"] as? [[String: Any]] ?? []
        return top.flatMap { [$0] + ($0["panels"] as? [[String: Any]] ?? []) }
    }

    var targets: [Target] {
        panels.flatMap { panel in
            (panel["targets"] as? [[String: Any]] ?? []).compactMap { target in
                guard let expr = target["expr"] as? String else { return nil }
                return Target(panelTitle: panel["title"] as? String ?? "?", refId: target["refId"] as? String ?? "?", expr: expr)
            }
        }
    }

    /// Names referenced as `$name`, `${name}`, `${name:format}` or `[[name]]`.
    static func variableReferences(in text: String) -> Set<String> {
        let pattern = #"\$\{([A-Za-z0-9_]+)(?::[^}]*)?\}|\$([A-Za-z0-9_]+)|\[\[([A-Za-z0-9_]+)(?::[^\]]*)?\]\]"#
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        var names = Set<String>()
        for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            for group in 1...3 {
                if let range = Range(match.range(at: group), in: text) { names.insert(String(text[range])) }
            }
        }
        return names
    }
}

/// Static checks of the shipped dashboards: what Grafana needs to load them and what keeps them
/// usable. Whether their queries return data is DashboardQueriesTests' job.
@Suite struct DashboardTests {
    /// Panel types that show no query results and so need no unit.
    static let unitlessTypes: Set<String> = ["row", "text", "dashlist", "news"]

    @Test func theIssuesDashboardsExist() throws {
        let files = Set(try ShippedDashboard.all().map(\.file))
        for expected in ["host-overview.json", "cloud-overview.json", "exporter-health.json"] {
            #expect(files.contains(expected), "missing grafana/dashboards/\(expected)")
        }
    }

    @Test func everyDashboardIsAClassicModelWithADatasourceVariable() throws {
        for dashboard in try ShippedDashboard.all() {
            let file = dashboard.file
            #expect(dashboard.json["__inputs"] == nil, "\(file) has __inputs: an exported-for-sharing dashboard cannot be provisioned")
            #expect((dashboard.json["schemaVersion"] as? Int ?? 0) >= 36, "\(file): schemaVersion")
            #expect(!(dashboard.json["uid"] as? String ?? "").isEmpty, "\(file): a fixed uid keeps links stable")
            #expect(!(dashboard.json["title"] as? String ?? "").isEmpty, "\(file): title")
            let datasource = dashboard.variables.first { $0.name == "datasource" }
            #expect(datasource?.type == "datasource", "\(file): no `datasource` variable of type datasource")
            let query = ((dashboard.json["templating"] as? [String: Any])?["list"] as? [[String: Any]])?
                .first { $0["name"] as? String == "datasource" }?["query"] as? String
            #expect(query == "prometheus", "\(file): the datasource variable must list Prometheus data sources")
            #expect(!dashboard.targets.isEmpty, "\(file) has no queries")
        }
    }

    @Test func everyQueryPanelUsesTheDatasourceVariable() throws {
        for dashboard in try ShippedDashboard.all() {
            for panel in dashboard.panels where !Self.unitlessTypes.contains(panel["type"] as? String ?? "") {
                let uid = (panel["datasource"] as? [String: Any])?["uid"] as? String
                #expect(uid == "${datasource}", "\(dashboard.file) panel \(panel["title"] ?? "?"): datasource uid \(uid ?? "none")")
                for target in panel["targets"] as? [[String: Any]] ?? [] {
                    let targetUID = (target["datasource"] as? [String: Any])?["uid"] as? String
                    #expect(targetUID == nil || targetUID == "${datasource}",
                            "\(dashboard.file) panel \(panel["title"] ?? "?"): target datasource \(targetUID ?? "")")
                }
            }
        }
    }

    @Test func panelIdsAreUniquePerDashboard() throws {
        for dashboard in try ShippedDashboard.all() {
            var seen: [Int: String] = [:]
            for panel in dashboard.panels {
                let title = panel["title"] as? String ?? "?"
                guard let id = panel["id"] as? Int else {
                    Issue.record("\(dashboard.file) panel \(title) has no numeric id")
                    continue
                }
                #expect(seen[id] == nil, "\(dashboard.file): id \(id) used by \(seen[id] ?? "") and \(title)")
                seen[id] = title
            }
        }
    }

    @Test func panelsStayWithinTheGrid() throws {
        for dashboard in try ShippedDashboard.all() {
            var cells = Set<[Int]>()
            for panel in dashboard.panels {
                let title = panel["title"] as? String ?? "?"
                guard let grid = panel["gridPos"] as? [String: Any], let x = grid["x"] as? Int, let y = grid["y"] as? Int,
                      let w = grid["w"] as? Int, let h = grid["h"] as? Int
                else {
                    Issue.record("\(dashboard.file) panel \(title): gridPos needs integer x, y, w, h")
                    continue
                }
                #expect(x >= 0 && y >= 0 && w > 0 && h > 0, "\(dashboard.file) panel \(title): gridPos \(grid)")
                #expect(x + w <= 24, "\(dashboard.file) panel \(title): x \(x) + w \(w) is past the 24 columns")
                // Overlapping panels are drawn on top of each other (Grafana shifts them, but not as meant).
                var overlaps: [[Int]] = []
                for column in x..<max(x, min(x + w, 24)) {
                    for row in y..<max(y, y + h) where !cells.insert([column, row]).inserted { overlaps.append([column, row]) }
                }
                #expect(overlaps.isEmpty, "\(dashboard.file) panel \(title) overlaps another at (column, row) \(overlaps.first ?? [])")
            }
        }
    }

    @Test func everyDataPanelHasAUnit() throws {
        for dashboard in try ShippedDashboard.all() {
            for panel in dashboard.panels where !Self.unitlessTypes.contains(panel["type"] as? String ?? "") {
                let defaults = (panel["fieldConfig"] as? [String: Any])?["defaults"] as? [String: Any]
                let unit = defaults?["unit"] as? String ?? ""
                #expect(!unit.isEmpty, "\(dashboard.file) panel \(panel["title"] ?? "?") has no fieldConfig.defaults.unit")
            }
        }
    }

    @Test func everyVariableUsedIsDefined() throws {
        for dashboard in try ShippedDashboard.all() {
            let variables = dashboard.variables
            let defined = Set(variables.map(\.name))
            // A variable may only use variables defined before it, as Grafana resolves them in order.
            for (index, variable) in variables.enumerated() {
                let earlier = Set(variables[..<index].map(\.name))
                for name in ShippedDashboard.variableReferences(in: variable.query) where !name.hasPrefix("__") {
                    #expect(earlier.contains(name), "\(dashboard.file) variable \(variable.name) uses $\(name) before it is defined")
                }
            }
            for target in dashboard.targets {
                for name in ShippedDashboard.variableReferences(in: target.expr) where !name.hasPrefix("__") {
                    #expect(defined.contains(name), "\(dashboard.file) panel \(target.panelTitle): $\(name) is not a variable")
                }
            }
            // Grafana's own (`$__rate_interval`, `$__interval`, ...) are the only built-ins queries may use.
            for target in dashboard.targets {
                for name in ShippedDashboard.variableReferences(in: target.expr) where name.hasPrefix("__") {
                    #expect(["__rate_interval", "__interval", "__range", "__interval_ms", "__range_s"].contains(name),
                            "\(dashboard.file) panel \(target.panelTitle): unknown built-in $\(name)")
                }
            }
        }
    }

    @Test func provisioningLoadsTheDashboardsFromWhereComposeMountsThem() throws {
        let root = TestPaths.packageRoot
        let provider = try String(contentsOfFile: root + "/grafana/provisioning/dashboards/nimbus.yml", encoding: .utf8)
        let datasource = try String(contentsOfFile: root + "/grafana/provisioning/datasources/prometheus.yml", encoding: .utf8)
        let python = try #require(TestPaths.tool("python3"), "python3 (with PyYAML) parses the provisioning files")
        for file in ["dashboards/nimbus.yml", "datasources/prometheus.yml"] {
            let (status, output) = try runTool(python, ["-c", "import sys, yaml; yaml.safe_load(open(sys.argv[1]))",
                                                        root + "/grafana/provisioning/" + file])
            #expect(status == 0, "grafana/provisioning/\(file) is not valid YAML: \(output)")
        }
        #expect(datasource.contains("type: prometheus"))
        #expect(provider.contains("type: file"))
        let path = provider.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.hasPrefix("path:") }.map { $0.dropFirst("path:".count).trimmingCharacters(in: .whitespaces) }
        #expect(path == "/var/lib/grafana/dashboards", "the file provider's path: \(path ?? "none")")
        // The compose file mounts the dashboards directory where the provider looks.
        if let compose = try? String(contentsOfFile: root + "/deploy/compose/docker-compose.yml", encoding: .utf8) {
            #expect(compose.contains("grafana/dashboards:\(path ?? "?")"), "deploy/compose does not mount grafana/dashboards at \(path ?? "?")")
            #expect(compose.contains("grafana/provisioning:/etc/grafana/provisioning"), "deploy/compose does not mount the provisioning files")
        }
    }

    @Test func variableReferencesAreFoundInEverySpelling() {
        let found = ShippedDashboard.variableReferences(in: #"up{a="$one", b="${two}", c=~"${three:regex}", d="[[four]]"}[$__rate_interval]"#)
        #expect(found == ["one", "two", "three", "four", "__rate_interval"])
    }
}
