/// The `<?xml version="1.0" encoding="..."?>` declaration at the start of a document.
enum XMLDeclaration {
    static let supportedEncodings = ["utf-8", "utf8", "us-ascii", "ascii"]

    /// Refuses a declared encoding other than UTF-8 (or its ASCII subset), so a Latin-1
    /// document is reported as such instead of as broken UTF-8. Checked on the raw bytes
    /// before anything else: the declaration itself is ASCII whatever the encoding.
    static func checkEncoding(_ bytes: [UInt8]) throws(XMLReadError) {
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        guard bytes[start...].starts(with: Array("<?xml".utf8)) else { return }
        let limit = min(bytes.count, start + 200)
        guard let end = (start + 5..<max(start + 5, limit)).first(where: { bytes[$0] == UInt8(ascii: "?") }) else { return }
        guard let encoding = declaredEncoding(in: bytes[start..<end]) else { return }
        guard supportedEncodings.contains(encoding.lowercased()) else {
            throw XMLReadError(.unsupportedEncoding(String(encoding.prefix(40))), at: start)
        }
    }

    private static func declaredEncoding(in declaration: ArraySlice<UInt8>) -> String? {
        let key = Array("encoding".utf8)
        var position = declaration.startIndex
        while position + key.count <= declaration.endIndex, !declaration[position...].starts(with: key) {
            position += 1
        }
        guard position + key.count <= declaration.endIndex else { return nil }
        let rest = declaration[(position + key.count)...].drop { $0 == 0x20 || $0 == 0x09 || $0 == UInt8(ascii: "=") }
        guard let quote = rest.first, quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { return nil }
        let name = rest.dropFirst().prefix { $0 != quote && $0 < 0x80 }
        return String(decoding: name, as: UTF8.self)
    }
}
