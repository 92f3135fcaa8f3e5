import Exposition
import HostMetrics
import Testing

@Suite struct TextFormatParserTests {
    static func parse(_ text: String) throws(TextFormatParser.ParseError) -> [TextFormatParser.Family] {
        try TextFormatParser.parse(ArraySlice(text.utf8))
    }

    static func labels(_ sample: TextFormatParser.Sample) -> [String: String] {
        var result: [String: String] = [:]
        for label in sample.labels { result[label.name] = label.value }
        return result
    }

    @Test func helpTypeSamplesCommentsAndBlankLines() throws {
        let families = try Self.parse("""
            # A comment line.
            #

            # HELP requests_total Requests served.
            # TYPE requests_total counter
            requests_total{code="200",method="get"} 1027
            requests_total{code="500" ,method = "post",} 3.5e1
            #TYPE temp gauge
            \ttemp 21.5
            bare 1
            """ + "\n")
        #expect(families.map(\.name) == ["requests_total", "temp", "bare"])
        #expect(families[0].kind == .counter)
        #expect(families[0].help == "Requests served.")
        #expect(families[0].samples.map(\.value) == [1027, 35])
        #expect(Self.labels(families[0].samples[0]) == ["code": "200", "method": "get"])
        #expect(Self.labels(families[0].samples[1]) == ["code": "500", "method": "post"])
        #expect(families[1].kind == .gauge)
        #expect(families[1].help == nil)
        #expect(families[1].samples.map(\.value) == [21.5])
        #expect(families[2].kind == .untyped)
        #expect(families[2].samples[0].labels.isEmpty)
        #expect(families[2].samples[0].timestamp == nil)
    }

    @Test func otherCommentIsIgnored() throws {
        // `# other_comment ...` lines are comments even when they mention HELP.
        let families = try Self.parse("# other HELP x y\n# HELPER not a help\nx 1\n")
        #expect(families.map(\.name) == ["x"])
        #expect(families[0].help == nil)
    }

    @Test func escapesInLabelValuesAndHelp() throws {
        let families = try Self.parse(#"""
            # HELP m Line one\nline two \\ backslash, "quotes" kept.
            m{path="C:\\dir",quote="say \"hi\"",nl="a\nb",utf="grüße ✓"} 1
            """#)
        #expect(families[0].help == "Line one\nline two \\ backslash, \"quotes\" kept.")
        #expect(Self.labels(families[0].samples[0]) == ["path": "C:\\dir", "quote": "say \"hi\"", "nl": "a\nb", "utf": "grüße ✓"])
    }

    @Test func specialValuesAndTimestamps() throws {
        let families = try Self.parse("""
            a +Inf
            b -Inf
            c NaN
            d Inf
            e -0.5
            f 0x1p-2
            g 12 1700000000000
            h 1 -5
            """)
        let values = families.map { $0.samples[0].value }
        #expect(values[0] == .infinity)
        #expect(values[1] == -.infinity)
        #expect(values[2].isNaN)
        #expect(values[3] == .infinity)
        #expect(values[4] == -0.5)
        #expect(values[5] == 0.25)
        #expect(families[6].samples[0].timestamp == 1_700_000_000_000)
        #expect(families[7].samples[0].timestamp == -5)
        #expect(families[0].samples[0].timestamp == nil)
    }

    @Test func histogramAndSummarySamplesJoinTheirFamily() throws {
        let families = try Self.parse("""
            # TYPE h histogram
            h_bucket{le="0.5"} 1
            h_bucket{le="+Inf"} 2
            h_sum 0.7
            h_count 2
            # TYPE s summary
            s{quantile="0.9"} 3
            s_sum 10
            s_count 4
            s_bucket 9
            # TYPE g gauge
            g_sum 5
            """)
        #expect(families.map(\.name) == ["h", "s", "s_bucket", "g", "g_sum"])
        #expect(families[0].kind == .histogram)
        #expect(families[0].samples.map(\.name) == ["h_bucket", "h_bucket", "h_sum", "h_count"])
        #expect(families[1].kind == .summary)
        #expect(families[1].samples.map(\.name) == ["s", "s_sum", "s_count"])
        // A summary has no buckets, a gauge no sum: those are families of their own.
        #expect(families[2].kind == .untyped)
        #expect(families[4].kind == .untyped)
        #expect(families[3].samples.isEmpty)
    }

    @Test func samplesOfOneFamilyNeedNotBeAdjacent() throws {
        let families = try Self.parse("a 1\nb 2\na{x=\"y\"} 3\n")
        #expect(families.map(\.name) == ["a", "b"])
        #expect(families[0].samples.map(\.value) == [1, 3])
    }

    @Test func windowsLineEndingsAndLeadingBlanks() throws {
        let families = try Self.parse("# TYPE a gauge\r\n  a 1\r\n\t\r\n")
        #expect(families.count == 1)
        #expect(families[0].kind == .gauge)
        #expect(families[0].samples[0].value == 1)
    }

    @Test func helpOrTypeWithoutTextSaysNothing() throws {
        let families = try Self.parse("# HELP\n# TYPE\n# HELP a\n# TYPE a\n# HELP a Now it has one.\na 1\n")
        #expect(families.map(\.name) == ["a"])
        #expect(families[0].help == "Now it has one.")
        #expect(families[0].kind == .untyped)
    }

    @Test func emptyInputHasNoFamilies() throws {
        #expect(try Self.parse("").isEmpty)
        #expect(try Self.parse("\n\n# nothing\n").isEmpty)
    }

    @Test func badLinesAreErrorsWithTheirLineNumber() {
        let cases: [(String, Int)] = [
            ("ok 1\nbad-name 1\n", 2),
            ("1abc 2\n", 1),
            ("m{l=\"unterminated} 2\n", 1),
            ("m{l=\"v\" 2\n", 1),
            ("m{l=v} 2\n", 1),
            ("m{l} 2\n", 1),
            ("m{1l=\"v\"} 2\n", 1),
            ("m{__name__=\"v\"} 2\n", 1),
            ("m{a=\"1\",a=\"2\"} 2\n", 1),
            ("m{a=\"\\t\"} 2\n", 1),
            ("m{a=\"1\"b=\"2\"} 2\n", 1),
            ("m{,} 2\n", 1),
            ("m\n", 1),
            ("m{} \n", 1),
            ("m abc\n", 1),
            ("m 1_000\n", 1),
            ("m 1 2 3\n", 1),
            ("m 1 1.5\n", 1),
            ("\n\n# HELP m one\n# HELP m two\n", 4),
            ("# TYPE m gauge\n# TYPE m counter\n", 2),
            ("m 1\n# TYPE m gauge\n", 2),
            ("# TYPE m gauges\n", 1),
            ("# TYPE m-x gauge\n", 1),
            ("# HELP m bad \\t escape\n", 1),
            ("# HELP m trailing \\\n", 1),
            ("# TYPE s summary\ns 1\n", 2),
            ("# TYPE s summary\ns{quantile=\"x\"} 1\n", 2),
            ("# TYPE h histogram\nh_bucket 1\n", 2),
            ("# TYPE h histogram\nh_bucket{le=\"big\"} 1\n", 2),
            ("# TYPE h histogram\nh 1\n", 2),
        ]
        for (text, line) in cases {
            do {
                _ = try Self.parse(text)
                Issue.record("no error for \(text.debugDescription)")
            } catch {
                #expect(error.line == line, "\(text.debugDescription): \(error)")
            }
        }
    }

    @Test func invalidUTF8InLabelValuesIsAnError() {
        var bytes = Array("m{a=\"".utf8)
        bytes += [0xff, 0xfe]
        bytes += Array("\"} 1\n".utf8)
        #expect(throws: TextFormatParser.ParseError.self) { try TextFormatParser.parse(bytes[...]) }
    }
}
