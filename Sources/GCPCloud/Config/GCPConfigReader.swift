import ConfigFile

/// Reads and validates the `gcp:` section of the configuration file. Every error names the
/// file, the line and the field.
public enum GCPConfigReader {
    /// Base URLs used when a job's `endpoints` leaves one out (for tests and private endpoints).
    public static let monitoringEndpointVariable = "NIMBUS_GCP_MONITORING_ENDPOINT"
    public static let computeEndpointVariable = "NIMBUS_GCP_COMPUTE_ENDPOINT"

    public static func read(_ node: ConfigNode, environment: [String: String]) throws(ConfigError) -> [GCPJobConfig] {
        let mapping = try node.mapping()
        try mapping.rejectUnknownKeys(["jobs"])
        var jobs: [GCPJobConfig] = []
        var names = Set<String>()
        for item in try mapping.required("jobs").list() {
            let job = try readJob(item, environment: environment)
            guard names.insert(job.name).inserted else { throw item.error("job name '\(job.name)' is used twice") }
            jobs.append(job)
        }
        return jobs
    }

    private static func readJob(_ node: ConfigNode, environment: [String: String]) throws(ConfigError) -> GCPJobConfig {
        let mapping = try node.mapping()
        try mapping.rejectUnknownKeys(["name", "project", "credentials_file", "interval", "max_age", "timeout", "endpoints",
                                       "metrics", "compute_inventory"])
        let name = try mapping.required("name").nonEmptyString()
        let interval = try mapping.optional("interval")?.positiveDuration() ?? 60
        let credentialsNode = mapping.optional("credentials_file")
        let credentialsFile = try credentialsNode?.nonEmptyString()
        let project = try readProject(mapping, credentialsNode: credentialsNode, environment: environment)
        var maxAge: Double?
        if let ageNode = mapping.optional("max_age") {
            let seconds = try ageNode.positiveDuration()
            guard seconds >= interval else { throw ageNode.error("must be at least the interval (\(Int(interval))s)") }
            maxAge = seconds
        }
        let timeout = try mapping.optional("timeout")?.positiveDuration() ?? 30
        let endpoints = try readEndpoints(mapping.optional("endpoints"), environment: environment)
        var metrics: [GCPJobConfig.Metric] = []
        if let list = mapping.optional("metrics") {
            for item in try list.list() { metrics.append(try readMetric(item, interval: interval)) }
        }
        let inventory = try mapping.optional("compute_inventory")?.bool() ?? false
        if metrics.isEmpty && !inventory {
            throw node.error("job '\(name)' fetches nothing: add metrics or compute_inventory: true")
        }
        return GCPJobConfig(name: name, project: project, credentialsFile: credentialsFile, interval: interval,
                            maxAge: maxAge, timeout: timeout, endpoints: endpoints, metrics: metrics,
                            computeInventory: inventory)
    }

    /// `project`, else the key file's `project_id` (the configured file, else
    /// `GOOGLE_APPLICATION_CREDENTIALS`), else `GOOGLE_CLOUD_PROJECT`. A configured key file is
    /// read here so a missing or broken one is reported with its line, not at the first refresh.
    private static func readProject(_ mapping: ConfigMapping, credentialsNode: ConfigNode?,
                                    environment: [String: String]) throws(ConfigError) -> String {
        var keyProject: String?
        if let credentialsNode {
            let path = try credentialsNode.nonEmptyString()
            do throws(GCPAuthError) {
                keyProject = try ServiceAccountKey.load(path: path).projectId
            } catch {
                throw credentialsNode.error(error.message)
            }
        }
        if let projectNode = mapping.optional("project") {
            let project = try projectNode.nonEmptyString()
            guard isProjectId(project) else {
                throw projectNode.error("'\(project.prefix(60))' is not a project id (lower-case letters, digits, hyphens; a domain: prefix is allowed)")
            }
            return project
        }
        if keyProject == nil, credentialsNode == nil, let path = nonEmpty(environment["GOOGLE_APPLICATION_CREDENTIALS"]) {
            do throws(GCPAuthError) {
                keyProject = try ServiceAccountKey.load(path: path).projectId
            } catch {
                throw mapping.owner.error("GOOGLE_APPLICATION_CREDENTIALS: \(error.message)")
            }
        }
        if let project = keyProject ?? nonEmpty(environment["GOOGLE_CLOUD_PROJECT"]) { return project }
        throw mapping.owner.error("project is required: no key file with a project_id and no GOOGLE_CLOUD_PROJECT")
    }

    private static func readEndpoints(_ node: ConfigNode?, environment: [String: String]) throws(ConfigError) -> GCPJobConfig.Endpoints {
        var endpoints = GCPJobConfig.Endpoints(
            monitoring: nonEmpty(environment[monitoringEndpointVariable]) ?? GCPJobConfig.Endpoints.defaultMonitoring,
            compute: nonEmpty(environment[computeEndpointVariable]) ?? GCPJobConfig.Endpoints.defaultCompute)
        guard let node else { return endpoints }
        let entries = try node.mapping()
        try entries.rejectUnknownKeys(["monitoring", "compute"])
        for (key, valueNode) in entries.entries {
            let value = try valueNode.nonEmptyString()
            guard value.hasPrefix("http://") || value.hasPrefix("https://") else {
                throw valueNode.error("must be an http:// or https:// URL")
            }
            if key == "monitoring" { endpoints.monitoring = value } else { endpoints.compute = value }
        }
        return endpoints
    }

    private static func readMetric(_ node: ConfigNode, interval: Double) throws(ConfigError) -> GCPJobConfig.Metric {
        let mapping = try node.mapping()
        try mapping.rejectUnknownKeys(["type", "type_prefix", "aligner", "alignment_period", "length", "delay", "filter"])
        let typeNode = try mapping.required("type")
        let type = try typeNode.nonEmptyString()
        guard type.unicodeScalars.allSatisfy({ metricTypeCharacters.contains($0) }) else {
            throw typeNode.error("'\(type.prefix(80))' is not a metric type like compute.googleapis.com/instance/cpu/utilization")
        }
        var aligner: String?
        if let alignerNode = mapping.optional("aligner") {
            let text = try alignerNode.nonEmptyString()
            guard text.hasPrefix("ALIGN_"), text.unicodeScalars.allSatisfy({ alignerCharacters.contains($0) }) else {
                throw alignerNode.error("'\(text.prefix(40))' is not an aligner like ALIGN_MEAN or ALIGN_RATE")
            }
            aligner = text
        }
        let periodNode = mapping.optional("alignment_period")
        let period = try periodNode?.positiveDuration() ?? 60
        guard period >= 1, period == period.rounded() else {
            throw (periodNode ?? node).error("alignment_period must be a whole number of seconds")
        }
        let lengthNode = mapping.optional("length")
        let length = try lengthNode?.positiveDuration() ?? max(period, interval)
        guard length >= interval else {
            throw (lengthNode ?? node).error("length (\(Int(length))s) must be at least the job interval (\(Int(interval))s), or points between refreshes are never read")
        }
        guard length >= period else { throw (lengthNode ?? node).error("length must be at least the alignment_period") }
        let delay = try mapping.optional("delay")?.duration() ?? 0
        let filter = try mapping.optional("filter")?.nonEmptyString()
        return GCPJobConfig.Metric(type: type, typePrefix: try mapping.optional("type_prefix")?.bool() ?? false,
                                   aligner: aligner, alignmentPeriod: period, length: length, delay: delay, filter: filter)
    }

    static let metricTypeCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/-".unicodeScalars)
    static let alignerCharacters = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_".unicodeScalars)

    /// Google project ids: 6–30 lower-case letters, digits and hyphens; older ones may carry a
    /// `domain.com:` prefix.
    static func isProjectId(_ text: String) -> Bool {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-.:".unicodeScalars)
        return !text.isEmpty && text.count <= 100 && text.unicodeScalars.allSatisfy { allowed.contains($0) }
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
