import Foundation

/// A service-account key file as the Cloud console downloads it (`type: service_account`).
/// Its description leaves out the private key.
public struct ServiceAccountKey: Sendable, CustomStringConvertible {
    public static let defaultTokenURI = "https://oauth2.googleapis.com/token"

    public var clientEmail: String
    public var privateKey: String
    public var privateKeyId: String?
    public var tokenURI: String
    public var projectId: String?

    public init(clientEmail: String, privateKey: String, privateKeyId: String? = nil,
                tokenURI: String = ServiceAccountKey.defaultTokenURI, projectId: String? = nil) {
        self.clientEmail = clientEmail
        self.privateKey = privateKey
        self.privateKeyId = privateKeyId
        self.tokenURI = tokenURI
        self.projectId = projectId
    }

    public var description: String {
        "ServiceAccountKey(\(clientEmail), key id \(privateKeyId ?? "none"), project \(projectId ?? "none"))"
    }

    public static func load(path: String) throws(GCPAuthError) -> ServiceAccountKey {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GCPAuthError(source: "service-account", "cannot read the key file \(path)")
        }
        do {
            return try parse(Array(data))
        } catch {
            throw GCPAuthError(source: "service-account", "\(path): \(error.message)")
        }
    }

    public static func parse(_ bytes: [UInt8]) throws(GCPAuthError) -> ServiceAccountKey {
        func fail(_ message: String) -> GCPAuthError { GCPAuthError(source: "service-account", message) }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] else {
            throw fail("the key file is not a JSON object")
        }
        func text(_ name: String) throws(GCPAuthError) -> String? {
            guard let value = object[name] else { return nil }
            guard let string = value as? String else { throw fail("\(name) is not a string") }
            return string.isEmpty ? nil : string
        }
        guard let type = try text("type") else { throw fail("the key file has no type") }
        guard type == "service_account" else {
            throw fail("the key file's type is \(type.prefix(40)), not service_account")
        }
        guard let email = try text("client_email") else { throw fail("the key file has no client_email") }
        guard let key = try text("private_key") else { throw fail("the key file has no private_key") }
        guard key.contains("-----BEGIN") else { throw fail("private_key is not PEM text") }
        let tokenURI = try text("token_uri") ?? defaultTokenURI
        guard tokenURI.hasPrefix("https://") || tokenURI.hasPrefix("http://") else {
            throw fail("token_uri is not an http(s) URL")
        }
        return ServiceAccountKey(clientEmail: email, privateKey: key, privateKeyId: try text("private_key_id"),
                                 tokenURI: tokenURI, projectId: try text("project_id"))
    }
}
