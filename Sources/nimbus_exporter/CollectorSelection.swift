import HostMetrics

/// node_exporter's collector switches: `--collector.<name>`, `--no-collector.<name>` and
/// `--collector.disable-defaults`. They are taken out of the arguments before the flag parser
/// sees the rest, since their set grows with the catalog.
struct CollectorSelection: Equatable {
    var explicitlyEnabled: Set<String> = []
    var explicitlyDisabled: Set<String> = []
    var disableDefaults = false

    /// Splits the switches off `arguments`; everything else is returned untouched, in order.
    static func extract(from arguments: [String], known: [String]) -> (CollectorSelection, [String]) {
        var selection = CollectorSelection()
        var rest: [String] = []
        let knownNames = Set(known)
        for argument in arguments {
            if argument == "--collector.disable-defaults" {
                selection.disableDefaults = true
            } else if argument.hasPrefix("--collector."), knownNames.contains(String(argument.dropFirst(12))) {
                let name = String(argument.dropFirst(12))
                selection.explicitlyEnabled.insert(name)
                selection.explicitlyDisabled.remove(name)
            } else if argument.hasPrefix("--no-collector."), knownNames.contains(String(argument.dropFirst(15))) {
                let name = String(argument.dropFirst(15))
                selection.explicitlyDisabled.insert(name)
                selection.explicitlyEnabled.remove(name)
            } else {
                rest.append(argument)
            }
        }
        return (selection, rest)
    }

    func isEnabled(_ entry: CollectorCatalog.Entry) -> Bool {
        if explicitlyDisabled.contains(entry.name) { return false }
        if explicitlyEnabled.contains(entry.name) { return true }
        return entry.enabledByDefault && !disableDefaults
    }

    /// The switch lines for `--help`.
    static var helpText: String {
        var lines = ["Collectors (enable with --collector.<name>, disable with --no-collector.<name>;",
                     "--collector.disable-defaults turns off every collector not enabled explicitly):"]
        for entry in CollectorCatalog.entries {
            lines.append("  \(entry.name)\(entry.enabledByDefault ? " (default on)" : " (default off)")")
        }
        return lines.joined(separator: "\n")
    }
}
