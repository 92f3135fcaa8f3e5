import Foundation

/// The JSON both the OAuth token endpoint and the metadata server answer with:
/// `{"access_token": "...", "expires_in": 3599, "token_type": "Bearer"}`.
enum TokenResponse {
    static func token(from body: [UInt8], now: Double, source: String) throws(GCPAuthError) -> GCPAccessToken {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
            throw GCPAuthError(source: source, "the token response is not a JSON object")
        }
        guard let token = object["access_token"] as? String, !token.isEmpty else {
            throw GCPAuthError(source: source, "the token response has no access_token")
        }
        if let type = object["token_type"] as? String, type.lowercased() != "bearer" {
            throw GCPAuthError(source: source, "unsupported token_type \(type.prefix(40))")
        }
        let expiresIn: Double
        switch object["expires_in"] {
        case let number as NSNumber: expiresIn = number.doubleValue
        case let text as String: expiresIn = Double(text) ?? -1
        default: throw GCPAuthError(source: source, "the token response has no expires_in")
        }
        guard expiresIn.isFinite, expiresIn > 0 else {
            throw GCPAuthError(source: source, "the token response has an invalid expires_in")
        }
        return GCPAccessToken(value: token, expiresAt: now + expiresIn)
    }

    /// `error` and `error_description` of an OAuth error body (RFC 6749 §5.2), shortened; they
    /// describe the request, never the token.
    static func errorSummary(status: Int, body: [UInt8]) -> String {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
            return "HTTP \(status)"
        }
        var text = "HTTP \(status)"
        if let code = object["error"] as? String { text += " \(code.prefix(60))" }
        if let detail = object["error_description"] as? String, !detail.isEmpty { text += ": \(detail.prefix(200))" }
        return text
    }
}
