/// Percent-encoding for query strings and form bodies: everything but RFC 3986's unreserved
/// characters is encoded, so a metric name with spaces or a filter with quotes travels intact.
enum QueryEncoding {
    static func component(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(hex[Int(byte >> 4)])
                out.unicodeScalars.append(hex[Int(byte & 0x0F)])
            }
        }
        return out
    }

    /// `key=value&...`; keys are written as given (ARM's `$filter` keeps its `$`).
    static func query(_ pairs: [(String, String)]) -> String {
        pairs.map { "\($0.0)=\(component($0.1))" }.joined(separator: "&")
    }

    /// `application/x-www-form-urlencoded`.
    static func form(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(component($0.0))=\(component($0.1))" }.joined(separator: "&")
    }
}
