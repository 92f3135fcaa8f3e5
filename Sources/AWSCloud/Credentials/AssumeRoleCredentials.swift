/// A job's `role_arn`: STS `AssumeRole`, signed with the base credentials, for temporary
/// credentials of that role (renewed before they expire by `CachedCredentials`).
public struct AssumeRoleCredentials: CredentialProvider {
    public let source = "assume-role"
    private let roleArn: String
    private let externalId: String?
    private let sessionName: String
    private let region: String
    private let endpoint: String
    private let base: any CredentialSource
    private let client: AWSClient

    public init(roleArn: String, externalId: String?, sessionName: String = "nimbus-exporter", region: String,
                endpoints: AWSEndpoints, base: any CredentialSource, client: AWSClient) {
        self.roleArn = roleArn
        self.externalId = externalId
        self.sessionName = sessionName
        self.region = region
        self.endpoint = endpoints.url(for: .sts, region: region)
        self.base = base
        self.client = client
    }

    public func resolve(now: Double) throws(CredentialError) -> AWSCredentials? {
        var parameters = [("RoleArn", roleArn), ("RoleSessionName", sessionName), ("DurationSeconds", "3600")]
        if let externalId { parameters.append(("ExternalId", externalId)) }
        let call = AWSCall(service: .sts, region: region, endpoint: endpoint, api: "AssumeRole",
                           encoding: .query(action: "AssumeRole", version: "2011-06-15", parameters: parameters),
                           timeout: 15)
        return try STSExchange.credentials(for: call, signingWith: base, client: client, source: source)
    }
}
