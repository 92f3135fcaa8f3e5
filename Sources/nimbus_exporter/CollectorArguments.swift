import HostMetrics

/// node_exporter's collector flags: `--collector.<name>`, `--no-collector.<name>`,
/// `--collector.disable-defaults` and each collector's `--collector.<name>.<setting>=value`.
/// They are taken out of the arguments before the flag parser sees the rest, because the set
/// of them comes from the collector catalog.
struct CollectorArguments: Equatable {
    var explicitlyEnabled: Set<String> = []
    var explicitlyDisabled: Set<String> = []
    var disableDefaults = false
    /// collector -> setting -> values in order given.
    var settings: [String: [String: [String]]] = [:]

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Splits the collector flags off `arguments`; everything else is returned untouched, in order.
    static func extract(from arguments: [String], catalog: [CollectorCatalog.Entry] = CollectorCatalog.entries)
        throws(Failure) -> (CollectorArguments, [String])
    {
        var result = CollectorArguments()
        var rest: [String] = []
        let byName = Dictionary(uniqueKeysWithValues: catalog.map { ($0.name, $0) })
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--collector.disable-defaults" {
                result.disableDefaults = true
                continue
            }
            let negated = argument.hasPrefix("--no-collector.")
            guard negated || argument.hasPrefix("--collector.") else {
                rest.append(argument)
                continue
            }
            let body = argument.dropFirst(negated ? 15 : 12)
            let (key, inlineValue) = splitValue(body)
            var parts = key.split(separator: ".", maxSplits: 1).map(String.init)
            // node_exporter spells a few settings with another prefix than the collector's name.
            if parts.count == 2, let collector = settingAliases[parts[0]] { parts[0] = collector }
            guard let first = parts.first, let entry = byName[first] else {
                // Not a collector (for example --collector.timeout): the flag parser decides.
                rest.append(argument)
                continue
            }
            if parts.count == 1 {
                guard inlineValue == nil else {
                    throw Failure(description: "\(argument): collector switches take no value; use --collector.\(first) or --no-collector.\(first)")
                }
                if negated {
                    result.explicitlyDisabled.insert(first)
                    result.explicitlyEnabled.remove(first)
                } else {
                    result.explicitlyEnabled.insert(first)
                    result.explicitlyDisabled.remove(first)
                }
                continue
            }
            let settingName = parts[1]
            guard let setting = entry.settings.first(where: { $0.name == settingName }) else {
                let known = entry.settings.map { "--collector.\(first).\($0.name)" }
                throw Failure(description: "unknown flag \(argument)" + (known.isEmpty ? "" : "; \(first) takes \(known.joined(separator: ", "))"))
            }
            let value: String
            if setting.kind == .bool {
                value = negated ? "false" : (inlineValue ?? "true")
            } else if negated {
                throw Failure(description: "\(argument): only true/false settings can be negated")
            } else if let inlineValue {
                value = inlineValue
            } else if index < arguments.count {
                value = arguments[index]
                index += 1
            } else {
                throw Failure(description: "\(argument) needs a value")
            }
            result.settings[first, default: [:]][settingName, default: []].append(value)
        }
        return (result, rest)
    }

    /// Setting prefixes node_exporter uses that differ from the collector's name.
    static let settingAliases = ["powersupply": "powersupplyclass"]

    private static func splitValue(_ text: Substring) -> (Substring, String?) {
        guard let equals = text.firstIndex(of: "=") else { return (text, nil) }
        return (text[..<equals], String(text[text.index(after: equals)...]))
    }

    func isEnabled(_ entry: CollectorCatalog.Entry) -> Bool {
        if explicitlyDisabled.contains(entry.name) { return false }
        if explicitlyEnabled.contains(entry.name) { return true }
        return entry.enabledByDefault && !disableDefaults
    }

    /// The collector section of `--help`.
    static var helpText: String {
        var lines = ["Collectors: --collector.<name> enables one, --no-collector.<name> disables one,",
                     "--collector.disable-defaults turns off every collector not enabled explicitly.", ""]
        for entry in CollectorCatalog.entries {
            lines.append("  \(entry.name)\(entry.enabledByDefault ? "  [default on]" : "  [default off]")")
            for setting in entry.settings {
                let defaultText = setting.defaultValue.map { " (default: \($0))" } ?? ""
                lines.append("    --collector.\(entry.name).\(setting.name)  \(setting.help)\(defaultText)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
