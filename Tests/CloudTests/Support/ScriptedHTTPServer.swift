import Foundation
import TestSupport

/// `Tests/Servers/scripted_http_server.py`, one per test: it answers from a script of responses
/// and records every request, so tests see exactly what a client sent and how it handled answers.
final class ScriptedHTTPServer: Sendable {
    /// One scripted answer; nil fields take the server's defaults (200, no headers, empty body).
    struct Response: Encodable {
        var status: Int?
        var headers: [String: String]?
        var body: String?
        /// A body of this many `x` bytes instead of `body`.
        var bodySize: Int?
        /// Compress the body and send `Content-Encoding: gzip`.
        var gzip: Bool?
        /// Send the body chunked, without a `Content-Length`.
        var chunked: Bool?
        /// Seconds to wait before answering.
        var delay: Double?

        init(status: Int? = nil, headers: [String: String]? = nil, body: String? = nil, bodySize: Int? = nil,
             gzip: Bool? = nil, chunked: Bool? = nil, delay: Double? = nil) {
            self.status = status
            self.headers = headers
            self.body = body
            self.bodySize = bodySize
            self.gzip = gzip
            self.chunked = chunked
            self.delay = delay
        }

        enum CodingKeys: String, CodingKey {
            case status, headers, body, gzip, chunked, delay
            case bodySize = "body_size"
        }
    }

    /// What the server was sent; header names are lowercased.
    struct Request: Decodable {
        var method: String
        var path: String
        var headers: [String: String]
        var body: String
        var bodyLength: Int

        enum CodingKeys: String, CodingKey {
            case method, path, headers, body
            case bodyLength = "body_length"
        }
    }

    private let server: PythonServer

    init() throws {
        server = try PythonServer("scripted_http_server.py", readyPath: "/_requests")
    }

    var port: UInt16 { server.port }
    var baseURL: String { server.endpoint }
    /// `host:port` as errors name it.
    var authority: String { "127.0.0.1:\(server.port)" }

    func url(_ path: String) -> String { baseURL + path }

    /// Replaces the queue of answers.
    func script(_ responses: [Response]) throws {
        let json = String(decoding: try JSONEncoder().encode(responses), as: UTF8.self)
        try server.control("POST", "/_script", json: json)
    }

    /// Every request received so far, oldest first (control requests excluded).
    func requests() throws -> [Request] {
        let response = try RawHTTPClient.request(port: server.port, path: "/_requests")
        return try JSONDecoder().decode([Request].self, from: Data(response.body))
    }
}
