import Foundation
import Synchronization

/// Credentials as API calls use them: resolved once, kept until shortly before they expire,
/// then resolved again. Safe to share between threads.
public protocol CredentialSource: Sendable {
    func current() throws(CredentialError) -> AWSCredentials
    /// Forget the cached credentials (the service rejected them).
    func invalidate()
}

/// Caches what a provider resolves. Temporary credentials are renewed `refreshMargin` seconds
/// before their expiry (botocore renews 10 to 15 minutes ahead), so no call is signed with
/// credentials about to lapse.
public final class CachedCredentials: CredentialSource {
    private let provider: any CredentialProvider
    private let refreshMargin: Double
    private let cached = Mutex<AWSCredentials?>(nil)
    private let now: @Sendable () -> Double

    public init(provider: any CredentialProvider, refreshMargin: Double = 600,
                now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.provider = provider
        self.refreshMargin = refreshMargin
        self.now = now
    }

    public func current() throws(CredentialError) -> AWSCredentials {
        let time = now()
        if let credentials = cached.withLock({ $0 }), !needsRefresh(credentials, at: time) {
            return credentials
        }
        guard let fresh = try provider.resolve(now: time) else {
            throw CredentialError(source: provider.source, "no credentials found")
        }
        cached.withLock { $0 = fresh }
        return fresh
    }

    public func invalidate() {
        cached.withLock { $0 = nil }
    }

    private func needsRefresh(_ credentials: AWSCredentials, at time: Double) -> Bool {
        guard let expiration = credentials.expiration else { return false }
        return expiration - time <= refreshMargin
    }
}
