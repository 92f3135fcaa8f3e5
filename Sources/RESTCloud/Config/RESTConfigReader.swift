import ConfigFile
import Exposition

/// Reads and validates the `rest:` section of the configuration file. Every error names the
/// file, the line and the field.
public enum RESTConfigReader {
    public static func read(_ node: ConfigNode, environment: [String: String]) throws(ConfigError) -> [RESTTargetConfig] {
        let mapping = try node.mapping()
        try mapping.rejectUnknownKeys(["targets"])
        let list = try mapping.required("targets")
        var targets: [RESTTargetConfig] = []
        var names = Set<String>()
        // Families of one name are merged across targets, so a name must keep one type everywhere.
        var declaredTypes: [String: (kind: RESTMetricConfig.Kind, field: String)] = [:]
        for item in try list.list() {
            let target = try readTarget(item, environment: environment)
            guard names.insert(target.name).inserted else { throw item.error("target name '\(target.name)' is used twice") }
            let metricNodes = try item.mapping().required("metrics").list()
            for (metric, metricNode) in zip(target.metrics, metricNodes) {
                if let earlier = declaredTypes[metric.name] {
                    guard earlier.kind == metric.kind else {
                        throw metricNode.error("metric '\(metric.name)' is a \(metric.kind.rawValue) here but a \(earlier.kind.rawValue) in \(earlier.field)")
                    }
                } else {
                    declaredTypes[metric.name] = (metric.kind, metricNode.path)
                }
            }
            targets.append(target)
        }
        return targets
    }

    private static func readTarget(_ node: ConfigNode, environment: [String: String]) throws(ConfigError) -> RESTTargetConfig {
        let mapping = try node.mapping()
        try mapping.rejectUnknownKeys(["name", "url", "method", "body", "headers", "bearer_token_file", "bearer_token_env",
                                       "timeout", "interval", "max_age", "metrics"])
        let name = try mapping.required("name").nonEmptyString()
        let url = try readURL(try mapping.required("url"))
        var method = RESTTargetConfig.Method.get
        if let methodNode = mapping.optional("method") {
            guard let parsed = RESTTargetConfig.Method(rawValue: try methodNode.string().uppercased()) else {
                throw methodNode.error("must be GET or POST")
            }
            method = parsed
        }
        var body: String?
        if let bodyNode = mapping.optional("body") {
            guard method == .post else { throw bodyNode.error("a body is sent with POST only; set method: POST") }
            body = try bodyNode.string()
        }
        let metricsNode = try mapping.required("metrics")
        var metrics: [RESTMetricConfig] = []
        for item in try metricsNode.list() { metrics.append(try readMetric(item)) }
        guard !metrics.isEmpty else { throw metricsNode.error("must list at least one metric") }

        var target = RESTTargetConfig(name: name, url: url, method: method, body: body, metrics: metrics)
        if let headersNode = mapping.optional("headers") { target.headers = try readHeaders(headersNode) }
        target.token = try readToken(mapping, environment: environment)
        if let timeout = mapping.optional("timeout") { target.timeout = try timeout.positiveDuration() }
        if let interval = mapping.optional("interval") { target.interval = try interval.positiveDuration() }
        if let maxAgeNode = mapping.optional("max_age") {
            let seconds = try maxAgeNode.positiveDuration()
            guard seconds >= target.interval else {
                throw maxAgeNode.error("must be at least the interval (\(Int(target.interval))s)")
            }
            target.maxAge = seconds
        }
        return target
    }

    private static func readURL(_ node: ConfigNode) throws(ConfigError) -> String {
        let url = try node.nonEmptyString()
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else { throw node.error("must be an http:// or https:// URL") }
        let authority = url.drop { $0 != "/" }.dropFirst(2).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.isEmpty else { throw node.error("must name a host") }
        // Credentials in the URL would end up in the configuration and in logs.
        guard !authority.contains("@") else {
            throw node.error("must not carry credentials; use bearer_token_file or bearer_token_env")
        }
        guard !url.contains(where: { $0.isWhitespace || ($0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false) }) else {
            throw node.error("must not contain spaces or control characters (percent-encode them)")
        }
        return url
    }

    private static func readHeaders(_ node: ConfigNode) throws(ConfigError) -> [RESTTargetConfig.Header] {
        let mapping = try node.mapping()
        var headers: [RESTTargetConfig.Header] = []
        for entry in mapping.entries {
            let lowered = entry.key.lowercased()
            if lowered == "authorization" || lowered == "proxy-authorization" {
                throw entry.value.error("inline credentials are not accepted; use bearer_token_file or bearer_token_env")
            }
            guard !entry.key.isEmpty, entry.key.utf8.allSatisfy(isTokenByte) else {
                throw entry.value.error("'\(entry.key)' is not a valid header name")
            }
            let value = try entry.value.string()
            guard !value.utf8.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) else {
                throw entry.value.error("header values must not contain line breaks or control characters")
            }
            headers.append(.init(name: entry.key, value: value))
        }
        return headers
    }

    /// RFC 9110 `tchar`.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }

    private static func readToken(_ mapping: ConfigMapping,
                                  environment: [String: String]) throws(ConfigError) -> RESTTargetConfig.TokenSource? {
        let fileNode = mapping.optional("bearer_token_file")
        let envNode = mapping.optional("bearer_token_env")
        if let fileNode, envNode != nil {
            throw fileNode.error("set bearer_token_file or bearer_token_env, not both")
        }
        if let fileNode { return .file(try fileNode.nonEmptyString()) }
        guard let envNode else { return nil }
        let variable = try envNode.nonEmptyString()
        // Checked now so a missing secret is a start-up error rather than a failing refresh.
        guard let value = environment[variable], !value.isEmpty else {
            throw envNode.error("the environment variable \(variable) is not set")
        }
        return .environment(variable)
    }

    private static func readMetric(_ node: ConfigNode) throws(ConfigError) -> RESTMetricConfig {
        let mapping = try node.mapping()
        try mapping.rejectUnknownKeys(["name", "type", "help", "path", "value", "labels"])
        let nameNode = try mapping.required("name")
        let name = try nameNode.nonEmptyString()
        guard MetricNames.isValidMetricName(name) else {
            throw nameNode.error("'\(name)' is not a valid Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)")
        }
        guard !name.hasPrefix("nimbus_") else { throw nameNode.error("names starting with nimbus_ are reserved for the exporter's own metrics") }
        let typeNode = try mapping.required("type")
        guard let kind = RESTMetricConfig.Kind(rawValue: try typeNode.string()) else {
            throw typeNode.error("must be gauge, counter or untyped")
        }
        if kind == .counter && !name.hasSuffix("_total") {
            throw nameNode.error("a counter's name must end in _total (both exposition formats then agree on it)")
        }
        let pathNode = try mapping.required("path")
        let path = try parsePath(pathNode, relative: false)
        let value = try mapping.optional("value").map { valueNode throws(ConfigError) in try parsePath(valueNode, relative: true) }
        var labels: [RESTMetricConfig.LabelPath] = []
        if let labelsNode = mapping.optional("labels") {
            for entry in try labelsNode.mapping().entries {
                guard MetricNames.isValidLabelName(entry.key) else {
                    throw entry.value.error("'\(entry.key)' is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __)")
                }
                labels.append(.init(name: entry.key, path: try parsePath(entry.value, relative: true)))
            }
        }
        let help = try mapping.optional("help")?.nonEmptyString() ?? "Value at \(path.text) of a REST/JSON response."
        return RESTMetricConfig(name: name, kind: kind, help: help, path: path, value: value, labels: labels)
    }

    private static func parsePath(_ node: ConfigNode, relative: Bool) throws(ConfigError) -> JSONPath {
        let text = try node.nonEmptyString()
        let path: JSONPath
        do throws(JSONPathError) {
            path = try JSONPath(parsing: text, relative: relative)
        } catch {
            throw node.error("invalid path '\(text)': \(error)")
        }
        // A relative path picks one value of each element; many would need another series each.
        if relative && path.hasWildcard {
            throw node.error("[*] is only allowed in the metric's path; '\(text)' must select one value")
        }
        return path
    }
}
