import AWSCloud
import CloudCache
import CloudHTTP
import ConfigFile
import AzureCloud
import GCPCloud
import Logging
import RESTCloud

/// Turns `--config.file` into running cloud jobs: validates the whole file first (every error
/// names file, line and field), then builds each job's HTTP session, credentials and cache.
enum CloudSetup {
    static let knownSections = ["cache", "aws", "gcp", "azure", "rest"]

    static func build(configFile: String?, cacheDirectory: String?, environment: [String: String],
                      logger: Logger) throws -> CloudCache? {
        guard let configFile else { return nil }
        let root = try ConfigNode.load(file: configFile)
        if root.isNull { return nil }
        let mapping = try root.mapping()
        try mapping.rejectUnknownKeys(knownSections)

        var directory = cacheDirectory
        var maxAges: [String: Double] = [:]
        if let cache = mapping.optional("cache") {
            let settings = try cache.mapping()
            try settings.rejectUnknownKeys(["directory"])
            if directory == nil { directory = try settings.optional("directory")?.nonEmptyString() }
        }
        var jobs: [any CloudJob] = []
        if let aws = mapping.optional("aws") {
            let section = try AWSConfigReader.read(aws, environment: environment)
            // Sessions and signers need libcurl and libcrypto before the first job is built.
            if !section.jobs.isEmpty { try CloudLibraries.load() }
            for config in section.jobs {
                jobs.append(makeAWSJob(config, environment: environment))
                if let maxAge = config.maxAge { maxAges[config.name] = maxAge }
            }
            for file in section.eventsFiles {
                jobs.append(EventsFileJob(config: file))
            }
        }
        if let gcp = mapping.optional("gcp") {
            let configs = try GCPConfigReader.read(gcp, environment: environment)
            if !configs.isEmpty { try CloudLibraries.load() }
            for config in configs {
                let userAgent = "nimbus_exporter/\(BuildInfo.version)"
                jobs.append(GCPJob(config: config, environment: environment,
                                   sender: RetryingSender(session: CurlSession(userAgent: userAgent)),
                                   tokenSender: RetryingSender(session: CurlSession(userAgent: userAgent))))
                if let maxAge = config.maxAge { maxAges[config.name] = maxAge }
            }
        }
        if let azure = mapping.optional("azure") {
            let configs = try AzureConfigReader.read(azure, environment: environment)
            if !configs.isEmpty { try CloudLibraries.load() }
            for config in configs {
                let userAgent = "nimbus_exporter/\(BuildInfo.version)"
                let tokens = AzureTokenProvider(job: config, sender: RetryingSender(session: CurlSession(userAgent: userAgent, maxResponseBytes: 1 << 20)),
                                                environment: environment)
                jobs.append(AzureJob(config: config, sender: RetryingSender(session: CurlSession(userAgent: userAgent)), tokens: tokens))
                if let maxAge = config.maxAge { maxAges[config.name] = maxAge }
            }
        }
        if let rest = mapping.optional("rest") {
            let targets = try RESTConfigReader.read(rest, environment: environment)
            if !targets.isEmpty { try CloudLibraries.load() }
            for config in targets {
                let sender = RetryingSender(session: CurlSession(userAgent: "nimbus_exporter/\(BuildInfo.version)"))
                jobs.append(RESTJob(config: config, sender: sender, environment: environment))
                if let maxAge = config.maxAge { maxAges[config.name] = maxAge }
            }
        }
        // Job names key the cache and its files: unique across providers.
        var seen = Set<String>()
        for job in jobs where !seen.insert(job.name).inserted {
            throw root.error("the name '\(job.name)' is used by two jobs; names must be unique across all providers")
        }
        guard !jobs.isEmpty else { return nil }
        var store: CacheStore?
        if let directory {
            let candidate = CacheStore(directory: directory)
            try candidate.prepare()
            store = candidate
        }
        let limits = maxAges
        let settings = CloudCache.Settings(store: store, maxAge: { job in limits[job.name] ?? max(job.interval * 5, 300) })
        logger.info("cloud jobs configured", metadata: [
            "jobs": "\(jobs.map(\.name).joined(separator: ","))", "cache_directory": "\(directory ?? "none")",
        ])
        return CloudCache(jobs: jobs, settings: settings, logger: logger)
    }

    private static func makeAWSJob(_ config: AWSJobConfig, environment: [String: String]) -> AWSJob {
        let userAgent = "nimbus_exporter/\(BuildInfo.version)"
        let client = AWSClient(sender: RetryingSender(session: CurlSession(userAgent: userAgent)))
        // Credential calls (STS, metadata) get their own session so they never wait behind a
        // long API call of the job.
        let credentialClient = AWSClient(sender: RetryingSender(session: CurlSession(userAgent: userAgent)))
        let metadataSession = CurlSession(userAgent: userAgent, maxResponseBytes: 1 << 20)
        var credentials: any CredentialSource = CachedCredentials(provider: CredentialChain.standard(
            environment: environment, profile: config.profile, client: credentialClient, metadataSession: metadataSession))
        if let roleArn = config.roleArn {
            let region = config.regions.first ?? "us-east-1"
            credentials = CachedCredentials(provider: AssumeRoleCredentials(
                roleArn: roleArn, externalId: config.externalId, region: region,
                endpoints: AWSEndpoints(environment: environment, overrides: config.endpoints),
                base: credentials, client: credentialClient))
        }
        return AWSJob(config: config, client: client, credentials: credentials, environment: environment)
    }
}
