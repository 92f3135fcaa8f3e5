/// Byte-level parsing helpers for /proc and /sys text: no String until a value needs to be one.
extension ArraySlice<UInt8> {
    /// Lines without their `\n`; a last line without one is included, empty lines are kept.
    public func lines() -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var start = startIndex
        var index = startIndex
        while index < endIndex {
            if self[index] == UInt8(ascii: "\n") {
                result.append(self[start..<index])
                start = index + 1
            }
            index += 1
        }
        if start < endIndex { result.append(self[start..<endIndex]) }
        return result
    }

    /// Fields separated by runs of spaces or tabs.
    public func fields() -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        result.reserveCapacity(24)
        var index = startIndex
        while index < endIndex {
            while index < endIndex, self[index].isBlank { index += 1 }
            let start = index
            while index < endIndex, !self[index].isBlank { index += 1 }
            if start < index { result.append(self[start..<index]) }
        }
        return result
    }

    /// Fields separated by exactly `separator` (empty fields kept).
    public func split(byte separator: UInt8) -> [ArraySlice<UInt8>] {
        split(separator: separator, omittingEmptySubsequences: false)
    }

    public func trimmingWhitespace() -> ArraySlice<UInt8> {
        var lower = startIndex
        var upper = endIndex
        while lower < upper, self[lower].isWhitespace { lower += 1 }
        while upper > lower, self[upper - 1].isWhitespace { upper -= 1 }
        return self[lower..<upper]
    }

    public func hasPrefix(_ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard self.count >= count else { return false }
        return prefix.withUTF8Buffer { bytes in
            var index = startIndex
            for byte in bytes {
                if self[index] != byte { return false }
                index += 1
            }
            return true
        }
    }

    public func equals(_ text: StaticString) -> Bool {
        count == text.utf8CodeUnitCount && hasPrefix(text)
    }

    /// An unsigned decimal integer, or nil if any byte is not a digit.
    public func parseUInt64() -> UInt64? {
        guard !isEmpty else { return nil }
        var value: UInt64 = 0
        for byte in self {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
        }
        return value
    }

    /// A signed decimal integer.
    public func parseInt64() -> Int64? {
        guard let first = first else { return nil }
        if first == UInt8(ascii: "-") {
            guard let magnitude = dropFirst().parseUInt64(), magnitude <= UInt64(Int64.max) else { return nil }
            return -Int64(magnitude)
        }
        guard let magnitude = parseUInt64(), magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    /// A decimal number as /proc prints them (`12`, `-3`, `0.41`, `1.5e3`). Plain decimals with
    /// few enough digits are parsed exactly here; anything else goes through the standard library.
    public func parseDouble() -> Double? {
        guard !isEmpty else { return nil }
        var index = startIndex
        var negative = false
        if self[index] == UInt8(ascii: "-") || self[index] == UInt8(ascii: "+") {
            negative = self[index] == UInt8(ascii: "-")
            index += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var seenPoint = false
        var simple = index < endIndex
        while index < endIndex {
            let byte = self[index]
            if byte == UInt8(ascii: ".") && !seenPoint {
                seenPoint = true
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                mantissa = mantissa &* 10 &+ UInt64(byte - UInt8(ascii: "0"))
                digits += 1
                if seenPoint { fractionDigits += 1 }
            } else {
                simple = false
                break
            }
            index += 1
        }
        if simple && digits > 0 && digits <= 15 {
            // Both operands are exact, so one correctly rounded division gives the nearest double.
            let value = fractionDigits == 0 ? Double(mantissa) : Double(mantissa) / powersOfTen[fractionDigits]
            return negative ? -value : value
        }
        return Double(String(decoding: self, as: UTF8.self))
    }

    /// The bytes as a String (labels such as device names).
    public var string: String { String(decoding: self, as: UTF8.self) }
}

private let powersOfTen: [Double] = (0...22).map { exponent in
    var value = 1.0
    for _ in 0..<exponent { value *= 10 }
    return value
}

extension UInt8 {
    @inline(__always) var isBlank: Bool { self == UInt8(ascii: " ") || self == UInt8(ascii: "\t") }
    @inline(__always) var isWhitespace: Bool { isBlank || self == UInt8(ascii: "\n") || self == UInt8(ascii: "\r") }
}

extension ArraySlice<UInt8> {
    /// The bytes as a String with the kernel's octal escapes decoded (`\040` space, `\011` tab,
    /// `\012` newline, `\134` backslash; any `\ooo`), as /proc/<pid>/mountinfo and /proc/mounts
    /// write paths. A backslash not followed by three octal digits is kept as it is.
    public func unescapingOctal() -> String {
        guard contains(UInt8(ascii: "\\")) else { return string }
        var result: [UInt8] = []
        result.reserveCapacity(count)
        var index = startIndex
        while index < endIndex {
            let byte = self[index]
            if byte == UInt8(ascii: "\\"), endIndex - index >= 4,
               let high = self[index + 1].octalDigit, let middle = self[index + 2].octalDigit,
               let low = self[index + 3].octalDigit, high <= 3 {
                result.append(high << 6 | middle << 3 | low)
                index += 4
            } else {
                result.append(byte)
                index += 1
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}

extension UInt8 {
    /// The value of an ASCII octal digit, or nil.
    @inline(__always) var octalDigit: UInt8? {
        self >= UInt8(ascii: "0") && self <= UInt8(ascii: "7") ? self - UInt8(ascii: "0") : nil
    }
}
