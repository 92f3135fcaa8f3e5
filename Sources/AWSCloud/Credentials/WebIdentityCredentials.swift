import Foundation

/// `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` (EKS IRSA, or the profile's
/// `web_identity_token_file` + `role_arn`): the token is read from its file at every refresh,
/// because the platform rotates it, and exchanged at STS `AssumeRoleWithWebIdentity`
/// (an unsigned call) for temporary credentials.
public struct WebIdentityCredentials: CredentialProvider {
    public let source = "web-identity"
    private let tokenFile: String?
    private let roleArn: String?
    private let sessionName: String
    private let region: String
    private let endpoints: AWSEndpoints
    private let client: AWSClient

    public init(environment: [String: String], files: SharedConfigFiles, client: AWSClient) {
        let profile = files.configSection() ?? [:]
        tokenFile = environment["AWS_WEB_IDENTITY_TOKEN_FILE"] ?? profile["web_identity_token_file"]
        roleArn = environment["AWS_ROLE_ARN"] ?? profile["role_arn"]
        sessionName = environment["AWS_ROLE_SESSION_NAME"] ?? profile["role_session_name"] ?? "nimbus-exporter"
        region = environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"] ?? profile["region"] ?? "us-east-1"
        endpoints = AWSEndpoints(environment: environment)
        self.client = client
    }

    public func resolve(now: Double) throws(CredentialError) -> AWSCredentials? {
        guard let tokenFile, !tokenFile.isEmpty else { return nil }
        guard let roleArn, !roleArn.isEmpty else {
            throw CredentialError(source: source, "a web identity token file is set but no role ARN (AWS_ROLE_ARN)")
        }
        guard let data = FileManager.default.contents(atPath: tokenFile) else {
            throw CredentialError(source: source, "cannot read the token file \(tokenFile)")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw CredentialError(source: source, "the token file \(tokenFile) is empty") }
        let call = AWSCall(
            service: .sts, region: region, endpoint: endpoints.url(for: .sts, region: region),
            api: "AssumeRoleWithWebIdentity",
            encoding: .query(action: "AssumeRoleWithWebIdentity", version: "2011-06-15", parameters: [
                ("RoleArn", roleArn), ("RoleSessionName", sessionName), ("WebIdentityToken", token),
            ]),
            signed: false, timeout: 15)
        return try STSExchange.credentials(for: call, signingWith: nil, client: client, source: source)
    }
}

/// Shared by the STS-based providers: make the call, decode the temporary credentials.
enum STSExchange {
    static func credentials(for call: AWSCall, signingWith base: (any CredentialSource)?, client: AWSClient,
                            source: String) throws(CredentialError) -> AWSCredentials {
        let body: [UInt8]
        do {
            body = try client.send(call, credentials: base, stats: nil)
        } catch {
            if case .credentials(let inner) = error { throw inner }
            throw CredentialError(source: source, "\(error)")
        }
        let decoded: STSCredentials
        do {
            decoded = try decodeSTSCredentials(body)
        } catch {
            throw CredentialError(source: source, "\(call.api) answered with a response that could not be read")
        }
        return AWSCredentials(accessKeyId: decoded.accessKeyId, secretAccessKey: decoded.secretAccessKey,
                              sessionToken: decoded.sessionToken, expiration: decoded.expiration)
    }
}
