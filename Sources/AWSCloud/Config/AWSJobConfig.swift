/// One `aws.jobs[]` entry of the configuration file: what to fetch, where, how often.
public struct AWSJobConfig: Sendable, Equatable {
    public var name: String
    public var regions: [String]
    /// Seconds between refreshes.
    public var interval: Double
    /// Seconds after which cached values stop being served (nil: the cache's default).
    public var maxAge: Double?
    /// Seconds each API call may take, connection included, before it is abandoned (and retried).
    public var timeout: Double = 30
    /// A profile of the shared files instead of `AWS_PROFILE`.
    public var profile: String?
    /// STS AssumeRole into this role for every call of the job.
    public var roleArn: String?
    public var externalId: String?
    /// Per-service base URLs (`ec2`, `cloudwatch`, `cloudtrail`, `sts`), over the environment's.
    public var endpoints: [String: String]
    public var ec2: EC2Discovery?
    public var cloudWatch: [CloudWatchMetric]
    public var cloudTrail: CloudTrailSettings?

    public struct EC2Discovery: Sendable, Equatable {
        /// DescribeInstances filters, name → accepted values.
        public var filters: [Filter]
        /// Tag keys exported as `tag_<key>` labels; `["*"]` exports every tag.
        public var exportTags: [String]

        public struct Filter: Sendable, Equatable {
            public var name: String
            public var values: [String]
        }
    }

    public struct CloudWatchMetric: Sendable, Equatable {
        public var namespace: String
        public var name: String
        public var statistics: [String]
        /// Seconds per datapoint.
        public var period: Double
        /// Seconds of history asked for at each refresh; at least the interval, so no period is skipped.
        public var length: Double
        /// Seconds the window's end is held back, for metrics CloudWatch publishes late.
        public var delay: Double
        /// Explicit dimensions (name, value) for one series.
        public var dimensions: [Dimension]
        /// Take an `InstanceId` dimension from each discovered EC2 instance.
        public var fromDiscoveredInstances: Bool

        public struct Dimension: Sendable, Equatable {
            public var name: String
            public var value: String
        }
    }

    public struct CloudTrailSettings: Sendable, Equatable {
        public var eventNames: [String]
        /// How far back the first poll looks when there is no persisted watermark.
        public var lookback: Double
    }
}

/// `aws.events_files[]`: counts from exported event logs.
public struct EventsFileConfig: Sendable, Equatable {
    public var name: String
    public var path: String
    public var format: EventsFileFormat
    public var fields: [String]
    public var interval: Double
    public var maxSeries: Int
}
