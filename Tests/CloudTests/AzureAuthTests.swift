import CloudCache
import CloudHTTP
import Foundation
import Synchronization
import Testing
import TestSupport
@testable import AzureCloud

/// Entra ID tokens against `azure_server.py`: client credentials, workload identity with the
/// federated token file re-read, caching until five minutes before expiry, and errors that
/// carry no secret.
@Suite struct AzureAuthTests {
    private static func provider(_ server: PythonServer, _ credential: AzureJobConfig.Credential,
                                 environment: [String: String] = [:], clock: TestClock? = nil) -> AzureTokenProvider {
        let now: @Sendable () -> Double
        if let clock { now = { clock.now } } else { now = { Date().timeIntervalSince1970 } }
        return AzureTokenProvider(tenantId: AzureTestSupport.tenant, clientId: AzureTestSupport.clientId, credential: credential,
                                  login: server.endpoint, sender: AzureTestSupport.sender(), environment: environment,
                                  timeout: 10, now: now)
    }

    @Test func clientCredentialsFromAFileGetAManagementToken() throws {
        let server = try AzureTestSupport.startServer()
        let directory = try CacheScratchDirectory()
        let tokens = Self.provider(server, .clientSecretFile(try AzureTestSupport.secretFile(directory)))
        let stats = CloudStats()
        let token = try tokens.token(scope: AzureJobConfig.Scopes().management, stats: stats)
        #expect(token.hasPrefix("eyJ0eXAi."))
        let grants = try #require(try AzureTestSupport.stats(server)["tokenGrants"] as? [[String: Any]])
        try #require(grants.count == 1)
        #expect(grants[0]["grant_type"] as? String == "client_credentials")
        #expect(grants[0]["scope"] as? String == "https://management.azure.com/.default")
        #expect(grants[0]["client_id"] as? String == AzureTestSupport.clientId)
        #expect(grants[0]["tenant"] as? String == AzureTestSupport.tenant)
        #expect(grants[0]["content_type"] as? String == "application/x-www-form-urlencoded")
        #expect(grants[0]["client_assertion_type"] is NSNull)
        #expect(stats.requests(provider: "azure", api: "token", outcome: "success") == 1)
    }

    @Test func clientSecretFromTheEnvironment() throws {
        let server = try AzureTestSupport.startServer()
        let tokens = Self.provider(server, .clientSecretEnvironment("AZ_SECRET"), environment: ["AZ_SECRET": AzureTestSupport.secret])
        #expect(!(try tokens.token(scope: AzureJobConfig.Scopes().management)).isEmpty)
    }

    @Test func tokensAreCachedPerScopeUntilFiveMinutesBeforeExpiry() throws {
        let server = try AzureTestSupport.startServer()
        let clock = TestClock(1_700_000_000)
        let tokens = Self.provider(server, .clientSecretEnvironment("S"), environment: ["S": AzureTestSupport.secret], clock: clock)
        let scopes = AzureJobConfig.Scopes()
        let first = try tokens.token(scope: scopes.management)
        #expect(try tokens.token(scope: scopes.management) == first)
        let metrics = try tokens.token(scope: scopes.metrics)
        #expect(metrics != first)
        #expect(try AzureTestSupport.stats(server)["tokenRequests"] as? Int == 2)
        // expires_in is 3599: at 3298 s more than 300 s remain, at 3300 s they do not.
        clock.advance(3298)
        #expect(try tokens.token(scope: scopes.management) == first)
        clock.advance(2)
        let renewed = try tokens.token(scope: scopes.management)
        #expect(renewed != first)
        #expect(try AzureTestSupport.stats(server)["tokenRequests"] as? Int == 3)
    }

    @Test func workloadIdentityReadsTheFederatedTokenFileEveryTime() throws {
        let server = try AzureTestSupport.startServer()
        let directory = try CacheScratchDirectory()
        try directory.write(AzureTestSupport.federated + "\n", to: "azure-identity-token")
        let tokens = Self.provider(server, .workloadIdentity(tokenFile: directory.file("azure-identity-token")))
        let scope = AzureJobConfig.Scopes().management
        _ = try tokens.token(scope: scope)
        let grants = try #require(try AzureTestSupport.stats(server)["tokenGrants"] as? [[String: Any]])
        #expect(grants.last?["client_assertion_type"] as? String == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")

        // Kubernetes rotates the projected token; the next request must send the new one.
        try server.control("POST", "/_control/identity", json: #"{"federatedToken": "eyJ.federated-2.sig"}"#)
        try directory.write("eyJ.federated-2.sig", to: "azure-identity-token")
        tokens.invalidate()
        _ = try tokens.token(scope: scope)
        #expect(try AzureTestSupport.stats(server)["tokensIssued"] as? Int == 2)
    }

    @Test func aRejectedSecretIsAnErrorThatDoesNotCarryIt() throws {
        let server = try AzureTestSupport.startServer()
        let wrong = "definitely-wrong-secret-123"
        let tokens = Self.provider(server, .clientSecretEnvironment("S"), environment: ["S": wrong])
        #expect {
            _ = try tokens.token(scope: AzureJobConfig.Scopes().management)
        } throws: { error in
            let text = "\(error)"
            return text.contains("AADSTS7000215") && text.contains("invalid_client") && !text.contains(wrong)
        }
    }

    @Test func aMissingSecretFileIsNamed() throws {
        let server = try AzureTestSupport.startServer()
        let tokens = Self.provider(server, .clientSecretFile("/nonexistent/azure-secret"))
        #expect(throws: AzureAuthError("cannot read client_secret_file /nonexistent/azure-secret")) {
            _ = try tokens.token(scope: AzureJobConfig.Scopes().management)
        }
        #expect(try AzureTestSupport.stats(server)["tokenRequests"] as? Int == 0)
    }

    @Test func aMalformedTokenResponseThrows() throws {
        let server = try AzureTestSupport.startServer()
        try server.control("POST", "/_control/fault", json: #"{"mode": "malformed", "count": 1, "target": "token"}"#)
        let tokens = Self.provider(server, .clientSecretEnvironment("S"), environment: ["S": AzureTestSupport.secret])
        #expect(throws: AzureAuthError("tenant \(AzureTestSupport.tenant): the token response is not a JSON object")) {
            _ = try tokens.token(scope: AzureJobConfig.Scopes().management)
        }
    }
}

/// A settable clock for token expiry.
final class TestClock: Sendable {
    private let seconds: Mutex<Double>
    init(_ start: Double) { seconds = Mutex(start) }
    var now: Double { seconds.withLock { $0 } }
    func advance(_ by: Double) { seconds.withLock { $0 += by } }
}
