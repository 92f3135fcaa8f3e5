/// Small JSON objects written by hand, in a fixed member order (JWT headers and claims).
enum JSONText {
    enum Value {
        case string(String)
        case integer(Int)
    }

    static func object(_ members: [(String, Value)]) -> String {
        let parts = members.map { name, value -> String in
            switch value {
            case .string(let text): "\(quoted(name)):\(quoted(text))"
            case .integer(let number): "\(quoted(name)):\(number)"
            }
        }
        return "{" + parts.joined(separator: ",") + "}"
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
