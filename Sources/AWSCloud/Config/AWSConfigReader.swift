import ConfigFile

/// Reads and validates the `aws:` section of the configuration file. Every error names the
/// file, the line and the field.
public enum AWSConfigReader {
    public struct Section: Sendable {
        public var jobs: [AWSJobConfig] = []
        public var eventsFiles: [EventsFileConfig] = []
    }

    public static func read(_ node: ConfigNode, environment: [String: String]) throws(ConfigError) -> Section {
        let mapping = try node.mapping()
        try mapping.rejectUnknownKeys(["jobs", "events_files"])
        var section = Section()
        var names = Set<String>()
        if let jobs = mapping.optional("jobs") {
            for item in try jobs.list() {
                let job = try readJob(item, environment: environment)
                guard names.insert(job.name).inserted else { throw item.error("job name '\(job.name)' is used twice") }
                section.jobs.append(job)
            }
        }
        if let files = mapping.optional("events_files") {
            for item in try files.list() {
                let file = try readEventsFile(item)
                guard names.insert(file.name).inserted else { throw item.error("name '\(file.name)' is used twice") }
                section.eventsFiles.append(file)
            }
        }
        return section
    }

    static let regionCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789-")

    private static func readJob(_ node: ConfigNode, environment: [String: String]) throws(ConfigError) -> AWSJobConfig {
        let mapping = try node.mapping()
        try mapping.rejectUnknownKeys(["name", "regions", "interval", "max_age", "timeout", "profile", "role_arn", "external_id",
                                       "endpoints", "ec2", "cloudwatch", "cloudtrail"])
        let name = try mapping.required("name").nonEmptyString()
        var regions: [String]
        if let list = mapping.optional("regions") {
            regions = try list.stringList()
            guard !regions.isEmpty else { throw list.error("must name at least one region") }
            for region in regions where region.isEmpty || !region.allSatisfy({ regionCharacters.contains($0) }) {
                throw list.error("'\(region)' is not a region name like us-east-1")
            }
        } else {
            regions = [environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"] ?? "us-east-1"]
        }
        let interval = try mapping.optional("interval")?.positiveDuration() ?? 60
        var endpoints: [String: String] = [:]
        if let node = mapping.optional("endpoints") {
            let entries = try node.mapping()
            try entries.rejectUnknownKeys(AWSEndpoints.Service.allCases.map(\.configKey))
            for (key, value) in try entries.stringDictionary() {
                guard value.hasPrefix("http://") || value.hasPrefix("https://") else {
                    throw entries[key]!.error("must be an http:// or https:// URL")
                }
                endpoints[key] = value
            }
        }
        // `ec2:` left empty still turns discovery on, so this looks the key up even when null.
        let ec2 = try mapping["ec2"].map { ec2Node throws(ConfigError) in try readEC2(ec2Node) }
        var metrics: [AWSJobConfig.CloudWatchMetric] = []
        if let node = mapping.optional("cloudwatch") {
            metrics = try readCloudWatch(node, interval: interval, hasDiscovery: ec2 != nil)
        }
        let trail = try mapping.optional("cloudtrail").map { trailNode throws(ConfigError) in try readCloudTrail(trailNode) }
        if ec2 == nil && metrics.isEmpty && trail == nil {
            throw node.error("job '\(name)' fetches nothing: add ec2, cloudwatch or cloudtrail")
        }
        var maxAge: Double?
        if let node = mapping.optional("max_age") {
            let seconds = try node.positiveDuration()
            guard seconds >= interval else { throw node.error("must be at least the interval (\(Int(interval))s)") }
            maxAge = seconds
        }
        var job = AWSJobConfig(
            name: name, regions: regions, interval: interval, maxAge: maxAge,
            profile: try mapping.optional("profile")?.nonEmptyString(),
            roleArn: try mapping.optional("role_arn")?.nonEmptyString(),
            externalId: try mapping.optional("external_id")?.nonEmptyString(),
            endpoints: endpoints, ec2: ec2, cloudWatch: metrics, cloudTrail: trail)
        if let timeout = mapping.optional("timeout") { job.timeout = try timeout.positiveDuration() }
        return job
    }

    private static func readEC2(_ node: ConfigNode) throws(ConfigError) -> AWSJobConfig.EC2Discovery {
        if node.isNull { return AWSJobConfig.EC2Discovery(filters: [], exportTags: []) }
        let mapping = try node.mapping()
        try mapping.rejectUnknownKeys(["filters", "export_tags"])
        var filters: [AWSJobConfig.EC2Discovery.Filter] = []
        if let list = mapping.optional("filters") {
            for item in try list.list() {
                let filter = try item.mapping()
                try filter.rejectUnknownKeys(["name", "values"])
                let values = try filter.required("values").stringList()
                guard !values.isEmpty else { throw item.error("values must not be empty") }
                filters.append(.init(name: try filter.required("name").nonEmptyString(), values: values))
            }
        }
        let tags = try mapping.optional("export_tags")?.stringList() ?? []
        return AWSJobConfig.EC2Discovery(filters: filters, exportTags: tags)
    }

    static let statistics = ["Average", "Sum", "Minimum", "Maximum", "SampleCount"]

    private static func readCloudWatch(_ node: ConfigNode, interval: Double,
                                       hasDiscovery: Bool) throws(ConfigError) -> [AWSJobConfig.CloudWatchMetric] {
        let mapping = try node.mapping()
        try mapping.rejectUnknownKeys(["period", "length", "delay", "metrics"])
        let defaultPeriod = try mapping.optional("period")?.positiveDuration() ?? 60
        let defaultLengthNode = mapping.optional("length")
        let defaultLength = try defaultLengthNode?.positiveDuration()
        let defaultDelay = try mapping.optional("delay")?.duration() ?? 0
        var metrics: [AWSJobConfig.CloudWatchMetric] = []
        for item in try mapping.required("metrics").list() {
            let metric = try item.mapping()
            try metric.rejectUnknownKeys(["namespace", "name", "statistics", "period", "length", "delay",
                                          "dimensions", "dimensions_from"])
            let periodNode = metric.optional("period")
            let period = try periodNode?.positiveDuration() ?? defaultPeriod
            let isStandardPeriod = period.truncatingRemainder(dividingBy: 60) == 0
            guard isStandardPeriod || [1, 5, 10, 30].contains(period) else {
                throw (periodNode ?? item).error("period must be 1, 5, 10, 30 or a multiple of 60 seconds")
            }
            let lengthNode = metric.optional("length")
            let length = try lengthNode?.positiveDuration() ?? defaultLength ?? max(period, interval)
            guard length >= period else {
                throw (lengthNode ?? defaultLengthNode ?? item).error("length must be at least the period")
            }
            guard length >= interval else {
                throw (lengthNode ?? defaultLengthNode ?? item).error("length (\(Int(length))s) must be at least the job interval (\(Int(interval))s), or periods between refreshes are never read")
            }
            let delay = try metric.optional("delay")?.duration() ?? defaultDelay
            let statisticsNode = try metric.required("statistics")
            let stats = try statisticsNode.stringList()
            guard !stats.isEmpty else { throw statisticsNode.error("must name at least one statistic") }
            for stat in stats where !statistics.contains(stat) && !isPercentile(stat) {
                throw statisticsNode.error("'\(stat)' is not a statistic (\(statistics.joined(separator: ", ")) or pNN)")
            }
            var dimensions: [AWSJobConfig.CloudWatchMetric.Dimension] = []
            if let node = metric.optional("dimensions") {
                for (key, value) in try node.mapping().stringDictionary() { dimensions.append(.init(name: key, value: value)) }
                guard dimensions.count <= 30 else { throw node.error("CloudWatch allows at most 30 dimensions") }
            }
            var fromInstances = false
            if let node = metric.optional("dimensions_from") {
                guard try node.string() == "ec2_instances" else { throw node.error("the only source is 'ec2_instances'") }
                guard hasDiscovery else { throw node.error("needs the job's ec2 section to discover instances") }
                fromInstances = true
            }
            metrics.append(AWSJobConfig.CloudWatchMetric(
                namespace: try metric.required("namespace").nonEmptyString(),
                name: try metric.required("name").nonEmptyString(),
                statistics: stats, period: period, length: length, delay: delay,
                dimensions: dimensions, fromDiscoveredInstances: fromInstances))
        }
        return metrics
    }

    /// `p99`, `p99.9`: plain decimal digits only, since `Double` would also take `p0x10` or `p1e1`,
    /// which CloudWatch rejects.
    private static func isPercentile(_ statistic: String) -> Bool {
        let number = statistic.dropFirst()
        let dots = number.filter { $0 == "." }.count
        guard statistic.hasPrefix("p"), number.first?.isASCII == true, number.first?.isNumber == true,
              number.last?.isNumber == true, dots <= 1,
              number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              let value = Double(number) else { return false }
        return value > 0 && value < 100
    }

    private static func readCloudTrail(_ node: ConfigNode) throws(ConfigError) -> AWSJobConfig.CloudTrailSettings {
        let mapping = try node.mapping()
        try mapping.rejectUnknownKeys(["event_names", "lookback"])
        let namesNode = try mapping.required("event_names")
        let names = try namesNode.stringList()
        guard !names.isEmpty else { throw namesNode.error("must name at least one event") }
        let lookback = try mapping.optional("lookback")?.positiveDuration() ?? 3600
        return AWSJobConfig.CloudTrailSettings(eventNames: names, lookback: lookback)
    }

    private static func readEventsFile(_ node: ConfigNode) throws(ConfigError) -> EventsFileConfig {
        let mapping = try node.mapping()
        try mapping.rejectUnknownKeys(["name", "path", "format", "fields", "interval", "max_series"])
        let formatNode = try mapping.required("format")
        let format: EventsFileFormat
        switch try formatNode.string() {
        case "csv": format = .csv
        case "jsonl", "json_lines", "jsonlines": format = .jsonLines
        default: throw formatNode.error("must be csv or jsonl")
        }
        let fieldsNode = try mapping.required("fields")
        let fields = try fieldsNode.stringList()
        guard !fields.isEmpty else { throw fieldsNode.error("must name at least one field") }
        let maxSeries = try mapping.optional("max_series")?.int() ?? 1000
        guard maxSeries > 0 else { throw mapping["max_series"]!.error("must be positive") }
        return EventsFileConfig(
            name: try mapping.required("name").nonEmptyString(), path: try mapping.required("path").nonEmptyString(),
            format: format, fields: fields, interval: try mapping.optional("interval")?.positiveDuration() ?? 15,
            maxSeries: maxSeries)
    }
}
