/// Why an exchange produced no HTTP response at all. Messages carry libcurl's words and the
/// host, never the URL's query or any header, so they are safe to log.
public enum OutboundError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Connect or total timeout elapsed.
    case timedOut(host: String)
    /// DNS, refused connection, proxy or TLS handshake failure, reset.
    case connectionFailed(host: String, reason: String)
    /// The body grew past the client's limit.
    case responseTooLarge(host: String, limit: Int)
    /// The URL or an option was rejected before anything was sent.
    case invalidRequest(String)

    public var description: String {
        switch self {
        case .timedOut(let host): "request to \(host) timed out"
        case .connectionFailed(let host, let reason): "request to \(host) failed: \(reason)"
        case .responseTooLarge(let host, let limit): "response from \(host) exceeded \(limit) bytes"
        case .invalidRequest(let reason): "invalid request: \(reason)"
        }
    }

    /// Worth another attempt: the same request may well succeed a moment later.
    public var isTransient: Bool {
        switch self {
        case .timedOut, .connectionFailed: true
        case .responseTooLarge, .invalidRequest: false
        }
    }
}
