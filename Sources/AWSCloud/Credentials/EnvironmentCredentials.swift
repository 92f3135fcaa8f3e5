/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and optionally `AWS_SESSION_TOKEN`
/// (or the older `AWS_SECURITY_TOKEN`) and `AWS_CREDENTIAL_EXPIRATION`.
public struct EnvironmentCredentials: CredentialProvider {
    public let source = "environment"
    private let environment: [String: String]

    public init(environment: [String: String]) {
        self.environment = environment
    }

    public func resolve(now: Double) throws(CredentialError) -> AWSCredentials? {
        let keyId = environment["AWS_ACCESS_KEY_ID"] ?? ""
        let secret = environment["AWS_SECRET_ACCESS_KEY"] ?? ""
        if keyId.isEmpty && secret.isEmpty { return nil }
        guard !keyId.isEmpty else { throw CredentialError(source: source, "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not") }
        guard !secret.isEmpty else { throw CredentialError(source: source, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not") }
        let token = environment["AWS_SESSION_TOKEN"] ?? environment["AWS_SECURITY_TOKEN"]
        var expiration: Double?
        if let text = environment["AWS_CREDENTIAL_EXPIRATION"], !text.isEmpty {
            guard let parsed = parseISO8601(text) else {
                throw CredentialError(source: source, "AWS_CREDENTIAL_EXPIRATION is not an ISO 8601 time")
            }
            expiration = parsed
        }
        return AWSCredentials(accessKeyId: keyId, secretAccessKey: secret,
                              sessionToken: token?.isEmpty == false ? token : nil, expiration: expiration)
    }
}
