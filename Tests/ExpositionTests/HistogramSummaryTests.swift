import Exposition
import Foundation
import Testing

@Suite struct HistogramSummaryTests {
    /// A histogram with two label sets, added out of order, with a duplicate bucket.
    private func histogram() -> MetricFamily {
        var family = MetricFamily(name: "job_seconds", type: .histogram, help: "Job durations.")
        family.add(7, labels: [Label("job", "b")], suffix: "_count")
        family.add(3, labels: [Label("le", "+Inf"), Label("job", "a")], suffix: "_bucket")
        family.add(2, labels: [Label("job", "a"), Label("le", "10")], suffix: "_bucket")
        family.add(1, labels: [Label("job", "a"), Label("le", "2")], suffix: "_bucket")
        family.add(9, labels: [Label("job", "a"), Label("le", "2")], suffix: "_bucket")
        family.add(12.5, labels: [Label("job", "a")], suffix: "_sum")
        family.add(3, labels: [Label("job", "a")], suffix: "_count")
        family.add(7, labels: [Label("job", "b"), Label("le", "+Inf")], suffix: "_bucket")
        family.add(30, labels: [Label("job", "b")], suffix: "_sum")
        return family
    }

    @Test func textFormatGroupsEachLabelSetWithBucketsByNumericBound() {
        var set = MetricSet([histogram()])
        let report = set.normalize()
        #expect(report.duplicateSeries == 1)
        let text = String(decoding: TextEncoder.encode(set.families, format: .prometheusText), as: UTF8.self)
        #expect(text == """
            # HELP job_seconds Job durations.
            # TYPE job_seconds histogram
            job_seconds_bucket{job="a",le="2"} 1
            job_seconds_bucket{job="a",le="10"} 2
            job_seconds_bucket{job="a",le="+Inf"} 3
            job_seconds_sum{job="a"} 12.5
            job_seconds_count{job="a"} 3
            job_seconds_bucket{job="b",le="+Inf"} 7
            job_seconds_sum{job="b"} 30
            job_seconds_count{job="b"} 7

            """)
    }

    @Test func openMetricsKeepsTheFamilyNameAndSuffixes() {
        var summary = MetricFamily(name: "rpc_seconds", type: .summary, help: "RPC latency.")
        summary.add(100, labels: [], suffix: "_count")
        summary.add(0.25, labels: [Label("quantile", "0.5")])
        summary.add(40, labels: [], suffix: "_sum")
        summary.add(1.5, labels: [Label("quantile", "0.99")])
        var set = MetricSet([summary])
        _ = set.normalize()
        let text = String(decoding: TextEncoder.encode(set.families, format: .openMetrics), as: UTF8.self)
        #expect(text == """
            # TYPE rpc_seconds summary
            # HELP rpc_seconds RPC latency.
            rpc_seconds{quantile="0.5"} 0.25
            rpc_seconds{quantile="0.99"} 1.5
            rpc_seconds_sum 40
            rpc_seconds_count 100
            # EOF

            """)
    }

    @Test func promtoolAcceptsTheOutput() throws {
        let promtool = "/usr/bin/promtool"
        guard FileManager.default.isExecutableFile(atPath: promtool) else { return }
        var set = MetricSet([histogram()])
        _ = set.normalize()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: promtool)
        process.arguments = ["check", "metrics"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(TextEncoder.encode(set.families, format: .prometheusText)))
        try input.fileHandleForWriting.close()
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "promtool: \(said)")
    }
}
