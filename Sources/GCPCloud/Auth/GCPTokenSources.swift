import CloudCache
import CloudHTTP

/// Picks where tokens come from, as Google's application default credentials do for the two
/// cases an exporter meets: an explicit key file (or `GOOGLE_APPLICATION_CREDENTIALS`), else
/// the metadata server.
public enum GCPTokenSources {
    public static func standard(keyFile: String?, environment: [String: String], sender: RetryingSender,
                                scope: String = ServiceAccountTokenFetcher.monitoringReadScope,
                                stats: CloudStats? = nil) throws(GCPAuthError) -> CachedGCPToken {
        let path = keyFile ?? environment["GOOGLE_APPLICATION_CREDENTIALS"].flatMap { $0.isEmpty ? nil : $0 }
        if let path {
            let key = try ServiceAccountKey.load(path: path)
            return CachedGCPToken(fetcher: ServiceAccountTokenFetcher(key: key, scope: scope, sender: sender, stats: stats))
        }
        return CachedGCPToken(fetcher: MetadataServerTokenFetcher(environment: environment, sender: sender, stats: stats))
    }
}
