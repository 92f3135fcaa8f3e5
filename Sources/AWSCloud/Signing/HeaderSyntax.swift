/// What may go into a signed request: HTTP header syntax (RFC 9110) and the characters a
/// credential scope or `Credential=` field can carry. Errors name the header, never the value.
enum HeaderSyntax {
    /// An RFC 9110 token: header names and methods.
    static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"):
                true
            default:
                "!#$%&'*+-.^_`|~".utf8.contains(byte)
            }
        }
    }

    /// Tab, visible ASCII and non-ASCII bytes; CR and LF would let a value start a new header.
    static func isFieldValue(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7f) }
    }

    static func check(_ header: (name: String, value: String)) throws(SigV4Error) {
        guard isToken(header.name) else { throw .invalidHeader(name: header.name, reason: "has an invalid name") }
        guard isFieldValue(header.value) else {
            throw .invalidHeader(name: header.name, reason: "has a control character in its value")
        }
    }

    /// The session token to send, or nil: an empty token counts as none, as in botocore.
    static func checkCredentials(_ credentials: AWSCredentials) throws(SigV4Error) -> String? {
        guard !credentials.accessKeyId.isEmpty, credentials.accessKeyId.utf8.allSatisfy(isCredentialByte) else {
            throw .invalidCredentials(reason: "have an access key id that is empty or has characters outside visible ASCII, / or ,")
        }
        guard !credentials.secretAccessKey.isEmpty else {
            throw .invalidCredentials(reason: "have an empty secret access key")
        }
        guard let token = credentials.sessionToken, !token.isEmpty else { return nil }
        guard isFieldValue(token) else {
            throw .invalidCredentials(reason: "have a session token with a control character")
        }
        return token
    }

    static func checkScope(region: String, service: String) throws(SigV4Error) {
        for (what, value) in [("region", region), ("service", service)] {
            guard !value.isEmpty, value.utf8.allSatisfy(isCredentialByte) else {
                throw .invalidScope(reason: "\(what) \(String(reflecting: value)) is empty or has characters outside visible ASCII, / or ,")
            }
        }
    }

    /// Visible ASCII except the separators of `Credential=id/date/region/service/aws4_request,`.
    private static func isCredentialByte(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7f && byte != UInt8(ascii: "/") && byte != UInt8(ascii: ",")
    }
}
