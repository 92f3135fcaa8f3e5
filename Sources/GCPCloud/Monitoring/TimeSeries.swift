/// One time series from Cloud Monitoring's `projects.timeSeries.list`, decoded into types.
public struct TimeSeries: Sendable, Equatable {
    public var metricType: String
    public var metricLabels: [String: String]
    public var resourceType: String
    public var resourceLabels: [String: String]
    public var metricKind: MetricKind
    public var valueType: ValueType
    /// Newest first, as the API returns them.
    public var points: [Point]

    public init(metricType: String, metricLabels: [String: String] = [:], resourceType: String,
                resourceLabels: [String: String] = [:], metricKind: MetricKind, valueType: ValueType, points: [Point]) {
        self.metricType = metricType
        self.metricLabels = metricLabels
        self.resourceType = resourceType
        self.resourceLabels = resourceLabels
        self.metricKind = metricKind
        self.valueType = valueType
        self.points = points
    }

    public enum MetricKind: String, Sendable, Equatable {
        case gauge = "GAUGE"
        case delta = "DELTA"
        case cumulative = "CUMULATIVE"
        case unspecified = "METRIC_KIND_UNSPECIFIED"
    }

    public enum ValueType: String, Sendable, Equatable {
        case bool = "BOOL"
        case int64 = "INT64"
        case double = "DOUBLE"
        case string = "STRING"
        case distribution = "DISTRIBUTION"
        case money = "MONEY"
        case unspecified = "VALUE_TYPE_UNSPECIFIED"
    }

    public struct Point: Sendable, Equatable {
        /// Unix seconds; nil for gauges, whose interval is a single instant.
        public var startTime: Double?
        public var endTime: Double
        public var value: Value

        public init(startTime: Double? = nil, endTime: Double, value: Value) {
            self.startTime = startTime
            self.endTime = endTime
            self.value = value
        }
    }

    public enum Value: Sendable, Equatable {
        case bool(Bool)
        case int64(Int64)
        case double(Double)
        case string(String)
        case distribution(Distribution)

        /// The value as a sample, where one number says it (not for strings or distributions).
        public var number: Double? {
            switch self {
            case .bool(let flag): flag ? 1 : 0
            case .int64(let integer): Double(integer)
            case .double(let double): double
            case .string, .distribution: nil
            }
        }
    }

    /// A histogram: `bucketCounts[i]` counts values below `bounds[i]` and at or above
    /// `bounds[i-1]`; the first bucket is the underflow, the last the overflow one.
    public struct Distribution: Sendable, Equatable {
        public var count: Int64
        public var mean: Double
        public var sumOfSquaredDeviation: Double
        /// Finite upper bounds, ascending (`bucketCounts` may have up to `bounds.count + 1` entries).
        public var bounds: [Double]
        /// Trailing zero buckets may be left out, as the API does.
        public var bucketCounts: [Int64]

        public init(count: Int64, mean: Double, sumOfSquaredDeviation: Double = 0, bounds: [Double], bucketCounts: [Int64]) {
            self.count = count
            self.mean = mean
            self.sumOfSquaredDeviation = sumOfSquaredDeviation
            self.bounds = bounds
            self.bucketCounts = bucketCounts
        }

        public var sum: Double { mean * Double(count) }
    }
}
