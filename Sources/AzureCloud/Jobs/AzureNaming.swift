/// Prometheus names for Azure Monitor metrics: `azure_<namespace>_<metric>_<aggregation>`,
/// e.g. `Microsoft.Compute/virtualMachines` `Percentage CPU` `Average` →
/// `azure_microsoft_compute_virtualmachines_percentage_cpu_average`.
enum AzureNaming {
    /// The namespace lower-cased as a whole (`virtualMachines` → `virtualmachines`), as Azure
    /// treats namespaces case-insensitively and writes them in either case.
    static func namespacePart(_ namespace: String) -> String {
        collapse(namespace.lowercased())
    }

    /// A metric name snake-cased: a `_` where a lower-case letter or digit meets an upper-case
    /// one (`UsedCapacity` → `used_capacity`), `%` as `percent`, anything else not a letter or
    /// digit as `_`.
    static func snakeCase(_ text: String) -> String {
        var out = ""
        var previous: Character?
        for character in text {
            if character == "%" {
                out += "_percent_"
            } else if character.isUppercase, let previous, previous.isLowercase || previous.isNumber {
                out += "_" + character.lowercased()
            } else {
                out += character.lowercased()
            }
            previous = character
        }
        return collapse(out)
    }

    /// The aggregation's part. `Total` and `Count` would end a gauge's name in `_total` and
    /// `_count`, suffixes Prometheus reserves for counters and histograms (promtool rejects
    /// them), so they are written `total_value` and `count_value`.
    static func aggregationPart(_ aggregation: AzureMetricConfig.Aggregation) -> String {
        switch aggregation {
        case .average: "average"
        case .minimum: "minimum"
        case .maximum: "maximum"
        case .total: "total_value"
        case .count: "count_value"
        }
    }

    static func metricName(namespace: String, metric: String, aggregation: AzureMetricConfig.Aggregation) -> String {
        "azure_\(namespacePart(namespace))_\(snakeCase(metric))_\(aggregationPart(aggregation))"
    }

    /// `tag_<key>` / `dimension_<name>` with the key snake-cased.
    static func labelName(prefix: String, _ key: String) -> String {
        prefix + snakeCase(key)
    }

    /// Only `[a-z0-9_]` remain, runs of `_` become one, none at either end.
    private static func collapse(_ text: String) -> String {
        var out = ""
        var pendingUnderscore = false
        for scalar in text.unicodeScalars {
            let keep = (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9")
            if keep {
                if pendingUnderscore && !out.isEmpty { out += "_" }
                pendingUnderscore = false
                out.unicodeScalars.append(scalar)
            } else {
                pendingUnderscore = true
            }
        }
        return out.isEmpty ? "unnamed" : out
    }
}
