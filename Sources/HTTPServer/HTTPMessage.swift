import CMicroHTTPD

/// One incoming request, valid only while the handler runs (it reads from the live connection).
public struct HTTPRequest: ~Copyable {
    public let method: String
    /// The path without the query string.
    public let path: String
    private let connection: OpaquePointer?
    private let headerLookup: ((String) -> String?)?
    private let memoryQuery: [(String, String)]

    init(method: String, path: String, connection: OpaquePointer?) {
        self.method = method
        self.path = path
        self.connection = connection
        self.headerLookup = nil
        self.memoryQuery = []
    }

    /// A request made in memory, for tests of handlers.
    public init(method: String, path: String, headers: [String: String] = [:], query: [(String, String)] = []) {
        self.method = method
        self.path = path
        self.connection = nil
        let lowered = Dictionary(uniqueKeysWithValues: headers.map { ($0.key.lowercased(), $0.value) })
        self.headerLookup = { lowered[$0.lowercased()] }
        self.memoryQuery = query
    }

    /// Every value of a query parameter, in order (`collect[]=cpu&collect[]=meminfo`), decoded.
    public func queryValues(_ name: String) -> [String] {
        guard let connection else { return memoryQuery.filter { $0.0 == name }.map(\.1) }
        final class Collected { var pairs: [(String, String)] = [] }
        let collected = Collected()
        let context = Unmanaged.passUnretained(collected).toOpaque()
        _ = MHD_get_connection_values(connection, .GET_ARGUMENT_KIND, { context, _, key, value in
            guard let context, let key else { return .YES }
            let collected = Unmanaged<Collected>.fromOpaque(context).takeUnretainedValue()
            collected.pairs.append((String(cString: key), value.map { String(cString: $0) } ?? ""))
            return .YES
        }, context)
        return withExtendedLifetime(collected) { collected.pairs.filter { $0.0 == name }.map(\.1) }
    }

    /// A request header by name (case-insensitive), or nil.
    public func header(_ name: String) -> String? {
        if let headerLookup { return headerLookup(name) }
        guard let value = MHD_lookup_connection_value(connection, .HEADER_KIND, name) else { return nil }
        return String(cString: value)
    }
}

/// What a handler answers.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Called with the body once the server has copied it, so its storage can be reused.
    public var recycle: (@Sendable ([UInt8]) -> Void)?

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
                recycle: (@Sendable ([UInt8]) -> Void)? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.recycle = recycle
    }

    public static func text(_ status: Int, _ text: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Array(text.utf8))
    }
}

/// Answers requests. Called on libmicrohttpd's connection threads, concurrently.
public protocol HTTPHandler: Sendable {
    func handle(_ request: borrowing HTTPRequest) -> HTTPResponse
}
