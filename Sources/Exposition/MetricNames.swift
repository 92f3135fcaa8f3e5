/// Name rules of the Prometheus data model.
public enum MetricNames {
    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`
    public static func isValidMetricName(_ name: String) -> Bool {
        var first = true
        for byte in name.utf8 {
            let ok = isLetterOrUnderscore(byte) || byte == UInt8(ascii: ":") || (!first && isDigit(byte))
            if !ok { return false }
            first = false
        }
        return !first
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`, and not reserved for internal use (`__` prefix).
    public static func isValidLabelName(_ name: String) -> Bool {
        var first = true
        for byte in name.utf8 {
            guard isLetterOrUnderscore(byte) || (!first && isDigit(byte)) else { return false }
            first = false
        }
        return !first && !name.hasPrefix("__")
    }

    /// Replaces every character that may not stand in a metric name with `_`
    /// (how node_exporter turns `Active(anon)` into `Active_anon_`, before trimming).
    public static func sanitize(_ raw: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.utf8.count)
        for byte in raw.utf8 {
            bytes.append(isLetterOrUnderscore(byte) || isDigit(byte) || byte == UInt8(ascii: ":") ? byte : UInt8(ascii: "_"))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @inline(__always)
    static func isLetterOrUnderscore(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_")
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
