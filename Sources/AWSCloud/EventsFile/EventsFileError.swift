#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why an events file could not be read. A missing file is not an error (see `EventsFileState`),
/// and bad records are counted as malformed rather than thrown.
public enum EventsFileError: Error, Equatable, CustomStringConvertible {
    case openFailed(path: String, errno: Int32)
    case statFailed(path: String, errno: Int32)
    case readFailed(path: String, errno: Int32)

    public var description: String {
        switch self {
        case .openFailed(let path, let code):
            return "cannot open events file \(path): \(Self.reason(code))"
        case .statFailed(let path, let code):
            return "cannot stat events file \(path): \(Self.reason(code))"
        case .readFailed(let path, let code):
            return "cannot read events file \(path): \(Self.reason(code))"
        }
    }

    private static func reason(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return String(cString: text) + " (errno \(code))"
    }
}
