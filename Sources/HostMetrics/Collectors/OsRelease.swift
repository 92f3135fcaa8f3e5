/// The `os-release(5)` file format: `KEY=value` lines whose values follow shell quoting rules.
public enum OsRelease {
    /// The assignments of an os-release file; a key given twice keeps its last value.
    ///
    /// Blank lines and `#` comments are skipped, an `export ` prefix is allowed. Values may be
    /// unquoted (a backslash quotes the next character, ` #` starts a comment, trailing blanks are
    /// dropped), `'single quoted'` (taken literally) or `"double quoted"` (`\"`, `\\`, `\$` and
    /// `` \` `` are escapes; any other backslash is kept), and the forms may be concatenated.
    /// Throws on a line without `=`, an invalid key or an unterminated quote.
    public static func parse(_ bytes: ArraySlice<UInt8>, file: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for (number, rawLine) in bytes.lines().enumerated() {
            var line = rawLine.trimmingWhitespace()
            if line.isEmpty || line.first == UInt8(ascii: "#") { continue }
            if line.hasPrefix("export ") || line.hasPrefix("export\t") {
                line = line.dropFirst(7).trimmingWhitespace()
            }
            guard let equals = line.firstIndex(of: UInt8(ascii: "=")) else {
                throw CollectorError("\(file): line \(number + 1): expected KEY=value")
            }
            let key = line[line.startIndex..<equals].trimmingWhitespace()
            guard isValidKey(key) else {
                throw CollectorError("\(file): line \(number + 1): invalid key \"\(key.prefix(40).string)\"")
            }
            guard let value = unquote(line[(equals + 1)...].trimmingWhitespace()) else {
                throw CollectorError("\(file): line \(number + 1): unterminated quote")
            }
            result[key.string] = value
        }
        return result
    }

    /// `[A-Za-z_][A-Za-z0-9_]*`
    static func isValidKey(_ key: ArraySlice<UInt8>) -> Bool {
        func isLetter(_ byte: UInt8) -> Bool {
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || byte == UInt8(ascii: "_")
        }
        guard let first = key.first, isLetter(first) else { return false }
        return key.allSatisfy { isLetter($0) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) }
    }

    /// A shell word with its quotes removed; nil when a quote is left open.
    static func unquote(_ value: ArraySlice<UInt8>) -> String? {
        enum Mode { case plain, single, double }
        var mode = Mode.plain
        var out: [UInt8] = []
        out.reserveCapacity(value.count)
        // Length of `out` up to its last character that is not unquoted white space.
        var significant = 0
        var index = value.startIndex
        // The previous byte was unquoted white space (or there was none): a `#` here starts a comment.
        var atWordBoundary = true
        while index < value.endIndex {
            let byte = value[index]
            index += 1
            let boundary = atWordBoundary
            atWordBoundary = mode == .plain && byte.isBlank
            switch mode {
            case .plain:
                switch byte {
                case UInt8(ascii: "'"): mode = .single
                case UInt8(ascii: "\""): mode = .double
                case UInt8(ascii: "\\"):
                    if index < value.endIndex {
                        out.append(value[index])
                        index += 1
                        significant = out.count
                    }
                case UInt8(ascii: "#") where boundary:
                    // A comment: the value ends before the blanks that precede it.
                    return String(decoding: out[..<significant], as: UTF8.self)
                case UInt8(ascii: " "), UInt8(ascii: "\t"):
                    out.append(byte)
                default:
                    out.append(byte)
                    significant = out.count
                }
            case .single:
                if byte == UInt8(ascii: "'") {
                    mode = .plain
                } else {
                    out.append(byte)
                    significant = out.count
                }
            case .double:
                if byte == UInt8(ascii: "\"") {
                    mode = .plain
                } else if byte == UInt8(ascii: "\\"), index < value.endIndex,
                          [UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "$"), UInt8(ascii: "`")].contains(value[index]) {
                    out.append(value[index])
                    index += 1
                    significant = out.count
                } else {
                    out.append(byte)
                    significant = out.count
                }
            }
        }
        guard mode == .plain else { return nil }
        return String(decoding: out[..<significant], as: UTF8.self)
    }

    /// The leading `major[.minor]` of a VERSION_ID as a number (`20.04` of `20.04`, `8.4` of
    /// `8.4.2105`), or nil when it does not start with a digit.
    public static func majorMinor(_ versionID: String) -> Double? {
        var text = ""
        var seenPoint = false
        for character in versionID {
            if character.isASCII, character.isNumber {
                text.append(character)
            } else if character == ".", !seenPoint, !text.isEmpty {
                seenPoint = true
                text.append(character)
            } else {
                break
            }
        }
        guard !text.isEmpty else { return nil }
        if text.hasSuffix(".") { text.removeLast() }
        return ArraySlice(text.utf8).parseDouble()
    }
}
