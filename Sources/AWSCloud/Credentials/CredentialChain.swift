import CloudHTTP

/// The standard chain, in botocore's order: environment variables, web identity, the shared
/// credentials and config files, container credentials (ECS/EKS), then EC2 instance metadata.
/// The first source that is configured answers; a configured source that fails is an error
/// rather than a silent fall-through to a different identity.
public struct CredentialChain: CredentialProvider {
    public let source = "default chain"
    public let providers: [any CredentialProvider]

    public init(providers: [any CredentialProvider]) {
        self.providers = providers
    }

    /// The chain for this process's environment. `client` makes the STS, container and metadata
    /// calls; `region` is where STS is called for web identity.
    public static func standard(environment: [String: String], profile: String? = nil,
                                client: AWSClient, metadataSession: CurlSession) -> CredentialChain {
        let files = SharedConfigFiles(environment: environment, profile: profile)
        return CredentialChain(providers: [
            EnvironmentCredentials(environment: environment),
            WebIdentityCredentials(environment: environment, files: files, client: client),
            SharedFileCredentials(files: files),
            ContainerCredentials(environment: environment, session: metadataSession),
            InstanceMetadataCredentials(environment: environment, session: metadataSession),
        ])
    }

    public func resolve(now: Double) throws(CredentialError) -> AWSCredentials? {
        for provider in providers {
            if let credentials = try provider.resolve(now: now) { return credentials }
        }
        throw CredentialError(source: source, "no credentials in the environment, web identity, shared files, container or instance metadata")
    }
}
