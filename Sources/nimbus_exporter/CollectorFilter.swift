/// node_exporter's per-scrape collector selection: `collect[]=<name>` (only these) or
/// `exclude[]=<name>` (all but these), among the collectors enabled at start.
enum CollectorFilter {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(collect: [String], exclude: [String], enabled: [String]) -> Result<@Sendable (String) -> Bool, Failure> {
        if !collect.isEmpty && !exclude.isEmpty {
            return .failure(Failure(description: "collect[] and exclude[] cannot be used together"))
        }
        let known = Set(enabled)
        for name in collect + exclude where !known.contains(name) {
            return .failure(Failure(description: "unknown or disabled collector \"\(name)\"; enabled: \(enabled.joined(separator: ", "))"))
        }
        if !collect.isEmpty {
            let wanted = Set(collect)
            return .success { wanted.contains($0) }
        }
        let unwanted = Set(exclude)
        return .success { !unwanted.contains($0) }
    }
}
