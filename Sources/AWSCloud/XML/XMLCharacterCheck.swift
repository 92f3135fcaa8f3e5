/// Checks a whole document up front, so the reader can turn byte ranges into strings
/// without further checks and every encoding problem is reported at its exact offset.
enum XMLCharacterCheck {
    /// Throws at the first byte that is not UTF-8 or not an XML `Char`
    /// (tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF).
    static func validate(_ bytes: [UInt8]) throws(XMLReadError) {
        var offset = 0
        let count = bytes.count
        while offset < count {
            let lead = bytes[offset]
            // Responses are nearly all ASCII: settle those bytes without decoding.
            if lead < 0x80 {
                guard lead >= 0x20 || lead == 0x09 || lead == 0x0A || lead == 0x0D else {
                    throw XMLReadError(.forbiddenCharacter(UInt32(lead)), at: offset)
                }
                offset += 1
                continue
            }
            guard let (scalar, width) = decodeMultiByte(bytes, at: offset) else {
                throw XMLReadError(.invalidUTF8, at: offset)
            }
            guard isXMLChar(scalar) else { throw XMLReadError(.forbiddenCharacter(scalar), at: offset) }
            offset += width
        }
    }

    /// A 2–4 byte sequence starting at `offset`, or nil when it is not well-formed UTF-8
    /// (overlong forms, surrogates and values past U+10FFFF are not).
    private static func decodeMultiByte(_ bytes: [UInt8], at offset: Int) -> (UInt32, Int)? {
        let lead = bytes[offset]
        let width: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: width = 2
        case 0xE0: width = 3; secondRange = 0xA0...0xBF
        case 0xED: width = 3; secondRange = 0x80...0x9F
        case 0xE1...0xEF: width = 3
        case 0xF0: width = 4; secondRange = 0x90...0xBF
        case 0xF4: width = 4; secondRange = 0x80...0x8F
        case 0xF1...0xF3: width = 4
        default: return nil
        }
        guard offset + width <= bytes.count, secondRange.contains(bytes[offset + 1]) else { return nil }
        var scalar = UInt32(lead) & (width == 2 ? 0x1F : width == 3 ? 0x0F : 0x07)
        for position in (offset + 1)..<(offset + width) {
            let byte = bytes[position]
            guard byte & 0xC0 == 0x80 else { return nil }
            scalar = scalar << 6 | UInt32(byte & 0x3F)
        }
        return (scalar, width)
    }

    static func isXMLChar(_ value: UInt32) -> Bool {
        switch value {
        case 0x9, 0xA, 0xD: true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}
