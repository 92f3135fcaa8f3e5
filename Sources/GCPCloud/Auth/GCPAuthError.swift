/// Why an access token could not be had. Never carries a token, a key or a signed assertion.
public struct GCPAuthError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `service-account` or `metadata-server`.
    public var source: String
    public var message: String

    public init(source: String, _ message: String) {
        self.source = source
        self.message = message
    }

    public var description: String { "GCP access token from \(source): \(message)" }
}
