import Exposition
import Testing

@Suite("Escaping of label values and HELP text")
struct EscapingTests {
    private func labelLine(_ value: String, _ format: ExpositionFormat) -> String {
        var family = MetricFamily(name: "m", type: .gauge, help: "h")
        family.add(1, ["l": value])
        return String(sampleLines(render([family], format))[0])
    }

    private func helpLine(_ help: String, _ format: ExpositionFormat) -> String {
        let family = MetricFamily.single("m", .gauge, help: help, value: 1)
        let text = render([family], format)
        return String(text.split(separator: "\n").first { $0.hasPrefix("# HELP") }!)
    }

    @Test(arguments: [ExpositionFormat.prometheusText, .openMetrics])
    func labelValueEscapesBackslashQuoteAndNewline(format: ExpositionFormat) {
        #expect(labelLine(#"C:\dir"#, format) == #"m{l="C:\\dir"} 1"#)
        #expect(labelLine(#"say "hi""#, format) == #"m{l="say \"hi\""} 1"#)
        #expect(labelLine("two\nlines", format) == #"m{l="two\nlines"} 1"#)
        #expect(labelLine("\\\"\n", format) == #"m{l="\\\"\n"} 1"#)
        // An already escaped-looking sequence is escaped again, not passed through.
        #expect(labelLine(#"\n"#, format) == #"m{l="\\n"} 1"#)
    }

    @Test func labelValueWithoutSpecialCharactersIsVerbatim() {
        #expect(labelLine("plain value, tabs\tand {braces} = ok", .prometheusText)
            == "m{l=\"plain value, tabs\tand {braces} = ok\"} 1")
        #expect(labelLine("", .prometheusText) == #"m{l=""} 1"#)
    }

    @Test func textFormatHelpEscapesBackslashAndNewlineButNotQuotes() {
        #expect(helpLine("a\\b \"quoted\"\nsecond line", .prometheusText)
            == #"# HELP m a\\b "quoted"\nsecond line"#)
    }

    @Test func openMetricsHelpAlsoEscapesQuotes() {
        #expect(helpLine("a\\b \"quoted\"\nsecond line", .openMetrics)
            == #"# HELP m a\\b \"quoted\"\nsecond line"#)
    }

    @Test(arguments: [ExpositionFormat.prometheusText, .openMetrics])
    func nonASCIIPassesThroughAsUTF8(format: ExpositionFormat) {
        var family = MetricFamily(name: "m", type: .gauge, help: "Température — 温度 ☃")
        family.add(1, ["city": "Zürich ☃ 東京 🚀"])
        let bytes = TextEncoder.encode([family], format: format)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("m{city=\"Zürich ☃ 東京 🚀\"} 1\n"))
        #expect(text.contains("# HELP m Température — 温度 ☃\n"))
        // Raw UTF-8 bytes, not \u escapes or Latin-1.
        let snowman: [UInt8] = [0xE2, 0x98, 0x83]
        #expect(bytes.indices.contains { bytes[$0...].starts(with: snowman) })
        #expect(!text.contains("\\u"))
    }

    @Test func labelNamesAreWrittenInGivenOrderByTheEncoder() {
        // The encoder does not sort; normalize() does (see MetricSetTests).
        var family = MetricFamily(name: "m", type: .gauge, help: "h")
        family.add(1, ["b": "2", "a": "1"])
        #expect(sampleLines(render([family])) == [#"m{b="2",a="1"} 1"#])
        #expect(sampleLines(renderNormalized([family])) == [#"m{a="1",b="2"} 1"#])
    }
}
