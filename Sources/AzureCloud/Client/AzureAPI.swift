import CloudCache
import CloudHTTP
import Foundation

/// Sends one Azure call with a bearer token, retrying throttling (honouring `Retry-After`) and
/// server errors, renewing the token once after a 401, and counting every attempt in the
/// self metrics. The final success is counted once the body has been decoded, so a 200 with
/// unusable JSON counts as `malformed_response`.
struct AzureAPI: Sendable {
    let sender: RetryingSender
    let tokens: AzureTokenProvider
    let timeout: Double

    struct Answer<Value> {
        var value: Value
        var headers: [HTTPField]
    }

    func call<Value>(api: String, method: String = "GET", url: String, body: [UInt8] = [], scope: String,
                     stats: CloudStats, decode: ([UInt8]) throws -> Value) throws(AzureCallError) -> Answer<Value> {
        var renewed = false
        while true {
            let token: String
            do { token = try tokens.token(scope: scope, stats: stats) } catch { throw .auth(error) }
            var headers = [HTTPField("Authorization", "Bearer \(token)"), HTTPField("Accept", "application/json")]
            if !body.isEmpty { headers.append(HTTPField("Content-Type", "application/json")) }
            let request = OutboundRequest(method: method, url: url, headers: headers, body: body,
                                          timeout: timeout, connectTimeout: min(timeout, 5))
            var finalSuccess = false
            let result = sender.send({ request }, observe: { attempt in
                if attempt.outcome == "success" && !attempt.willRetry {
                    finalSuccess = true
                } else {
                    stats.recordRequest(provider: AzureCloud.provider, api: api, outcome: attempt.outcome, willRetry: attempt.willRetry)
                }
            })
            let response: OutboundResponse
            switch result {
            case .failure(let error): throw .transport(api: api, error)
            case .success(let answer): response = answer
            }
            if response.status == 401 && !renewed {
                // An expired or revoked token: fetch a new one and try once more.
                renewed = true
                tokens.invalidate()
                continue
            }
            guard response.isSuccess, finalSuccess else {
                throw .status(api: api, status: response.status, detail: Self.errorDetail(response.body))
            }
            do {
                let value = try decode(response.body)
                stats.recordRequest(provider: AzureCloud.provider, api: api, outcome: "success", willRetry: false)
                return Answer(value: value, headers: response.headers)
            } catch {
                stats.recordRequest(provider: AzureCloud.provider, api: api, outcome: "malformed_response", willRetry: false)
                throw .malformed(api: api, reason: Self.describe(error, body: response.body))
            }
        }
    }

    /// Azure's `{"error": {"code": "...", "message": "..."}}`, shortened to one line.
    static func errorDetail(_ body: [UInt8]) -> String {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any],
              let error = object["error"] as? [String: Any] else { return "" }
        let code = (error["code"] as? String).map { String($0.prefix(80)) } ?? ""
        let message = (error["message"] as? String).map { String($0.prefix(200)) } ?? ""
        let text = [code, message].filter { !$0.isEmpty }.joined(separator: ": ")
        return String(text.map { $0.isNewline ? " " : $0 })
    }

    private static func describe(_ error: any Error, body: [UInt8]) -> String {
        if body.isEmpty { return "the body is empty" }
        if let shape = error as? ResponseShapeError { return shape.reason }
        return "the body is not the expected JSON"
    }
}

/// A decoded body that lacks what the API reference promises.
struct ResponseShapeError: Error {
    var reason: String
}
