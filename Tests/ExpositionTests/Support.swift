import Exposition

/// Renders families exactly as given (no normalisation) and decodes the bytes as UTF-8.
func render(_ families: [MetricFamily], _ format: ExpositionFormat = .prometheusText) -> String {
    String(decoding: TextEncoder.encode(families, format: format), as: UTF8.self)
}

/// Normalises a set of families and returns the resulting families with the report.
func normalized(_ families: [MetricFamily]) -> (families: [MetricFamily], report: NormalizationReport) {
    var set = MetricSet(families)
    let report = set.normalize()
    return (set.families, report)
}

/// Normalises, then renders.
func renderNormalized(_ families: [MetricFamily], _ format: ExpositionFormat = .prometheusText) -> String {
    render(normalized(families).families, format)
}

/// One sample value as the encoder writes it.
func formatted(_ value: Double) -> String {
    var out: [UInt8] = []
    FloatFormatting.append(value, to: &out)
    return String(decoding: out, as: UTF8.self)
}

/// The lines of a rendering that are samples (not comments).
func sampleLines(_ text: String) -> [Substring] {
    text.split(separator: "\n").filter { !$0.hasPrefix("#") }
}

/// A small deterministic generator, so property tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
