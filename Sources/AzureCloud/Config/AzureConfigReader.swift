import ConfigFile

/// Reads and validates the `azure:` section of the configuration file. Every error names the
/// file, the line and the field.
public enum AzureConfigReader {
    public static func read(_ node: ConfigNode, environment: [String: String]) throws(ConfigError) -> [AzureJobConfig] {
        let mapping = try node.mapping()
        try mapping.rejectUnknownKeys(["jobs"])
        var jobs: [AzureJobConfig] = []
        var names = Set<String>()
        for item in try mapping.required("jobs").list() {
            let job = try readJob(item, environment: environment)
            guard names.insert(job.name).inserted else { throw item.error("job name '\(job.name)' is used twice") }
            jobs.append(job)
        }
        return jobs
    }

    static let jobKeys = [
        "name", "tenant_id", "client_id", "client_secret_file", "client_secret_env", "workload_identity",
        "subscriptions", "resource_groups", "resource_type", "export_tags", "interval", "max_age", "timeout",
        "endpoints", "min_remaining_reads", "metrics",
    ]

    private static func readJob(_ node: ConfigNode, environment: [String: String]) throws(ConfigError) -> AzureJobConfig {
        let mapping = try node.mapping()
        try mapping.rejectUnknownKeys(jobKeys)
        let name = try mapping.required("name").nonEmptyString()
        let identity = try readIdentity(mapping, environment: environment)
        let subscriptionsNode = try mapping.required("subscriptions")
        let subscriptions = try subscriptionsNode.stringList()
        guard !subscriptions.isEmpty else { throw subscriptionsNode.error("must list at least one subscription id") }
        for subscription in subscriptions where !isGUID(subscription) {
            throw subscriptionsNode.error("'\(subscription)' is not a subscription id (a GUID like 00000000-0000-0000-0000-000000000000)")
        }
        let typeNode = try mapping.required("resource_type")
        let resourceType = try typeNode.nonEmptyString()
        guard isResourceType(resourceType) else {
            throw typeNode.error("must be a resource type like Microsoft.Compute/virtualMachines")
        }
        var job = AzureJobConfig(name: name, tenantId: identity.tenant, clientId: identity.client,
                                 credential: identity.credential, subscriptions: subscriptions, resourceType: resourceType)
        if let groupsNode = mapping.optional("resource_groups") {
            job.resourceGroups = try groupsNode.stringList()
            for group in job.resourceGroups where !isPathSegment(group) {
                throw groupsNode.error("'\(group)' is not a resource group name")
            }
        }
        if let tagsNode = mapping.optional("export_tags") {
            job.exportTags = try tagsNode.stringList()
            if job.exportTags.contains(where: \.isEmpty) { throw tagsNode.error("tag keys must not be empty") }
        }
        if let interval = mapping.optional("interval") { job.interval = try interval.positiveDuration() }
        if let timeout = mapping.optional("timeout") { job.timeout = try timeout.positiveDuration() }
        if let maxAgeNode = mapping.optional("max_age") {
            let seconds = try maxAgeNode.positiveDuration()
            guard seconds >= job.interval else { throw maxAgeNode.error("must be at least the interval (\(Int(job.interval))s)") }
            job.maxAge = seconds
        }
        if let readsNode = mapping.optional("min_remaining_reads") {
            job.minRemainingReads = try readsNode.int()
            guard job.minRemainingReads >= 0 else { throw readsNode.error("must not be negative") }
        }
        job.endpoints = try readEndpoints(mapping.optional("endpoints"), identity: identity)
        let metricsNode = try mapping.required("metrics")
        for item in try metricsNode.list() { job.metrics.append(try readMetric(item, jobInterval: job.interval)) }
        guard !job.metrics.isEmpty else { throw metricsNode.error("must list at least one metrics entry") }
        return job
    }

    // MARK: Identity

    private struct Identity {
        var tenant: String
        var client: String
        var credential: AzureJobConfig.Credential
        /// `AZURE_AUTHORITY_HOST` for workload identity.
        var authorityHost: String?
    }

    private static func readIdentity(_ mapping: ConfigMapping, environment: [String: String]) throws(ConfigError) -> Identity {
        let fileNode = mapping.optional("client_secret_file")
        let envNode = mapping.optional("client_secret_env")
        let workloadNode = mapping.optional("workload_identity")
        let workload = try workloadNode?.bool() ?? false
        let chosen = [fileNode != nil, envNode != nil, workload].filter { $0 }.count
        guard chosen == 1 else {
            let message = chosen == 0
                ? "set one of client_secret_file, client_secret_env or workload_identity: true"
                : "set only one of client_secret_file, client_secret_env or workload_identity: true"
            throw (fileNode ?? envNode ?? workloadNode ?? mapping.owner).error(message)
        }
        if workload {
            // The Azure Workload Identity webhook injects these into the pod.
            let tenant = try mapping.optional("tenant_id")?.nonEmptyString() ?? environment["AZURE_TENANT_ID"]
            let client = try mapping.optional("client_id")?.nonEmptyString() ?? environment["AZURE_CLIENT_ID"]
            let node = workloadNode ?? mapping.owner
            guard let tenant, !tenant.isEmpty else { throw node.error("needs tenant_id or the environment variable AZURE_TENANT_ID") }
            guard let client, !client.isEmpty else { throw node.error("needs client_id or the environment variable AZURE_CLIENT_ID") }
            guard let tokenFile = environment["AZURE_FEDERATED_TOKEN_FILE"], !tokenFile.isEmpty else {
                throw node.error("the environment variable AZURE_FEDERATED_TOKEN_FILE is not set")
            }
            try checkTenant(tenant, node: mapping.optional("tenant_id") ?? node)
            let authority = environment["AZURE_AUTHORITY_HOST"].flatMap { $0.isEmpty ? nil : $0 }
            return Identity(tenant: tenant, client: client, credential: .workloadIdentity(tokenFile: tokenFile),
                            authorityHost: authority)
        }
        let tenantNode = try mapping.required("tenant_id")
        let tenant = try tenantNode.nonEmptyString()
        try checkTenant(tenant, node: tenantNode)
        let client = try mapping.required("client_id").nonEmptyString()
        if let fileNode { return Identity(tenant: tenant, client: client, credential: .clientSecretFile(try fileNode.nonEmptyString())) }
        guard let envNode else { throw mapping.owner.error("no credential") }
        let variable = try envNode.nonEmptyString()
        // Checked now so a missing secret is a start-up error rather than a failing refresh.
        guard let value = environment[variable], !value.isEmpty else {
            throw envNode.error("the environment variable \(variable) is not set")
        }
        return Identity(tenant: tenant, client: client, credential: .clientSecretEnvironment(variable))
    }

    private static func checkTenant(_ tenant: String, node: ConfigNode) throws(ConfigError) {
        guard isPathSegment(tenant) else { throw node.error("must be a tenant id or domain, without '/', '?' or spaces") }
    }

    // MARK: Endpoints

    private static func readEndpoints(_ node: ConfigNode?, identity: Identity) throws(ConfigError) -> AzureJobConfig.Endpoints {
        var endpoints = AzureJobConfig.Endpoints()
        if let authority = identity.authorityHost { endpoints.login = trimmedSlash(authority) }
        guard let node else { return endpoints }
        let mapping = try node.mapping()
        try mapping.rejectUnknownKeys(["management", "login", "metrics"])
        if let management = mapping.optional("management") {
            endpoints.management = try readURL(management)
            // A sovereign or test cloud has its own data plane, or none: never guess the public one.
            if mapping.optional("metrics") == nil { endpoints.metrics = nil }
        }
        if let login = mapping.optional("login") { endpoints.login = try readURL(login) }
        if let metrics = mapping.optional("metrics") {
            let text = try metrics.string()
            endpoints.metrics = text.isEmpty || text.lowercased() == "none" ? nil : try readURL(metrics)
        }
        return endpoints
    }

    private static func readURL(_ node: ConfigNode) throws(ConfigError) -> String {
        let url = try node.nonEmptyString()
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else { throw node.error("must be an http:// or https:// URL") }
        let authority = url.drop { $0 != "/" }.dropFirst(2).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.isEmpty else { throw node.error("must name a host") }
        guard !authority.contains("@") else { throw node.error("must not carry credentials") }
        guard !url.contains(where: { $0.isWhitespace || $0 == "?" || $0 == "#" }) else {
            throw node.error("must be a base URL without spaces, query or fragment")
        }
        return trimmedSlash(url)
    }

    private static func trimmedSlash(_ url: String) -> String {
        var text = Substring(url)
        while text.hasSuffix("/") { text = text.dropLast() }
        return String(text)
    }

    // MARK: Metrics

    static let metricKeys = ["namespace", "names", "aggregations", "interval", "length"]
    /// Azure Monitor's `metricnames` takes at most 20 names per call.
    static let maxNamesPerCall = 20

    private static func readMetric(_ node: ConfigNode, jobInterval: Double) throws(ConfigError) -> AzureMetricConfig {
        let mapping = try node.mapping()
        try mapping.rejectUnknownKeys(metricKeys)
        let namespaceNode = try mapping.required("namespace")
        let namespace = try namespaceNode.nonEmptyString()
        guard !namespace.contains(where: { $0.isNewline || $0 == "&" || $0 == "?" }) else {
            throw namespaceNode.error("'\(namespace)' is not a metric namespace")
        }
        let namesNode = try mapping.required("names")
        let names = try namesNode.stringList()
        guard !names.isEmpty, !names.contains(where: \.isEmpty) else { throw namesNode.error("must list metric names") }
        guard names.count <= maxNamesPerCall else {
            throw namesNode.error("at most \(maxNamesPerCall) names per entry (Azure Monitor's limit per call); split it in two")
        }
        guard !names.contains(where: { $0.contains(",") }) else {
            throw namesNode.error("metric names with commas are not supported")
        }
        var metric = AzureMetricConfig(namespace: namespace, names: names, aggregations: [.average])
        if let aggregationsNode = mapping.optional("aggregations") {
            var aggregations: [AzureMetricConfig.Aggregation] = []
            for text in try aggregationsNode.stringList() {
                guard let aggregation = AzureMetricConfig.Aggregation.allCases.first(where: { $0.rawValue.lowercased() == text.lowercased() }) else {
                    throw aggregationsNode.error("'\(text)' is not an aggregation (Average, Minimum, Maximum, Total, Count)")
                }
                if !aggregations.contains(aggregation) { aggregations.append(aggregation) }
            }
            guard !aggregations.isEmpty else { throw aggregationsNode.error("must list at least one aggregation") }
            metric.aggregations = aggregations
        }
        if let grainNode = mapping.optional("interval") {
            let text = try grainNode.nonEmptyString().uppercased()
            guard let seconds = timeGrains[text] else {
                throw grainNode.error("must be an ISO 8601 time grain Azure Monitor supports (\(timeGrainList))")
            }
            metric.timeGrain = text
            metric.timeGrainSeconds = seconds
        }
        metric.length = max(300, jobInterval, metric.timeGrainSeconds)
        if let lengthNode = mapping.optional("length") {
            let length = try lengthNode.positiveDuration()
            guard length >= jobInterval else {
                throw lengthNode.error("must be at least the job's interval (\(Int(jobInterval))s), or datapoints fall between refreshes")
            }
            guard length >= metric.timeGrainSeconds else {
                throw lengthNode.error("must be at least the time grain (\(metric.timeGrain))")
            }
            metric.length = length
        }
        return metric
    }

    static let timeGrains: [String: Double] = [
        "PT1M": 60, "PT5M": 300, "PT15M": 900, "PT30M": 1800, "PT1H": 3600, "PT6H": 21_600, "PT12H": 43_200, "P1D": 86_400,
    ]
    static var timeGrainList: String { timeGrains.sorted { $0.value < $1.value }.map(\.key).joined(separator: ", ") }

    // MARK: Syntax

    static func isGUID(_ text: String) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        return groups.map(\.count) == [8, 4, 4, 4, 12] && groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }

    static func isResourceType(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count >= 2 && parts.allSatisfy { !$0.isEmpty && isPathSegment(String($0)) }
    }

    /// Safe to put between two `/` of a URL path as it is.
    static func isPathSegment(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { scalar in
            (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9")
                || "-_.()".unicodeScalars.contains(scalar)
        }
    }
}
