import Foundation
import Testing
import TestSupport

/// The exporter against a real AWS emulator: moto (EC2, CloudWatch, STS) with signature checking
/// on, and the local CloudTrail LookupEvents server (moto lacks LookupEvents). All traffic goes
/// through a counting proxy on loopback, which proves both that `http_proxy` is honoured and how
/// many API calls were made.
@Suite(.serialized) struct AWSEmulatorTests {
    /// The shipped example config, pointed at the emulators through the SDK endpoint variables.
    static let exampleConfig = TestPaths.packageRoot + "/deploy/examples/aws.yml"

    struct Rig {
        let moto: MotoServer
        let seeded: MotoServer.Seeded
        let trail: PythonServer
        let proxy: PythonServer
        let cacheDirectory: String

        init() throws {
            moto = try MotoServer(signatureChecking: true)
            seeded = try moto.seed()
            trail = try PythonServer("cloudtrail_server.py", ["--access-key", seeded.access_key_id,
                                                              "--secret-key", seeded.secret_access_key],
                                     readyPath: "/_control/stats")
            proxy = try PythonServer("counting_proxy.py", readyPath: "/_proxy/stats")
            cacheDirectory = NSTemporaryDirectory() + "nimbus-cache-\(UUID().uuidString)"
            let now = Date().timeIntervalSince1970
            try trail.control("POST", "/_control/events", json: """
                [{"EventName": "RunInstances", "EventTime": \(now - 600)},
                 {"EventName": "RunInstances", "EventTime": \(now - 300)},
                 {"EventName": "StopInstances", "EventTime": \(now - 200)},
                 {"EventName": "DescribeInstances", "EventTime": \(now - 100)}]
                """)
        }

        var environment: [String: String] {
            var environment = ProcessInfo.processInfo.environment
            for name in ["https_proxy", "HTTPS_PROXY", "no_proxy", "NO_PROXY", "AWS_PROFILE", "AWS_SESSION_TOKEN",
                         "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                         "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] {
                environment[name] = nil
            }
            environment["http_proxy"] = proxy.endpoint
            environment["AWS_ACCESS_KEY_ID"] = seeded.access_key_id
            environment["AWS_SECRET_ACCESS_KEY"] = seeded.secret_access_key
            environment["AWS_REGION"] = seeded.region
            environment["AWS_ENDPOINT_URL"] = moto.endpoint
            environment["AWS_ENDPOINT_URL_CLOUDTRAIL"] = trail.endpoint
            environment["AWS_EC2_METADATA_DISABLED"] = "true"
            return environment
        }

        func startExporter(config: String = AWSEmulatorTests.exampleConfig,
                           extraEnvironment: [String: String] = [:]) throws -> RunningExporter {
            try RunningExporter(["--config.file", config, "--cache.directory", cacheDirectory, "--collector.disable-defaults"],
                                environment: environment.merging(extraEnvironment) { $1 })
        }

        var proxiedRequests: Int {
            (try? proxy.control("GET", "/_proxy/stats") as? [String: Any])?["forwarded"] as? Int ?? -1
        }

        var lookupRequests: Int {
            (try? trail.control("GET", "/_control/stats") as? [String: Any])?["requests"] as? Int ?? -1
        }
    }

    /// Scrapes until `condition` holds for the parsed page, up to `seconds`.
    static func waitFor(_ exporter: RunningExporter, seconds: Double = 40,
                        _ condition: (ParsedExposition) -> Bool) throws -> (text: String, parsed: ParsedExposition) {
        let deadline = Date().addingTimeInterval(seconds)
        var last = ""
        while Date() < deadline {
            last = try exporter.scrape()
            let parsed = ParsedExposition(last)
            if condition(parsed) { return (last, parsed) }
            usleep(200_000)
        }
        Issue.record("condition not met in \(seconds)s; last scrape:\n\(last)\nexporter log:\n\(exporter.child.log)")
        throw RawHTTPClient.Failure(description: "timed out")
    }

    static func refreshed(_ job: String, times: Double = 1) -> (ParsedExposition) -> Bool {
        { ($0.value("nimbus_cloud_refreshes_total", ["job_name": job, "provider": "aws"]) ?? 0) >= times }
    }

    @Test func exportsWhatWasSeededThroughTheExampleConfig() throws {
        let rig = try Rig()
        let exporter = try rig.startExporter()
        let (text, page) = try Self.waitFor(exporter, Self.refreshed("ec2-fleet"))
        #expect(page.value("nimbus_cloud_refresh_errors_total", ["job_name": "ec2-fleet", "provider": "aws"]) == 0,
                "log:\n\(exporter.child.log)")

        for instance in rig.seeded.instances {
            let arn = "arn:aws:ec2:us-east-1:\(instance.owner):instance/\(instance.id)"
            let info = page.families["aws_ec2_info"]?.samples.first { $0.labels["instance_id"] == instance.id }
            #expect(info?.labels == [
                "name": arn, "instance_id": instance.id, "instance_type": "t3.micro",
                "availability_zone": instance.az, "state": instance.state, "region": "us-east-1",
                "tag_name": instance.name, "tag_team": instance.team,
            ])
            #expect(info?.value == 1)
            #expect(page.value("aws_ec2_cpuutilization_average",
                               ["name": arn, "region": "us-east-1", "dimension_instance_id": instance.id]) == instance.cpu)
            // The cross-cloud view of the same facts.
            #expect(page.value("nimbus_cloud_instance_cpu_utilization_ratio",
                               ["provider": "aws", "region": "us-east-1", "instance": instance.id]) == instance.cpu / 100)
            #expect(page.value("nimbus_cloud_instance_info",
                               ["provider": "aws", "region": "us-east-1", "instance": instance.id, "name": instance.name,
                                "instance_type": "t3.micro", "state": instance.state]) == 1)
        }
        #expect(page.value("aws_ec2_instances", ["region": "us-east-1", "state": "running", "instance_type": "t3.micro"]) == 2)
        #expect(page.value("aws_ec2_instances", ["region": "us-east-1", "state": "stopped", "instance_type": "t3.micro"]) == 1)
        #expect(page.value("aws_cloudtrail_events_total",
                           ["region": "us-east-1", "event_name": "RunInstances", "event_source": "ec2.amazonaws.com"]) == 2)
        #expect(page.value("aws_cloudtrail_events_total",
                           ["region": "us-east-1", "event_name": "StopInstances", "event_source": "ec2.amazonaws.com"]) == 1)
        #expect(page.families["aws_cloudtrail_events_total"]?.samples.contains { $0.labels["event_name"] == "DescribeInstances" } == false)
        #expect(page.value("nimbus_cloud_requests_total", ["provider": "aws", "api": "GetMetricData", "outcome": "success"]) == 1)
        #expect(page.value("nimbus_cloud_metrics_requested_total", ["provider": "aws", "api": "GetMetricData"]) == 3)
        let outcomes = page.families["nimbus_cloud_requests_total"]?.samples ?? []
        #expect(!outcomes.isEmpty && outcomes.allSatisfy { $0.labels["outcome"] == "success" }, "\(outcomes)")

        let lint = try #require(try Promtool.check(text), "promtool is needed")
        #expect(lint.status == 0 && lint.unexpected.isEmpty, "promtool: \(lint.unexpected)")

        // Every API call went through the proxy; scrapes add none.
        let proxied = rig.proxiedRequests
        let lookups = rig.lookupRequests
        #expect(proxied >= 4, "http_proxy was not used")
        for _ in 0..<50 { _ = try exporter.scrape() }
        #expect(rig.proxiedRequests == proxied)
        #expect(rig.lookupRequests == lookups)
    }

    @Test func restartServesThePersistedCacheWithoutCallingAWS() throws {
        let rig = try Rig()
        var exporter: RunningExporter? = try rig.startExporter()
        _ = try Self.waitFor(exporter!, Self.refreshed("ec2-fleet"))
        let before = try exporter!.scrape() + exporter!.child.log
        exporter = nil
        let proxied = rig.proxiedRequests

        let restarted = try rig.startExporter()
        let page = ParsedExposition(try restarted.scrape())
        // The first scrape after the restart already has the data, and AWS was not called.
        #expect(page.families["aws_ec2_info"]?.samples.count == 3, "first run:\n\(before)\nlog:\n\(restarted.child.log)")
        #expect(page.value("aws_cloudtrail_events_total",
                           ["region": "us-east-1", "event_name": "RunInstances", "event_source": "ec2.amazonaws.com"]) == 2)
        #expect(ParsedExposition(before).families["aws_ec2_cpuutilization_average"]?.samples.count
                == page.families["aws_ec2_cpuutilization_average"]?.samples.count)
        usleep(1_500_000)
        #expect(rig.proxiedRequests == proxied)
    }

    @Test func noProxyBypassesTheProxy() throws {
        let rig = try Rig()
        let exporter = try rig.startExporter(extraEnvironment: ["NO_PROXY": "127.0.0.1"])
        let (_, page) = try Self.waitFor(exporter, Self.refreshed("ec2-fleet"))
        #expect(page.value("nimbus_cloud_refresh_errors_total", ["job_name": "ec2-fleet", "provider": "aws"]) == 0)
        #expect(page.families["aws_ec2_info"]?.samples.count == 3)
        #expect(rig.proxiedRequests == 0)
    }

    /// A config refreshing every second, so faults show within a test.
    static func fastConfig() throws -> String {
        let path = NSTemporaryDirectory() + "nimbus-fast-\(UUID().uuidString).yml"
        try """
            aws:
              jobs:
                - name: fast
                  interval: 1s
                  timeout: 1s
                  ec2: {export_tags: [Name]}
                  cloudwatch:
                    metrics:
                      - {namespace: AWS/EC2, name: CPUUtilization, statistics: [Average], period: 60s, length: 5m,
                         dimensions_from: ec2_instances}
                  cloudtrail:
                    event_names: [RunInstances]
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func value(_ page: ParsedExposition, _ name: String, _ labels: [String: String]) -> Double {
        page.value(name, labels) ?? 0
    }

    @Test func faultsAreRetriedCountedAndNeverLoseTheLastGoodValues() throws {
        let rig = try Rig()
        let exporter = try rig.startExporter(config: try Self.fastConfig())
        let job = ["job_name": "fast", "provider": "aws"]
        let runs = ["region": "us-east-1", "event_name": "RunInstances", "event_source": "ec2.amazonaws.com"]
        let lookups = { (outcome: String) in ["provider": "aws", "api": "LookupEvents", "outcome": outcome] }
        var (_, page) = try Self.waitFor(exporter, Self.refreshed("fast"))
        #expect(page.value("aws_cloudtrail_events_total", runs) == 2)
        let good = page.families["aws_ec2_info"]?.samples.count
        #expect(good == 3)

        // HTTP 500 on every LookupEvents: retried, then the refresh fails; the cache stays.
        try rig.trail.control("POST", "/_control/fault", json: #"{"mode": "http500", "count": 1000}"#)
        let errorsBefore = Self.value(page, "nimbus_cloud_refresh_errors_total", job)
        (_, page) = try Self.waitFor(exporter) { Self.value($0, "nimbus_cloud_refresh_errors_total", job) >= errorsBefore + 1 }
        #expect(Self.value(page, "nimbus_cloud_requests_total", lookups("server_error")) >= 4)
        #expect(Self.value(page, "nimbus_cloud_retries_total", ["provider": "aws", "api": "LookupEvents"]) >= 3)
        #expect(page.families["aws_ec2_info"]?.samples.count == good)
        #expect(page.value("aws_cloudtrail_events_total", runs) == 2)
        #expect(page.value("nimbus_cloud_cache_stale", job) == 0)

        // A body that is not JSON: counted as malformed, the cache stays.
        try rig.trail.control("POST", "/_control/fault", json: #"{"mode": "malformed", "count": 1000}"#)
        (_, page) = try Self.waitFor(exporter) { Self.value($0, "nimbus_cloud_requests_total", lookups("malformed_response")) >= 1 }
        #expect(page.families["aws_ec2_info"]?.samples.count == good)
        #expect(page.value("aws_cloudtrail_events_total", runs) == 2)

        // Slower than the 1 s timeout: a transport error, retried.
        try rig.trail.control("POST", "/_control/fault", json: #"{"mode": "slow", "count": 1000, "seconds": 3}"#)
        (_, page) = try Self.waitFor(exporter) { Self.value($0, "nimbus_cloud_requests_total", lookups("transport_error")) >= 2 }
        #expect(page.families["aws_ec2_info"]?.samples.count == good)

        // Two throttled answers, then normal service: the retries absorb the throttling, the
        // refresh succeeds and a new event is counted exactly once.
        try rig.trail.control("POST", "/_control/fault", json: #"{"mode": "throttle", "count": 2}"#)
        try rig.trail.control("POST", "/_control/events", json: #"[{"EventName": "RunInstances"}]"#)
        (_, page) = try Self.waitFor(exporter) { $0.value("aws_cloudtrail_events_total", runs) == 3 }
        #expect(Self.value(page, "nimbus_cloud_requests_total", lookups("throttled")) >= 2)
        let settled = try Self.waitFor(exporter) { Self.value($0, "nimbus_cloud_refreshes_total", job) >= Self.value(page, "nimbus_cloud_refreshes_total", job) + 2 }
        #expect(settled.parsed.value("aws_cloudtrail_events_total", runs) == 3)
        #expect(exporter.child.process.isRunning)
    }
}
