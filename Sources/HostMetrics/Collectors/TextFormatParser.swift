import Exposition

/// A parser for the Prometheus text exposition format (version 0.0.4), as the textfile collector
/// reads it: `# HELP` / `# TYPE` lines, other comments, and `name{label="value",...} value [timestamp]`
/// samples. It follows the reference parser's rules: a TYPE or HELP line may come only once per
/// family and TYPE only before the family's samples; histogram and summary samples (`_bucket`,
/// `_sum`, `_count`, `quantile`, `le`) belong to the family declared with that TYPE; label values
/// take the escapes `\\`, `\"` and `\n`, help texts `\\` and `\n`.
public enum TextFormatParser {
    public enum Kind: String, Sendable, Equatable {
        case counter, gauge, untyped, summary, histogram
    }

    public struct Family: Sendable {
        public var name: String
        public var kind: Kind
        /// nil when the text has no HELP line for it.
        public var help: String?
        public var samples: [Sample]
        /// The TYPE line came before any sample (the family was not created by a sample).
        var typed = false
    }

    public struct Sample: Sendable {
        /// The sample's own name: `x_bucket`, `x_sum` and `x_count` for histogram `x`.
        public var name: String
        public var labels: [Label]
        public var value: Double
        /// Milliseconds since the epoch, when the line has one.
        public var timestamp: Int64?
    }

    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// The families of `bytes`, in the order their names first appear.
    public static func parse(_ bytes: ArraySlice<UInt8>) throws(ParseError) -> [Family] {
        var families: [Family] = []
        var indexByName: [String: Int] = [:]
        var number = 0
        for rawLine in bytes.lines() {
            number += 1
            var line = rawLine
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            var cursor = Cursor(bytes: line, line: number)
            cursor.skipBlanks()
            if cursor.atEnd { continue }
            if cursor.peek == UInt8(ascii: "#") {
                cursor.advance()
                try parseComment(&cursor, families: &families, indexByName: &indexByName)
            } else {
                try parseSample(&cursor, families: &families, indexByName: &indexByName)
            }
        }
        return families
    }

    // MARK: - Lines

    private static func parseComment(_ cursor: inout Cursor, families: inout [Family],
                                      indexByName: inout [String: Int]) throws(ParseError) {
        cursor.skipBlanks()
        let keyword = cursor.token()
        let isHelp = keyword.equals("HELP"), isType = keyword.equals("TYPE")
        guard isHelp || isType else { return }  // any other comment
        cursor.skipBlanks()
        let name = cursor.token()
        cursor.skipBlanks()
        // `# HELP` or `# HELP name` with nothing after it says nothing, as in the reference parser.
        if cursor.atEnd && (name.isEmpty || isValidMetricName(name)) { return }
        guard isValidMetricName(name) else {
            throw cursor.error("invalid metric name \"\(name.prefix(60).string)\" in \(isHelp ? "HELP" : "TYPE") line")
        }
        let nameString = name.string
        let index: Int
        if let existing = indexByName[nameString] {
            index = existing
        } else {
            index = families.count
            indexByName[nameString] = index
            families.append(Family(name: nameString, kind: .untyped, help: nil, samples: []))
        }
        if isHelp {
            guard families[index].help == nil else { throw cursor.error("second HELP line for \(nameString)") }
            families[index].help = try cursor.restUnescapingHelp()
        } else {
            guard !families[index].typed, families[index].samples.isEmpty else {
                throw cursor.error("second TYPE line for \(nameString), or TYPE after its samples")
            }
            let word = cursor.rest().trimmingWhitespace().string.lowercased()
            guard let kind = Kind(rawValue: word) else { throw cursor.error("unknown metric type \"\(word)\"") }
            families[index].kind = kind
            families[index].typed = true
        }
    }

    private static func parseSample(_ cursor: inout Cursor, families: inout [Family],
                                    indexByName: inout [String: Int]) throws(ParseError) {
        let name = cursor.metricName()
        guard isValidMetricName(name) else {
            throw cursor.error("invalid metric name \"\(cursor.bytes.prefix(60).string)\"")
        }
        let sampleName = name.string
        cursor.skipBlanks()
        var labels: [Label] = []
        if !cursor.atEnd, cursor.peek == UInt8(ascii: "{") {
            cursor.advance()
            labels = try parseLabels(&cursor)
            cursor.skipBlanks()
        }
        let valueToken = cursor.token()
        guard !valueToken.isEmpty else { throw cursor.error("missing value for \(sampleName)") }
        guard let value = parseFloat(valueToken) else {
            throw cursor.error("invalid value \"\(valueToken.prefix(40).string)\" for \(sampleName)")
        }
        cursor.skipBlanks()
        var timestamp: Int64?
        if !cursor.atEnd {
            let token = cursor.token()
            guard let parsed = token.parseInt64() else {
                throw cursor.error("invalid timestamp \"\(token.prefix(40).string)\" for \(sampleName)")
            }
            timestamp = parsed
            cursor.skipBlanks()
            guard cursor.atEnd else { throw cursor.error("unexpected text after the timestamp of \(sampleName)") }
        }

        // Which family the sample belongs to.
        let index: Int
        if let own = indexByName[sampleName], families[own].kind != .histogram {
            index = own
        } else if let (base, suffix) = splitSuffix(sampleName), let parent = indexByName[base],
                  families[parent].kind == .histogram || (families[parent].kind == .summary && suffix != "_bucket") {
            index = parent
        } else if let own = indexByName[sampleName] {
            // A histogram's samples all carry a suffix.
            throw cursor.error("sample \(sampleName) of histogram \(families[own].name) needs a _bucket, _sum or _count suffix")
        } else {
            index = families.count
            indexByName[sampleName] = index
            families.append(Family(name: sampleName, kind: .untyped, help: nil, samples: []))
        }
        let family = families[index]
        if family.kind == .summary, sampleName == family.name {
            guard let quantile = labels.first(where: { $0.name == "quantile" }) else {
                throw cursor.error("summary sample \(sampleName) without a quantile label")
            }
            guard parseFloat(ArraySlice(quantile.value.utf8)) != nil else {
                throw cursor.error("invalid quantile \"\(quantile.value)\" for \(sampleName)")
            }
        }
        if family.kind == .histogram, sampleName == family.name + "_bucket" {
            guard let bound = labels.first(where: { $0.name == "le" }) else {
                throw cursor.error("histogram bucket \(sampleName) without an le label")
            }
            guard parseFloat(ArraySlice(bound.value.utf8)) != nil else {
                throw cursor.error("invalid le \"\(bound.value)\" for \(sampleName)")
            }
        }
        families[index].samples.append(Sample(name: sampleName, labels: labels, value: value, timestamp: timestamp))
    }

    /// The labels after `{`, through the closing `}`.
    private static func parseLabels(_ cursor: inout Cursor) throws(ParseError) -> [Label] {
        var labels: [Label] = []
        while true {
            cursor.skipBlanks()
            guard !cursor.atEnd else { throw cursor.error("unterminated label set") }
            if cursor.peek == UInt8(ascii: "}") {
                cursor.advance()
                return labels
            }
            let name = cursor.labelName()
            guard isValidLabelName(name) else {
                throw cursor.error("invalid label name \"\(name.prefix(40).string)\"")
            }
            let nameString = name.string
            guard nameString != "__name__" else { throw cursor.error("label name __name__ is reserved") }
            guard !labels.contains(where: { $0.name == nameString }) else {
                throw cursor.error("label \(nameString) given twice")
            }
            cursor.skipBlanks()
            guard !cursor.atEnd, cursor.peek == UInt8(ascii: "=") else {
                throw cursor.error("expected = after label name \(nameString)")
            }
            cursor.advance()
            cursor.skipBlanks()
            guard !cursor.atEnd, cursor.peek == UInt8(ascii: "\"") else {
                throw cursor.error("expected a quoted value for label \(nameString)")
            }
            cursor.advance()
            let value = try cursor.quotedLabelValue()
            labels.append(Label(nameString, value))
            cursor.skipBlanks()
            guard !cursor.atEnd else { throw cursor.error("unterminated label set") }
            if cursor.peek == UInt8(ascii: ",") {
                cursor.advance()
            } else if cursor.peek != UInt8(ascii: "}") {
                throw cursor.error("expected , or } after the value of label \(nameString)")
            }
        }
    }

    // MARK: - Pieces

    /// `x_bucket` -> (`x`, `_bucket`); likewise `_sum`, `_count`.
    static func splitSuffix(_ name: String) -> (String, String)? {
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) && name.count > suffix.count {
            return (String(name.dropLast(suffix.count)), suffix)
        }
        return nil
    }

    /// A sample value as Go's ParseFloat takes it: decimal or hexadecimal floating point,
    /// `Inf`/`Infinity` with an optional sign and `NaN`, in any letter case.
    static func parseFloat(_ token: ArraySlice<UInt8>) -> Double? {
        guard !token.isEmpty, token.count <= 64 else { return nil }
        if let simple = token.parseDouble(), token.allSatisfy({ $0 != UInt8(ascii: "_") }) {
            // parseDouble falls back to the standard library, which also takes inf/nan.
            return simple
        }
        return nil
    }

    static func isValidMetricName(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let first = bytes.first, !first.isASCIIDigit else { return false }
        return bytes.allSatisfy { $0.isNameByte || $0 == UInt8(ascii: ":") }
    }

    static func isValidLabelName(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let first = bytes.first, !first.isASCIIDigit else { return false }
        return bytes.allSatisfy(\.isNameByte)
    }

    /// A position in one line.
    struct Cursor {
        let bytes: ArraySlice<UInt8>
        let line: Int
        var index: Int

        init(bytes: ArraySlice<UInt8>, line: Int) {
            self.bytes = bytes
            self.line = line
            index = bytes.startIndex
        }

        var atEnd: Bool { index >= bytes.endIndex }
        var peek: UInt8 { bytes[index] }
        mutating func advance() { index += 1 }

        mutating func skipBlanks() {
            while index < bytes.endIndex, bytes[index].isBlank { index += 1 }
        }

        /// Bytes up to the next blank or the end of the line.
        mutating func token() -> ArraySlice<UInt8> {
            let start = index
            while index < bytes.endIndex, !bytes[index].isBlank { index += 1 }
            return bytes[start..<index]
        }

        /// Bytes that may stand in a metric name.
        mutating func metricName() -> ArraySlice<UInt8> {
            let start = index
            while index < bytes.endIndex, bytes[index].isNameByte || bytes[index] == UInt8(ascii: ":") { index += 1 }
            let name = bytes[start..<index]
            // Anything else glued to the name (`metric-name 1`) makes the name invalid.
            if index < bytes.endIndex, !bytes[index].isBlank, bytes[index] != UInt8(ascii: "{") {
                return bytes[start..<(index + 1)]
            }
            return name
        }

        mutating func labelName() -> ArraySlice<UInt8> {
            let start = index
            while index < bytes.endIndex, bytes[index].isNameByte { index += 1 }
            if index < bytes.endIndex, !bytes[index].isBlank, bytes[index] != UInt8(ascii: "=") {
                return bytes[start..<(index + 1)]
            }
            return bytes[start..<index]
        }

        mutating func rest() -> ArraySlice<UInt8> {
            let result = bytes[index...]
            index = bytes.endIndex
            return result
        }

        /// The rest of a HELP line with `\\` and `\n` decoded.
        mutating func restUnescapingHelp() throws(ParseError) -> String {
            var out: [UInt8] = []
            while index < bytes.endIndex {
                let byte = bytes[index]
                index += 1
                guard byte == UInt8(ascii: "\\") else {
                    out.append(byte)
                    continue
                }
                guard index < bytes.endIndex else { throw error("HELP text ends in a lone backslash") }
                switch bytes[index] {
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
                default: throw error("invalid escape sequence \\\(String(UnicodeScalar(bytes[index]))) in HELP text")
                }
                index += 1
            }
            guard let text = String(validating: out, as: UTF8.self) else { throw error("HELP text is not valid UTF-8") }
            return text
        }

        /// A label value after its opening quote, through the closing quote.
        mutating func quotedLabelValue() throws(ParseError) -> String {
            var out: [UInt8] = []
            while index < bytes.endIndex {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    guard let text = String(validating: out, as: UTF8.self) else { throw error("label value is not valid UTF-8") }
                    return text
                case UInt8(ascii: "\\"):
                    guard index < bytes.endIndex else { break }
                    switch bytes[index] {
                    case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                    case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
                    case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
                    default: throw error("invalid escape sequence \\\(String(UnicodeScalar(bytes[index]))) in a label value")
                    }
                    index += 1
                default:
                    out.append(byte)
                }
            }
            throw error("unterminated label value")
        }

        func error(_ message: String) -> ParseError {
            ParseError(line: line, message: message)
        }
    }
}

extension UInt8 {
    /// `[A-Za-z0-9_]`
    @inline(__always) fileprivate var isNameByte: Bool {
        (self >= UInt8(ascii: "a") && self <= UInt8(ascii: "z")) || (self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z"))
            || (self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9")) || self == UInt8(ascii: "_")
    }

    @inline(__always) fileprivate var isASCIIDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
}
