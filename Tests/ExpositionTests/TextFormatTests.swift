import Exposition
import Testing

/// A small scrape with one family of each type, added out of order, plus an empty family.
enum SmallScrape {
    static var families: [MetricFamily] {
        let load = MetricFamily.single("node_load1", .gauge, help: "1m load average.", value: 0.41)
        let switches = MetricFamily.single("node_context_switches_total", .counter,
                                           help: "Total number of context switches.", value: 1.795316879e9)
        let empty = MetricFamily(name: "nimbus_empty", type: .gauge, help: "Never has samples.")
        var textfile = MetricFamily(name: "nimbus_textfile_value", type: .untyped, help: "A value read from a text file.")
        textfile.add(7, ["file": "b.prom"])
        textfile.add(-2.5, ["file": "a.prom"])
        var build = MetricFamily(name: "nimbus_exporter_build_info", type: .info, help: "Build information of nimbus_exporter.")
        build.add(1, ["version": "1.2.3", "revision": "abc123"])
        return [load, switches, empty, textfile, build]
    }
}

@Suite("Text format 0.0.4")
struct TextFormatTests {
    @Test func rendersTheExactExpectedText() {
        let expected = """
            # HELP nimbus_exporter_build_info Build information of nimbus_exporter.
            # TYPE nimbus_exporter_build_info gauge
            nimbus_exporter_build_info{revision="abc123",version="1.2.3"} 1
            # HELP nimbus_textfile_value A value read from a text file.
            # TYPE nimbus_textfile_value untyped
            nimbus_textfile_value{file="a.prom"} -2.5
            nimbus_textfile_value{file="b.prom"} 7
            # HELP node_context_switches_total Total number of context switches.
            # TYPE node_context_switches_total counter
            node_context_switches_total 1.795316879e+09
            # HELP node_load1 1m load average.
            # TYPE node_load1 gauge
            node_load1 0.41

            """
        #expect(renderNormalized(SmallScrape.families) == expected)
    }

    @Test func everyRenderedFamilyHasHelpThenTypeBeforeItsSamples() {
        let lines = renderNormalized(DeterminismFixture.collectors.flatMap { $0 }).split(separator: "\n")
        var current: String?
        var helpCount = 0
        for (index, line) in lines.enumerated() {
            if line.hasPrefix("# HELP ") {
                let name = String(line.dropFirst(7).prefix { $0 != " " })
                #expect(lines[index + 1].hasPrefix("# TYPE \(name) "))
                current = name
                helpCount += 1
            } else if !line.hasPrefix("#") {
                let name = line.prefix { $0 != "{" && $0 != " " }
                #expect(String(name) == current, "sample \(line) outside its family")
            }
        }
        #expect(helpCount == 8)
    }

    @Test func infoIsWrittenAsGaugeWithItsFullName() {
        var info = MetricFamily(name: "aws_ec2_info", type: .info, help: "EC2 instances.")
        info.add(1, ["instance_id": "i-1"])
        #expect(render([info]) == "# HELP aws_ec2_info EC2 instances.\n# TYPE aws_ec2_info gauge\naws_ec2_info{instance_id=\"i-1\"} 1\n")
    }

    @Test func counterNameIsUsedAsIsWithoutAddingTotal() {
        let counter = MetricFamily.single("nimbus_requests", .counter, help: "h", value: 3)
        #expect(render([counter]) == "# HELP nimbus_requests h\n# TYPE nimbus_requests counter\nnimbus_requests 3\n")
    }

    @Test func typeNamesForEveryType() {
        let types: [(MetricType, String)] = [(.counter, "counter"), (.gauge, "gauge"), (.untyped, "untyped"), (.info, "gauge")]
        for (type, name) in types {
            #expect(render([.single("m", type, help: "h", value: 1)]).contains("\n# TYPE m \(name)\n"))
        }
    }

    @Test func writesNoSampleTimestamps() {
        let text = renderNormalized(DeterminismFixture.collectors.flatMap { $0 })
        let lines = sampleLines(text)
        #expect(lines.count > 20)
        for line in lines {
            // After the series (name and optional label block) there is exactly one field: the value.
            let afterSeries = line.lastIndex(of: "}").map { line[line.index(after: $0)...] }
                ?? line.drop { $0 != " " }
            let fields = afterSeries.split(separator: " ")
            #expect(fields.count == 1, "\(line)")
            #expect(Double(fields.first ?? "") != nil || fields.first == "NaN", "\(line)")
        }
    }

    @Test func omitsFamiliesWithoutSamples() {
        let empty = MetricFamily(name: "nimbus_empty", type: .gauge, help: "Never has samples.")
        #expect(render([empty]).isEmpty)
        #expect(render([empty], .openMetrics) == "# EOF\n")
        #expect(!renderNormalized(SmallScrape.families).contains("nimbus_empty"))
    }

    @Test func emptyHelpStillWritesTheHelpLine() {
        let family = MetricFamily.single("m", .gauge, help: "", value: 1)
        #expect(render([family]) == "# HELP m \n# TYPE m gauge\nm 1\n")
    }

    @Test func specialValuesAreSpelledTheWayPrometheusParsesThem() {
        var family = MetricFamily(name: "m", type: .gauge, help: "h")
        family.add(.infinity, ["v": "a"])
        family.add(-.infinity, ["v": "b"])
        family.add(.nan, ["v": "c"])
        family.add(-0.0, ["v": "d"])
        #expect(sampleLines(render([family])) == [#"m{v="a"} +Inf"#, #"m{v="b"} -Inf"#, #"m{v="c"} NaN"#, #"m{v="d"} -0"#])
    }

    @Test func encodeIntoAppendsToTheCallersBuffer() {
        var buffer = Array("prefix\n".utf8)
        TextEncoder.encode([.single("m", .gauge, help: "h", value: 1)], format: .prometheusText, into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "prefix\n# HELP m h\n# TYPE m gauge\nm 1\n")
    }
}
