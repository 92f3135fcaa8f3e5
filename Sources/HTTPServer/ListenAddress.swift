#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A `--web.listen-address` value: `host:port`, `:port` (every interface), `[v6addr]:port`.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    /// Empty for every interface.
    public var host: String
    public var port: UInt16

    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    public init(parsing text: String) throws(HTTPServerError) {
        guard let colon = text.lastIndex(of: ":") else {
            throw .invalidAddress(text, reason: "expected host:port, :port or [v6-address]:port")
        }
        var host = String(text[..<colon])
        let portText = text[text.index(after: colon)...]
        guard let port = UInt16(portText) else {
            throw .invalidAddress(text, reason: "port must be a number from 0 to 65535")
        }
        if host.hasPrefix("[") {
            guard host.hasSuffix("]") else { throw .invalidAddress(text, reason: "unclosed [ in IPv6 address") }
            host = String(host.dropFirst().dropLast())
        } else if host.contains(":") {
            throw .invalidAddress(text, reason: "IPv6 addresses must be written in brackets, like [::1]:\(port)")
        }
        self.host = host
        self.port = port
    }

    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

/// A listening TCP socket, opened by us so failures (port taken, bad address) have clear errors
/// before libmicrohttpd is involved.
struct ListeningSocket {
    let descriptor: Int32
    let isIPv6: Bool
    let boundPort: UInt16

    static func open(_ address: ListenAddress) throws(HTTPServerError) -> ListeningSocket {
        if address.host.isEmpty {
            // Every interface: dual-stack IPv6 when the host has IPv6, else IPv4.
            if let socket = try? bind(address, host: "::", dualStack: true) { return socket }
            return try bind(address, host: "0.0.0.0", dualStack: false)
        }
        return try bind(address, host: address.host, dualStack: false)
    }

    private static func bind(_ address: ListenAddress, host: String, dualStack: Bool) throws(HTTPServerError) -> ListeningSocket {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_ADDRCONFIG
        var list: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(host, String(address.port), &hints, &list)
        guard resolved == 0, let first = list else {
            throw .invalidAddress(address.description, reason: "cannot resolve host: \(String(cString: gai_strerror(resolved)))")
        }
        defer { freeaddrinfo(list) }
        // Prefer IPv4 when a name resolves to both, as Go's listener does for "localhost".
        var chosen = first
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if entry.pointee.ai_family == AF_INET { chosen = entry; break }
            cursor = entry.pointee.ai_next
        }
        let info = chosen.pointee
        let fd = socket(info.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .listen(address.description, errno: errno) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        if info.ai_family == AF_INET6 {
            var v6only: Int32 = dualStack ? 0 : 1
            setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &v6only, socklen_t(MemoryLayout<Int32>.size))
        }
        guard Glibc.bind(fd, info.ai_addr, info.ai_addrlen) == 0, listen(fd, 256) == 0 else {
            let code = errno
            close(fd)
            throw .listen(address.description, errno: code)
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let port: UInt16 = withUnsafeMutablePointer(to: &storage) { pointer in
            _ = pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            if info.ai_family == AF_INET6 {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
        }
        return ListeningSocket(descriptor: fd, isIPv6: info.ai_family == AF_INET6, boundPort: port)
    }
}
