import CloudCache
import CloudHTTP
import Exposition
import Foundation

/// One configured REST target: at each refresh, read the bearer token, fetch the JSON document
/// (retrying throttling and server errors) and read the configured metrics out of it. A failure
/// throws, so the cache keeps serving the last good values.
public final class RESTJob: CloudJob {
    public let config: RESTTargetConfig
    public var name: String { config.name }
    public var provider: String { RESTCloud.provider }
    public var interval: Double { config.interval }
    public let fingerprint: String

    private let sender: RetryingSender
    private let environment: [String: String]

    /// `sender` should have a session of its own (see `CurlSession`); `environment` is where
    /// `bearer_token_env` is looked up.
    public init(config: RESTTargetConfig, sender: RetryingSender, environment: [String: String]) {
        self.config = config
        self.sender = sender
        self.environment = environment
        self.fingerprint = RESTFingerprint.of(config)
    }

    public func refresh(_ context: RefreshContext) throws -> [MetricFamily] {
        var token: String?
        if let source = config.token {
            do throws(BearerToken.TokenProblem) {
                token = try BearerToken.read(source, environment: environment)
            } catch {
                throw RESTJobError.token(target: name, reason: error.reason)
            }
        }
        let request = makeRequest(token: token)
        let stats = context.stats
        let api = name
        func record(_ outcome: String, willRetry: Bool = false) {
            stats.recordRequest(provider: RESTCloud.provider, api: api, outcome: outcome, willRetry: willRetry)
        }
        // The final successful attempt is counted once its body has been read: a 200 whose body
        // is unusable counts as `malformed_response`, not as a success.
        var finalSuccess = false
        let result = sender.send({ request }, observe: { attempt in
            if attempt.outcome == "success" && !attempt.willRetry {
                finalSuccess = true
            } else {
                record(attempt.outcome, willRetry: attempt.willRetry)
            }
        })
        let response: OutboundResponse
        switch result {
        case .failure(let error):
            throw RESTJobError.transport(target: name, error)
        case .success(let answer) where !answer.isSuccess || !finalSuccess:
            throw RESTJobError.status(target: name, status: answer.status, excerpt: Self.excerpt(answer.body, hiding: token))
        case .success(let answer):
            response = answer
        }

        let extraction: RESTExtractor.Result
        do {
            let document = try JSONDecoder().decode(JSONValue.self, from: Data(response.body))
            extraction = try RESTExtractor(target: name, metrics: config.metrics).extract(from: document)
        } catch let error as RESTExtractor.NothingFound {
            record("malformed_response")
            throw RESTJobError.malformed(target: name, reason: "metric \(error.metric): \(error.path) found nothing in the document")
        } catch {
            record("malformed_response")
            let kind = response.body.isEmpty ? "the body is empty" : "the body is not JSON"
            throw RESTJobError.malformed(target: name, reason: kind)
        }
        record("success")
        if !extraction.skipped.isEmpty {
            context.logger.debug("REST target skipped values", metadata: [
                "job": "\(name)", "skipped": "\(extraction.skipped.values.reduce(0, +))",
            ])
        }
        return extraction.families + [skippedFamily(extraction.skipped)]
    }

    private func makeRequest(token: String?) -> OutboundRequest {
        var headers = config.headers.map { HTTPField($0.name, $0.value) }
        func has(_ name: String) -> Bool { headers.contains { $0.name.lowercased() == name } }
        if !has("accept") { headers.append(HTTPField("Accept", "application/json")) }
        var body: [UInt8] = []
        if config.method == .post, let text = config.body {
            body = Array(text.utf8)
            if !has("content-type") { headers.append(HTTPField("Content-Type", "application/json")) }
        }
        if let token { headers.append(HTTPField("Authorization", "Bearer \(token)")) }
        return OutboundRequest(method: config.method.rawValue, url: config.url, headers: headers, body: body,
                               timeout: config.timeout, connectTimeout: min(config.timeout, 5))
    }

    private func skippedFamily(_ skipped: [RESTExtractor.SkipKey: Int]) -> MetricFamily {
        var family = MetricFamily(
            name: "nimbus_rest_skipped_values", type: .gauge,
            help: "Series the last refresh of a REST target skipped because a value was null, missing or not a number (cached)")
        for (key, count) in skipped {
            family.add(Double(count), ["target": name, "metric": key.metric, "reason": key.reason.rawValue])
        }
        return family
    }

    /// The start of an error body for the message, on one line, with the token cut out in case
    /// the server echoes the request.
    static func excerpt(_ body: [UInt8], hiding token: String?) -> String {
        var text = String(decoding: body.prefix(4096), as: UTF8.self)
        if let token, !token.isEmpty { text = text.replacingOccurrences(of: token, with: "[redacted]") }
        let flat = String(text.map { $0.isNewline || ($0.asciiValue.map { $0 < 0x20 } ?? false) ? " " : $0 })
        let trimmed = flat.trimmingCharacters(in: .whitespaces)
        return trimmed.count > 200 ? String(trimmed.prefix(200)) + "…" : trimmed
    }
}

/// What makes a persisted cache belong to this configuration, hashed so that a URL query or a
/// body carrying a secret is not written to disk with the cache. Headers and the token source
/// do not change what the families mean, so they are left out.
enum RESTFingerprint {
    static func of(_ config: RESTTargetConfig) -> String {
        let text = "\(config.method.rawValue) \(config.url)\n\(config.body ?? "")\n\(config.metrics)"
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return "rest-" + String(hash, radix: 16)
    }
}
