/// Temporary credentials from STS `AssumeRole` or `AssumeRoleWithWebIdentity` (API version 2011-06-15).
///
/// Printing one (description, debug description, string interpolation) shows only the
/// access key id: the secret key and session token never reach logs or errors.
public struct STSCredentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var sessionToken: String
    /// Unix seconds.
    public var expiration: Double

    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String, expiration: Double) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }

    public var description: String {
        "STSCredentials(accessKeyId: \(accessKeyId), secretAccessKey: <redacted>, sessionToken: <redacted>, expiration: \(expiration))"
    }

    public var debugDescription: String { description }

    public static func decodeAssumeRole(_ body: [UInt8]) throws(AWSResponseDecodeError) -> STSCredentials {
        try decode(body, api: "AssumeRole", roots: ["AssumeRoleResponse"])
    }

    public static func decodeAssumeRoleWithWebIdentity(_ body: [UInt8]) throws(AWSResponseDecodeError) -> STSCredentials {
        try decode(body, api: "AssumeRoleWithWebIdentity", roots: ["AssumeRoleWithWebIdentityResponse"])
    }

    static let responseRoots = ["AssumeRoleResponse", "AssumeRoleWithWebIdentityResponse"]

    /// `<X>Response/<X>Result/Credentials`, for any of `roots`.
    static func decode(_ body: [UInt8], api: String, roots: [String]) throws(AWSResponseDecodeError) -> STSCredentials {
        let root = try ResponseNode.root(of: body, api: api, expecting: roots, hidingContent: true)
        let resultName = String(root.element.name.dropLast("Response".count)) + "Result"
        let credentials = try root.required(resultName).required("Credentials")
        let expirationText = try field("Expiration", of: credentials)
        guard let expiration = parseISO8601(expirationText) else {
            throw try credentials.required("Expiration").invalid(expirationText, expected: "an ISO 8601 timestamp")
        }
        return STSCredentials(
            accessKeyId: try field("AccessKeyId", of: credentials),
            secretAccessKey: try field("SecretAccessKey", of: credentials),
            sessionToken: try field("SessionToken", of: credentials),
            expiration: expiration)
    }

    /// Trimmed text of a credentials field that must have some; errors never quote it.
    private static func field(_ name: String, of credentials: ResponseNode) throws(AWSResponseDecodeError) -> String {
        let text = try credentials.text(name).trimmingASCIIWhitespace()
        guard !text.isEmpty else {
            throw try credentials.required(name).invalid(nil, expected: "a non-empty value")
        }
        return text
    }
}

/// Credentials from either STS answer (`AssumeRole` or `AssumeRoleWithWebIdentity`),
/// told apart by the document's root element.
public func decodeSTSCredentials(_ body: [UInt8]) throws(AWSResponseDecodeError) -> STSCredentials {
    try STSCredentials.decode(body, api: "STS", roots: STSCredentials.responseRoots)
}
