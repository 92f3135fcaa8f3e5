import Foundation
import HTTPServer
import Synchronization
import TestSupport
import Testing

/// A handler that answers with what it was asked, optionally after a pause.
private final class EchoHandler: HTTPHandler {
    let delaySeconds: Double
    let calls = Atomic<Int>(0)

    init(delaySeconds: Double = 0) {
        self.delaySeconds = delaySeconds
    }

    func handle(_ request: borrowing HTTPRequest) -> HTTPResponse {
        calls.add(1, ordering: .relaxed)
        if delaySeconds > 0 { usleep(UInt32(delaySeconds * 1_000_000)) }
        let body = "\(request.method) \(request.path) accept=\(request.header("accept") ?? "-")"
        return HTTPResponse(status: 200, headers: [("Content-Type", "text/plain"), ("X-Test", "yes")], body: Array(body.utf8))
    }
}

private final class Box<T>: @unchecked Sendable { var value: T; init(_ value: T) { self.value = value } }

@Suite(.serialized) struct HTTPServerTests {
    private func startServer(_ handler: some HTTPHandler, limits: HTTPServerLimits = HTTPServerLimits(),
                             address: ListenAddress = ListenAddress(host: "127.0.0.1", port: 0)) throws -> HTTPServer {
        let server = HTTPServer(handler: handler, limits: limits)
        try server.start(addresses: [address])
        return server
    }

    @Test func servesHandlerResponsesWithHeadersAndQueryStripped() throws {
        let server = try startServer(EchoHandler())
        defer { server.stop() }
        let port = try #require(server.boundPorts.first)
        let response = try RawHTTPClient.request(port: port, path: "/metrics?collect[]=cpu", headers: ["Accept": "text/plain"])
        #expect(response.status == 200)
        #expect(response.text == "GET /metrics accept=text/plain")
        #expect(response.headers["x-test"] == "yes")
        #expect(response.headers["content-length"] == "\(response.body.count)")
    }

    @Test func headAnswersWithoutBody() throws {
        let server = try startServer(EchoHandler())
        defer { server.stop() }
        let response = try RawHTTPClient.request(port: server.boundPorts[0], method: "HEAD", path: "/")
        #expect(response.status == 200)
        #expect(response.body.isEmpty)
    }

    @Test func portInUseIsAClearError() throws {
        let first = try startServer(EchoHandler())
        defer { first.stop() }
        let second = HTTPServer(handler: EchoHandler())
        do {
            try second.start(addresses: [ListenAddress(host: "127.0.0.1", port: first.boundPorts[0])])
            Issue.record("a second server on the same port must fail")
            second.stop()
        } catch {
            #expect(error == .listen("127.0.0.1:\(first.boundPorts[0])", errno: EADDRINUSE))
            #expect(error.description.contains("address already in use"))
        }
    }

    @Test func failedStartClosesAddressesAlreadyOpened() throws {
        let blocker = try startServer(EchoHandler())
        defer { blocker.stop() }
        let server = HTTPServer(handler: EchoHandler())
        #expect(throws: HTTPServerError.self) {
            try server.start(addresses: [ListenAddress(host: "127.0.0.1", port: 0),
                                         ListenAddress(host: "127.0.0.1", port: blocker.boundPorts[0])])
        }
        #expect(server.boundPorts.isEmpty)
    }

    @Test func listensOnIPv6LoopbackWhenAvailable() throws {
        guard socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0) >= 0 else { return }
        let server: HTTPServer
        do {
            server = try startServer(EchoHandler(), address: ListenAddress(parsing: "[::1]:0"))
        } catch let error as HTTPServerError {
            // A host without an IPv6 loopback address cannot run this check.
            if case .listen(_, let code) = error, code == EADDRNOTAVAIL { return }
            throw error
        }
        defer { server.stop() }
        let response = try RawHTTPClient.request(port: server.boundPorts[0], path: "/x", ipv6: true)
        #expect(response.status == 200)
    }

    @Test func idleConnectionsAreClosedAfterTheTimeout() throws {
        let server = try startServer(EchoHandler(), limits: HTTPServerLimits(connectionTimeoutSeconds: 1))
        defer { server.stop() }
        let fd = try RawHTTPClient.connect(port: server.boundPorts[0])
        defer { close(fd) }
        let start = Date()
        // Send half a request, then nothing: the server must hang up on its own.
        try RawHTTPClient.send(fd, "GET / HTTP/1.1\r\n")
        let rest = try RawHTTPClient.readAll(fd)
        let waited = Date().timeIntervalSince(start)
        #expect(waited >= 0.9 && waited < 5, "closed after \(waited) s")
        #expect(rest.isEmpty || String(decoding: rest, as: UTF8.self).contains("HTTP/1.1"))
    }

    @Test func connectionLimitRefusesExtraClients() throws {
        let server = try startServer(EchoHandler(), limits: HTTPServerLimits(connectionTimeoutSeconds: 5, maximumConnections: 1))
        defer { server.stop() }
        let first = try RawHTTPClient.connect(port: server.boundPorts[0])
        defer { close(first) }
        try RawHTTPClient.send(first, "GET / HTTP/1.1\r\n")
        usleep(200_000)
        let second = try RawHTTPClient.connect(port: server.boundPorts[0])
        defer { close(second) }
        try RawHTTPClient.send(second, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        // Closed without an answer: an orderly close or a reset, never a response.
        let answer = (try? RawHTTPClient.readAll(second)) ?? []
        #expect(answer.isEmpty, "the connection over the limit must be closed without an answer")
    }

    @Test func stopLetsInFlightRequestsFinish() throws {
        let handler = EchoHandler(delaySeconds: 0.5)
        let server = try startServer(handler)
        let port = server.boundPorts[0]
        let result = Box<Result<RawHTTPClient.Response, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread {
            result.value = Result { try RawHTTPClient.request(port: port, path: "/slow") }
            done.signal()
        }.start()
        // Stop only once the request is inside the handler (however busy the machine is).
        for _ in 0..<500 where handler.calls.load(ordering: .relaxed) == 0 { usleep(10_000) }
        #expect(handler.calls.load(ordering: .relaxed) == 1)
        server.stop()
        done.wait()
        let response = try result.value?.get()
        #expect(response?.status == 200)
        #expect(response?.text == "GET /slow accept=-")
        #expect(throws: (any Error).self) { _ = try RawHTTPClient.request(port: port, path: "/after") }
    }

    @Test func concurrencyLimitAnswers503BeyondTheMaximum() throws {
        struct Limited: HTTPHandler {
            let limit = ConcurrencyLimit(maximum: 1)
            let inner = EchoHandler(delaySeconds: 1.0)
            func handle(_ request: borrowing HTTPRequest) -> HTTPResponse {
                limit.run { inner.handle(request) }
            }
        }
        let server = try startServer(Limited())
        defer { server.stop() }
        let port = server.boundPorts[0]
        let statuses = Mutex<[Int]>([])
        // Dedicated threads (not the shared Dispatch pool, which other suites keep busy), so the
        // three requests really overlap the handler's pause.
        let done = DispatchSemaphore(value: 0)
        for _ in 0..<3 {
            Thread {
                let status = (try? RawHTTPClient.request(port: port, path: "/metrics").status) ?? -1
                statuses.withLock { $0.append(status) }
                done.signal()
            }.start()
        }
        for _ in 0..<3 { done.wait() }
        let seen = statuses.withLock { $0.sorted() }
        #expect(seen.contains(200))
        #expect(seen.contains(503))
        #expect(!seen.contains(-1))
    }
}

@Suite struct ListenAddressTests {
    @Test func parsesTheForms() throws {
        #expect(try ListenAddress(parsing: ":10049") == ListenAddress(host: "", port: 10049))
        #expect(try ListenAddress(parsing: "127.0.0.1:9") == ListenAddress(host: "127.0.0.1", port: 9))
        #expect(try ListenAddress(parsing: "[::1]:10049") == ListenAddress(host: "::1", port: 10049))
        #expect(try ListenAddress(parsing: "localhost:80").description == "localhost:80")
        #expect(try ListenAddress(parsing: "[::1]:1").description == "[::1]:1")
    }

    @Test func rejectsMalformedAddresses() {
        for bad in ["10049", "host:", "host:99999", "::1:80", "[::1:80", "host:port"] {
            #expect(throws: HTTPServerError.self, "\(bad)") { try ListenAddress(parsing: bad) }
        }
    }
}
