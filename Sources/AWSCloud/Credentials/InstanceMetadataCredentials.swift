import CloudHTTP

/// The EC2 instance role through IMDSv2: a session token from `PUT /latest/api/token`, the role
/// name, then its credentials. The endpoint is `AWS_EC2_METADATA_SERVICE_ENDPOINT` or
/// 169.254.169.254; `AWS_EC2_METADATA_DISABLED=true` turns the source off. Off EC2 nothing
/// answers within a second and the source reports itself not configured.
public struct InstanceMetadataCredentials: CredentialProvider {
    public let source = "instance-metadata"
    private let endpoint: String
    private let disabled: Bool
    private let session: CurlSession

    public init(environment: [String: String], session: CurlSession) {
        var endpoint = environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] ?? "http://169.254.169.254"
        while endpoint.hasSuffix("/") { endpoint.removeLast() }
        self.endpoint = endpoint
        self.disabled = environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true"
        self.session = session
    }

    public func resolve(now: Double) throws(CredentialError) -> AWSCredentials? {
        guard !disabled else { return nil }
        let tokenResponse: OutboundResponse
        do {
            tokenResponse = try session.send(OutboundRequest(
                method: "PUT", url: endpoint + "/latest/api/token",
                headers: [HTTPField("x-aws-ec2-metadata-token-ttl-seconds", "21600")], timeout: 1, connectTimeout: 1))
        } catch {
            // Nothing answering: not on EC2, or metadata is blocked. Not configured, not broken.
            return nil
        }
        guard tokenResponse.isSuccess else {
            throw CredentialError(source: source, "the metadata token request answered HTTP \(tokenResponse.status)")
        }
        let token = tokenResponse.bodyText
        let auth = [HTTPField("x-aws-ec2-metadata-token", token)]
        let roles = try get("/latest/meta-data/iam/security-credentials/", auth)
        guard let role = roles.split(whereSeparator: { $0 == "\n" }).first.map(String.init), !role.isEmpty else {
            throw CredentialError(source: source, "the instance has no IAM role attached")
        }
        let body = try get("/latest/meta-data/iam/security-credentials/" + role, auth)
        return try MetadataCredentialsDocument.credentials(from: Array(body.utf8), source: source)
    }

    private func get(_ path: String, _ headers: [HTTPField]) throws(CredentialError) -> String {
        let response: OutboundResponse
        do {
            response = try session.send(OutboundRequest(url: endpoint + path, headers: headers, timeout: 2, connectTimeout: 1))
        } catch {
            throw CredentialError(source: source, "\(error)")
        }
        guard response.isSuccess else {
            throw CredentialError(source: source, "\(path) answered HTTP \(response.status)")
        }
        return response.bodyText
    }
}
