import Exposition
import Testing

@Suite("OpenMetrics 1.0 text")
struct OpenMetricsTests {
    @Test func rendersTheExactExpectedText() {
        let expected = """
            # TYPE nimbus_exporter_build info
            # HELP nimbus_exporter_build Build information of nimbus_exporter.
            nimbus_exporter_build_info{revision="abc123",version="1.2.3"} 1
            # TYPE nimbus_textfile_value unknown
            # HELP nimbus_textfile_value A value read from a text file.
            nimbus_textfile_value{file="a.prom"} -2.5
            nimbus_textfile_value{file="b.prom"} 7
            # TYPE node_context_switches counter
            # HELP node_context_switches Total number of context switches.
            node_context_switches_total 1.795316879e+09
            # TYPE node_load1 gauge
            # HELP node_load1 1m load average.
            node_load1 0.41
            # EOF

            """
        #expect(renderNormalized(SmallScrape.families, .openMetrics) == expected)
    }

    @Test func endsWithEOFExactlyOnce() {
        let text = renderNormalized(DeterminismFixture.collectors.flatMap { $0 }, .openMetrics)
        #expect(text.hasSuffix("\n# EOF\n"))
        #expect(text.components(separatedBy: "# EOF").count == 2)
        #expect(render([], .openMetrics) == "# EOF\n")
        #expect(!renderNormalized(SmallScrape.families).contains("# EOF"))
    }

    @Test func counterFamilyDropsTotalAndSamplesKeepIt() {
        var counter = MetricFamily(name: "node_cpu_seconds_total", type: .counter, help: "h")
        counter.add(1, ["cpu": "0"])
        let text = render([counter], .openMetrics)
        #expect(text == "# TYPE node_cpu_seconds counter\n# HELP node_cpu_seconds h\nnode_cpu_seconds_total{cpu=\"0\"} 1\n# EOF\n")
    }

    @Test func counterWithoutTotalGetsItOnSamples() {
        let counter = MetricFamily.single("nimbus_requests", .counter, help: "h", value: 3)
        #expect(render([counter], .openMetrics)
            == "# TYPE nimbus_requests counter\n# HELP nimbus_requests h\nnimbus_requests_total 3\n# EOF\n")
    }

    @Test func infoFamilyDropsInfoAndSamplesKeepIt() {
        var info = MetricFamily(name: "aws_ec2_info", type: .info, help: "EC2 instances.")
        info.add(1, ["instance_id": "i-1"])
        #expect(render([info], .openMetrics)
            == "# TYPE aws_ec2 info\n# HELP aws_ec2 EC2 instances.\naws_ec2_info{instance_id=\"i-1\"} 1\n# EOF\n")
        let bare = MetricFamily.single("nimbus_build", .info, help: "h", value: 1)
        #expect(render([bare], .openMetrics) == "# TYPE nimbus_build info\n# HELP nimbus_build h\nnimbus_build_info 1\n# EOF\n")
    }

    @Test func untypedIsUnknownAndGaugeIsGauge() {
        #expect(render([.single("m", .untyped, help: "h", value: 1)], .openMetrics) == "# TYPE m unknown\n# HELP m h\nm 1\n# EOF\n")
        #expect(render([.single("m", .gauge, help: "h", value: 1)], .openMetrics) == "# TYPE m gauge\n# HELP m h\nm 1\n# EOF\n")
    }

    @Test func unitIsWrittenOnlyWhenTheFamilyNameEndsInIt() {
        var cpu = MetricFamily(name: "node_cpu_seconds_total", type: .counter, help: "h", unit: "seconds")
        cpu.add(1)
        #expect(render([cpu], .openMetrics)
            == "# TYPE node_cpu_seconds counter\n# UNIT node_cpu_seconds seconds\n# HELP node_cpu_seconds h\nnode_cpu_seconds_total 1\n# EOF\n")

        var memory = MetricFamily(name: "node_memory_MemAvailable_bytes", type: .gauge, help: "h", unit: "bytes")
        memory.add(1)
        #expect(render([memory], .openMetrics).contains("# UNIT node_memory_MemAvailable_bytes bytes\n"))

        let cases: [(name: String, unit: String?)] = [
            ("node_load1", "seconds"),          // name does not carry the unit
            ("node_boot_time_seconds", nil),    // no unit given
            ("node_boot_time_seconds", ""),     // empty unit
            ("node_xseconds", "seconds"),       // suffix without the underscore
            ("nimbus_seconds_count", "seconds"),
        ]
        for (name, unit) in cases {
            var family = MetricFamily(name: name, type: .gauge, help: "h", unit: unit)
            family.add(1)
            #expect(!render([family], .openMetrics).contains("# UNIT"), "\(name) \(unit ?? "nil")")
        }
        // The text format never has a UNIT line.
        #expect(!render([cpu, memory]).contains("UNIT"))
    }

    @Test func helpEscapesBackslashNewlineAndQuote() {
        let family = MetricFamily.single("m", .gauge, help: "path \"C:\\x\"\nmore", value: 1)
        #expect(render([family], .openMetrics).contains(#"# HELP m path \"C:\\x\"\nmore"# + "\n"))
    }

    @Test func specialValues() {
        var family = MetricFamily(name: "m", type: .gauge, help: "h")
        family.add(.infinity, ["v": "a"])
        family.add(-.infinity, ["v": "b"])
        family.add(.nan, ["v": "c"])
        #expect(sampleLines(render([family], .openMetrics)) == [#"m{v="a"} +Inf"#, #"m{v="b"} -Inf"#, #"m{v="c"} NaN"#])
    }
}
