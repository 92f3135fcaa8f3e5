import Exposition
import Foundation
import Testing

/// `promtool check metrics` (Prometheus's own parser and linter) on the encoder's 0.0.4 output.
@Suite("promtool check metrics")
struct PromtoolTests {
    static let promtool = "/usr/bin/promtool"
    static var installed: Bool { FileManager.default.isExecutableFile(atPath: promtool) }

    /// Counter, gauge, untyped and info families; escaped and non-ASCII label values; special floats.
    static var representative: [MetricFamily] {
        var requests = MetricFamily(name: "nimbus_http_requests_total", type: .counter, help: "HTTP requests served, by \"code\" and path.")
        requests.add(1_234_567, ["code": "200", "path": "/metrics"])
        requests.add(0, ["code": "404", "path": #"C:\dir "quoted"\n"# + "\nsecond line"])
        requests.add(.leastNonzeroMagnitude, ["code": "500", "path": "/ünïcödé/☃/東京"])
        var temperature = MetricFamily(name: "nimbus_sensor_temperature_celsius", type: .gauge, help: "Sensor temperature.\nSecond line with a back\\slash.")
        for (sensor, value) in [("pos_inf", Double.infinity), ("neg_inf", -.infinity), ("nan", .nan), ("neg_zero", -0.0),
                                ("tiny", 1e-05), ("huge", 1.7976931348623157e+308), ("large", 12_345_678_901_234_567_890.0),
                                ("negative", -1.5), ("fraction", 20.272000000000002), ("integer", 100_000)] {
            temperature.add(value, ["sensor": sensor])
        }
        var textfile = MetricFamily(name: "nimbus_textfile_value", type: .untyped, help: "A value from a text file.")
        textfile.add(42, ["file": "a.prom"])
        textfile.add(-2.4e10, ["file": "b.prom"])
        var build = MetricFamily(name: "nimbus_exporter_build_info", type: .info, help: "Build information.")
        build.add(1, ["version": "0.1.0", "revision": "6dc2581"])
        let uptime = MetricFamily.single("nimbus_process_start_time_seconds", .gauge, help: "Start time.", value: 1.795316879e9)
        let empty = MetricFamily(name: "nimbus_empty", type: .gauge, help: "No samples.")
        return [uptime, textfile, requests, empty, temperature, build]
    }

    @Test(.enabled(if: installed, "promtool is not installed at /usr/bin/promtool (Debian package prometheus)"))
    func acceptsTheTextOutputWithoutLintProblems() throws {
        let text = TextEncoder.encode(normalized(Self.representative).families, format: .prometheusText)
        // Sanity: the rendering contains what this test claims to check.
        let rendered = String(decoding: text, as: UTF8.self)
        for needle in ["+Inf", "-Inf", "NaN", #"\\dir \"quoted\"\\n\nsecond"#, "☃", "untyped", "counter", "gauge"] {
            #expect(rendered.contains(needle), "rendering lacks \(needle)")
        }
        let result = try runTool(Self.promtool, ["check", "metrics"], input: text)
        let output = String(decoding: result.stdout, as: UTF8.self) + result.stderr
        #expect(result.status == 0, "promtool exit \(result.status): \(output)\n--- input ---\n\(rendered)")
        #expect(output.isEmpty, "promtool said: \(output)")
    }

    @Test(.enabled(if: installed, "promtool is not installed at /usr/bin/promtool (Debian package prometheus)"))
    func acceptsTheDeterminismFixture() throws {
        let text = TextEncoder.encode(normalized(DeterminismFixture.collectors.flatMap { $0 }).families, format: .prometheusText)
        let result = try runTool(Self.promtool, ["check", "metrics"], input: text)
        let output = String(decoding: result.stdout, as: UTF8.self) + result.stderr
        #expect(result.status == 0, "promtool exit \(result.status): \(output)")
        #expect(output.isEmpty, "promtool said: \(output)")
    }

    /// Proves the harness can see a failure: promtool must reject malformed text and unescaped quotes.
    @Test(.enabled(if: installed, "promtool is not installed at /usr/bin/promtool (Debian package prometheus)"))
    func harnessDetectsBrokenInput() throws {
        let broken = Array("# HELP m h\n# TYPE m gauge\nm{l=\"a\"b\"} 1\n".utf8)
        let result = try runTool(Self.promtool, ["check", "metrics"], input: broken)
        #expect(result.status != 0)
        let lint = Array("# HELP m_total h\n# TYPE m_total gauge\nm_total 1\n".utf8)
        let linted = try runTool(Self.promtool, ["check", "metrics"], input: lint)
        #expect(linted.status != 0 || !(String(decoding: linted.stdout, as: UTF8.self) + linted.stderr).isEmpty)
    }
}
