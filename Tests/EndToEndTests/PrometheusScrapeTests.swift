import Foundation
import TestSupport
import Testing

/// A real Prometheus server scrapes the exporter; the test asks Prometheus, not the exporter,
/// what it stored.
@Suite(.serialized) struct PrometheusScrapeTests {
    struct Failure: Error, CustomStringConvertible { var description: String }

    private func getJSON(_ port: UInt16, _ pathAndQuery: String) throws -> [String: Any] {
        let response = try RawHTTPClient.request(port: port, path: pathAndQuery)
        guard response.status == 200,
              let json = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        else { throw Failure(description: "\(pathAndQuery): HTTP \(response.status) \(response.text.prefix(300))") }
        return json
    }

    private func query(_ port: UInt16, _ promql: String) throws -> [Double] {
        let encoded = promql.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? promql
        let json = try getJSON(port, "/api/v1/query?query=\(encoded)")
        let data = json["data"] as? [String: Any]
        let result = data?["result"] as? [[String: Any]] ?? []
        return result.compactMap { ($0["value"] as? [Any])?.last as? String }.compactMap(Double.init)
    }

    @Test func prometheusScrapesAndStoresHostMetrics() throws {
        guard let prometheus = TestPaths.tool("prometheus") else {
            Issue.record("Prometheus is not installed (apt-get install prometheus); `make test` installs it")
            return
        }
        let exporter = try RunningExporter()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nimbus-prom-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        scrape_configs:
          - job_name: nimbus
            static_configs:
              - targets: ["127.0.0.1:\(exporter.port)"]
        """
        try config.write(to: directory.appendingPathComponent("prometheus.yml"), atomically: true, encoding: .utf8)
        let port = freeLoopbackPort()
        let server = try ChildProcess(prometheus, [
            "--config.file=\(directory.path)/prometheus.yml", "--storage.tsdb.path=\(directory.path)/data",
            "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
        ])
        defer { server.stop() }

        var health = ""
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let json = try? getJSON(port, "/api/v1/targets"),
               let targets = (json["data"] as? [String: Any])?["activeTargets"] as? [[String: Any]],
               let first = targets.first {
                health = first["health"] as? String ?? ""
                if health == "up" { break }
                if let error = first["lastError"] as? String, !error.isEmpty, health == "down" {
                    Issue.record("target down: \(error)")
                    return
                }
            }
            usleep(250_000)
        }
        try #require(health == "up", "Prometheus never saw the target up; log: \(server.log.suffix(2000))")
        // A few scrapes so rates have two points.
        usleep(3_500_000)

        #expect(try query(port, "up{job=\"nimbus\"}") == [1])
        let cpus = Double(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #expect(try query(port, "count(node_cpu_seconds_total{mode=\"idle\"})") == [cpus])
        let busy = try query(port, "100 - avg(rate(node_cpu_seconds_total{mode=\"idle\"}[30s])) * 100")
        #expect(busy.count == 1 && busy[0] >= 0 && busy[0] <= 100, "CPU busy %: \(busy)")
        let available = try query(port, "node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes")
        #expect(available.count == 1 && available[0] > 0 && available[0] <= 1)
        let failed = try query(port, "node_scrape_collector_success == 0")
        #expect(failed.isEmpty, "collectors failing under Prometheus: \(failed)")
        let samples = try query(port, "scrape_samples_scraped{job=\"nimbus\"}")
        #expect((samples.first ?? 0) > 100)
    }
}
