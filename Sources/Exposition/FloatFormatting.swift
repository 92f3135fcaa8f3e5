/// Writes sample values the way Prometheus's Go client does (`strconv.FormatFloat(v, 'g', -1, 64)`):
/// shortest round-trip digits, exponent form when the decimal exponent is below -4 or at least 6,
/// integers without a trailing `.0`, and `+Inf`, `-Inf`, `NaN`.
public enum FloatFormatting {
    public static func append(_ value: Double, to out: inout [UInt8]) {
        if value.isNaN {
            out.append(contentsOf: "NaN".utf8)
            return
        }
        if value.isInfinite {
            out.append(contentsOf: (value < 0 ? "-Inf" : "+Inf").utf8)
            return
        }
        if value == 0 {
            if value.sign == .minus { out.append(UInt8(ascii: "-")) }
            out.append(UInt8(ascii: "0"))
            return
        }
        // Fast path: integral values below 2^53 are exact, so their decimal digits are the shortest.
        if value.magnitude < 1e15, value == value.rounded(.towardZero) {
            appendInteger(Int64(value), to: &out)
            return
        }
        // General path: Swift's description already yields the shortest round-trip digits;
        // re-lay them out in Go's format.
        var digits = DecimalDigits()
        digits.parse(value.description)
        digits.write(negative: value < 0, to: &out)
    }

    /// The Go `%g` layout of an integer: plain below 10^6, otherwise `d.ddde+XX` with zeros trimmed.
    static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        var magnitude = value.magnitude
        var reversed: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                       UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &reversed) { buffer in
            repeat {
                buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
        }
        if value < 0 { out.append(UInt8(ascii: "-")) }
        withUnsafeBytes(of: &reversed) { buffer in
            if count <= 6 {
                for index in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[index]) }
                return
            }
            // Exponent form: first digit, then the rest without trailing zeros.
            var last = 0
            while buffer[last] == UInt8(ascii: "0") { last += 1 }
            out.append(buffer[count - 1])
            if last < count - 1 {
                out.append(UInt8(ascii: "."))
                for index in stride(from: count - 2, through: last, by: -1) { out.append(buffer[index]) }
            }
            appendExponent(count - 1, to: &out)
        }
    }

    @inline(__always)
    static func appendExponent(_ exponent: Int, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "e"))
        out.append(exponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        let magnitude = exponent.magnitude
        if magnitude < 10 { out.append(UInt8(ascii: "0")) }
        if magnitude >= 100 { out.append(UInt8(ascii: "0") + UInt8(magnitude / 100)) }
        if magnitude >= 10 { out.append(UInt8(ascii: "0") + UInt8(magnitude / 10 % 10)) }
        out.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
    }
}

/// Significant digits and decimal-point position: value = 0.d1d2d3... × 10^point.
struct DecimalDigits {
    var digits: [UInt8] = []
    var point = 0

    /// Reads Swift's `Double.description` form: `-12.5`, `0.001`, `1e-05`, `1.5e+20`.
    mutating func parse(_ text: String) {
        digits.removeAll(keepingCapacity: true)
        var seenPoint = false
        var exponent = 0
        var exponentSign = 1
        var inExponent = false
        var integerDigits = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "-") where inExponent: exponentSign = -1
            case UInt8(ascii: "+"), UInt8(ascii: "-"): continue
            case UInt8(ascii: "."): seenPoint = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"): inExponent = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if inExponent {
                    exponent = exponent * 10 + Int(byte - UInt8(ascii: "0"))
                } else {
                    digits.append(byte)
                    if !seenPoint { integerDigits += 1 }
                }
            default: continue
            }
        }
        point = integerDigits + exponentSign * exponent
        // Leading zeros move the point; trailing zeros carry nothing.
        var leading = 0
        while leading < digits.count - 1, digits[leading] == UInt8(ascii: "0") { leading += 1 }
        if leading > 0 {
            digits.removeFirst(leading)
            point -= leading
        }
        while digits.count > 1, digits[digits.count - 1] == UInt8(ascii: "0") { digits.removeLast() }
    }

    func write(negative: Bool, to out: inout [UInt8]) {
        if negative { out.append(UInt8(ascii: "-")) }
        let exponent = point - 1
        if exponent < -4 || exponent >= 6 {
            out.append(digits[0])
            if digits.count > 1 {
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: digits[1...])
            }
            FloatFormatting.appendExponent(exponent, to: &out)
            return
        }
        if point <= 0 {
            out.append(UInt8(ascii: "0"))
            out.append(UInt8(ascii: "."))
            for _ in 0..<(-point) { out.append(UInt8(ascii: "0")) }
            out.append(contentsOf: digits)
            return
        }
        if point >= digits.count {
            out.append(contentsOf: digits)
            for _ in 0..<(point - digits.count) { out.append(UInt8(ascii: "0")) }
            return
        }
        out.append(contentsOf: digits[..<point])
        out.append(UInt8(ascii: "."))
        out.append(contentsOf: digits[point...])
    }
}
