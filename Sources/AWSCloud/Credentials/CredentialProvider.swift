/// A source of AWS credentials in the chain.
public protocol CredentialProvider: Sendable {
    /// A short name for logs and errors (`environment`, `shared-file`, `web-identity`...).
    var source: String { get }
    /// Credentials, or nil when this source is not configured here (the chain then asks the
    /// next one). Throws when the source is configured but cannot deliver.
    func resolve(now: Double) throws(CredentialError) -> AWSCredentials?
}

/// Why credentials could not be had. Never carries a secret.
public struct CredentialError: Error, Sendable, Equatable, CustomStringConvertible {
    public var source: String
    public var message: String

    public init(source: String, _ message: String) {
        self.source = source
        self.message = message
    }

    public var description: String { "credentials from \(source): \(message)" }
}
