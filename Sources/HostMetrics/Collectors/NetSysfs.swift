#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Helpers of the netclass, bonding, infiniband and fibrechannel collectors.
///
/// Reading single sysfs attributes the way drivers expect: one bounded `read(2)`, and the errors
/// that mean "this device has no such value right now" told apart from real failures.
enum NetSysfs {
    /// The attribute's bytes with surrounding white space removed, or nil when the attribute is
    /// absent or the driver declines to answer: missing file or device (ENOENT, ENOTDIR, ENODEV,
    /// ENXIO), a value that does not apply in the current state (EINVAL, e.g. `speed` on a link
    /// that is down), an operation the driver lacks (EOPNOTSUPP) or a permission refused
    /// (EACCES, EPERM). Any other failure is thrown, naming the file.
    static func read(_ reader: inout FileReader, _ path: String, limit: Int = 4096) throws -> ArraySlice<UInt8>? {
        do {
            return try reader.readAttribute(path, limit: limit).trimmingWhitespace()
        } catch {
            if isAbsence(error.errno) { return nil }
            throw CollectorError(error.description)
        }
    }

    /// As `read`, for an attribute of an opened directory.
    static func read(_ reader: inout FileReader, _ name: String, in directory: borrowing OpenDirectory,
                     limit: Int = 4096) throws -> ArraySlice<UInt8>? {
        do {
            return try reader.readAttribute(name, in: directory, limit: limit).trimmingWhitespace()
        } catch {
            if isAbsence(error.errno) { return nil }
            throw CollectorError(error.description)
        }
    }

    /// The attribute as text (labels), or nil as for `read`.
    static func string(_ reader: inout FileReader, _ path: String, limit: Int = 4096) throws -> String? {
        try read(&reader, path, limit: limit)?.string
    }

    static func isAbsence(_ code: Int32) -> Bool {
        switch code {
        case ENOENT, ENOTDIR, ENODEV, ENXIO, EINVAL, EOPNOTSUPP, EACCES, EPERM: return true
        default: return false
        }
    }

    /// The names in a directory, or nil when it does not exist (the feature is not on this host,
    /// or the device went away). Other failures are thrown.
    static func list(_ path: String) throws -> [String]? {
        do {
            return try FileReader.listDirectoryIfPresent(path)
        } catch {
            throw CollectorError(error.description)
        }
    }
}

extension NetSysfs {
    /// An unsigned integer written as the kernel and Go's `ParseUint(s, 0, 64)` accept it:
    /// decimal, `0x`/`0X` hexadecimal, `0o`/`0O` or leading-zero octal, `0b`/`0B` binary.
    /// Nil when empty, malformed or above `UInt64.max`.
    static func parseUnsigned(_ bytes: ArraySlice<UInt8>) -> UInt64? {
        var digits = bytes
        var radix: UInt64 = 10
        if digits.count >= 2, digits.first == UInt8(ascii: "0") {
            switch digits[digits.startIndex + 1] | 0x20 {
            case UInt8(ascii: "x"): radix = 16; digits = digits.dropFirst(2)
            case UInt8(ascii: "o"): radix = 8; digits = digits.dropFirst(2)
            case UInt8(ascii: "b"): radix = 2; digits = digits.dropFirst(2)
            default: radix = 8; digits = digits.dropFirst(1)
            }
        }
        guard !digits.isEmpty else { return nil }
        var value: UInt64 = 0
        for byte in digits {
            let digit: UInt64
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt64(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt64(byte - UInt8(ascii: "A") + 10)
            default: return nil
            }
            guard digit < radix else { return nil }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: radix)
            let (sum, overflow2) = shifted.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else { return nil }
            value = sum
        }
        return value
    }

    /// A signed integer in any of the bases of `parseUnsigned`, with an optional sign
    /// (`speed` is `-1` when unknown; `flags` is `0x1003`).
    static func parseSigned(_ bytes: ArraySlice<UInt8>) -> Int64? {
        guard let first = bytes.first else { return nil }
        let negative = first == UInt8(ascii: "-")
        let magnitudeBytes = first == UInt8(ascii: "-") || first == UInt8(ascii: "+") ? bytes.dropFirst() : bytes
        guard let magnitude = parseUnsigned(magnitudeBytes) else { return nil }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }
}
