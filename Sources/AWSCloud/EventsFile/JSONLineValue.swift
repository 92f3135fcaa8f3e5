/// One JSON value from a JSON Lines record, kept in a form that renders back to label text.
enum JSONLineValue: Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONLineValue])
    case object([String: JSONLineValue])

    /// The value at `field`: a top-level key of that exact name if there is one (keys may
    /// contain dots), otherwise the dotted path through nested objects.
    func value(at field: String) -> JSONLineValue? {
        guard case .object(let members) = self else { return nil }
        if let direct = members[field] { return direct }
        var current = self
        for key in field.split(separator: ".", omittingEmptySubsequences: false) {
            guard case .object(let nested) = current, let next = nested[String(key)] else {
                return nil
            }
            current = next
        }
        return current
    }

    /// Label text: strings as they are, other scalars as JSON writes them, null as the empty
    /// string, arrays and objects as compact JSON with sorted keys.
    var labelText: String {
        switch self {
        case .null: return ""
        case .string(let string): return string
        default:
            var text = ""
            appendJSON(to: &text)
            return text
        }
    }

    private func appendJSON(to text: inout String) {
        switch self {
        case .null: text += "null"
        case .bool(let flag): text += flag ? "true" : "false"
        case .integer(let number): text += String(number)
        case .number(let number): text += Self.numberText(number)
        case .string(let string): Self.appendQuoted(string, to: &text)
        case .array(let elements):
            text += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { text += "," }
                element.appendJSON(to: &text)
            }
            text += "]"
        case .object(let members):
            text += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { text += "," }
                Self.appendQuoted(key, to: &text)
                text += ":"
                members[key]?.appendJSON(to: &text)
            }
            text += "}"
        }
    }

    private static func numberText(_ number: Double) -> String {
        if number == number.rounded(), abs(number) < 1e15 {
            return String(Int64(number))
        }
        return String(number)
    }

    private static func appendQuoted(_ string: String, to text: inout String) {
        text += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
