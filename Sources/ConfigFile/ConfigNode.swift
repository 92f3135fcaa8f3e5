import Foundation
import Yams

/// A YAML node that knows where it came from, so every validation error can name the file, the
/// line and the field. Readers of provider configs walk these instead of Codable, which loses
/// positions.
public struct ConfigNode {
    public let file: String
    /// Dotted path from the document root.
    public let path: String
    let node: Yams.Node

    init(file: String, path: String, node: Yams.Node) {
        self.file = file
        self.path = path
        self.node = node
    }

    /// Reads and parses a YAML file; a missing, unreadable or malformed file is a `ConfigError`.
    public static func load(file: String) throws(ConfigError) -> ConfigNode {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ConfigError(file: file, field: "", message: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: file, field: "", message: "not UTF-8 text")
        }
        return try parse(text, file: file)
    }

    /// Parses YAML text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws(ConfigError) -> ConfigNode {
        let node: Yams.Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw Self.describe(error, file: file)
        } catch {
            throw ConfigError(file: file, field: "", message: "\(error)")
        }
        return ConfigNode(file: file, path: "", node: node ?? Yams.Node.mapping(.init([])))
    }

    private static func describe(_ error: YamlError, file: String) -> ConfigError {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let prefix = context.map { "\($0.text): " } ?? ""
            return ConfigError(file: file, line: mark.line, column: mark.column, field: "",
                               message: "invalid YAML: \(prefix)\(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConfigError(file: file, line: context.mark.line, column: context.mark.column, field: "",
                               message: "duplicate key \(duplicates.sorted().map { "'\($0)'" }.joined(separator: ", "))")
        default:
            return ConfigError(file: file, field: "", message: "invalid YAML: \(error)")
        }
    }

    public var line: Int? { node.mark?.line }

    /// An error located at this node.
    public func error(_ message: String) -> ConfigError {
        ConfigError(file: file, line: node.mark?.line, column: node.mark?.column, field: path, message: message)
    }

    public var isNull: Bool {
        if case .scalar(let scalar) = node { return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string) }
        return false
    }

    // MARK: Scalars

    public func string() throws(ConfigError) -> String {
        guard case .scalar(let scalar) = node else { throw error("must be a string") }
        return scalar.string
    }

    /// A string that is not empty.
    public func nonEmptyString() throws(ConfigError) -> String {
        let value = try string()
        guard !value.isEmpty else { throw error("must not be empty") }
        return value
    }

    public func int() throws(ConfigError) -> Int {
        guard case .scalar(let scalar) = node, let value = Int(scalar.string) else { throw error("must be an integer") }
        return value
    }

    public func double() throws(ConfigError) -> Double {
        guard case .scalar(let scalar) = node, let value = Double(scalar.string), value.isFinite else {
            throw error("must be a number")
        }
        return value
    }

    public func bool() throws(ConfigError) -> Bool {
        guard case .scalar(let scalar) = node else { throw error("must be true or false") }
        switch scalar.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("must be true or false")
        }
    }

    /// Seconds from a Prometheus-style duration (`90s`, `5m`, `1h30m`, `2d`, `500ms`) or a bare
    /// number of seconds.
    public func duration() throws(ConfigError) -> Double {
        let text = try string()
        guard let seconds = DurationText.seconds(text) else {
            throw error("must be a duration like 60s, 5m or 1h (got '\(text)')")
        }
        return seconds
    }

    /// A duration greater than zero.
    public func positiveDuration() throws(ConfigError) -> Double {
        let seconds = try duration()
        guard seconds > 0 else { throw error("must be greater than zero") }
        return seconds
    }

    // MARK: Collections

    public func list() throws(ConfigError) -> [ConfigNode] {
        guard case .sequence(let sequence) = node else { throw error("must be a list") }
        return sequence.enumerated().map { ConfigNode(file: file, path: "\(path)[\($0.offset)]", node: $0.element) }
    }

    /// A list of strings; a single string is accepted as a list of one.
    public func stringList() throws(ConfigError) -> [String] {
        if case .scalar = node { return [try string()] }
        var values: [String] = []
        for item in try list() { values.append(try item.string()) }
        return values
    }

    public func mapping() throws(ConfigError) -> ConfigMapping {
        guard case .mapping(let mapping) = node else { throw error("must be a mapping of keys to values") }
        var entries: [(key: String, value: ConfigNode)] = []
        var keys: [ConfigNode] = []
        for (key, value) in mapping {
            let name = key.string ?? "\(key)"
            let childPath = path.isEmpty ? name : "\(path).\(name)"
            entries.append((name, ConfigNode(file: file, path: childPath, node: value)))
            keys.append(ConfigNode(file: file, path: childPath, node: key))
        }
        return ConfigMapping(owner: self, entries: entries, keys: keys)
    }
}

/// A YAML mapping with lookups that report what is missing or misspelt.
public struct ConfigMapping {
    public let owner: ConfigNode
    public let entries: [(key: String, value: ConfigNode)]
    /// The key nodes, parallel to `entries`: errors about a key point at the key itself, not at
    /// a block value that starts on the next line.
    let keys: [ConfigNode]

    public subscript(key: String) -> ConfigNode? {
        entries.first { $0.key == key }?.value
    }

    /// The value of a key that must be there.
    public func required(_ key: String) throws(ConfigError) -> ConfigNode {
        guard let value = self[key], !value.isNull else {
            let field = owner.path.isEmpty ? key : "\(owner.path).\(key)"
            throw ConfigError(file: owner.file, line: owner.node.mark?.line, column: owner.node.mark?.column,
                              field: field, message: "is required")
        }
        return value
    }

    /// The value of a key that may be left out (or set to null).
    public func optional(_ key: String) -> ConfigNode? {
        guard let value = self[key], !value.isNull else { return nil }
        return value
    }

    /// Rejects keys this section does not know, so a typo is an error instead of a silent default.
    public func rejectUnknownKeys(_ known: [String]) throws(ConfigError) {
        for (index, entry) in entries.enumerated() where !known.contains(entry.key) {
            let suggestion = known.first { $0.lowercased() == entry.key.lowercased().replacingOccurrences(of: "-", with: "_") }
            let hint = suggestion.map { " (did you mean '\($0)'?)" } ?? " (known: \(known.joined(separator: ", ")))"
            throw keys[index].error("unknown field '\(entry.key)'\(hint)")
        }
    }

    /// String-to-string entries (tags, headers, dimensions).
    public func stringDictionary() throws(ConfigError) -> [(key: String, value: String)] {
        var result: [(key: String, value: String)] = []
        for entry in entries { result.append((entry.key, try entry.value.string())) }
        return result
    }
}

/// Prometheus-style durations.
public enum DurationText {
    public static func seconds(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let plain = Double(trimmed) { return plain.isFinite && plain >= 0 ? plain : nil }
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400), ("w", 604_800), ("y", 31_536_000)]
        var total = 0.0
        var rest = Substring(trimmed)
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let number = Double(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let unit = units.first(where: { rest.hasPrefix($0.0) && !(($0.0 == "m") && rest.hasPrefix("ms")) }) else {
                return nil
            }
            total += number * unit.1
            rest = rest.dropFirst(unit.0.count)
        }
        return total
    }
}
