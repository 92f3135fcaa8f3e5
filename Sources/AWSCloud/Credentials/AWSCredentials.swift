/// One set of AWS credentials. Printing, interpolating, `dump()` or a debugger's view show the
/// access key id only; the secret key and session token are always redacted.
public struct AWSCredentials: Sendable, Equatable {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var sessionToken: String?
    /// Seconds since the Unix epoch after which the credentials stop working; nil for never.
    public var expiration: Double?

    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Double? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }

    static let redacted = "<redacted>"
}

extension AWSCredentials: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        var text = "AWSCredentials(accessKeyId: \(accessKeyId), secretAccessKey: \(Self.redacted)"
        if sessionToken != nil { text += ", sessionToken: \(Self.redacted)" }
        if let expiration { text += ", expiration: \(expiration)" }
        return text + ")"
    }

    public var debugDescription: String { description }

    /// Mirror(reflecting:) would otherwise list the stored properties, secret included.
    public var customMirror: Mirror {
        Mirror(self, children: [
            "accessKeyId": accessKeyId,
            "secretAccessKey": Self.redacted,
            "sessionToken": sessionToken == nil ? "none" : Self.redacted,
            "expiration": expiration.map { String($0) } ?? "never",
        ], displayStyle: .struct)
    }
}
