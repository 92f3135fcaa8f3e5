import CloudHTTP

/// Why an AWS call failed after its retries. Messages name the API and the service's error
/// code, never credentials or signed headers.
public enum AWSCallError: Error, Sendable, CustomStringConvertible {
    case transport(api: String, OutboundError)
    /// The service answered with an error status (`code` from its error body when it had one).
    case service(api: String, status: Int, code: String, message: String)
    /// A success status with a body that could not be understood.
    case malformed(api: String, reason: String)
    case credentials(CredentialError)
    /// The request could not be signed (a malformed endpoint URL or header).
    case signing(api: String, String)

    public var description: String {
        switch self {
        case .transport(let api, let error): "\(api): \(error)"
        case .service(let api, let status, let code, let message):
            "\(api): HTTP \(status) \(code)\(message.isEmpty ? "" : ": " + message)"
        case .malformed(let api, let reason): "\(api): malformed response: \(reason)"
        case .credentials(let error): "\(error)"
        case .signing(let api, let reason): "\(api): cannot sign the request: \(reason)"
        }
    }

    /// The service said the credentials were expired or invalid: worth fetching new ones.
    public var isCredentialProblem: Bool {
        if case .service(_, _, let code, _) = self {
            return ["ExpiredToken", "ExpiredTokenException", "InvalidClientTokenId", "UnrecognizedClientException",
                    "RequestExpired", "AuthFailure", "InvalidSignatureException", "SignatureDoesNotMatch"].contains(code)
        }
        return false
    }
}
