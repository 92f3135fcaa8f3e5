import CloudHTTP

/// Why a Google API call failed after its retries. Messages name the API and Google's status
/// code, never the bearer token or the request's query.
public enum GCPCallError: Error, Sendable, CustomStringConvertible {
    case transport(api: String, OutboundError)
    /// An error status; `code` is Google's canonical status (`RESOURCE_EXHAUSTED`,
    /// `PERMISSION_DENIED`...) when the body had one.
    case service(api: String, status: Int, code: String, message: String)
    /// A success status with a body that could not be understood.
    case malformed(api: String, reason: String)
    case auth(GCPAuthError)
    /// The call was refused before sending (bad arguments, endless pagination).
    case invalidRequest(api: String, reason: String)

    public var description: String {
        switch self {
        case .transport(let api, let error): "\(api): \(error)"
        case .service(let api, let status, let code, let message):
            "\(api): HTTP \(status) \(code)\(message.isEmpty ? "" : ": " + message)"
        case .malformed(let api, let reason): "\(api): malformed response: \(reason)"
        case .auth(let error): "\(error)"
        case .invalidRequest(let api, let reason): "\(api): \(reason)"
        }
    }
}
