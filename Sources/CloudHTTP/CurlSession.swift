import CCloudLibraries
import CCurl
import Synchronization

/// Blocking HTTP exchanges on one libcurl easy handle, which keeps its connections open between
/// calls. Calls are serialised; give each background job its own session. Callers run on their
/// own threads, never on Swift's cooperative pool, because `send` blocks for the whole exchange.
///
/// TLS peers are always verified. Proxies come from the environment as libcurl reads it:
/// `https_proxy`/`HTTPS_PROXY`, `http_proxy`, `all_proxy`, and `no_proxy`/`NO_PROXY` to bypass.
public final class CurlSession: Sendable {
    private let lock = Mutex(())
    nonisolated(unsafe) private let handle: UnsafeMutableRawPointer
    private let userAgent: String
    private let maxResponseBytes: Int

    public init(userAgent: String, maxResponseBytes: Int = 64 << 20) {
        _ = CurlGlobal.initialized
        guard let handle = nimbus_curl_easy_init() else {
            // Fails only when libcurl is missing (`CloudLibraries.load` reports that at start-up)
            // or cannot allocate; nothing sensible can continue.
            fatalError("curl_easy_init failed; libcurl missing or out of memory")
        }
        self.handle = handle
        self.userAgent = userAgent
        self.maxResponseBytes = maxResponseBytes
    }

    deinit { nimbus_curl_easy_cleanup(handle) }

    public func send(_ request: OutboundRequest) throws(OutboundError) -> OutboundResponse {
        try lock.withLock { _ throws(OutboundError) in try perform(request) }
    }

    private func perform(_ request: OutboundRequest) throws(OutboundError) -> OutboundResponse {
        nimbus_curl_easy_reset(handle)
        let host = Self.host(of: request.url)
        guard request.url.hasPrefix("https://") || request.url.hasPrefix("http://") else {
            throw .invalidRequest("only http and https URLs are supported (host \(host))")
        }
        let transfer = Transfer(limit: maxResponseBytes)
        let context = Unmanaged.passUnretained(transfer).toOpaque()
        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        defer { nimbus_curl_slist_free_all(headerList) }
        for field in request.headers {
            headerList = nimbus_curl_slist_append(headerList, "\(field.name): \(field.value)")
        }
        // curl would otherwise wait for `100 Continue` before sending larger bodies.
        headerList = nimbus_curl_slist_append(headerList, "Expect:")

        var code = CURLE_OK
        func set(_ result: CURLcode) { if code == CURLE_OK { code = result } }
        set(nimbus_curl_setopt_string(handle, CURLOPT_URL, request.url))
        set(nimbus_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"))
        set(nimbus_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
        set(nimbus_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1))
        set(nimbus_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2))
        set(nimbus_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0))
        set(nimbus_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Self.milliseconds(request.timeout)))
        set(nimbus_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.connectTimeout)))
        set(nimbus_curl_setopt_string(handle, CURLOPT_USERAGENT, userAgent))
        set(nimbus_curl_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, ""))
        set(nimbus_curl_setopt_pointer(handle, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headerList)))
        set(nimbus_curl_setopt_write_function(handle, curlWriteBody))
        set(nimbus_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context))
        set(nimbus_curl_setopt_header_function(handle, curlWriteHeader))
        set(nimbus_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context))
        set(nimbus_curl_setopt_off(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(maxResponseBytes)))

        let method = request.method.uppercased()
        // An empty body still needs a valid pointer, or curl reads the body from a callback.
        let payload = request.body.isEmpty ? [0] : request.body
        let result: CURLcode = payload.withUnsafeBytes { body in
            if method == "GET" && request.body.isEmpty {
                set(nimbus_curl_setopt_long(handle, CURLOPT_HTTPGET, 1))
            } else if method == "HEAD" {
                set(nimbus_curl_setopt_long(handle, CURLOPT_NOBODY, 1))
            } else {
                set(nimbus_curl_setopt_long(handle, CURLOPT_POST, 1))
                set(nimbus_curl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)))
                set(nimbus_curl_setopt_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: body.baseAddress)))
                if method != "POST" {
                    set(nimbus_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method))
                }
            }
            guard code == CURLE_OK else { return code }
            return nimbus_curl_easy_perform(handle)
        }
        if transfer.exceededLimit || result == CURLE_FILESIZE_EXCEEDED {
            throw .responseTooLarge(host: host, limit: maxResponseBytes)
        }
        switch result {
        case CURLE_OK:
            break
        case CURLE_OPERATION_TIMEDOUT:
            throw .timedOut(host: host)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_BAD_FUNCTION_ARGUMENT, CURLE_UNKNOWN_OPTION:
            throw .invalidRequest(String(cString: nimbus_curl_easy_strerror(result)))
        default:
            throw .connectionFailed(host: host, reason: String(cString: nimbus_curl_easy_strerror(result)))
        }
        var status = 0
        _ = nimbus_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return OutboundResponse(status: status, headers: transfer.headers, body: transfer.body)
    }

    private static func milliseconds(_ seconds: Double) -> Int {
        guard seconds.isFinite, seconds > 0 else { return 1 }
        return Int(min(seconds, 86_400) * 1000)
    }

    /// `host[:port]` of a URL, for messages that must not carry paths or queries.
    static func host(of url: String) -> String {
        var rest = Substring(url)
        if let colon = rest.firstIndex(of: ":"), rest[colon...].hasPrefix("://") {
            rest = rest[rest.index(colon, offsetBy: 3)...]
        }
        let end = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        var authority = rest[..<end]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        return String(authority)
    }
}

/// libcurl's global state, set up once before the first handle.
private enum CurlGlobal {
    static let initialized: Bool = nimbus_curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
}

/// Collects one exchange's headers and body; reached from libcurl's C callbacks.
private final class Transfer {
    var headers: [HTTPField] = []
    var body: [UInt8] = []
    var exceededLimit = false
    let limit: Int

    init(limit: Int) { self.limit = limit }
}

private func curlWriteBody(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
                           _ context: UnsafeMutableRawPointer?) -> Int {
    guard let data, let context else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    if transfer.body.count + length > transfer.limit {
        transfer.exceededLimit = true
        return 0
    }
    data.withMemoryRebound(to: UInt8.self, capacity: length) {
        transfer.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
    }
    return length
}

private func curlWriteHeader(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
                             _ context: UnsafeMutableRawPointer?) -> Int {
    guard let data, let context else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    let line = data.withMemoryRebound(to: UInt8.self, capacity: length) {
        String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
    }
    if line.hasPrefix("HTTP/") {
        // A new status line (after `100 Continue`, a redirect or a proxy's CONNECT): start over.
        transfer.headers.removeAll()
    } else if let colon = line.firstIndex(of: ":") {
        let name = line[..<colon].lowercased()
        let value = line[line.index(after: colon)...].trimmingWhitespace()
        transfer.headers.append(HTTPField(name, value))
    }
    return length
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        // "\r\n" is one Character (a grapheme cluster), equal to neither "\r" nor "\n".
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}

extension CurlSession {
    /// The host of a URL without port or credentials (`[::1]` keeps its brackets).
    public static func hostName(of url: String) -> String {
        let authority = host(of: url)
        if authority.hasPrefix("[") {
            return String(authority.prefix { $0 != "]" }) + "]"
        }
        return String(authority.prefix { $0 != ":" })
    }
}
