/// A position in a document's bytes, with the lexical pieces the reader needs: names,
/// quoted values, references and delimited sections. Every read moves forward or throws,
/// so the reader cannot loop without progress.
/// An element or attribute name as written (`ec2:item`) and without its prefix (`item`).
struct XMLName {
    var qualified: String
    var local: String
}

struct XMLByteCursor {
    let bytes: [UInt8]
    private(set) var index: Int

    init(_ bytes: [UInt8], at index: Int = 0) {
        self.bytes = bytes
        self.index = index
    }

    var isAtEnd: Bool { index >= bytes.count }

    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    func hasPrefix(_ literal: StaticString) -> Bool {
        literal.withUTF8Buffer { literal in
            guard bytes.count - index >= literal.count else { return false }
            for offset in 0..<literal.count where bytes[index + offset] != literal[offset] { return false }
            return true
        }
    }

    mutating func advance(by count: Int = 1) {
        index = min(index + count, bytes.count)
    }

    /// Skips whitespace; returns whether there was any.
    @discardableResult
    mutating func skipWhitespace() -> Bool {
        let start = index
        while let byte = current, Self.isWhitespace(byte) { index += 1 }
        return index > start
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws(XMLReadError) {
        guard let found = current else {
            throw XMLReadError(.unexpectedEndOfDocument(expecting: what), at: index)
        }
        guard found == byte else {
            throw XMLReadError(.unexpectedCharacter(found: describe(found), expecting: what), at: index)
        }
        index += 1
    }

    /// Moves past `terminator` and returns the bytes before it.
    mutating func read(until terminator: StaticString, _ what: String) throws(XMLReadError) -> ArraySlice<UInt8> {
        let start = index
        let first = terminator.withUTF8Buffer { $0.first ?? 0 }
        while index < bytes.count {
            if bytes[index] == first, hasPrefix(terminator) {
                let content = bytes[start..<index]
                index += terminator.utf8CodeUnitCount
                return content
            }
            index += 1
        }
        throw XMLReadError(.unexpectedEndOfDocument(expecting: what), at: index)
    }

    /// A qualified name such as `item` or `ec2:item`, and its local part.
    mutating func readName() throws(XMLReadError) -> XMLName {
        let start = index
        guard let first = current else {
            throw XMLReadError(.unexpectedEndOfDocument(expecting: "a name"), at: index)
        }
        guard Self.isNameStart(first) else { throw XMLReadError(.invalidName, at: index) }
        var localStart = start
        while let byte = current, Self.isNameByte(byte) {
            index += 1
            if byte == UInt8(ascii: ":") { localStart = index }
        }
        // A prefix needs a local part after it: `a:` and `a:1` are not names.
        guard localStart < index, Self.isNameStart(bytes[localStart]) else { throw XMLReadError(.invalidName, at: start) }
        let qualified = String(decoding: bytes[start..<index], as: UTF8.self)
        let local = localStart == start ? qualified : String(decoding: bytes[localStart..<index], as: UTF8.self)
        return XMLName(qualified: qualified, local: local)
    }

    /// A quoted attribute value, with references decoded and whitespace normalised to spaces.
    mutating func readAttributeValue() throws(XMLReadError) -> String {
        guard let quote = current else {
            throw XMLReadError(.unexpectedEndOfDocument(expecting: "a quoted attribute value"), at: index)
        }
        guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
            throw XMLReadError(.unexpectedCharacter(found: describe(quote), expecting: "a quoted attribute value"), at: index)
        }
        index += 1
        var value: [UInt8] = []
        while true {
            guard let byte = current else {
                throw XMLReadError(.unexpectedEndOfDocument(expecting: "the closing quote of an attribute value"), at: index)
            }
            switch byte {
            case quote:
                index += 1
                return String(decoding: value, as: UTF8.self)
            case UInt8(ascii: "<"):
                throw XMLReadError(.unexpectedCharacter(found: "\"<\"", expecting: "an attribute value without \"<\""), at: index)
            case UInt8(ascii: "&"):
                try appendReference(to: &value)
            case UInt8(ascii: "\r"):
                // CR LF counts once, as one space.
                index += 1
                if current == UInt8(ascii: "\n") { index += 1 }
                value.append(UInt8(ascii: " "))
            case UInt8(ascii: "\t"), UInt8(ascii: "\n"):
                index += 1
                value.append(UInt8(ascii: " "))
            default:
                index += 1
                value.append(byte)
            }
        }
    }

    /// Character data up to the next `<` (or the end), references decoded and line ends
    /// normalised to LF.
    mutating func readText(into text: inout [UInt8]) throws(XMLReadError) {
        while let byte = current, byte != UInt8(ascii: "<") {
            if byte == UInt8(ascii: "&") {
                try appendReference(to: &text)
            } else {
                Self.appendNormalisingLineEnds(byte, at: &index, in: bytes, to: &text)
            }
        }
    }

    /// Appends raw bytes (CDATA content) with line ends normalised to LF.
    static func appendRaw(_ raw: ArraySlice<UInt8>, to text: inout [UInt8]) {
        var position = raw.startIndex
        while position < raw.endIndex {
            if raw[position] == UInt8(ascii: "\r") {
                text.append(UInt8(ascii: "\n"))
                position += 1
                if position < raw.endIndex, raw[position] == UInt8(ascii: "\n") { position += 1 }
            } else {
                text.append(raw[position])
                position += 1
            }
        }
    }

    private static func appendNormalisingLineEnds(_ byte: UInt8, at index: inout Int, in bytes: [UInt8], to text: inout [UInt8]) {
        index += 1
        guard byte == UInt8(ascii: "\r") else {
            text.append(byte)
            return
        }
        text.append(UInt8(ascii: "\n"))
        if index < bytes.count, bytes[index] == UInt8(ascii: "\n") { index += 1 }
    }

    /// Decodes `&name;`, `&#NNN;` or `&#xHHH;` at the cursor.
    private mutating func appendReference(to output: inout [UInt8]) throws(XMLReadError) {
        let start = index
        index += 1  // "&"
        let longest = 32  // room for leading zeros in character references
        var end = index
        while end < bytes.count, end - index <= longest, bytes[end] != UInt8(ascii: ";") { end += 1 }
        guard end < bytes.count, bytes[end] == UInt8(ascii: ";") else {
            throw XMLReadError(.unterminatedReference, at: start)
        }
        let body = bytes[index..<end]
        let name = String(decoding: body, as: UTF8.self)
        index = end + 1
        if body.first == UInt8(ascii: "#") {
            guard let scalar = Self.characterReference(body.dropFirst()) else {
                throw XMLReadError(.invalidCharacterReference(name), at: start)
            }
            UTF8.encode(scalar) { output.append($0) }
            return
        }
        switch name {
        case "amp": output.append(UInt8(ascii: "&"))
        case "lt": output.append(UInt8(ascii: "<"))
        case "gt": output.append(UInt8(ascii: ">"))
        case "apos": output.append(UInt8(ascii: "'"))
        case "quot": output.append(UInt8(ascii: "\""))
        default: throw XMLReadError(.undefinedEntity(name), at: start)
        }
    }

    /// The scalar for the digits after `&#`, or nil when they are not a number or name a
    /// code point XML forbids (NUL, surrogates, beyond U+10FFFF, ...).
    private static func characterReference(_ digits: ArraySlice<UInt8>) -> Unicode.Scalar? {
        var digits = digits
        var radix: UInt32 = 10
        if digits.first == UInt8(ascii: "x") {
            radix = 16
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty else { return nil }
        var value: UInt32 = 0
        for byte in digits {
            guard let digit = digitValue(byte, radix: radix) else { return nil }
            value = value * radix + digit
            guard value <= 0x10FFFF else { return nil }
        }
        guard XMLCharacterCheck.isXMLChar(value) else { return nil }
        return Unicode.Scalar(value)
    }

    private static func digitValue(_ byte: UInt8, radix: UInt32) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f") where radix == 16: UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F") where radix == 16: UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    static func isNameStart(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "_"), UInt8(ascii: ":"), 0x80...0xFF: true
        default: false
        }
    }

    static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."): true
        default: isNameStart(byte)
        }
    }

    /// A short, printable description of a byte for error messages.
    func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "\"\(Character(Unicode.Scalar(byte)))\"" }
        if byte == 0x20 { return "a space" }
        if Self.isWhitespace(byte) { return "a line break or tab" }
        return "a non-ASCII character"
    }
}
