import CloudCache
import CloudHTTP
import Foundation

/// Sends AWS API calls: builds the body, signs every attempt afresh with current credentials,
/// retries throttling and transient failures with backoff, and counts every attempt in the
/// self metrics. Blocking; used from a cloud job's own thread.
public final class AWSClient: Sendable {
    public let sender: RetryingSender

    public init(sender: RetryingSender) {
        self.sender = sender
    }

    /// The response body of a successful call.
    public func send(_ call: AWSCall, credentials: (any CredentialSource)?, stats: CloudStats?) throws(AWSCallError) -> [UInt8] {
        let payload = call.body
        let url = call.endpoint + "/"
        let signer = SigV4Signer(service: call.service.signingName, region: call.region)
        func build() throws(AWSCallError) -> OutboundRequest {
            var headers: [(name: String, value: String)] = [("Content-Type", payload.contentType)]
            headers.append(contentsOf: payload.extraHeaders)
            if call.signed, let credentials {
                let current: AWSCredentials
                do throws(CredentialError) { current = try credentials.current() } catch { throw .credentials(error) }
                do throws(SigV4Error) {
                    headers = try signer.sign(method: "POST", url: url, headers: headers, body: payload.bytes,
                                              credentials: current, date: SigningDate(unixSeconds: Date().timeIntervalSince1970))
                } catch {
                    throw .signing(api: call.api, "\(error)")
                }
            }
            return OutboundRequest(method: "POST", url: url, headers: headers.map { HTTPField($0.name, $0.value) },
                                   body: payload.bytes, timeout: call.timeout)
        }
        let api = call.api
        let result = try sender.send(build, verdict: Self.verdict, observe: { (record: AttemptRecord) in
            stats?.recordRequest(provider: "aws", api: api, outcome: record.outcome, willRetry: record.willRetry)
        })
        switch result {
        case .failure(let error):
            throw .transport(api: call.api, error)
        case .success(let response) where response.isSuccess:
            return response.body
        case .success(let response):
            let decoded = decodeAWSError(body: response.body, contentType: response.header("content-type"))
            let code = Self.errorCode(decoded, response)
            let error = AWSCallError.service(api: call.api, status: response.status, code: code,
                                             message: Self.shortened(decoded?.message ?? ""))
            if error.isCredentialProblem { credentials?.invalidate() }
            throw error
        }
    }

    private static func errorCode(_ decoded: AWSErrorBody?, _ response: OutboundResponse) -> String {
        if let code = decoded?.code, !code.isEmpty { return code }
        if let header = response.header("x-amzn-errortype") {
            return String(header.prefix { $0 != ":" })
        }
        return "HTTP\(response.status)"
    }

    /// AWS's rules for another try: throttling by error code whatever the status, then the
    /// plain HTTP ones (429, 5xx, transient transport errors).
    static func verdict(_ result: Result<OutboundResponse, OutboundError>) -> AttemptVerdict {
        if case .success(let response) = result, !response.isSuccess,
           let error = decodeAWSError(body: response.body, contentType: response.header("content-type")) {
            if error.isThrottling {
                return .retry(.throttled, retryAfter: AttemptVerdict.retryAfterSeconds(response))
            }
            if ["InternalError", "InternalFailure", "ServiceUnavailable", "RequestTimeout", "RequestTimeoutException"].contains(error.code) {
                return .retry(.serverError, retryAfter: AttemptVerdict.retryAfterSeconds(response))
            }
        }
        return AttemptVerdict.standard(result)
    }

    /// Service messages can echo request details; keep them short in logs.
    private static func shortened(_ message: String) -> String {
        message.count > 300 ? String(message.prefix(300)) + "…" : message
    }
}
