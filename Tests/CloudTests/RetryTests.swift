@testable import CloudHTTP
import Synchronization
import Testing

/// Collects values from closures that must be `@Sendable`.
final class Recorder<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])

    func append(_ value: Value) { values.withLock { $0.append(value) } }
    var all: [Value] { values.withLock { $0 } }
}

/// Backoff arithmetic, the standard verdicts, and `RetryingSender` against a scripted server
/// with an injected sleep that records the waits instead of taking them.
@Suite struct RetryTests {
    // MARK: RetryPolicy

    @Test func backoffCeilingDoublesUpToTheMaximum() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: 0.25, maxDelay: 2)
        let ranges = Recorder<ClosedRange<Double>>()
        let delays = (1...7).map { attempt in
            policy.delay(afterAttempt: attempt, retryAfter: nil) { range in
                ranges.append(range)
                return range.upperBound
            }
        }
        #expect(delays == [0.25, 0.5, 1, 2, 2, 2, 2])
        // Full jitter: every wait is drawn from zero up to the ceiling.
        #expect(ranges.all.allSatisfy { $0.lowerBound == 0 })
    }

    @Test func jitterCanChooseNoWaitAtAll() {
        let policy = RetryPolicy(maxAttempts: 4, baseDelay: 1, maxDelay: 10)
        #expect(policy.delay(afterAttempt: 3, retryAfter: nil) { $0.lowerBound } == 0)
    }

    @Test func realJitterStaysWithinTheCeiling() {
        let policy = RetryPolicy(maxAttempts: 4, baseDelay: 0.5, maxDelay: 3)
        for attempt in 1...6 {
            let ceiling = min(3, 0.5 * Double(1 << (attempt - 1)))
            for _ in 0..<50 {
                let delay = policy.delay(afterAttempt: attempt, retryAfter: nil)
                #expect(delay >= 0 && delay <= ceiling)
            }
        }
    }

    @Test func retryAfterIsHonouredUpToTheMaximum() {
        let policy = RetryPolicy(maxAttempts: 4, baseDelay: 0.1, maxDelay: 20)
        #expect(policy.delay(afterAttempt: 1, retryAfter: 7) { $0.upperBound } == 7)
        #expect(policy.delay(afterAttempt: 1, retryAfter: 600) { $0.upperBound } == 20)
        // A Retry-After shorter than the drawn jitter does not shorten the wait.
        #expect(policy.delay(afterAttempt: 5, retryAfter: 0.5) { $0.upperBound } == 1.6)
        // Zero, negative or non-finite values fall back to plain backoff.
        #expect(policy.delay(afterAttempt: 1, retryAfter: 0) { $0.upperBound } == 0.1)
        #expect(policy.delay(afterAttempt: 1, retryAfter: -3) { $0.upperBound } == 0.1)
        #expect(policy.delay(afterAttempt: 1, retryAfter: .infinity) { $0.upperBound } == 0.1)
        #expect(policy.delay(afterAttempt: 1, retryAfter: .nan) { $0.upperBound } == 0.1)
    }

    @Test func hugeAttemptNumbersDoNotOverflow() {
        let policy = RetryPolicy(maxAttempts: 4, baseDelay: 0.25, maxDelay: 20)
        #expect(policy.delay(afterAttempt: 10_000, retryAfter: nil) { $0.upperBound } == 20)
        #expect(policy.delay(afterAttempt: Int.max, retryAfter: nil) { $0.upperBound } == 20)
        #expect(policy.delay(afterAttempt: 0, retryAfter: nil) { $0.upperBound } == 0.25)
    }

    @Test func policyClampsNonsense() {
        let policy = RetryPolicy(maxAttempts: 0, baseDelay: -1, maxDelay: -5)
        #expect(policy.maxAttempts == 1)
        #expect(policy.baseDelay == 0)
        #expect(policy.maxDelay == 0)
        #expect(policy.delay(afterAttempt: 3, retryAfter: nil) { $0.upperBound } == 0)
    }

    // MARK: AttemptVerdict.standard

    private static func response(_ status: Int, retryAfter: String? = nil) -> Result<OutboundResponse, OutboundError> {
        .success(OutboundResponse(status: status, headers: retryAfter.map { [HTTPField("retry-after", $0)] } ?? []))
    }

    @Test func standardVerdicts() {
        #expect(AttemptVerdict.standard(Self.response(200)) == .done)
        #expect(AttemptVerdict.standard(Self.response(204)) == .done)
        #expect(AttemptVerdict.standard(Self.response(400)) == .done)
        #expect(AttemptVerdict.standard(Self.response(403)) == .done)
        #expect(AttemptVerdict.standard(Self.response(404)) == .done)
        #expect(AttemptVerdict.standard(Self.response(501)) == .done)
        #expect(AttemptVerdict.standard(Self.response(429)) == .retry(.throttled, retryAfter: nil))
        #expect(AttemptVerdict.standard(Self.response(429, retryAfter: "3")) == .retry(.throttled, retryAfter: 3))
        for status in [500, 502, 503, 504] {
            #expect(AttemptVerdict.standard(Self.response(status)) == .retry(.serverError, retryAfter: nil))
        }
        #expect(AttemptVerdict.standard(Self.response(503, retryAfter: "12")) == .retry(.serverError, retryAfter: 12))
        #expect(AttemptVerdict.standard(.failure(.timedOut(host: "h"))) == .retry(.transport, retryAfter: nil))
        #expect(AttemptVerdict.standard(.failure(.connectionFailed(host: "h", reason: "refused")))
                == .retry(.transport, retryAfter: nil))
        #expect(AttemptVerdict.standard(.failure(.responseTooLarge(host: "h", limit: 1))) == .done)
        #expect(AttemptVerdict.standard(.failure(.invalidRequest("bad"))) == .done)
    }

    @Test(arguments: [
        ("5", 5.0), (" 5 ", 5.0), ("0", 0.0), ("1.5", 1.5),
        ("Wed, 21 Oct 2015 07:28:00 GMT", nil), ("-1", nil), ("soon", nil), ("", nil), ("inf", nil), ("nan", nil),
    ] as [(String, Double?)])
    func retryAfterParsing(text: String, expected: Double?) {
        let response = OutboundResponse(status: 429, headers: [HTTPField("retry-after", text)])
        #expect(AttemptVerdict.retryAfterSeconds(response) == expected)
    }

    // MARK: RetryingSender

    private static func sender(_ server: ScriptedHTTPServer, maxAttempts: Int = 4, maxDelay: Double = 20,
                               sleeps: Recorder<Double>) -> RetryingSender {
        RetryingSender(session: CurlSession(userAgent: "nimbus-tests"),
                       policy: RetryPolicy(maxAttempts: maxAttempts, baseDelay: 0.01, maxDelay: maxDelay),
                       sleep: { sleeps.append($0) })
    }

    @Test func retriesServerErrorsThenSucceeds() throws {
        let server = try ScriptedHTTPServer()
        try server.script([.init(status: 503), .init(status: 502), .init(status: 200, body: "ok")])
        let sleeps = Recorder<Double>()
        var records: [AttemptRecord] = []
        var builds = 0
        let result = Self.sender(server, sleeps: sleeps).send({ () -> OutboundRequest in
            builds += 1
            return OutboundRequest(url: server.url("/api"), headers: [HTTPField("X-Attempt", "\(builds)")])
        }, observe: { records.append($0) })

        let response = try result.get()
        #expect(response.status == 200)
        #expect(response.bodyText == "ok")
        #expect(builds == 3)
        // The request is rebuilt for each attempt (fresh signatures and tokens).
        #expect(try server.requests().map { $0.headers["x-attempt"] } == ["1", "2", "3"])
        #expect(records == [
            AttemptRecord(outcome: "server_error", willRetry: true),
            AttemptRecord(outcome: "server_error", willRetry: true),
            AttemptRecord(outcome: "success", willRetry: false),
        ])
        #expect(sleeps.all.count == 2)
        #expect(sleeps.all.allSatisfy { $0 >= 0 && $0 <= 0.02 })
    }

    @Test func honoursRetryAfter() throws {
        let server = try ScriptedHTTPServer()
        try server.script([.init(status: 429, headers: ["Retry-After": "7"]), .init(status: 200, body: "ok")])
        let sleeps = Recorder<Double>()
        var records: [AttemptRecord] = []
        let result = Self.sender(server, sleeps: sleeps).send({ OutboundRequest(url: server.url("/throttled")) },
                                                             observe: { records.append($0) })
        #expect(try result.get().bodyText == "ok")
        #expect(sleeps.all == [7])
        #expect(records.map(\.outcome) == ["throttled", "success"])
    }

    @Test func retryAfterIsCappedByMaxDelay() throws {
        let server = try ScriptedHTTPServer()
        try server.script([.init(status: 503, headers: ["Retry-After": "3600"]), .init(status: 200)])
        let sleeps = Recorder<Double>()
        let result = Self.sender(server, maxDelay: 2, sleeps: sleeps).send { OutboundRequest(url: server.url("/x")) }
        #expect(try result.get().status == 200)
        #expect(sleeps.all == [2])
    }

    @Test func stopsAfterMaxAttemptsWithTheLastResponse() throws {
        let server = try ScriptedHTTPServer()
        try server.script([
            .init(status: 503, body: "one"), .init(status: 503, body: "two"), .init(status: 503, body: "three"),
            .init(status: 200, body: "never reached"),
        ])
        let sleeps = Recorder<Double>()
        var records: [AttemptRecord] = []
        let result = Self.sender(server, maxAttempts: 3, sleeps: sleeps).send(
            { OutboundRequest(url: server.url("/down")) }, observe: { records.append($0) })

        let response = try result.get()
        #expect(response.status == 503)
        #expect(response.bodyText == "three")
        #expect(try server.requests().count == 3)
        #expect(sleeps.all.count == 2)
        #expect(records.map(\.willRetry) == [true, true, false])
        #expect(records.allSatisfy { $0.outcome == "server_error" })
    }

    @Test func doesNotRetryClientErrors() throws {
        let server = try ScriptedHTTPServer()
        try server.script([.init(status: 400, body: "<Error><Code>ValidationError</Code></Error>"), .init(status: 200)])
        let sleeps = Recorder<Double>()
        var records: [AttemptRecord] = []
        let result = Self.sender(server, sleeps: sleeps).send({ OutboundRequest(url: server.url("/bad")) },
                                                             observe: { records.append($0) })
        #expect(try result.get().status == 400)
        #expect(try server.requests().count == 1)
        #expect(sleeps.all.isEmpty)
        #expect(records == [AttemptRecord(outcome: "client_error", willRetry: false)])
    }

    @Test func retriesTransportErrorsAndReturnsTheLastOne() throws {
        let closed = try ClosedLoopbackPort()
        let sleeps = Recorder<Double>()
        var records: [AttemptRecord] = []
        let sender = RetryingSender(session: CurlSession(userAgent: "nimbus-tests"),
                                    policy: RetryPolicy(maxAttempts: 3, baseDelay: 0.01, maxDelay: 1),
                                    sleep: { sleeps.append($0) })
        let result = sender.send({ OutboundRequest(url: "http://127.0.0.1:\(closed.port)/", connectTimeout: 2) },
                                 observe: { records.append($0) })
        guard case .failure(.connectionFailed) = result else {
            Issue.record("expected a connection failure, got \(result)")
            return
        }
        #expect(records == [
            AttemptRecord(outcome: "transport_error", willRetry: true),
            AttemptRecord(outcome: "transport_error", willRetry: true),
            AttemptRecord(outcome: "transport_error", willRetry: false),
        ])
        #expect(sleeps.all.count == 2)
    }

    @Test func customVerdictDecidesWhatIsRetried() throws {
        let server = try ScriptedHTTPServer()
        // An API that reports throttling as 400 with an error code in the body.
        try server.script([.init(status: 400, body: "<Code>Throttling</Code>"), .init(status: 200, body: "ok")])
        let sleeps = Recorder<Double>()
        var records: [AttemptRecord] = []
        let result = Self.sender(server, sleeps: sleeps).send(
            { OutboundRequest(url: server.url("/query")) },
            verdict: { result in
                if case .success(let response) = result, response.bodyText.contains("Throttling") {
                    return .retry(.throttled, retryAfter: nil)
                }
                return AttemptVerdict.standard(result)
            },
            observe: { records.append($0) })
        #expect(try result.get().bodyText == "ok")
        #expect(records.map(\.outcome) == ["throttled", "success"])
    }

    private struct BuildFailure: Error, Equatable {}

    @Test func aFailingBuildStopsWithoutSending() throws {
        let server = try ScriptedHTTPServer()
        try server.script([.init(status: 503), .init(status: 200)])
        let sleeps = Recorder<Double>()
        var builds = 0
        #expect(throws: BuildFailure()) {
            _ = try Self.sender(server, sleeps: sleeps).send { () throws(BuildFailure) -> OutboundRequest in
                builds += 1
                if builds == 2 { throw BuildFailure() }
                return OutboundRequest(url: server.url("/signed"))
            }
        }
        #expect(builds == 2)
        #expect(try server.requests().count == 1)
        #expect(sleeps.all.count == 1)
    }
}
