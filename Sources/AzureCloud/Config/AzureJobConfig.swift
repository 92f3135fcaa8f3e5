/// One `azure.jobs[]` entry: whom to authenticate as, which resources to discover, which
/// metrics to read for them and how often.
public struct AzureJobConfig: Sendable, Equatable {
    /// Where the job's identity comes from; secrets themselves are never in the configuration.
    public enum Credential: Sendable, Equatable {
        /// Client credentials, the secret read from this file at every token request.
        case clientSecretFile(String)
        /// Client credentials, the secret read from this environment variable.
        case clientSecretEnvironment(String)
        /// Workload identity federation: the Kubernetes service-account token in this file
        /// (`AZURE_FEDERATED_TOKEN_FILE`), read again at every token request because it rotates.
        case workloadIdentity(tokenFile: String)
    }

    public struct Endpoints: Sendable, Equatable {
        /// Azure Resource Manager.
        public var management = "https://management.azure.com"
        /// The Entra ID authority; tokens come from `{login}/{tenant}/oauth2/v2.0/token`.
        public var login = "https://login.microsoftonline.com"
        /// The regional metrics data plane, `{region}` replaced by the resource's location;
        /// nil: read metrics with one ARM call per resource instead of `metrics:getBatch`.
        public var metrics: String? = "https://{region}.metrics.monitor.azure.com"

        public init() {}
    }

    /// Scopes asked for: ARM's, and the metrics data plane's for `metrics:getBatch`.
    public struct Scopes: Sendable, Equatable {
        public var management = "https://management.azure.com/.default"
        public var metrics = "https://metrics.monitor.azure.com/.default"

        public init() {}
    }

    public var name: String
    public var tenantId: String
    public var clientId: String
    public var credential: Credential
    public var subscriptions: [String]
    /// Empty: every resource group of each subscription.
    public var resourceGroups: [String] = []
    /// `Microsoft.Compute/virtualMachines`.
    public var resourceType: String
    /// Tag keys exported as `tag_<key>` labels.
    public var exportTags: [String] = []
    public var metrics: [AzureMetricConfig] = []
    public var endpoints = Endpoints()
    public var scopes = Scopes()
    /// Seconds between refreshes.
    public var interval: Double = 60
    /// Seconds after which cached values stop being served (nil: the cache's default).
    public var maxAge: Double?
    /// Seconds one call may take, connection included.
    public var timeout: Double = 30
    /// Below this many remaining ARM reads in a subscription, a refresh skips per-resource
    /// metrics calls there (inventory is still read), so the exporter never exhausts the quota
    /// other tools of the subscription share.
    public var minRemainingReads: Int = 100

    public init(name: String, tenantId: String, clientId: String, credential: Credential,
                subscriptions: [String], resourceType: String) {
        self.name = name
        self.tenantId = tenantId
        self.clientId = clientId
        self.credential = credential
        self.subscriptions = subscriptions
        self.resourceType = resourceType
    }
}

/// One `metrics[]` entry: metrics of one namespace, read for every discovered resource.
public struct AzureMetricConfig: Sendable, Equatable {
    public enum Aggregation: String, Sendable, Equatable, CaseIterable {
        case average = "Average"
        case minimum = "Minimum"
        case maximum = "Maximum"
        case total = "Total"
        case count = "Count"
    }

    public var namespace: String
    public var names: [String]
    public var aggregations: [Aggregation]
    /// The ISO 8601 time grain (`PT1M`) and its length in seconds.
    public var timeGrain: String
    public var timeGrainSeconds: Double
    /// Seconds of history asked for; the newest datapoint in it is exported.
    public var length: Double

    public init(namespace: String, names: [String], aggregations: [Aggregation], timeGrain: String = "PT1M",
                timeGrainSeconds: Double = 60, length: Double = 300) {
        self.namespace = namespace
        self.names = names
        self.aggregations = aggregations
        self.timeGrain = timeGrain
        self.timeGrainSeconds = timeGrainSeconds
        self.length = length
    }
}
