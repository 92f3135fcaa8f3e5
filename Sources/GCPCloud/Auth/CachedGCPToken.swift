import Foundation
import Synchronization

/// Keeps a fetched token until `refreshMargin` seconds (5 minutes by default) before it
/// expires, as Google's client libraries do, so no call goes out with a token about to lapse.
public final class CachedGCPToken: GCPTokenSource {
    private let fetcher: any GCPTokenFetcher
    private let refreshMargin: Double
    private let cached = Mutex<GCPAccessToken?>(nil)
    private let now: @Sendable () -> Double

    public init(fetcher: any GCPTokenFetcher, refreshMargin: Double = 300,
                now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.fetcher = fetcher
        self.refreshMargin = refreshMargin
        self.now = now
    }

    public func accessToken() throws(GCPAuthError) -> String {
        let time = now()
        if let token = cached.withLock({ $0 }), token.expiresAt - time > refreshMargin {
            return token.value
        }
        let fresh = try fetcher.fetchToken(now: time)
        cached.withLock { $0 = fresh }
        return fresh.value
    }

    public func invalidate() {
        cached.withLock { $0 = nil }
    }
}
