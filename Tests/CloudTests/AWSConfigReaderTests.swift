@testable import AWSCloud
import ConfigFile
import Foundation
import Testing
import TestSupport

/// Validation of the `aws:` section: what a valid file turns into, and for each mistake an error
/// naming the field and the line where it is.
@Suite struct AWSConfigReaderTests {
    private static func read(_ yaml: String, environment: [String: String] = [:]) throws -> AWSConfigReader.Section {
        let root = try ConfigNode.parse(yaml, file: "aws.yml").mapping()
        return try AWSConfigReader.read(try root.required("aws"), environment: environment)
    }

    /// The error reading `yaml` gives; a test failure when it reads fine.
    private static func error(_ yaml: String, environment: [String: String] = [:]) -> ConfigError? {
        do {
            let root = try ConfigNode.parse(yaml, file: "aws.yml").mapping()
            _ = try AWSConfigReader.read(try root.required("aws"), environment: environment)
            Issue.record("expected a ConfigError for:\n\(yaml)")
            return nil
        } catch {
            return error
        }
    }

    // MARK: A valid file

    @Test func fullConfigurationReadsIntoEveryField() throws {
        let section = try Self.read("""
            aws:
              jobs:
                - name: fleet
                  regions: [us-east-1, eu-west-1]
                  interval: 2m
                  max_age: 10m
                  profile: monitoring
                  role_arn: arn:aws:iam::123456789012:role/reader
                  external_id: ext-1
                  endpoints:
                    ec2: http://127.0.0.1:5000/
                    sts: https://sts.example.test
                  ec2:
                    filters:
                      - name: instance-state-name
                        values: [running, stopped]
                      - name: tag:team
                        values: payments
                    export_tags: [Name, team]
                  cloudwatch:
                    period: 60s
                    length: 5m
                    delay: 2m
                    metrics:
                      - namespace: AWS/EC2
                        name: CPUUtilization
                        statistics: [Average, Maximum, p99, p99.9]
                        dimensions_from: ec2_instances
                      - namespace: AWS/EBS
                        name: VolumeReadOps
                        statistics: Sum
                        period: 5m
                        length: 10m
                        delay: 0s
                        dimensions:
                          VolumeId: vol-1
                          Extra: x
                  cloudtrail:
                    event_names: [RunInstances, StopInstances]
                    lookback: 30m
                - name: defaults
                  cloudwatch:
                    metrics:
                      - namespace: AWS/Usage
                        name: CallCount
                        statistics: [SampleCount]
              events_files:
                - name: trail-export
                  path: /var/log/trail.jsonl
                  format: jsonl
                  fields: [eventName, awsRegion]
                  interval: 30s
                  max_series: 50
            """, environment: ["AWS_REGION": "ap-south-1", "AWS_DEFAULT_REGION": "sa-east-1"])

        #expect(section.jobs.count == 2)
        let fleet = try #require(section.jobs.first)
        #expect(fleet == AWSJobConfig(
            name: "fleet", regions: ["us-east-1", "eu-west-1"], interval: 120, maxAge: 600,
            profile: "monitoring", roleArn: "arn:aws:iam::123456789012:role/reader", externalId: "ext-1",
            endpoints: ["ec2": "http://127.0.0.1:5000/", "sts": "https://sts.example.test"],
            ec2: .init(filters: [.init(name: "instance-state-name", values: ["running", "stopped"]),
                                 .init(name: "tag:team", values: ["payments"])],
                       exportTags: ["Name", "team"]),
            cloudWatch: [
                .init(namespace: "AWS/EC2", name: "CPUUtilization", statistics: ["Average", "Maximum", "p99", "p99.9"],
                      period: 60, length: 300, delay: 120, dimensions: [], fromDiscoveredInstances: true),
                .init(namespace: "AWS/EBS", name: "VolumeReadOps", statistics: ["Sum"], period: 300, length: 600,
                      delay: 0, dimensions: [.init(name: "VolumeId", value: "vol-1"), .init(name: "Extra", value: "x")],
                      fromDiscoveredInstances: false),
            ],
            cloudTrail: .init(eventNames: ["RunInstances", "StopInstances"], lookback: 1800)))

        let defaults = section.jobs[1]
        #expect(defaults.regions == ["ap-south-1"])
        #expect(defaults.interval == 60)
        #expect(defaults.maxAge == nil)
        #expect(defaults.profile == nil && defaults.roleArn == nil && defaults.ec2 == nil && defaults.cloudTrail == nil)
        #expect(defaults.endpoints.isEmpty)
        let usage = try #require(defaults.cloudWatch.first)
        #expect(usage.period == 60 && usage.length == 60 && usage.delay == 0)

        #expect(section.eventsFiles == [EventsFileConfig(
            name: "trail-export", path: "/var/log/trail.jsonl", format: .jsonLines,
            fields: ["eventName", "awsRegion"], interval: 30, maxSeries: 50)])
    }

    @Test func regionFallsBackThroughTheEnvironment() throws {
        let yaml = "aws:\n  jobs:\n    - name: a\n      ec2:\n"
        #expect(try Self.read(yaml, environment: ["AWS_DEFAULT_REGION": "sa-east-1"]).jobs.first?.regions == ["sa-east-1"])
        #expect(try Self.read(yaml).jobs.first?.regions == ["us-east-1"])
        // An ec2 section left empty means discovery with no filters.
        #expect(try Self.read(yaml).jobs.first?.ec2 == .init(filters: [], exportTags: []))
    }

    @Test func emptySectionHasNoJobs() throws {
        let section = try Self.read("aws:\n  jobs: []\n")
        #expect(section.jobs.isEmpty && section.eventsFiles.isEmpty)
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: TestPaths.packageRoot + "/deploy/examples/aws.yml")))
    func shippedExampleIsValid() throws {
        let path = TestPaths.packageRoot + "/deploy/examples/aws.yml"
        let root = try ConfigNode.load(file: path).mapping()
        let section = try AWSConfigReader.read(try root.required("aws"), environment: [:])
        #expect(!section.jobs.isEmpty)
        for job in section.jobs {
            #expect(!job.name.isEmpty)
            #expect(job.ec2 != nil || !job.cloudWatch.isEmpty || job.cloudTrail != nil)
            for metric in job.cloudWatch { #expect(metric.length >= job.interval) }
        }
    }

    // MARK: Mistakes, each located

    @Test func lengthShorterThanTheIntervalIsRejected() {
        let error = Self.error("""
            aws:
              jobs:
                - name: a
                  interval: 5m
                  cloudwatch:
                    metrics:
                      - namespace: AWS/EC2
                        name: CPUUtilization
                        statistics: [Average]
                        length: 2m
            """)
        #expect(error?.field == "aws.jobs[0].cloudwatch.metrics[0].length")
        #expect(error?.line == 10)
        #expect(error?.file == "aws.yml")
        #expect(error?.message.contains("at least the job interval") == true)
        #expect(error?.description.hasPrefix("aws.yml:10:") == true)
    }

    @Test func lengthShorterThanThePeriodIsRejected() {
        let error = Self.error("""
            aws:
              jobs:
                - name: a
                  interval: 1m
                  cloudwatch:
                    metrics:
                      - {namespace: AWS/EC2, name: CPUUtilization, statistics: [Average], period: 5m, length: 1m}
            """)
        #expect(error?.field == "aws.jobs[0].cloudwatch.metrics[0].length")
        #expect(error?.message == "length must be at least the period")
        #expect(error?.line == 7)
    }

    @Test(arguments: ["Avg", "average", "p100", "p0", "pfoo", "p", "p0x10", "p1e1"])
    func unknownStatisticIsRejected(statistic: String) {
        let error = Self.error("""
            aws:
              jobs:
                - name: a
                  cloudwatch:
                    metrics:
                      - namespace: AWS/EC2
                        name: CPUUtilization
                        statistics: [Maximum, "\(statistic)"]
            """)
        #expect(error?.field == "aws.jobs[0].cloudwatch.metrics[0].statistics")
        #expect(error?.line == 8)
        #expect(error?.message.hasPrefix("'\(statistic)' is not a statistic") == true)
    }

    @Test func emptyStatisticsAreRejected() {
        let error = Self.error("""
            aws:
              jobs:
                - name: a
                  cloudwatch:
                    metrics:
                      - {namespace: AWS/EC2, name: CPUUtilization, statistics: []}
            """)
        #expect(error?.field == "aws.jobs[0].cloudwatch.metrics[0].statistics")
        #expect(error?.message == "must name at least one statistic")
    }

    @Test func dimensionsFromNeedsTheEC2Section() {
        let error = Self.error("""
            aws:
              jobs:
                - name: a
                  cloudwatch:
                    metrics:
                      - namespace: AWS/EC2
                        name: CPUUtilization
                        statistics: [Average]
                        dimensions_from: ec2_instances
            """)
        #expect(error?.field == "aws.jobs[0].cloudwatch.metrics[0].dimensions_from")
        #expect(error?.line == 9)
        #expect(error?.message.contains("ec2 section") == true)
    }

    @Test func dimensionsFromOnlyKnowsEC2Instances() {
        let error = Self.error("""
            aws:
              jobs:
                - name: a
                  ec2:
                  cloudwatch:
                    metrics:
                      - {namespace: AWS/RDS, name: CPUUtilization, statistics: [Average], dimensions_from: rds_instances}
            """)
        #expect(error?.field == "aws.jobs[0].cloudwatch.metrics[0].dimensions_from")
        #expect(error?.message == "the only source is 'ec2_instances'")
    }

    @Test func emptyRegionsAreRejected() {
        let error = Self.error("aws:\n  jobs:\n    - name: a\n      regions: []\n      ec2:\n")
        #expect(error?.field == "aws.jobs[0].regions")
        #expect(error?.line == 4)
        #expect(error?.message == "must name at least one region")
    }

    @Test(arguments: ["US East 1", "us_east_1", "''"])
    func malformedRegionIsRejected(region: String) {
        let error = Self.error("aws:\n  jobs:\n    - name: a\n      regions: [us-east-1, \(region)]\n      ec2:\n")
        #expect(error?.field == "aws.jobs[0].regions")
        #expect(error?.message.contains("is not a region name") == true)
    }

    @Test func duplicateJobNamesAreRejected() {
        let error = Self.error("""
            aws:
              jobs:
                - name: fleet
                  ec2:
                - name: other
                  ec2:
                - name: fleet
                  regions: [eu-west-1]
                  ec2:
            """)
        #expect(error?.field == "aws.jobs[2]")
        #expect(error?.line == 7)
        #expect(error?.message == "job name 'fleet' is used twice")
    }

    @Test func eventsFileMayNotReuseAJobName() {
        let error = Self.error("""
            aws:
              jobs:
                - name: shared
                  ec2:
              events_files:
                - {name: shared, path: /tmp/x.csv, format: csv, fields: [a]}
            """)
        #expect(error?.field == "aws.events_files[0]")
        #expect(error?.message.contains("'shared' is used twice") == true)
    }

    @Test(arguments: ["localhost:5000", "ftp://host", "127.0.0.1", "''"])
    func endpointsMustBeURLs(value: String) {
        let error = Self.error("aws:\n  jobs:\n    - name: a\n      ec2:\n      endpoints:\n        ec2: \(value)\n")
        #expect(error?.field == "aws.jobs[0].endpoints.ec2")
        #expect(error?.line == 6)
        #expect(error?.message == "must be an http:// or https:// URL")
    }

    @Test func unknownEndpointServiceIsRejected() {
        let error = Self.error("aws:\n  jobs:\n    - name: a\n      ec2:\n      endpoints:\n        s3: http://127.0.0.1:1\n")
        #expect(error?.field == "aws.jobs[0].endpoints.s3")
        #expect(error?.message.contains("unknown field 's3'") == true)
        #expect(error?.message.contains("cloudwatch") == true)
    }

    @Test func jobThatFetchesNothingIsRejected() {
        let error = Self.error("aws:\n  jobs:\n    - name: idle\n      interval: 1m\n")
        #expect(error?.field == "aws.jobs[0]")
        #expect(error?.line == 3)
        #expect(error?.message.contains("fetches nothing") == true)
    }

    @Test func maxAgeBelowTheIntervalIsRejected() {
        let error = Self.error("aws:\n  jobs:\n    - name: a\n      interval: 5m\n      max_age: 1m\n      ec2:\n")
        #expect(error?.field == "aws.jobs[0].max_age")
        #expect(error?.line == 5)
        #expect(error?.message == "must be at least the interval (300s)")
    }

    @Test(arguments: ["45s", "90s", "0s", "soon"])
    func periodMustBeOneCloudWatchAccepts(period: String) {
        let error = Self.error("""
            aws:
              jobs:
                - name: a
                  interval: 10m
                  cloudwatch:
                    metrics:
                      - {namespace: AWS/EC2, name: CPUUtilization, statistics: [Average], period: \(period)}
            """)
        #expect(error?.field == "aws.jobs[0].cloudwatch.metrics[0].period")
        #expect(error?.line == 7)
    }

    @Test(arguments: ["1s", "5s", "10s", "30s", "1m", "5m", "1h"])
    func standardAndHighResolutionPeriodsAreAccepted(period: String) throws {
        let section = try Self.read("""
            aws:
              jobs:
                - name: a
                  interval: 1m
                  cloudwatch:
                    metrics:
                      - {namespace: AWS/EC2, name: CPUUtilization, statistics: [Average], period: \(period), length: 1h}
            """)
        #expect(section.jobs.first?.cloudWatch.first?.period == DurationText.seconds(period))
    }

    @Test func misspeltJobFieldGetsAHint() {
        let error = Self.error("aws:\n  jobs:\n    - name: a\n      ec2:\n      max-age: 5m\n")
        #expect(error?.field == "aws.jobs[0].max-age")
        #expect(error?.message == "unknown field 'max-age' (did you mean 'max_age'?)")
    }

    @Test func unknownTopLevelFieldIsRejected() {
        let error = Self.error("aws:\n  job:\n    - name: a\n")
        #expect(error?.field == "aws.job")
        #expect(error?.line == 2)
    }

    @Test func cloudwatchNeedsItsMetrics() {
        let error = Self.error("aws:\n  jobs:\n    - name: a\n      cloudwatch:\n        period: 1m\n")
        #expect(error?.field == "aws.jobs[0].cloudwatch.metrics")
        #expect(error?.message == "is required")
    }

    @Test func missingJobNameIsRequired() {
        let error = Self.error("aws:\n  jobs:\n    - regions: [us-east-1]\n      ec2:\n")
        #expect(error?.field == "aws.jobs[0].name")
        #expect(error?.line == 3)
    }

    @Test func tooManyDimensionsAreRejected() {
        let dimensions = (1...31).map { "D\($0): v" }.joined(separator: ", ")
        let error = Self.error("""
            aws:
              jobs:
                - name: a
                  cloudwatch:
                    metrics:
                      - {namespace: X, name: Y, statistics: [Sum], dimensions: {\(dimensions)}}
            """)
        #expect(error?.field == "aws.jobs[0].cloudwatch.metrics[0].dimensions")
        #expect(error?.message.contains("30") == true)
    }

    @Test func eventsFileFormatAndLimitsAreChecked() {
        let format = Self.error("aws:\n  events_files:\n    - {name: e, path: /x, format: xml, fields: [a]}\n")
        #expect(format?.field == "aws.events_files[0].format")
        #expect(format?.message == "must be csv or jsonl")
        let series = Self.error("aws:\n  events_files:\n    - {name: e, path: /x, format: csv, fields: [a], max_series: 0}\n")
        #expect(series?.field == "aws.events_files[0].max_series")
        let fields = Self.error("aws:\n  events_files:\n    - {name: e, path: /x, format: csv, fields: []}\n")
        #expect(fields?.field == "aws.events_files[0].fields")
    }

    @Test func cloudtrailNeedsEventNames() {
        let error = Self.error("aws:\n  jobs:\n    - name: a\n      cloudtrail:\n        event_names: []\n")
        #expect(error?.field == "aws.jobs[0].cloudtrail.event_names")
        #expect(error?.message == "must name at least one event")
    }
}
