/// One header of an outbound request or of its response.
public struct HTTPField: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A request to a cloud API or a metadata endpoint.
public struct OutboundRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [HTTPField]
    public var body: [UInt8]
    /// Seconds for the whole exchange, connection included.
    public var timeout: Double
    /// Seconds to establish the connection (TCP and TLS).
    public var connectTimeout: Double

    public init(method: String = "GET", url: String, headers: [HTTPField] = [], body: [UInt8] = [],
                timeout: Double = 30, connectTimeout: Double = 5) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
    }
}

/// What came back: the final status line, headers (names lowercased) and the decoded body.
public struct OutboundResponse: Sendable {
    public var status: Int
    public var headers: [HTTPField]
    public var body: [UInt8]

    public init(status: Int, headers: [HTTPField] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first header of that name (case-insensitive).
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name == wanted }?.value
    }

    public var isSuccess: Bool { (200..<300).contains(status) }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
