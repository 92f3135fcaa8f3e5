import CloudCrypto

/// Why a request could not be signed. Descriptions never contain a secret key, a session token,
/// a header value or a query string, so they are safe to log.
public enum SigV4Error: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidURL(reason: String)
    case invalidMethod(String)
    case invalidHeader(name: String, reason: String)
    case invalidCredentials(reason: String)
    /// The region or service name cannot go into a credential scope.
    case invalidScope(reason: String)
    case crypto(CryptoError)

    public var description: String {
        switch self {
        case .invalidURL(let reason): "cannot sign request: invalid URL: \(reason)"
        case .invalidMethod(let method): "cannot sign request: invalid HTTP method \(String(reflecting: method))"
        case .invalidHeader(let name, let reason):
            "cannot sign request: header \(String(reflecting: name)) \(reason)"
        case .invalidCredentials(let reason): "cannot sign request: credentials \(reason)"
        case .invalidScope(let reason): "cannot sign request: \(reason)"
        case .crypto(let error): "cannot sign request: \(error)"
        }
    }
}
