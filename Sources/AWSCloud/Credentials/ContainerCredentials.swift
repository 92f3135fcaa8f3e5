import CloudHTTP
import Foundation

/// ECS task roles and EKS Pod Identity: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (on
/// 169.254.170.2) or `AWS_CONTAINER_CREDENTIALS_FULL_URI`, with the authorization token from
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (re-read each time) or
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN`. A full URI must be HTTPS or a loopback or container
/// link-local address, as in botocore, so credentials are never fetched from elsewhere.
public struct ContainerCredentials: CredentialProvider {
    public let source = "container"
    private let environment: [String: String]
    private let sender: RetryingSender

    public init(environment: [String: String], session: CurlSession) {
        self.environment = environment
        self.sender = RetryingSender(session: session, policy: RetryPolicy(maxAttempts: 3, baseDelay: 0.2, maxDelay: 1))
    }

    public func resolve(now: Double) throws(CredentialError) -> AWSCredentials? {
        let url: String
        if let relative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"], !relative.isEmpty {
            url = "http://169.254.170.2" + (relative.hasPrefix("/") ? relative : "/" + relative)
        } else if let full = environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"], !full.isEmpty {
            guard Self.isAllowed(full) else {
                throw CredentialError(source: source, "AWS_CONTAINER_CREDENTIALS_FULL_URI must be https or a loopback or 169.254.170.2/.23 address")
            }
            url = full
        } else {
            return nil
        }
        var headers = [HTTPField("Accept", "application/json")]
        if let tokenFile = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"], !tokenFile.isEmpty {
            guard let data = FileManager.default.contents(atPath: tokenFile) else {
                throw CredentialError(source: source, "cannot read the authorization token file \(tokenFile)")
            }
            headers.append(HTTPField("Authorization", String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))
        } else if let token = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"], !token.isEmpty {
            headers.append(HTTPField("Authorization", token))
        }
        let result = sender.send { OutboundRequest(url: url, headers: headers, timeout: 2, connectTimeout: 1) }
        switch result {
        case .failure(let error):
            throw CredentialError(source: source, "\(error)")
        case .success(let response) where response.isSuccess:
            return try MetadataCredentialsDocument.credentials(from: response.body, source: source)
        case .success(let response):
            throw CredentialError(source: source, "the endpoint answered HTTP \(response.status)")
        }
    }

    static func isAllowed(_ url: String) -> Bool {
        if url.hasPrefix("https://") { return true }
        guard url.hasPrefix("http://") else { return false }
        var host = CurlSession.hostName(of: url)
        if host.hasPrefix("[") { host = String(host.dropFirst().prefix { $0 != "]" }) }
        return host == "localhost" || isLoopbackIPv4(host) || host == "::1"
            || host == "169.254.170.2" || host == "169.254.170.23" || host == "fd00:ec2::23"
    }

    /// A literal address in 127.0.0.0/8; a name such as `127.0.0.1.example.com` is not one.
    private static func isLoopbackIPv4(_ host: String) -> Bool {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "127" else { return false }
        return parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy { $0.isASCII && $0.isNumber } && (Int(part) ?? 256) <= 255
        }
    }
}
