import CloudHTTP

/// Why a call to Azure failed. Messages name the API and what the service said, never a token.
public enum AzureCallError: Error, Sendable, Equatable, CustomStringConvertible {
    case auth(AzureAuthError)
    /// No HTTP response at all, after retries.
    case transport(api: String, OutboundError)
    /// A non-2xx answer after retries, with Azure's `error.code` and `error.message` when sent.
    case status(api: String, status: Int, detail: String)
    /// A 2xx answer that is not the documented JSON.
    case malformed(api: String, reason: String)
    /// A `nextLink` pointing away from the configured endpoint: the token is not sent there.
    case foreignLink(api: String, host: String)

    public var description: String {
        switch self {
        case .auth(let error): "\(error)"
        case .transport(let api, let error): "Azure \(api): \(error)"
        case .status(let api, let status, let detail): "Azure \(api): HTTP \(status)" + (detail.isEmpty ? "" : ": \(detail)")
        case .malformed(let api, let reason): "Azure \(api): malformed response: \(reason)"
        case .foreignLink(let api, let host): "Azure \(api): nextLink points to \(host), not the configured endpoint"
        }
    }
}
