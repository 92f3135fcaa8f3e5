import Foundation
import Testing
import TestSupport

/// One configuration file with a GCP, an Azure and a REST/JSON source, pointed at the local
/// servers written from each public API reference (no emulator exists for them): the
/// documented families appear, the cross-cloud family has both providers, promtool is clean,
/// and scrapes make no calls to any of them.
@Suite struct MultiCloudTests {
    static func isoTime(_ seconds: Double) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }

    static func rsaKey(in directory: String) throws -> (privatePEM: String, publicPath: String) {
        let openssl = try #require(TestPaths.tool("openssl"), "openssl is needed")
        let key = directory + "/key.pem", pub = directory + "/pub.pem"
        #expect(try runTool(openssl, ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key]).status == 0)
        #expect(try runTool(openssl, ["pkey", "-in", key, "-pubout", "-out", pub]).status == 0)
        return (try String(contentsOfFile: key, encoding: .utf8), pub)
    }

    static func json(_ object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    @Test func gcpAzureAndRESTFromOneConfig() throws {
        let directory = NSTemporaryDirectory() + "nimbus-multi-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let now = Date().timeIntervalSince1970

        // GCP: a service-account key whose token URI is the local server; one CPU series, one instance.
        let key = try Self.rsaKey(in: directory)
        let gcp = try PythonServer("gcp_server.py", ["--public-key", key.publicPath], readyPath: "/_control/stats")
        let keyFile = directory + "/sa.json"
        try Self.json(["type": "service_account", "project_id": "test-project", "private_key_id": "k1",
                       "private_key": key.privatePEM, "client_email": "exporter@test-project.iam.gserviceaccount.com",
                       "token_uri": gcp.endpoint + "/token"]).write(toFile: keyFile, atomically: true, encoding: .utf8)
        let cpuType = "compute.googleapis.com/instance/cpu/utilization"
        try gcp.control("POST", "/_control/series", json: try Self.json(["timeSeries": [[
            "metric": ["type": cpuType, "labels": ["instance_name": "gce-1"]],
            "resource": ["type": "gce_instance", "labels": ["zone": "us-central1-a", "project_id": "test-project", "instance_id": "111"]],
            "metricKind": "GAUGE", "valueType": "DOUBLE",
            "points": [["interval": ["endTime": Self.isoTime(now - 90)], "value": ["doubleValue": 0.25]]],
        ]]]))
        let zone = "https://www.googleapis.com/compute/v1/projects/test-project/zones/us-central1-a"
        try gcp.control("POST", "/_control/instances", json: try Self.json(["instances": [[
            "id": "111", "name": "gce-1", "zone": zone, "machineType": zone + "/machineTypes/e2-medium", "status": "RUNNING",
        ]]]))

        // Azure: one VM with a CPU percentage, through the batch API.
        let tenant = "11111111-2222-3333-4444-555555555555", client = "exporter-app", subscription = "00000000-0000-0000-0000-000000000001"
        let azure = try PythonServer("azure_server.py", ["--tenant", tenant, "--client-id", client, "--client-secret", "az-secret"],
                                     readyPath: "/_control/stats")
        let vm = "/subscriptions/\(subscription)/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/az-1"
        try azure.control("POST", "/_control/resources", json: try Self.json(["subscription": subscription, "resources": [[
            "id": vm, "name": "az-1", "type": "Microsoft.Compute/virtualMachines", "location": "westeurope", "tags": ["env": "prod"],
        ]]]))
        try azure.control("POST", "/_control/metrics", json: try Self.json(["resourceId": vm, "metrics": [[
            "name": "Percentage CPU", "unit": "Percent", "timeseries": [["metadatavalues": [], "data": [["secondsAgo": 120, "average": 37.5]]]],
        ]]]))
        try "az-secret\n".write(toFile: directory + "/azure-secret", atomically: true, encoding: .utf8)

        // REST: a JSON API behind a bearer token from a file.
        let rest = try PythonServer("scripted_http_server.py", readyPath: "/_requests")
        try rest.control("POST", "/_script", json: #"[{"status": 200, "body": "{\"queue\": {\"depth\": 17}}"}]"#)
        try "rest-token".write(toFile: directory + "/rest-token", atomically: true, encoding: .utf8)

        let config = directory + "/config.yml"
        try """
            gcp:
              jobs:
                - name: gcp-test
                  credentials_file: \(keyFile)
                  interval: 10m
                  endpoints: {monitoring: "\(gcp.endpoint)", compute: "\(gcp.endpoint)"}
                  metrics:
                    - {type: \(cpuType), length: 10m}
                  compute_inventory: true
            azure:
              jobs:
                - name: azure-test
                  tenant_id: \(tenant)
                  client_id: \(client)
                  client_secret_file: \(directory)/azure-secret
                  subscriptions: [\(subscription)]
                  resource_type: Microsoft.Compute/virtualMachines
                  export_tags: [env]
                  interval: 10m
                  endpoints: {management: "\(azure.endpoint)", login: "\(azure.endpoint)", metrics: "\(azure.endpoint)/regional/{region}"}
                  metrics:
                    - {namespace: Microsoft.Compute/virtualMachines, names: [Percentage CPU], aggregations: [Average], interval: PT1M, length: 2h}
            rest:
              targets:
                - name: queue-api
                  url: \(rest.endpoint)/status
                  bearer_token_file: \(directory)/rest-token
                  interval: 1h
                  metrics:
                    - {name: queue_depth, type: gauge, help: Messages waiting., path: $.queue.depth}
            """.write(toFile: config, atomically: true, encoding: .utf8)

        let exporter = try RunningExporter(["--config.file", config, "--collector.disable-defaults"],
                                           environment: ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GOOGLE_") })
        let deadline = Date().addingTimeInterval(30)
        var text = "", page = ParsedExposition("")
        let jobs = [("gcp-test", "gcp"), ("azure-test", "azure"), ("queue-api", "rest")]
        while Date() < deadline {
            text = try exporter.scrape()
            page = ParsedExposition(text)
            if jobs.allSatisfy({ (page.value("nimbus_cloud_refreshes_total", ["job_name": $0.0, "provider": $0.1]) ?? 0) >= 1 }) { break }
            usleep(100_000)
        }
        for (job, provider) in jobs {
            #expect(page.value("nimbus_cloud_refresh_errors_total", ["job_name": job, "provider": provider]) == 0,
                    "\(job) failed; log:\n\(exporter.child.log)")
        }
        #expect(page.value("stackdriver_gce_instance_compute_googleapis_com_instance_cpu_utilization",
                           ["instance_name": "gce-1", "zone": "us-central1-a", "project_id": "test-project", "instance_id": "111"]) == 0.25,
                "\(text)")
        #expect(page.families["gcp_compute_instance_info"]?.samples.count == 1)
        #expect(page.families["azure_microsoft_compute_virtualmachines_percentage_cpu_average"]?.samples.first?.value == 37.5, "\(text)")
        #expect(page.families["azure_resource_info"]?.samples.first?.labels["tag_env"] == "prod")
        #expect(page.value("queue_depth") == 17)
        #expect(page.value("nimbus_cloud_instance_cpu_utilization_ratio", ["provider": "gcp", "region": "us-central1-a", "instance": "111"]) == 0.25)
        let azureCPU = page.families["nimbus_cloud_instance_cpu_utilization_ratio"]?.samples.first { $0.labels["provider"] == "azure" }
        #expect(azureCPU?.value == 0.375)

        let lint = try #require(try Promtool.check(text))
        #expect(lint.status == 0 && lint.unexpected.isEmpty, "\(lint.unexpected)")

        // Scrapes make no calls: every server's request count stays where the refreshes left it.
        func counts() throws -> [Int] {
            let gcpStats = try gcp.control("GET", "/_control/stats") as? [String: Any] ?? [:]
            let azureStats = try azure.control("GET", "/_control/stats") as? [String: Any] ?? [:]
            let gcpAPI = ["tokenRequests", "metadataRequests", "timeSeriesRequests", "computeRequests"]
            let azureAPI = ["tokenRequests", "resourceRequests", "metricsRequests", "batchRequests"]
            return gcpAPI.map { gcpStats[$0] as? Int ?? -1 } + azureAPI.map { azureStats[$0] as? Int ?? -1 }
                + [(try rest.control("GET", "/_requests") as? [Any])?.count ?? -1]
        }
        let before = try counts()
        #expect(before.allSatisfy { $0 >= 0 } && before.reduce(0, +) > 0, "\(before)")
        for _ in 0..<30 { _ = try exporter.scrape() }
        #expect(try counts() == before)
    }
}
