/// An OAuth 2.0 access token and when it lapses. Its description hides the token itself.
public struct GCPAccessToken: Sendable, Equatable, CustomStringConvertible {
    public var value: String
    /// Unix seconds.
    public var expiresAt: Double

    public init(value: String, expiresAt: Double) {
        self.value = value
        self.expiresAt = expiresAt
    }

    public var description: String { "GCPAccessToken(<redacted>, expiresAt: \(expiresAt))" }
}
