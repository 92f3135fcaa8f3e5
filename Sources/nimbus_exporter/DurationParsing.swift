/// Durations as node_exporter's flags write them: `500ms`, `5s`, `1m`, `1h`, or a bare number of seconds.
enum DurationParsing {
    static func seconds(_ text: String) -> Double? {
        let units: [(suffix: String, scale: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for unit in units where text.hasSuffix(unit.suffix) {
            guard let number = Double(text.dropLast(unit.suffix.count)), number >= 0 else { return nil }
            return number * unit.scale
        }
        guard let number = Double(text), number >= 0 else { return nil }
        return number
    }
}
