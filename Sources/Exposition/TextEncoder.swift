/// Renders normalised families in the Prometheus text format 0.0.4 or OpenMetrics 1.0.
///
/// The encoder writes into a caller-owned byte buffer so a server can reuse it between scrapes.
/// It does no sorting or de-duplication itself: call `MetricSet.normalize()` first.
public enum TextEncoder {
    public static func encode(_ families: [MetricFamily], format: ExpositionFormat, into out: inout [UInt8]) {
        encodeFamilies(families, format: format, into: &out)
        finish(format: format, into: &out)
    }

    /// Writes the families only, so several separately encoded parts can make one page; end the
    /// page with `finish`.
    public static func encodeFamilies(_ families: [MetricFamily], format: ExpositionFormat, into out: inout [UInt8]) {
        for family in families where !family.samples.isEmpty {
            switch format {
            case .prometheusText: writeTextFamily(family, into: &out)
            case .openMetrics: writeOpenMetricsFamily(family, into: &out)
            }
        }
    }

    /// Ends a page: OpenMetrics needs `# EOF`, the text format nothing.
    public static func finish(format: ExpositionFormat, into out: inout [UInt8]) {
        if format == .openMetrics {
            out.append(contentsOf: "# EOF\n".utf8)
        }
    }

    /// Encodes into a new buffer; convenient for tests and tools.
    public static func encode(_ families: [MetricFamily], format: ExpositionFormat) -> [UInt8] {
        var out: [UInt8] = []
        encode(families, format: format, into: &out)
        return out
    }

    private static func writeTextFamily(_ family: MetricFamily, into out: inout [UInt8]) {
        out.append(contentsOf: "# HELP ".utf8)
        out.append(contentsOf: family.name.utf8)
        out.append(UInt8(ascii: " "))
        appendEscaped(family.help, quotes: false, into: &out)
        out.append(contentsOf: "\n# TYPE ".utf8)
        out.append(contentsOf: family.name.utf8)
        out.append(contentsOf: textTypeName(family.type).utf8)
        for sample in family.samples {
            writeSample(name: family.name, suffix: sample.suffix, sample, into: &out)
        }
    }

    private static func writeOpenMetricsFamily(_ family: MetricFamily, into out: inout [UInt8]) {
        let familyName: Substring
        let suffix: String
        switch family.type {
        case .counter:
            // OpenMetrics names the counter family without `_total` and its samples with it.
            familyName = family.name.hasSuffix("_total") ? family.name.dropLast(6) : family.name[...]
            suffix = "_total"
        case .info:
            familyName = family.name.hasSuffix("_info") ? family.name.dropLast(5) : family.name[...]
            suffix = "_info"
        case .gauge, .untyped, .histogram, .summary:
            familyName = family.name[...]
            suffix = ""
        }
        out.append(contentsOf: "# TYPE ".utf8)
        out.append(contentsOf: familyName.utf8)
        out.append(contentsOf: openMetricsTypeName(family.type).utf8)
        if let unit = family.unit, !unit.isEmpty, familyName.hasSuffix("_" + unit) {
            out.append(contentsOf: "# UNIT ".utf8)
            out.append(contentsOf: familyName.utf8)
            out.append(UInt8(ascii: " "))
            out.append(contentsOf: unit.utf8)
            out.append(UInt8(ascii: "\n"))
        }
        out.append(contentsOf: "# HELP ".utf8)
        out.append(contentsOf: familyName.utf8)
        out.append(UInt8(ascii: " "))
        appendEscaped(family.help, quotes: true, into: &out)
        out.append(UInt8(ascii: "\n"))
        let sampleName = String(familyName)
        for sample in family.samples {
            writeSample(name: sampleName, suffix: sample.suffix.isEmpty ? suffix : sample.suffix, sample, into: &out)
        }
    }

    @inline(__always)
    private static func writeSample(name: String, suffix: String, _ sample: Sample, into out: inout [UInt8]) {
        out.append(contentsOf: name.utf8)
        out.append(contentsOf: suffix.utf8)
        if !sample.labels.isEmpty {
            out.append(UInt8(ascii: "{"))
            for (index, label) in sample.labels.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: label.name.utf8)
                out.append(contentsOf: "=\"".utf8)
                appendEscaped(label.value, quotes: true, into: &out)
                out.append(UInt8(ascii: "\""))
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: " "))
        FloatFormatting.append(sample.value, to: &out)
        out.append(UInt8(ascii: "\n"))
    }

    private static func textTypeName(_ type: MetricType) -> String {
        switch type {
        case .counter: " counter\n"
        case .gauge, .info: " gauge\n"
        case .untyped: " untyped\n"
        case .histogram: " histogram\n"
        case .summary: " summary\n"
        }
    }

    private static func openMetricsTypeName(_ type: MetricType) -> String {
        switch type {
        case .counter: " counter\n"
        case .gauge: " gauge\n"
        case .info: " info\n"
        case .untyped: " unknown\n"
        case .histogram: " histogram\n"
        case .summary: " summary\n"
        }
    }

    /// Escapes `\` and newline always, and `"` where `quotes` is set (label values, OpenMetrics HELP).
    @inline(__always)
    static func appendEscaped(_ text: String, quotes: Bool, into out: inout [UInt8]) {
        let utf8 = text.utf8
        let needsEscaping = utf8.contains { byte in
            byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\n") || (quotes && byte == UInt8(ascii: "\""))
        }
        guard needsEscaping else {
            out.append(contentsOf: utf8)
            return
        }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\"") where quotes: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            default: out.append(byte)
            }
        }
    }
}
