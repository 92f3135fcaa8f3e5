import CloudCrypto

/// The signed JSON Web Token a service account trades for an access token (RFC 7523, Google's
/// "OAuth 2.0 for server to server applications"): RS256, one hour of validity.
enum JWTAssertion {
    static let lifetime = 3600

    static func make(key: ServiceAccountKey, scope: String, now: Double) throws(GCPAuthError) -> String {
        var header: [(String, JSONText.Value)] = [("alg", .string("RS256")), ("typ", .string("JWT"))]
        if let keyId = key.privateKeyId { header.append(("kid", .string(keyId))) }
        let issuedAt = Int(now.rounded(.down))
        let claims: [(String, JSONText.Value)] = [
            ("iss", .string(key.clientEmail)), ("scope", .string(scope)), ("aud", .string(key.tokenURI)),
            ("iat", .integer(issuedAt)), ("exp", .integer(issuedAt + lifetime)),
        ]
        let signingInput = base64URLEncoded(JSONText.object(header).utf8) + "." + base64URLEncoded(JSONText.object(claims).utf8)
        do {
            let signature = try RSASigner.signSHA256(pemPrivateKey: key.privateKey, message: Array(signingInput.utf8))
            return signingInput + "." + base64URLEncoded(signature)
        } catch {
            throw GCPAuthError(source: "service-account", "cannot sign the token request: \(error)")
        }
    }
}
