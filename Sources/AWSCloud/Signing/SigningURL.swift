/// The parts of an absolute http(s) URL that SigV4 signs. The URL must already be
/// percent-encoded, the way it goes on the wire: spaces, control and non-ASCII characters are
/// refused rather than guessed at.
struct SigningURL {
    /// Lowercase, `http` or `https`.
    let scheme: String
    /// Lowercase; an IPv6 literal keeps its brackets.
    let host: String
    let port: Int?
    /// As written, possibly empty.
    let path: [UInt8]
    /// Everything between `?` and `#`, nil without a `?`.
    let query: [UInt8]?

    init(parsing url: String) throws(SigV4Error) {
        let bytes = Array(url.utf8)
        guard bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else {
            throw .invalidURL(reason: "it contains a space, control or non-ASCII character (percent-encode it)")
        }
        guard let schemeEnd = Self.firstIndex(of: Array("://".utf8), in: bytes) else {
            throw .invalidURL(reason: "it is not absolute (no scheme://)")
        }
        let scheme = String(decoding: bytes[..<schemeEnd], as: UTF8.self).lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw .invalidURL(reason: "scheme must be http or https")
        }
        let rest = bytes[(schemeEnd + 3)...]
        let authorityEnd = rest.firstIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") })
            ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: UInt8(ascii: "@")) {
            authority = authority[(at + 1)...]
        }
        (host, port) = try Self.hostAndPort(authority)
        self.scheme = scheme

        let afterAuthority = rest[authorityEnd...]
        let beforeFragment = afterAuthority[..<(afterAuthority.firstIndex(of: UInt8(ascii: "#")) ?? afterAuthority.endIndex)]
        if let question = beforeFragment.firstIndex(of: UInt8(ascii: "?")) {
            path = Array(beforeFragment[..<question])
            query = Array(beforeFragment[(question + 1)...])
        } else {
            path = Array(beforeFragment)
            query = nil
        }
    }

    /// The `host` header value: the port appears only when it is not the scheme's default.
    var hostHeader: String {
        guard let port else { return host }
        let defaultPort = scheme == "https" ? 443 : 80
        return port == defaultPort ? host : "\(host):\(port)"
    }

    private static func hostAndPort(_ authority: ArraySlice<UInt8>) throws(SigV4Error) -> (String, Int?) {
        let hostEnd: ArraySlice<UInt8>.Index
        if authority.first == UInt8(ascii: "[") {
            guard let close = authority.firstIndex(of: UInt8(ascii: "]")) else {
                throw .invalidURL(reason: "IPv6 host has no closing ]")
            }
            hostEnd = close + 1
        } else {
            hostEnd = authority.firstIndex(of: UInt8(ascii: ":")) ?? authority.endIndex
        }
        let host = String(decoding: authority[..<hostEnd], as: UTF8.self).lowercased()
        guard !host.isEmpty, host != "[]" else { throw .invalidURL(reason: "it has no host") }
        let portText = authority[hostEnd...]
        guard let colon = portText.first else { return (host, nil) }
        guard colon == UInt8(ascii: ":") else { throw .invalidURL(reason: "unexpected text after the IPv6 host") }
        let digits = portText.dropFirst()
        if digits.isEmpty { return (host, nil) }
        guard digits.count <= 5, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let port = Int(String(decoding: digits, as: UTF8.self)), port <= 65535 else {
            throw .invalidURL(reason: "port is not a number from 0 to 65535")
        }
        return (host, port)
    }

    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return nil
    }
}
