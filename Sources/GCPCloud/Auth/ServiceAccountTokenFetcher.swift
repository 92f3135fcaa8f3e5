import CloudCache
import CloudHTTP

/// Trades a signed assertion for an access token at the key's `token_uri` (JWT bearer grant,
/// RFC 7523). The assertion is signed afresh for every attempt.
public struct ServiceAccountTokenFetcher: GCPTokenFetcher {
    public static let monitoringReadScope = "https://www.googleapis.com/auth/monitoring.read"

    public let source = "service-account"
    public let key: ServiceAccountKey
    private let scope: String
    private let sender: RetryingSender
    private let stats: CloudStats?

    public init(key: ServiceAccountKey, scope: String = ServiceAccountTokenFetcher.monitoringReadScope,
                sender: RetryingSender, stats: CloudStats? = nil) {
        self.key = key
        self.scope = scope
        self.sender = sender
        self.stats = stats
    }

    public func fetchToken(now: Double) throws(GCPAuthError) -> GCPAccessToken {
        let key = self.key, scope = self.scope
        func build() throws(GCPAuthError) -> OutboundRequest {
            let assertion = try JWTAssertion.make(key: key, scope: scope, now: now)
            let form = FormEncoding.encode([
                ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", assertion),
            ])
            return OutboundRequest(method: "POST", url: key.tokenURI,
                                   headers: [HTTPField("Content-Type", "application/x-www-form-urlencoded")],
                                   body: Array(form.utf8), timeout: 15)
        }
        let stats = self.stats
        let result = try sender.send(build, observe: { (record: AttemptRecord) in
            stats?.recordRequest(provider: "gcp", api: "oauth2.token", outcome: record.outcome, willRetry: record.willRetry)
        })
        switch result {
        case .failure(let error):
            throw GCPAuthError(source: source, "\(error)")
        case .success(let response) where response.isSuccess:
            return try TokenResponse.token(from: response.body, now: now, source: source)
        case .success(let response):
            throw GCPAuthError(source: source, "the token endpoint answered "
                               + TokenResponse.errorSummary(status: response.status, body: response.body))
        }
    }
}
