/// A setting of one collector, given on the command line as `--collector.<collector>.<name>=value`
/// (or `--collector.<collector>.<name> value`), node_exporter's spelling.
public struct CollectorSetting: Sendable {
    public enum Kind: Sendable { case string, duration, bool, int, list }

    public let name: String
    public let kind: Kind
    /// nil: not set unless given.
    public let defaultValue: String?
    public let help: String

    public init(_ name: String, _ kind: Kind = .string, default defaultValue: String? = nil, help: String) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.help = help
    }
}

/// The values of one collector's settings: what was given, else the declared default.
public struct CollectorSettings: Sendable {
    public let collector: String
    private let declared: [CollectorSetting]
    private let given: [String: [String]]

    public init(collector: String, declared: [CollectorSetting], given: [String: [String]] = [:]) {
        self.collector = collector
        self.declared = declared
        self.given = given
    }

    /// The last value given, else the default. Nil when neither exists.
    public func string(_ name: String) -> String? {
        if let values = given[name], let last = values.last { return last }
        return declared.first { $0.name == name }?.defaultValue
    }

    /// Every value given for a repeatable setting (`.list`), else the default split on commas.
    public func list(_ name: String) -> [String] {
        if let values = given[name] { return values }
        guard let fallback = declared.first(where: { $0.name == name })?.defaultValue, !fallback.isEmpty else { return [] }
        return fallback.split(separator: ",").map(String.init)
    }

    /// Seconds, from `500ms`, `5s`, `1m`, `1h` or a bare number.
    public func seconds(_ name: String) throws -> Double? {
        guard let text = string(name) else { return nil }
        guard let value = Self.parseDuration(text) else {
            throw CollectorError("--collector.\(collector).\(name): expected a duration like 500ms, 5s or 1m, got \"\(text)\"")
        }
        return value
    }

    public func bool(_ name: String) throws -> Bool {
        switch string(name)?.lowercased() {
        case nil, "false", "0", "no": return false
        case "true", "1", "yes", "": return true
        case let other?: throw CollectorError("--collector.\(collector).\(name): expected true or false, got \"\(other)\"")
        }
    }

    public func int(_ name: String) throws -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text) else {
            throw CollectorError("--collector.\(collector).\(name): expected a whole number, got \"\(text)\"")
        }
        return value
    }

    /// Durations as node_exporter's flags write them.
    public static func parseDuration(_ text: String) -> Double? {
        let units: [(suffix: String, scale: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for unit in units where text.hasSuffix(unit.suffix) {
            guard let number = Double(text.dropLast(unit.suffix.count)), number >= 0, number.isFinite else { return nil }
            return number * unit.scale
        }
        guard let number = Double(text), number >= 0, number.isFinite else { return nil }
        return number
    }
}
