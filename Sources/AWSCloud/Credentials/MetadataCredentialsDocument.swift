import Foundation

/// The JSON both the container endpoint and EC2 instance metadata answer with.
struct MetadataCredentialsDocument: Decodable {
    var accessKeyId: String
    var secretAccessKey: String
    var token: String?
    var expiration: String?
    var code: String?

    enum CodingKeys: String, CodingKey {
        case accessKeyId = "AccessKeyId"
        case secretAccessKey = "SecretAccessKey"
        case token = "Token"
        case expiration = "Expiration"
        case code = "Code"
    }

    /// Decoded credentials; errors say what was wrong without quoting the document.
    static func credentials(from body: [UInt8], source: String) throws(CredentialError) -> AWSCredentials {
        let document: MetadataCredentialsDocument
        do {
            document = try JSONDecoder().decode(MetadataCredentialsDocument.self, from: Data(body))
        } catch {
            throw CredentialError(source: source, "the credentials document is not the expected JSON")
        }
        if let code = document.code, code != "Success" {
            throw CredentialError(source: source, "the endpoint reported \(code)")
        }
        var expiration: Double?
        if let text = document.expiration {
            guard let parsed = parseISO8601(text) else {
                throw CredentialError(source: source, "the credentials' Expiration is not an ISO 8601 time")
            }
            expiration = parsed
        }
        return AWSCredentials(accessKeyId: document.accessKeyId, secretAccessKey: document.secretAccessKey,
                              sessionToken: document.token, expiration: expiration)
    }
}
