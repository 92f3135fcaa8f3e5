import Exposition
import Foundation
import TestSupport
import Testing

/// What a scraper and an operator see over HTTP from the real binary.
@Suite(.serialized) struct HTTPBehaviourTests {
    @Test func routesAndMethods() throws {
        let exporter = try RunningExporter()
        let landing = try exporter.get("/")
        #expect(landing.status == 200)
        #expect(landing.headers["content-type"]?.hasPrefix("text/html") == true)
        #expect(landing.text.contains("href=\"/metrics\""))
        #expect(try exporter.get("/-/healthy").status == 200)
        #expect(try exporter.get("/-/ready").status == 200)
        #expect(try exporter.get("/nope").status == 404)
        let post = try RawHTTPClient.request(port: exporter.port, method: "POST", path: "/metrics")
        #expect(post.status == 405)
        #expect(post.headers["allow"] == "GET, HEAD")
        let head = try RawHTTPClient.request(port: exporter.port, method: "HEAD", path: "/metrics")
        #expect(head.status == 200 && head.body.isEmpty)
    }

    @Test func customTelemetryPath() throws {
        let exporter = try RunningExporter(["--web.telemetry-path=/probe/metrics"])
        #expect(try exporter.get("/probe/metrics").text.contains("node_load1 "))
        #expect(try exporter.get("/metrics").status == 404)
    }

    @Test func textFormatByDefault() throws {
        let exporter = try RunningExporter()
        let response = try exporter.get("/metrics")
        #expect(response.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
        #expect(response.headers["content-encoding"] == nil)
        #expect(!response.text.contains("# EOF"))
    }

    @Test func openMetricsWhenPrometheusAsksForIt() throws {
        let exporter = try RunningExporter()
        let accept = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
        let response = try exporter.get("/metrics", headers: ["Accept": accept])
        #expect(response.headers["content-type"] == "application/openmetrics-text; version=1.0.0; charset=utf-8")
        #expect(response.text.hasSuffix("# EOF\n"))
        #expect(response.text.contains("# TYPE node_cpu_seconds counter\n"))
        #expect(response.text.contains("node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"}"))
    }

    @Test func gzipOnlyWhenAccepted() throws {
        let exporter = try RunningExporter()
        let compressed = try exporter.get("/metrics", headers: ["Accept-Encoding": "gzip"])
        #expect(compressed.headers["content-encoding"] == "gzip")
        let text = String(decoding: try Gzip.decompress(compressed.body), as: UTF8.self)
        #expect(text.contains("# TYPE node_load1 gauge"))
        let refused = try exporter.get("/metrics", headers: ["Accept-Encoding": "gzip;q=0, identity"])
        #expect(refused.headers["content-encoding"] == nil)
        #expect(refused.text.contains("# TYPE node_load1 gauge"))
    }

    @Test func portInUseExitsNonZeroWithAClearMessage() throws {
        let first = try RunningExporter()
        let second = try ChildProcess(TestPaths.exporterBinary, ["--web.listen-address=127.0.0.1:\(first.port)"])
        let status = second.waitForExit(seconds: 10)
        #expect(status != nil && status != 0)
        #expect(second.log.contains("address already in use"), "log: \(second.log)")
    }

    @Test func badFlagsAreRejectedBeforeStarting() throws {
        for arguments in [["--web.listen-address=nonsense"], ["--web.telemetry-path=metrics"], ["--log.level=chatty"],
                          ["--collector.timeout=soon"], ["--collector.diskstats.device-exclude=(unclosed"], ["--no-such-flag"],
                          ["--collector.cpu.no-such-setting=1"], ["--collector.filesystem.mount-timeout=soon"],
                          ["--collector.cpu=yes"], ["--collector.vmstat.fields"]] {
            let child = try ChildProcess(TestPaths.exporterBinary, arguments)
            let status = child.waitForExit(seconds: 10)
            #expect(status != nil && status != 0, "\(arguments) must fail; log: \(child.log)")
            #expect(!child.log.isEmpty, "\(arguments) must say why")
        }
    }

    @Test func collectorSwitches() throws {
        let exporter = try RunningExporter(["--no-collector.cpu", "--collector.disable-defaults", "--collector.loadavg"])
        let parsed = ParsedExposition(try exporter.scrape())
        #expect(parsed.families["node_load1"] != nil)
        #expect(parsed.families["node_cpu_seconds_total"] == nil)
        #expect(parsed.families["node_memory_MemTotal_bytes"] == nil)
        let collectors = Set(parsed.families["node_scrape_collector_success"]?.samples.compactMap { $0.labels["collector"] } ?? [])
        #expect(collectors == ["loadavg"])
    }

    @Test func collectorSettingsTakeEitherSpelling() throws {
        // `--flag value` and `--flag=value` both work; the include keeps only `lo`.
        let exporter = try RunningExporter(["--collector.netdev.device-include", "^lo$",
                                            "--collector.vmstat.fields=^pgfault$"])
        let parsed = ParsedExposition(try exporter.scrape())
        let devices = Set(parsed.families["node_network_receive_bytes_total"]?.samples.compactMap { $0.labels["device"] } ?? [])
        #expect(devices == ["lo"])
        let vmstat = parsed.families.keys.filter { $0.hasPrefix("node_vmstat_") }
        #expect(vmstat == ["node_vmstat_pgfault"])
    }

    @Test func helpListsCollectorsAndTheirSettings() throws {
        let child = try ChildProcess(TestPaths.exporterBinary, ["--help"])
        #expect(child.waitForExit(seconds: 10) == 0)
        #expect(child.log.contains("--web.listen-address"))
        #expect(child.log.contains("--collector.filesystem.mount-timeout"))
        #expect(child.log.contains("diskstats  [default on]"))
    }

    @Test func collectAndExcludeQueryParameters() throws {
        let exporter = try RunningExporter()
        let only = ParsedExposition(try exporter.get("/metrics?collect[]=loadavg&collect[]=meminfo").text)
        let ran = Set(only.families["node_scrape_collector_success"]?.samples.compactMap { $0.labels["collector"] } ?? [])
        #expect(ran == ["loadavg", "meminfo"])
        #expect(only.families["node_cpu_seconds_total"] == nil)
        #expect(only.families["node_load1"] != nil)

        let encoded = ParsedExposition(try exporter.get("/metrics?exclude%5B%5D=cpu").text)
        #expect(encoded.families["node_cpu_seconds_total"] == nil)
        #expect(encoded.families["node_load1"] != nil)

        let unknown = try exporter.get("/metrics?collect[]=nonsense")
        #expect(unknown.status == 400)
        #expect(unknown.text.contains("nonsense"))
        #expect(try exporter.get("/metrics?collect[]=cpu&exclude[]=meminfo").status == 400)
    }

    @Test func sigtermStopsCleanly() throws {
        let exporter = try RunningExporter()
        _ = try exporter.scrape()
        let status = exporter.child.stop()
        #expect(status == 0, "log: \(exporter.child.log)")
        #expect(exporter.child.log.contains("shutting down"))
    }

    @Test func listensOnSeveralAddresses() throws {
        let second = freeLoopbackPort()
        let exporter = try RunningExporter(["--web.listen-address=127.0.0.1:\(second)"])
        #expect(try RawHTTPClient.request(port: second, path: "/metrics").status == 200)
        #expect(try exporter.get("/metrics").status == 200)
    }
}
