import Glibc

/// How many times to try an exchange and how long to wait between tries: exponential backoff
/// with full jitter (a random wait up to the doubled ceiling), so many exporters throttled at
/// once do not come back in step. A server's `Retry-After` is honoured up to `maxDelay`.
public struct RetryPolicy: Sendable, Equatable {
    public var maxAttempts: Int
    public var baseDelay: Double
    public var maxDelay: Double

    public init(maxAttempts: Int = 4, baseDelay: Double = 0.25, maxDelay: Double = 20) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = max(0, baseDelay)
        self.maxDelay = max(0, maxDelay)
    }

    /// Seconds to wait after failed attempt number `attempt` (1-based).
    public func delay(afterAttempt attempt: Int, retryAfter: Double?,
                      random: (ClosedRange<Double>) -> Double = { Double.random(in: $0) }) -> Double {
        let exponent = Double(min(max(attempt - 1, 0), 30))
        let ceiling = min(maxDelay, baseDelay * pow2(exponent))
        let jittered = random(0...max(ceiling, 0))
        guard let retryAfter, retryAfter.isFinite, retryAfter > 0 else { return jittered }
        return min(maxDelay, max(retryAfter, jittered))
    }

    private func pow2(_ exponent: Double) -> Double {
        var value = 1.0
        for _ in 0..<Int(exponent) { value *= 2 }
        return value
    }
}

/// What one attempt's result means for the next step.
public enum AttemptVerdict: Sendable, Equatable {
    /// A final answer, good or bad: hand it to the caller.
    case done
    /// Worth another try, possibly after the server's stated delay.
    case retry(RetryReason, retryAfter: Double?)
}

public enum RetryReason: String, Sendable, Equatable {
    case throttled
    case serverError = "server_error"
    case transport = "transport_error"
}

/// One attempt, as the self metrics count it.
public struct AttemptRecord: Sendable, Equatable {
    /// `success`, `throttled`, `server_error`, `client_error` or `transport_error`.
    public var outcome: String
    /// Another attempt follows this one.
    public var willRetry: Bool
}

extension AttemptVerdict {
    /// The verdict for plain HTTP: 429 is throttling, 500/502/503/504 and transient transport
    /// errors are worth retrying, anything else is final.
    public static func standard(_ result: Result<OutboundResponse, OutboundError>) -> AttemptVerdict {
        switch result {
        case .failure(let error):
            return error.isTransient ? .retry(.transport, retryAfter: nil) : .done
        case .success(let response):
            switch response.status {
            case 429: return .retry(.throttled, retryAfter: retryAfterSeconds(response))
            case 500, 502, 503, 504: return .retry(.serverError, retryAfter: retryAfterSeconds(response))
            default: return .done
            }
        }
    }

    /// `Retry-After` in delta-seconds form; the HTTP-date form is rare from APIs and ignored.
    public static func retryAfterSeconds(_ response: OutboundResponse) -> Double? {
        guard let text = response.header("retry-after"), let seconds = Double(text.trimmingWhitespace()),
              seconds.isFinite, seconds >= 0 else { return nil }
        return seconds
    }
}

/// Sends through a session, retrying as `policy` and the caller's verdict say. The request is
/// rebuilt for every attempt so signatures and tokens are fresh.
public struct RetryingSender: Sendable {
    public let session: CurlSession
    public let policy: RetryPolicy
    private let sleep: @Sendable (Double) -> Void

    public init(session: CurlSession, policy: RetryPolicy = RetryPolicy(),
                sleep: @escaping @Sendable (Double) -> Void = RetryingSender.sleepBlocking) {
        self.session = session
        self.policy = policy
        self.sleep = sleep
    }

    /// The last attempt's result: a response (possibly an error status) or a transport error.
    public func send<Failure: Error>(
        _ build: () throws(Failure) -> OutboundRequest,
        verdict: (Result<OutboundResponse, OutboundError>) -> AttemptVerdict = AttemptVerdict.standard,
        observe: (AttemptRecord) -> Void = { _ in }
    ) throws(Failure) -> Result<OutboundResponse, OutboundError> {
        var attempt = 0
        while true {
            attempt += 1
            let request = try build()
            let result: Result<OutboundResponse, OutboundError>
            do { result = .success(try session.send(request)) } catch { result = .failure(error) }
            let judged = verdict(result)
            let last = attempt >= policy.maxAttempts
            switch judged {
            case .done:
                observe(AttemptRecord(outcome: Self.outcome(of: result, verdict: judged), willRetry: false))
                return result
            case .retry(_, let retryAfter):
                observe(AttemptRecord(outcome: Self.outcome(of: result, verdict: judged), willRetry: !last))
                if last { return result }
                sleep(policy.delay(afterAttempt: attempt, retryAfter: retryAfter))
            }
        }
    }

    static func outcome(of result: Result<OutboundResponse, OutboundError>, verdict: AttemptVerdict) -> String {
        if case .retry(let reason, _) = verdict { return reason.rawValue }
        switch result {
        case .failure: return RetryReason.transport.rawValue
        case .success(let response):
            if response.isSuccess { return "success" }
            if response.status == 429 { return RetryReason.throttled.rawValue }
            return response.status >= 500 ? RetryReason.serverError.rawValue : "client_error"
        }
    }

    public static let sleepBlocking: @Sendable (Double) -> Void = { seconds in
        guard seconds > 0 else { return }
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 { request = remaining }
    }
}
