/// Why no Entra ID token could be had. Messages name the tenant, the source of the secret and
/// what the token endpoint said, never a secret, an assertion or a token.
public struct AzureAuthError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) { self.reason = reason }

    public var description: String { "Azure token: \(reason)" }
}
