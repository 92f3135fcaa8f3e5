import CloudHTTP

/// Why a REST refresh failed. Messages name the target and what went wrong, never the token.
public enum RESTJobError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bearer token could not be read (missing file, empty, characters HTTP forbids).
    case token(target: String, reason: String)
    /// No HTTP response at all, after retries.
    case transport(target: String, OutboundError)
    /// A response that is not 2xx, after retries; `excerpt` is the start of the body, token removed.
    case status(target: String, status: Int, excerpt: String)
    /// A 2xx response the configured metrics cannot be read from.
    case malformed(target: String, reason: String)

    public var description: String {
        switch self {
        case .token(let target, let reason): "REST target \(target): bearer token: \(reason)"
        case .transport(let target, let error): "REST target \(target): \(error)"
        case .status(let target, let status, let excerpt):
            "REST target \(target): HTTP \(status)" + (excerpt.isEmpty ? "" : ": \(excerpt)")
        case .malformed(let target, let reason): "REST target \(target): malformed response: \(reason)"
        }
    }
}
