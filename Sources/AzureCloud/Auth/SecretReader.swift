import Foundation

/// Reads a client secret or a federated token at the moment it is needed: files are read again
/// every time, so rotated secrets and the projected service-account token are picked up.
enum SecretReader {
    static func clientSecret(_ credential: AzureJobConfig.Credential, environment: [String: String]) throws(AzureAuthError) -> String {
        switch credential {
        case .clientSecretFile(let path): try file(path, what: "client_secret_file")
        case .clientSecretEnvironment(let variable):
            try trimmed(environment[variable] ?? "", origin: "the environment variable \(variable)")
        case .workloadIdentity(let path): try file(path, what: "the federated token file")
        }
    }

    private static func file(_ path: String, what: String) throws(AzureAuthError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw AzureAuthError("cannot read \(what) \(path)") }
        guard let text = String(data: data, encoding: .utf8) else { throw AzureAuthError("\(what) \(path) is not UTF-8 text") }
        return try trimmed(text, origin: "\(what) \(path)")
    }

    private static func trimmed(_ text: String, origin: String) throws(AzureAuthError) -> String {
        // Files usually end with a newline; the secret is what is between.
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else { throw AzureAuthError("\(origin) is empty") }
        return value
    }
}
