import CloudCache
import CloudHTTP

/// The default service account's token from the GCE/GKE metadata server. The host is
/// `GCE_METADATA_HOST` (as Google's client libraries read it) or `metadata.google.internal`;
/// the server insists on `Metadata-Flavor: Google`, which also keeps it from answering
/// requests forwarded by a confused proxy.
public struct MetadataServerTokenFetcher: GCPTokenFetcher {
    public static let defaultHost = "metadata.google.internal"
    static let tokenPath = "/computeMetadata/v1/instance/service-accounts/default/token"

    public let source = "metadata-server"
    /// `http://host[:port]`, without a trailing slash.
    public let baseURL: String
    private let sender: RetryingSender
    private let stats: CloudStats?

    public init(environment: [String: String], sender: RetryingSender, stats: CloudStats? = nil) {
        var host = environment["GCE_METADATA_HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultHost
        while host.hasSuffix("/") { host.removeLast() }
        baseURL = host.hasPrefix("http://") || host.hasPrefix("https://") ? host : "http://" + host
        self.sender = sender
        self.stats = stats
    }

    public func fetchToken(now: Double) throws(GCPAuthError) -> GCPAccessToken {
        let request = OutboundRequest(url: baseURL + Self.tokenPath, headers: [HTTPField("Metadata-Flavor", "Google")],
                                      timeout: 5, connectTimeout: 2)
        let stats = self.stats
        let result = sender.send({ request }, observe: { (record: AttemptRecord) in
            stats?.recordRequest(provider: "gcp", api: "metadata.token", outcome: record.outcome, willRetry: record.willRetry)
        })
        switch result {
        case .failure(let error):
            throw GCPAuthError(source: source, "\(error) (not on GCE/GKE? set a service-account key file)")
        case .success(let response) where response.isSuccess:
            return try TokenResponse.token(from: response.body, now: now, source: source)
        case .success(let response):
            throw GCPAuthError(source: source, "the metadata server answered HTTP \(response.status)")
        }
    }
}
