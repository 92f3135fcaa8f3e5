#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

public enum HTTPServerError: Error, Equatable, CustomStringConvertible {
    case invalidAddress(String, reason: String)
    case listen(String, errno: Int32)
    case daemonStart(String)

    public var description: String {
        switch self {
        case let .invalidAddress(address, reason):
            "invalid listen address \"\(address)\": \(reason)"
        case let .listen(address, code):
            code == EADDRINUSE
                ? "cannot listen on \(address): address already in use (is another exporter running on this port?)"
                : "cannot listen on \(address): \(String(cString: strerror(code)))"
        case let .daemonStart(address):
            "cannot start the HTTP server on \(address)"
        }
    }
}
