#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Parsing shared by the `/proc/net` collectors: hexadecimal numbers, the socket tables
/// (`/proc/net/{tcp,udp}{,6}`) and addresses written the way Go's `net.IP.String` writes them.
enum ProcNet {
    /// An unsigned hexadecimal number as the kernel prints them (`0A`, `000646d5`), or nil when
    /// empty, not hexadecimal, or above 64 bits.
    static func hex(_ bytes: ArraySlice<UInt8>) -> UInt64? {
        guard !bytes.isEmpty, bytes.count <= 16 || bytes.prefix(bytes.count - 16).allSatisfy({ $0 == UInt8(ascii: "0") })
        else { return nil }
        var value: UInt64 = 0
        for byte in bytes {
            guard let digit = hexDigit(byte) else { return nil }
            value = value << 4 | UInt64(digit)
        }
        return value
    }

    @inline(__always) static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// One socket of `/proc/net/{tcp,udp}{,6}`: the fields the collectors use.
    struct Socket: Equatable {
        /// The `st` column: the kernel's TCP state number (UDP uses 07 unconnected, 01 connected).
        var state: UInt64
        var txQueue: UInt64
        var rxQueue: UInt64
    }

    /// Calls `body` for each socket line of a socket table in memory, after the header line.
    /// Blank lines are skipped; a malformed line throws (see `socket(_:file:)`).
    static func forEachSocket(in bytes: ArraySlice<UInt8>, file: String, _ body: (Socket) -> Void) throws {
        for (number, line) in bytes.lines().enumerated() where number > 0 {
            if let socket = try socket(line, file: file) { body(socket) }
        }
    }

    /// Streams a socket table from disk in chunks of `chunkSize` bytes, so a host with tens of
    /// thousands of sockets does not grow a worker's read buffer to the table's size for good.
    /// Returns false when the table does not exist.
    static func forEachSocket(atPath path: String, chunkSize: Int, _ body: (Socket) -> Void) throws -> Bool {
        var number = 0
        return try forEachLine(path, chunkSize: chunkSize) { line in
            defer { number += 1 }
            if number > 0, let socket = try socket(line, file: path) { body(socket) }
        }
    }

    /// One line of a socket table: `sl: local:port remote:port st tx:rx ...` with at least ten
    /// columns, or nil when blank. Anything else throws, naming the file.
    static func socket(_ line: ArraySlice<UInt8>, file: String) throws -> Socket? {
        let fields = line.fields()
        if fields.isEmpty { return nil }
        guard fields.count >= 10, fields[0].last == UInt8(ascii: ":"),
              fields[0].dropLast().parseUInt64() != nil,
              isAddressAndPort(fields[1]), isAddressAndPort(fields[2]),
              let state = hex(fields[3])
        else {
            throw CollectorError("\(file): malformed socket line: \(line.prefix(160).string)")
        }
        let queues = fields[4].split(byte: UInt8(ascii: ":"))
        guard queues.count == 2, let tx = hex(queues[0]), let rx = hex(queues[1]) else {
            throw CollectorError("\(file): malformed tx_queue:rx_queue \"\(fields[4].prefix(40).string)\"")
        }
        return Socket(state: state, txQueue: tx, rxQueue: rx)
    }

    /// Calls `body` with each line of a file (without its `\n`), reading `chunkSize` bytes at a
    /// time into a buffer that lives only for this call (a longer line grows it). Returns false
    /// when the file does not exist; other failures throw.
    static func forEachLine(_ path: String, chunkSize: Int, _ body: (ArraySlice<UInt8>) throws -> Void) throws -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return false }
            throw HostFileError(path: path, errno: code)
        }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: max(chunkSize, 16))
        var filled = 0
        while true {
            if filled == buffer.count { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
            let got: Int = buffer.withUnsafeMutableBufferPointer { pointer in
                var result: Int
                repeat {
                    result = read(fd, pointer.baseAddress! + filled, pointer.count - filled)
                } while result < 0 && errno == EINTR
                return result < 0 ? -Int(errno) : result
            }
            if got < 0 { throw HostFileError(path: path, errno: Int32(-got)) }
            if got == 0 { break }
            var index = filled
            filled += got
            var start = 0
            while index < filled {
                if buffer[index] == UInt8(ascii: "\n") {
                    try body(buffer[start..<index])
                    start = index + 1
                }
                index += 1
            }
            if start > 0 {
                // Keep the unfinished line at the front for the next read.
                for offset in 0..<(filled - start) { buffer[offset] = buffer[start + offset] }
                filled -= start
            }
        }
        if filled > 0 { try body(buffer[0..<filled]) }
        return true
    }

    /// `0100007F:0035` or the IPv6 form with 32 hex digits.
    private static func isAddressAndPort(_ field: ArraySlice<UInt8>) -> Bool {
        let parts = field.split(byte: UInt8(ascii: ":"))
        guard parts.count == 2, parts[0].count == 8 || parts[0].count == 32, parts[1].count <= 4 else { return false }
        return parts[0].allSatisfy { hexDigit($0) != nil } && hex(parts[1]) != nil
    }

    /// Dotted decimal, as `net.IP.String` writes a 4-byte address.
    static func ipv4String(_ value: UInt32) -> String {
        "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
    }

    /// A 16-byte address as `net.IP.String` writes it: IPv4-mapped addresses (`::ffff:a.b.c.d`)
    /// in dotted form, others in lower-case groups without leading zeros, the longest run of
    /// two or more zero groups (the first on a tie) shortened to `::`.
    static func ipv6String(_ bytes: [UInt8]) -> String {
        precondition(bytes.count == 16)
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
            return ipv4String(UInt32(bytes[12]) << 24 | UInt32(bytes[13]) << 16 | UInt32(bytes[14]) << 8 | UInt32(bytes[15]))
        }
        let groups = (0..<8).map { UInt16(bytes[2 * $0]) << 8 | UInt16(bytes[2 * $0 + 1]) }
        var bestStart = -1
        var bestLength = 0
        var index = 0
        while index < 8 {
            var end = index
            while end < 8, groups[end] == 0 { end += 1 }
            if end - index > bestLength {
                bestStart = index
                bestLength = end - index
            }
            index = end == index ? index + 1 : end
        }
        if bestLength < 2 { bestStart = -1 }
        var text = ""
        var needsColon = false
        index = 0
        while index < 8 {
            if index == bestStart {
                text += "::"
                index += bestLength
                needsColon = false
                continue
            }
            if needsColon { text += ":" }
            text += String(groups[index], radix: 16)
            needsColon = true
            index += 1
        }
        return text
    }
}
