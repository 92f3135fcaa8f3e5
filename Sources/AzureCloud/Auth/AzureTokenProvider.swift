import CloudCache
import CloudHTTP
import Foundation
import Synchronization

/// Microsoft Entra ID tokens from the v2 endpoint `{login}/{tenant}/oauth2/v2.0/token`, one per
/// scope, each kept until five minutes before it expires. Client credentials send the client
/// secret; workload identity sends the federated service-account token as a JWT-bearer client
/// assertion. Either is read afresh for every token request.
public final class AzureTokenProvider: Sendable {
    public static let assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

    private struct Token {
        var value: String
        var expiresAt: Double
    }

    private let tenantId: String
    private let clientId: String
    private let credential: AzureJobConfig.Credential
    private let tokenURL: String
    private let sender: RetryingSender
    private let environment: [String: String]
    private let timeout: Double
    private let refreshMargin: Double
    private let now: @Sendable () -> Double
    private let cache = Mutex<[String: Token]>([:])

    public init(tenantId: String, clientId: String, credential: AzureJobConfig.Credential, login: String,
                sender: RetryingSender, environment: [String: String], timeout: Double = 30, refreshMargin: Double = 300,
                now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.tenantId = tenantId
        self.clientId = clientId
        self.credential = credential
        self.tokenURL = "\(login)/\(tenantId)/oauth2/v2.0/token"
        self.sender = sender
        self.environment = environment
        self.timeout = timeout
        self.refreshMargin = refreshMargin
        self.now = now
    }

    public convenience init(job: AzureJobConfig, sender: RetryingSender, environment: [String: String]) {
        self.init(tenantId: job.tenantId, clientId: job.clientId, credential: job.credential, login: job.endpoints.login,
                  sender: sender, environment: environment, timeout: job.timeout)
    }

    /// A token for `scope` (`https://management.azure.com/.default`); `stats` counts the calls.
    public func token(scope: String, stats: CloudStats? = nil) throws(AzureAuthError) -> String {
        let time = now()
        if let cached = cache.withLock({ $0[scope] }), cached.expiresAt - time > refreshMargin { return cached.value }
        let fresh = try fetch(scope: scope, now: time, stats: stats)
        cache.withLock { $0[scope] = fresh }
        return fresh.value
    }

    /// Forgets every cached token (after a 401, say).
    public func invalidate() {
        cache.withLock { $0.removeAll() }
    }

    private func fetch(scope: String, now: Double, stats: CloudStats?) throws(AzureAuthError) -> Token {
        let secret = try SecretReader.clientSecret(credential, environment: environment)
        var form = [("grant_type", "client_credentials"), ("client_id", clientId), ("scope", scope)]
        if case .workloadIdentity = credential {
            form += [("client_assertion_type", Self.assertionType), ("client_assertion", secret)]
        } else {
            form.append(("client_secret", secret))
        }
        let request = OutboundRequest(
            method: "POST", url: tokenURL,
            headers: [HTTPField("Content-Type", "application/x-www-form-urlencoded"), HTTPField("Accept", "application/json")],
            body: Array(QueryEncoding.form(form).utf8), timeout: timeout, connectTimeout: min(timeout, 5))
        let result = sender.send({ request }, observe: { attempt in
            stats?.recordRequest(provider: AzureCloud.provider, api: "token", outcome: attempt.outcome, willRetry: attempt.willRetry)
        })
        let response: OutboundResponse
        switch result {
        case .failure(let error): throw AzureAuthError("tenant \(tenantId): \(error)")
        case .success(let answer): response = answer
        }
        guard response.isSuccess else {
            throw AzureAuthError("tenant \(tenantId): \(Self.errorSummary(status: response.status, body: response.body))")
        }
        return try Self.token(from: response.body, now: now, tenant: tenantId)
    }

    private static func token(from body: [UInt8], now: Double, tenant: String) throws(AzureAuthError) -> Token {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
            throw AzureAuthError("tenant \(tenant): the token response is not a JSON object")
        }
        guard let value = object["access_token"] as? String, !value.isEmpty else {
            throw AzureAuthError("tenant \(tenant): the token response has no access_token")
        }
        guard value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw AzureAuthError("tenant \(tenant): the access_token holds characters not allowed in a header")
        }
        let expiresIn: Double
        switch object["expires_in"] {
        case let number as NSNumber: expiresIn = number.doubleValue
        // Entra's v1 endpoint and some proxies send it as a string.
        case let text as String: expiresIn = Double(text) ?? -1
        default: throw AzureAuthError("tenant \(tenant): the token response has no expires_in")
        }
        guard expiresIn.isFinite, expiresIn > 0 else { throw AzureAuthError("tenant \(tenant): the token response has an invalid expires_in") }
        return Token(value: value, expiresAt: now + expiresIn)
    }

    /// `error` and the first line of `error_description` (`AADSTS7000215: Invalid client secret
    /// provided.`); Entra puts no secret in either.
    static func errorSummary(status: Int, body: [UInt8]) -> String {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else { return "HTTP \(status)" }
        var text = "HTTP \(status)"
        if let code = object["error"] as? String { text += " \(code.prefix(60))" }
        if let detail = object["error_description"] as? String,
           let line = detail.split(whereSeparator: \.isNewline).first, !line.isEmpty {
            text += ": \(line.prefix(200))"
        }
        return text
    }
}
