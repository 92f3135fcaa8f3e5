#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Socket addresses as `getifaddrs(3)` returns them, turned into the strings psutil's
/// `net_if_addrs` shows. Works on the raw bytes of the `sockaddr`, so tests can build any address.
public enum SocketAddress {
    /// An address family label value: `inet`, `inet6` or `link` (`AF_PACKET`, a hardware address).
    public enum Family: String, Sendable {
        case inet, inet6, link
    }

    /// `AF_PACKET`: link-layer addresses (Linux's `AF_LINK`).
    static let packetFamily: UInt16 = 17

    /// The family and the address bytes (network order) of a `sockaddr`, or nil for a family
    /// this does not report or a buffer too short for its family.
    ///
    /// Layouts: `sockaddr_in` has the address at offset 4 (4 bytes); `sockaddr_in6` at offset 8
    /// (16 bytes); `sockaddr_ll` has its length at offset 11 and up to 8 address bytes at 12.
    public static func decode(_ raw: UnsafeRawBufferPointer) -> (family: Family, bytes: [UInt8])? {
        guard raw.count >= 2 else { return nil }
        let family = raw.loadUnaligned(fromByteOffset: 0, as: UInt16.self)
        switch family {
        case UInt16(AF_INET):
            guard raw.count >= 8 else { return nil }
            return (.inet, Array(raw[4..<8]))
        case UInt16(AF_INET6):
            guard raw.count >= 24 else { return nil }
            return (.inet6, Array(raw[8..<24]))
        case packetFamily:
            guard raw.count >= 12 else { return nil }
            let length = min(Int(raw[11]), 8, raw.count - 12)
            return (.link, Array(raw[12..<(12 + length)]))
        default:
            return nil
        }
    }

    /// How many bytes of a `sockaddr` of this family to look at.
    public static func size(ofFamily family: UInt16) -> Int? {
        switch family {
        case UInt16(AF_INET): MemoryLayout<sockaddr_in>.size
        case UInt16(AF_INET6): MemoryLayout<sockaddr_in6>.size
        case packetFamily: 20
        default: nil
        }
    }

    /// Decodes the `sockaddr` a pointer from `getifaddrs` refers to.
    static func decode(_ pointer: UnsafePointer<sockaddr>) -> (family: Family, bytes: [UInt8])? {
        guard let size = SocketAddress.size(ofFamily: pointer.pointee.sa_family) else { return nil }
        return decode(UnsafeRawBufferPointer(start: pointer, count: size))
    }

    /// The text form: dotted quad for inet, RFC 5952 (`inet_ntop`) for inet6, colon-separated
    /// lower-case hex for link addresses.
    public static func string(_ family: Family, _ bytes: [UInt8]) -> String {
        switch family {
        case .inet where bytes.count == 4:
            return bytes.map { String($0) }.joined(separator: ".")
        case .inet6 where bytes.count == 16:
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            let written = bytes.withUnsafeBytes { source in
                inet_ntop(AF_INET6, source.baseAddress, &text, socklen_t(text.count))
            }
            guard written != nil else { return hex(bytes) }
            return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        default:
            return hex(bytes)
        }
    }

    /// The number of leading one bits of a netmask, or nil when the ones are not contiguous.
    public static func prefixLength(_ mask: [UInt8]) -> Int? {
        var length = 0
        var ended = false
        for byte in mask {
            if ended {
                guard byte == 0 else { return nil }
                continue
            }
            let ones = (~byte).leadingZeroBitCount
            length += ones
            if ones < 8 {
                // The rest of this byte must be zeros.
                guard byte << ones == 0 else { return nil }
                ended = true
            }
        }
        return length
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return bytes.map { String([digits[Int($0 >> 4)], digits[Int($0 & 0x0f)]]) }.joined(separator: ":")
    }
}
