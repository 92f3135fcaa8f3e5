/// One `gcp.jobs[]` entry of the configuration file: which project, which metric types, how often.
public struct GCPJobConfig: Sendable, Equatable {
    public var name: String
    public var project: String
    /// A service-account key file; nil falls back to `GOOGLE_APPLICATION_CREDENTIALS`, then to
    /// the metadata server.
    public var credentialsFile: String?
    /// Seconds between refreshes.
    public var interval: Double
    /// Seconds after which cached values stop being served (nil: the cache's default).
    public var maxAge: Double?
    /// Seconds each API call may take, connection included.
    public var timeout: Double
    public var endpoints: Endpoints
    public var metrics: [Metric]
    /// Export Compute Engine instances as `gcp_compute_instance_info`.
    public var computeInventory: Bool

    public init(name: String, project: String, credentialsFile: String? = nil, interval: Double = 60,
                maxAge: Double? = nil, timeout: Double = 30, endpoints: Endpoints = Endpoints(),
                metrics: [Metric] = [], computeInventory: Bool = false) {
        self.name = name
        self.project = project
        self.credentialsFile = credentialsFile
        self.interval = interval
        self.maxAge = maxAge
        self.timeout = timeout
        self.endpoints = endpoints
        self.metrics = metrics
        self.computeInventory = computeInventory
    }

    public struct Endpoints: Sendable, Equatable {
        public static let defaultMonitoring = "https://monitoring.googleapis.com"
        public static let defaultCompute = "https://compute.googleapis.com"

        public var monitoring: String
        public var compute: String

        public init(monitoring: String = Endpoints.defaultMonitoring, compute: String = Endpoints.defaultCompute) {
            self.monitoring = monitoring
            self.compute = compute
        }
    }

    public struct Metric: Sendable, Equatable {
        /// A metric type (`compute.googleapis.com/instance/cpu/utilization`), or a prefix of
        /// types when `typePrefix` is set.
        public var type: String
        public var typePrefix: Bool
        /// `ALIGN_MEAN`, `ALIGN_RATE`...; nil asks for the raw points.
        public var aligner: String?
        /// Seconds; the window's end sits on a multiple of it.
        public var alignmentPeriod: Double
        /// Seconds of history per refresh; at least the interval, so no point is skipped.
        public var length: Double
        /// Seconds the window's end is held back, for metrics Google publishes late.
        public var delay: Double
        /// More filter terms, ANDed with the type.
        public var filter: String?

        public init(type: String, typePrefix: Bool = false, aligner: String? = nil, alignmentPeriod: Double = 60,
                    length: Double = 300, delay: Double = 0, filter: String? = nil) {
            self.type = type
            self.typePrefix = typePrefix
            self.aligner = aligner
            self.alignmentPeriod = alignmentPeriod
            self.length = length
            self.delay = delay
            self.filter = filter
        }
    }
}
