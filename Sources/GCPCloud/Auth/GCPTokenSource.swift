/// Bearer tokens as API calls use them. Safe to share between threads.
public protocol GCPTokenSource: Sendable {
    /// A token valid for a while yet; fetched anew when the cached one is near expiry.
    func accessToken() throws(GCPAuthError) -> String
    /// Forget the cached token (the API answered 401).
    func invalidate()
}

/// Where fresh tokens come from: Google's token endpoint with a signed assertion, or the
/// metadata server of the VM or GKE node.
public protocol GCPTokenFetcher: Sendable {
    /// A short name for logs and errors.
    var source: String { get }
    func fetchToken(now: Double) throws(GCPAuthError) -> GCPAccessToken
}
