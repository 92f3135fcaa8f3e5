@testable import AWSCloud
import Testing

/// YACE-compatible names, the CloudWatch window arithmetic, query planning and the timestamps
/// the query APIs are sent.
@Suite struct AWSNamingAndQueryTests {
    // MARK: Naming

    @Test(arguments: [
        ("CPUUtilization", "cpuutilization"),
        ("NetworkIn", "network_in"),
        ("NetworkPacketsOut", "network_packets_out"),
        ("DiskReadBytes", "disk_read_bytes"),
        ("CPUCreditUsage", "cpucredit_usage"),
        ("StatusCheckFailed_System", "status_check_failed_system"),
        ("EBSIOBalance%", "ebsiobalance_percent"),
        ("HTTPCode_Target_2XX_Count", "httpcode_target_2_xx_count"),
        ("ClusterStatus.green", "cluster_status_green"),
        ("Free Storage-Space", "free_storage_space"),
        ("p99.9", "p99_9"),
        ("Average", "average"),
        ("SampleCount", "sample_count"),
    ])
    func snakeCaseAsYACE(text: String, expected: String) {
        #expect(PrometheusNaming.snakeCase(text) == expected)
    }

    @Test(arguments: [
        ("AWS/EC2", "aws_ec2", "ec2"),
        ("AWS/ApplicationELB", "aws_applicationelb", "applicationelb"),
        ("AWS/NetworkELB", "aws_networkelb", "networkelb"),
        ("AWS/DynamoDB", "aws_dynamodb", "dynamodb"),
        ("MyApp/Orders", "aws_myapp_orders", "myapp_orders"),
        ("/aws/sagemaker/TrainingJobs", "aws_sagemaker_trainingjobs", "sagemaker_trainingjobs"),
    ])
    func namespacesAreLowerCasedBeforeSnakeCasing(namespace: String, prefix: String, part: String) {
        #expect(PrometheusNaming.namespacePrefix(namespace) == prefix)
        #expect(PrometheusNaming.namespacePart(namespace) == part)
    }

    @Test(arguments: [
        ("AWS/EC2", "CPUUtilization", "Average", "aws_ec2_cpuutilization_average"),
        ("AWS/EC2", "NetworkIn", "Sum", "aws_ec2_network_in_sum"),
        ("AWS/EC2", "CPUUtilization", "p99.9", "aws_ec2_cpuutilization_p99_9"),
        ("AWS/EBS", "VolumeReadOps", "SampleCount", "aws_ebs_volume_read_ops_sample_count"),
        ("AWS/ApplicationELB", "HTTPCode_Target_2XX_Count", "Sum", "aws_applicationelb_httpcode_target_2_xx_count_sum"),
        ("AWS/Glue", "glue.driver.aws.s3.bytesRead", "Sum", "aws_glue_driver_aws_s3_bytes_read_sum"),
        ("MyApp/Orders", "OrdersPlaced", "Sum", "aws_myapp_orders_placed_sum"),
        ("AWS/EC2", "Temperatur°", "Maximum", "aws_ec2_temperatur__maximum"),
    ])
    func cloudWatchMetricNames(namespace: String, metric: String, statistic: String, expected: String) {
        #expect(PrometheusNaming.cloudWatchMetricName(namespace: namespace, metric: metric, statistic: statistic) == expected)
    }

    @Test(arguments: [
        ("dimension_", "InstanceId", "dimension_instance_id"),
        ("dimension_", "AutoScalingGroupName", "dimension_auto_scaling_group_name"),
        ("tag_", "Name", "tag_name"),
        ("tag_", "CostCenter", "tag_cost_center"),
        ("tag_", "aws:cloudformation:stack-name", "tag_aws_cloudformation_stack_name"),
        ("tag_", "3rdParty", "tag_3rd_party"),
        ("tag_", "Zürich", "tag_z_rich"),
        ("", "eventName", "event_name"),
        ("", "1st", "_1st"),
    ])
    func labelNames(prefix: String, text: String, expected: String) {
        #expect(PrometheusNaming.labelName(prefix: prefix, text) == expected)
    }

    // MARK: Windows

    @Test func windowEndsOnTheLastPeriodBoundaryBeforeTheDelay() {
        let plain = CloudWatchQuery.window(now: 1_000_000.5, period: 60, length: 300, delay: 0)
        #expect(plain.end == 999_960)
        #expect(plain.start == 999_660)
        let delayed = CloudWatchQuery.window(now: 1_000_000.5, period: 60, length: 300, delay: 120)
        #expect(delayed.end == 999_840)
        #expect(delayed.start == 999_540)
        let onBoundary = CloudWatchQuery.window(now: 1_000_020, period: 60, length: 60, delay: 0)
        #expect(onBoundary.end == 1_000_020)
        #expect(onBoundary.start == 999_960)
    }

    @Test func windowStartStaysOnABoundaryForOddLengths() {
        let window = CloudWatchQuery.window(now: 1_000_000, period: 60, length: 90, delay: 0)
        #expect(window.end == 999_960)
        #expect(window.start == 999_840)
    }

    /// A small deterministic generator, so a failure reproduces.
    private struct Generator {
        var state: UInt64

        mutating func next(_ range: ClosedRange<Int>) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return range.lowerBound + Int((state >> 33) % UInt64(range.count))
        }
    }

    @Test func consecutiveWindowsLeaveNoGap() {
        var random = Generator(state: 0x5eed)
        let periods: [Double] = [1, 5, 10, 30, 60, 120, 300, 3600]
        var problems: [String] = []
        for _ in 0..<5_000 {
            let period = periods[random.next(0...(periods.count - 1))]
            let interval = Double(random.next(1...1800))
            // The configuration guarantees length >= max(period, interval).
            let length = max(period, interval) + Double(random.next(0...600))
            let delay = Double(random.next(0...600))
            let now = 1_795_000_000 + Double(random.next(0...1_000_000)) + Double(random.next(0...999)) / 1000
            let first = CloudWatchQuery.window(now: now, period: period, length: length, delay: delay)
            let second = CloudWatchQuery.window(now: now + interval, period: period, length: length, delay: delay)
            let context = "period \(period) interval \(interval) length \(length) delay \(delay) now \(now)"

            if second.start > first.end { problems.append("gap: \(context)") }
            for window in [first, second] {
                if window.end.truncatingRemainder(dividingBy: period) != 0 { problems.append("end off boundary: \(context)") }
                if window.start.truncatingRemainder(dividingBy: period) != 0 { problems.append("start off boundary: \(context)") }
                if window.end - window.start < length { problems.append("short: \(context)") }
                if window.end - window.start >= length + period { problems.append("long: \(context)") }
            }
            // The end holds back the delay, and reads every period that has closed before it.
            if !(first.end <= now - delay && first.end > now - delay - period) { problems.append("end: \(context)") }
        }
        #expect(problems.isEmpty, "\(problems.count) problems, first: \(problems.prefix(5))")
    }

    // MARK: Planning

    private static func metric(_ name: String, statistics: [String], period: Double = 60, length: Double = 300,
                               delay: Double = 0, dimensions: [AWSJobConfig.CloudWatchMetric.Dimension] = [],
                               fromInstances: Bool = false) -> AWSJobConfig.CloudWatchMetric {
        AWSJobConfig.CloudWatchMetric(namespace: "AWS/EC2", name: name, statistics: statistics, period: period,
                                      length: length, delay: delay, dimensions: dimensions,
                                      fromDiscoveredInstances: fromInstances)
    }

    private static let instances = ["i-0a", "i-0b", "i-0c"].map {
        EC2Instance(instanceId: $0, instanceType: "t3.micro", availabilityZone: "us-east-1a", state: "running",
                    launchTime: "2026-11-22T05:40:02.000Z", ownerId: "123456789012")
    }

    @Test func planMakesOneQueryPerInstanceAndStatistic() {
        let cpu = Self.metric("CPUUtilization", statistics: ["Average", "Maximum"],
                              dimensions: [.init(name: "Extra", value: "x")], fromInstances: true)
        let ebs = Self.metric("EBSReadOps", statistics: ["Sum"], period: 300, length: 600, delay: 60,
                              dimensions: [.init(name: "InstanceId", value: "i-fixed")])
        let now = 1_795_341_687.25
        let queries = CloudWatchQuery.plan([cpu, ebs], instances: Self.instances, region: "eu-west-1", now: now)

        #expect(queries.count == 3 * 2 + 1)
        #expect(queries.map(\.id) == (0..<7).map { "q\($0)" })
        #expect(Set(queries.map(\.id)).count == queries.count)

        let perInstance = queries.prefix(6)
        #expect(perInstance.map(\.statistic) == ["Average", "Maximum", "Average", "Maximum", "Average", "Maximum"])
        #expect(perInstance.map { $0.dimensions.last?.value } == ["i-0a", "i-0a", "i-0b", "i-0b", "i-0c", "i-0c"])
        #expect(perInstance.allSatisfy { $0.dimensions.map(\.name) == ["Extra", "InstanceId"] })
        #expect(perInstance.first?.instanceARN == "arn:aws:ec2:eu-west-1:123456789012:instance/i-0a")
        let cpuWindow = CloudWatchQuery.window(now: now, period: 60, length: 300, delay: 0)
        #expect(perInstance.allSatisfy { $0.start == cpuWindow.start && $0.end == cpuWindow.end })

        let fixed = queries[6]
        #expect(fixed.metric == ebs)
        #expect(fixed.instanceARN == nil)
        #expect(fixed.dimensions == [.init(name: "InstanceId", value: "i-fixed")])
        let ebsWindow = CloudWatchQuery.window(now: now, period: 300, length: 600, delay: 60)
        #expect(fixed.start == ebsWindow.start && fixed.end == ebsWindow.end)
    }

    @Test func planWithoutInstancesKeepsOnlyExplicitMetrics() {
        let cpu = Self.metric("CPUUtilization", statistics: ["Average"], fromInstances: true)
        let usage = Self.metric("CallCount", statistics: ["Sum", "SampleCount"])
        let queries = CloudWatchQuery.plan([cpu, usage], instances: [], region: "us-east-1", now: 1_795_341_687)
        #expect(queries.map(\.id) == ["q0", "q1"])
        #expect(queries.map(\.statistic) == ["Sum", "SampleCount"])
        #expect(queries.allSatisfy { $0.dimensions.isEmpty })
    }

    @Test func queryParametersNameEveryField() {
        let metric = Self.metric("CPUUtilization", statistics: ["p99"], period: 300,
                                 dimensions: [.init(name: "AutoScalingGroupName", value: "web")], fromInstances: true)
        let query = CloudWatchQuery.plan([metric], instances: [Self.instances[0]], region: "us-east-1", now: 1_795_341_687)[0]
        let parameters = query.parameters(member: 3)
        let expected: [(String, String)] = [
            ("MetricDataQueries.member.3.Id", "q0"),
            ("MetricDataQueries.member.3.MetricStat.Metric.Namespace", "AWS/EC2"),
            ("MetricDataQueries.member.3.MetricStat.Metric.MetricName", "CPUUtilization"),
            ("MetricDataQueries.member.3.MetricStat.Period", "300"),
            ("MetricDataQueries.member.3.MetricStat.Stat", "p99"),
            ("MetricDataQueries.member.3.ReturnData", "true"),
            ("MetricDataQueries.member.3.MetricStat.Metric.Dimensions.member.1.Name", "AutoScalingGroupName"),
            ("MetricDataQueries.member.3.MetricStat.Metric.Dimensions.member.1.Value", "web"),
            ("MetricDataQueries.member.3.MetricStat.Metric.Dimensions.member.2.Name", "InstanceId"),
            ("MetricDataQueries.member.3.MetricStat.Metric.Dimensions.member.2.Value", "i-0a"),
        ]
        #expect(parameters.map(\.0) == expected.map(\.0))
        #expect(parameters.map(\.1) == expected.map(\.1))
    }

    // MARK: Timestamps

    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00Z"),
        (-1.0, "1969-12-31T23:59:59Z"),
        (951_782_400.0, "2000-02-29T00:00:00Z"),
        (1_709_210_096.0, "2024-02-29T12:34:56Z"),
        (4_107_542_399.0, "2100-02-28T23:59:59Z"),
        (4_107_542_400.0, "2100-03-01T00:00:00Z"),
        (1_795_341_660.0, "2026-11-22T10:01:00Z"),
        (1_795_341_660.999, "2026-11-22T10:01:00Z"),
        (2_147_483_648.0, "2038-01-19T03:14:08Z"),
        (-2_208_988_800.0, "1900-01-01T00:00:00Z"),
        (253_402_300_799.0, "9999-12-31T23:59:59Z"),
    ])
    func formatsISO8601(seconds: Double, expected: String) {
        #expect(formatISO8601(seconds) == expected)
    }

    @Test func formatAndParseRoundTrip() {
        var random = Generator(state: 42)
        for _ in 0..<2_000 {
            let seconds = Double(random.next(-2_000_000_000...4_000_000_000))
            #expect(parseISO8601(formatISO8601(seconds)) == seconds, "\(seconds)")
        }
    }
}
