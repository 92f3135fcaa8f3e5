import CloudHTTP
import Foundation
import Testing
import TestSupport

/// The libcurl client against a scripted loopback server: what goes out, what comes back, and
/// how each kind of failure is reported.
///
/// Proxies are not tested here: libcurl reads `http_proxy` from the process environment at
/// perform time, and setting it in this process would reroute the requests of every other test
/// running in parallel (and of any child process started meanwhile). The end-to-end tests cover
/// proxies with a child process that has its own environment.
@Suite struct CurlSessionTests {
    private static let userAgent = "nimbus-tests/1.0"

    private func session(maxResponseBytes: Int = 1 << 20) -> CurlSession {
        CurlSession(userAgent: Self.userAgent, maxResponseBytes: maxResponseBytes)
    }

    // MARK: What is sent

    @Test func getSendsHeadersAndReturnsStatusHeadersAndBody() throws {
        let server = try ScriptedHTTPServer()
        try server.script([.init(status: 200, headers: ["X-Custom-Header": "Some Value", "Content-Type": "text/plain"],
                                 body: "hello there")])
        let response = try session().send(OutboundRequest(
            url: server.url("/path/to?x=1&y=two"), headers: [HTTPField("X-Request-Id", "abc-123")]))

        #expect(response.status == 200)
        #expect(response.isSuccess)
        #expect(response.bodyText == "hello there")
        #expect(response.header("x-custom-header") == "Some Value")
        #expect(response.header("X-CUSTOM-HEADER") == "Some Value")
        #expect(response.headers.contains(HTTPField("x-custom-header", "Some Value")))
        #expect(response.headers.allSatisfy { $0.name == $0.name.lowercased() })
        #expect(response.header("content-length") == "11")

        let requests = try server.requests()
        let request = try #require(requests.first)
        #expect(requests.count == 1)
        #expect(request.method == "GET")
        #expect(request.path == "/path/to?x=1&y=two")
        #expect(request.headers["x-request-id"] == "abc-123")
        #expect(request.headers["user-agent"] == Self.userAgent)
        #expect(request.headers["expect"] == nil)
        #expect(request.bodyLength == 0)
    }

    @Test func postSendsItsBodyAndHeaders() throws {
        let server = try ScriptedHTTPServer()
        try server.script([.init(status: 201, body: "created")])
        let body = Array("Action=DescribeInstances&Version=2016-11-15".utf8)
        let response = try session().send(OutboundRequest(
            method: "POST", url: server.url("/"),
            headers: [HTTPField("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
                      HTTPField("X-Amz-Date", "20261122T100000Z")],
            body: body))

        #expect(response.status == 201)
        #expect(response.bodyText == "created")
        let request = try #require(try server.requests().first)
        #expect(request.method == "POST")
        #expect(request.body == "Action=DescribeInstances&Version=2016-11-15")
        #expect(request.bodyLength == body.count)
        #expect(request.headers["content-length"] == "\(body.count)")
        #expect(request.headers["content-type"] == "application/x-www-form-urlencoded; charset=utf-8")
        #expect(request.headers["x-amz-date"] == "20261122T100000Z")
    }

    @Test func putAndDeleteUseTheirMethods() throws {
        let server = try ScriptedHTTPServer()
        try server.script([.init(status: 200, body: "token-value"), .init(status: 204)])
        let client = session()
        let put = try client.send(OutboundRequest(
            method: "PUT", url: server.url("/latest/api/token"),
            headers: [HTTPField("x-aws-ec2-metadata-token-ttl-seconds", "21600")]))
        let delete = try client.send(OutboundRequest(method: "delete", url: server.url("/thing/1"), body: Array("{}".utf8)))

        #expect(put.bodyText == "token-value")
        #expect(delete.status == 204)
        let requests = try server.requests()
        #expect(requests.map(\.method) == ["PUT", "DELETE"])
        #expect(requests.map(\.path) == ["/latest/api/token", "/thing/1"])
        #expect(requests.first?.headers["x-aws-ec2-metadata-token-ttl-seconds"] == "21600")
        #expect(requests.first?.bodyLength == 0)
        #expect(requests.last?.body == "{}")
    }

    @Test func largeBinaryBodyArrivesIntact() throws {
        let server = try ScriptedHTTPServer()
        try server.script([.init(status: 200)])
        // Larger than curl's default 1 KiB `Expect: 100-continue` threshold.
        let text = String(repeating: "0123456789abcdef", count: 4096)
        _ = try session().send(OutboundRequest(method: "POST", url: server.url("/upload"), body: Array(text.utf8)))
        let request = try #require(try server.requests().first)
        #expect(request.bodyLength == text.utf8.count)
        #expect(request.body == text)
    }

    @Test func headRequestReturnsHeadersWithoutBody() throws {
        let server = try ScriptedHTTPServer()
        try server.script([.init(status: 200, headers: ["ETag": "\"v1\""], body: "ignored body")])
        let response = try session().send(OutboundRequest(method: "HEAD", url: server.url("/object")))
        #expect(response.status == 200)
        #expect(response.body.isEmpty)
        #expect(response.header("etag") == "\"v1\"")
        #expect(try server.requests().map(\.method) == ["HEAD"])
    }

    // MARK: What comes back

    @Test func gzipResponseIsDecoded() throws {
        let server = try ScriptedHTTPServer()
        let text = String(repeating: "<Datapoint>42.5</Datapoint>\n", count: 200)
        try server.script([.init(status: 200, body: text, gzip: true)])
        let response = try session().send(OutboundRequest(url: server.url("/compressed")))
        #expect(response.bodyText == text)
        #expect(response.header("content-encoding") == "gzip")
        let request = try #require(try server.requests().first)
        #expect(request.headers["accept-encoding"]?.contains("gzip") == true)
    }

    @Test func chunkedResponseIsJoined() throws {
        let server = try ScriptedHTTPServer()
        try server.script([.init(status: 200, bodySize: 50_000, chunked: true)])
        let response = try session().send(OutboundRequest(url: server.url("/chunked")))
        #expect(response.body.count == 50_000)
        #expect(response.body.allSatisfy { $0 == UInt8(ascii: "x") })
        #expect(response.header("content-length") == nil)
    }

    @Test func errorStatusesAreResponsesNotErrors() throws {
        let server = try ScriptedHTTPServer()
        try server.script([.init(status: 404, body: "<Error><Code>NotFound</Code></Error>"), .init(status: 500)])
        let client = session()
        let notFound = try client.send(OutboundRequest(url: server.url("/missing")))
        let broken = try client.send(OutboundRequest(url: server.url("/broken")))
        #expect(notFound.status == 404)
        #expect(!notFound.isSuccess)
        #expect(notFound.bodyText.contains("NotFound"))
        #expect(broken.status == 500)
    }

    @Test func oneSessionServesManySequentialRequests() throws {
        let server = try ScriptedHTTPServer()
        try server.script((0..<5).map { .init(status: 200, body: "answer \($0)") })
        let client = session()
        var bodies: [String] = []
        for index in 0..<5 {
            bodies.append(try client.send(OutboundRequest(url: server.url("/n/\(index)"))).bodyText)
        }
        #expect(bodies == (0..<5).map { "answer \($0)" })
        #expect(try server.requests().map(\.path) == (0..<5).map { "/n/\($0)" })
    }

    // MARK: Failures

    @Test func totalTimeoutIsReportedAsTimedOut() throws {
        let server = try ScriptedHTTPServer()
        try server.script([.init(status: 200, body: "too late", delay: 5)])
        let started = Date()
        let error = #expect(throws: OutboundError.self) {
            try session().send(OutboundRequest(url: server.url("/slow?X-Amz-Signature=secret-value"), timeout: 0.5))
        }
        #expect(error == .timedOut(host: server.authority))
        #expect(error?.isTransient == true)
        #expect(Date().timeIntervalSince(started) < 4)
        // Errors name the host only: never the path or a query that may hold a signature.
        let description = try #require(error).description
        #expect(description.contains(server.authority))
        #expect(!description.contains("secret-value"))
        #expect(!description.contains("/slow"))
    }

    @Test func refusedConnectionIsReportedAsConnectionFailed() throws {
        let closed = try ClosedLoopbackPort()
        let error = #expect(throws: OutboundError.self) {
            try session().send(OutboundRequest(url: "http://127.0.0.1:\(closed.port)/x?token=hidden", timeout: 5, connectTimeout: 2))
        }
        guard case .connectionFailed(let host, let reason)? = error else {
            Issue.record("expected connectionFailed, got \(String(describing: error))")
            return
        }
        #expect(host == "127.0.0.1:\(closed.port)")
        #expect(!reason.isEmpty)
        #expect(error?.isTransient == true)
        #expect(error?.description.contains("hidden") == false)
    }

    @Test(arguments: [false, true])
    func responseLargerThanTheLimitIsRejected(chunked: Bool) throws {
        let server = try ScriptedHTTPServer()
        try server.script([.init(status: 200, bodySize: 10_000, chunked: chunked)])
        let error = #expect(throws: OutboundError.self) {
            try session(maxResponseBytes: 4096).send(OutboundRequest(url: server.url("/big")))
        }
        #expect(error == .responseTooLarge(host: server.authority, limit: 4096))
        #expect(error?.isTransient == false)
    }

    @Test func responseExactlyAtTheLimitIsAccepted() throws {
        let server = try ScriptedHTTPServer()
        try server.script([.init(status: 200, bodySize: 4096), .init(status: 200, bodySize: 4096, chunked: true)])
        let client = session(maxResponseBytes: 4096)
        #expect(try client.send(OutboundRequest(url: server.url("/a"))).body.count == 4096)
        #expect(try client.send(OutboundRequest(url: server.url("/b"))).body.count == 4096)
    }

    @Test func sessionWorksAgainAfterAFailure() throws {
        let server = try ScriptedHTTPServer()
        try server.script([.init(status: 200, bodySize: 10_000), .init(status: 200, body: "fine")])
        let client = session(maxResponseBytes: 1000)
        #expect(throws: OutboundError.responseTooLarge(host: server.authority, limit: 1000)) {
            try client.send(OutboundRequest(url: server.url("/big")))
        }
        let response = try client.send(OutboundRequest(method: "POST", url: server.url("/after"), body: Array("b".utf8)))
        #expect(response.bodyText == "fine")
        #expect(try server.requests().last?.method == "POST")
    }

    @Test(arguments: ["ftp://127.0.0.1/file", "file:///etc/passwd", "127.0.0.1:80/no-scheme", ""])
    func nonHTTPURLsAreRejectedBeforeSending(url: String) {
        let error = #expect(throws: OutboundError.self) {
            try session().send(OutboundRequest(url: url))
        }
        guard case .invalidRequest? = error else {
            Issue.record("expected invalidRequest, got \(String(describing: error))")
            return
        }
        #expect(error?.isTransient == false)
    }

    @Test func hostNameDropsPortCredentialsAndPath() {
        #expect(CurlSession.hostName(of: "https://ec2.us-east-1.amazonaws.com/?Action=X") == "ec2.us-east-1.amazonaws.com")
        #expect(CurlSession.hostName(of: "http://user:pass@127.0.0.1:5000/path") == "127.0.0.1")
        #expect(CurlSession.hostName(of: "http://[::1]:8080/x") == "[::1]")
        #expect(CurlSession.hostName(of: "http://169.254.170.2/v2/credentials") == "169.254.170.2")
    }
}

/// A loopback port that refuses connections: bound (so no other test can take it) but never
/// listening.
final class ClosedLoopbackPort {
    let port: UInt16
    private let fd: Int32

    init() throws {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw RawHTTPClient.Failure(description: "socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(socketFD, pointer, length) == 0 && getsockname(socketFD, pointer, &length) == 0
            }
        }
        guard bound else {
            close(socketFD)
            throw RawHTTPClient.Failure(description: "bind: errno \(errno)")
        }
        fd = socketFD
        port = UInt16(bigEndian: address.sin_port)
    }

    deinit { close(fd) }
}
