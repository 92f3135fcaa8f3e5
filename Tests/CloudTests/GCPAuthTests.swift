import CloudHTTP
import Foundation
@testable import GCPCloud
import Synchronization
import Testing
import TestSupport

/// Service-account key files, the signed assertion, token caching, and both token sources
/// against `gcp_server.py` (which checks the JWT's signature with openssl).
@Suite struct GCPAuthTests {
    static func sender(attempts: Int = 1) -> RetryingSender {
        RetryingSender(session: CurlSession(userAgent: "test"), policy: RetryPolicy(maxAttempts: attempts, baseDelay: 0.01))
    }

    // MARK: key files

    @Test func parsesAServiceAccountKeyFile() throws {
        let key = try GCPTestKey.get()
        let parsed = try ServiceAccountKey.parse(Array(try key.serviceAccountJSON(tokenURI: "http://127.0.0.1:1/token").utf8))
        #expect(parsed.clientEmail == "exporter@test-project.iam.gserviceaccount.com")
        #expect(parsed.privateKeyId == "0123456789abcdef")
        #expect(parsed.projectId == "test-project")
        #expect(parsed.tokenURI == "http://127.0.0.1:1/token")
        #expect(parsed.privateKey.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        #expect(!"\(parsed)".contains("PRIVATE KEY"))
    }

    @Test func tokenURIDefaultsToGoogles() throws {
        let json = #"{"type":"service_account","client_email":"a@b","private_key":"-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n"}"#
        #expect(try ServiceAccountKey.parse(Array(json.utf8)).tokenURI == "https://oauth2.googleapis.com/token")
    }

    @Test(arguments: [
        ("[]", "not a JSON object"),
        ("{", "not a JSON object"),
        (#"{"type":"authorized_user","client_email":"a@b","private_key":"-----BEGIN"}"#, "not service_account"),
        (#"{"client_email":"a@b","private_key":"-----BEGIN"}"#, "no type"),
        (#"{"type":"service_account","private_key":"-----BEGIN"}"#, "no client_email"),
        (#"{"type":"service_account","client_email":"a@b"}"#, "no private_key"),
        (#"{"type":"service_account","client_email":"a@b","private_key":"c2VjcmV0LWtleS1ieXRlcw=="}"#, "not PEM"),
        (#"{"type":"service_account","client_email":7,"private_key":"-----BEGIN"}"#, "client_email is not a string"),
        (#"{"type":"service_account","client_email":"a@b","private_key":"-----BEGIN","token_uri":"file:///etc/passwd"}"#, "token_uri"),
    ])
    func badKeyFilesAreRejectedClearly(json: String, expected: String) {
        #expect {
            try ServiceAccountKey.parse(Array(json.utf8))
        } throws: { error in
            let text = "\(error)"
            return text.contains(expected) && !text.contains("c2VjcmV0")
        }
    }

    @Test func missingKeyFileNamesThePath() {
        #expect {
            try ServiceAccountKey.load(path: "/nonexistent/sa.json")
        } throws: { error in "\(error)".contains("/nonexistent/sa.json") }
    }

    // MARK: the assertion

    @Test func assertionCarriesTheDocumentedHeaderAndClaims() throws {
        let testKey = try GCPTestKey.get()
        let key = try ServiceAccountKey.parse(Array(try testKey.serviceAccountJSON(tokenURI: "https://oauth2.googleapis.com/token").utf8))
        let jwt = try JWTAssertion.make(key: key, scope: ServiceAccountTokenFetcher.monitoringReadScope, now: 1_700_000_000.75)
        let parts = jwt.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        try #require(parts.count == 3)
        #expect(parts.allSatisfy { !$0.contains("=") && !$0.contains("+") && !$0.contains("/") })
        let header = try #require(try JSONSerialization.jsonObject(with: Self.base64URLDecode(parts[0])) as? [String: Any])
        #expect(header["alg"] as? String == "RS256")
        #expect(header["typ"] as? String == "JWT")
        #expect(header["kid"] as? String == "0123456789abcdef")
        let claims = try #require(try JSONSerialization.jsonObject(with: Self.base64URLDecode(parts[1])) as? [String: Any])
        #expect(claims["iss"] as? String == "exporter@test-project.iam.gserviceaccount.com")
        #expect(claims["aud"] as? String == "https://oauth2.googleapis.com/token")
        #expect(claims["scope"] as? String == "https://www.googleapis.com/auth/monitoring.read")
        #expect(claims["iat"] as? Int == 1_700_000_000)
        #expect(claims["exp"] as? Int == 1_700_003_600)
        #expect(Self.base64URLDecode(parts[2]).count == 256)
    }

    @Test func unsignableKeyGivesAnErrorWithoutTheKey() throws {
        let key = ServiceAccountKey(clientEmail: "a@b", privateKey: "-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n-----END PRIVATE KEY-----\n")
        #expect {
            try JWTAssertion.make(key: key, scope: "s", now: 0)
        } throws: { error in
            let text = "\(error)"
            return text.contains("cannot sign") && !text.contains("c2VjcmV0")
        }
    }

    // MARK: caching

    final class CountingFetcher: GCPTokenFetcher {
        let source = "counting"
        let calls = Mutex(0)
        let lifetime: Double
        init(lifetime: Double = 3600) { self.lifetime = lifetime }

        func fetchToken(now: Double) throws(GCPAuthError) -> GCPAccessToken {
            let number = calls.withLock { $0 += 1; return $0 }
            return GCPAccessToken(value: "token-\(number)", expiresAt: now + lifetime)
        }
    }

    final class TestClock: Sendable {
        let time = Mutex(1_000_000.0)
        func advance(_ seconds: Double) { time.withLock { $0 += seconds } }
        var now: @Sendable () -> Double { { self.time.withLock { $0 } } }
    }

    @Test func tokensAreCachedUntilFiveMinutesBeforeExpiry() throws {
        let fetcher = CountingFetcher()
        let clock = TestClock()
        let source = CachedGCPToken(fetcher: fetcher, now: clock.now)
        #expect(try source.accessToken() == "token-1")
        clock.advance(3600 - 301)
        #expect(try source.accessToken() == "token-1")
        clock.advance(2)
        #expect(try source.accessToken() == "token-2")
        #expect(fetcher.calls.withLock { $0 } == 2)
    }

    @Test func invalidateForcesANewToken() throws {
        let fetcher = CountingFetcher()
        let source = CachedGCPToken(fetcher: fetcher, now: TestClock().now)
        #expect(try source.accessToken() == "token-1")
        source.invalidate()
        #expect(try source.accessToken() == "token-2")
    }

    @Test func shortLivedTokensAreNeverServedFromCache() throws {
        let fetcher = CountingFetcher(lifetime: 200)
        let source = CachedGCPToken(fetcher: fetcher, now: TestClock().now)
        #expect(try source.accessToken() == "token-1")
        #expect(try source.accessToken() == "token-2")
    }

    // MARK: token responses

    @Test(arguments: [
        (#"{"access_token":"ya29.x","expires_in":3599,"token_type":"Bearer"}"#, true),
        (#"{"access_token":"ya29.x","expires_in":"3599"}"#, true),
        (#"{"expires_in":3599}"#, false),
        (#"{"access_token":"ya29.x"}"#, false),
        (#"{"access_token":"ya29.x","expires_in":0}"#, false),
        (#"{"access_token":"ya29.x","expires_in":3599,"token_type":"MAC"}"#, false),
        ("<html>", false),
    ])
    func tokenResponsesAreCheckedAndErrorsHideTheToken(body: String, valid: Bool) {
        do {
            let token = try TokenResponse.token(from: Array(body.utf8), now: 100, source: "test")
            #expect(valid)
            #expect(token.value == "ya29.x")
            #expect(token.expiresAt == 3699)
            #expect(!"\(token)".contains("ya29"))
        } catch {
            #expect(!valid)
            #expect(!"\(error)".contains("ya29"))
        }
    }

    // MARK: against gcp_server.py

    @Test func serviceAccountTokenFromTheLocalServer() throws {
        let server = try startGCPServer()
        let path = try GCPTestKey.get().writeServiceAccountFile(tokenURI: server.endpoint + "/token")
        let source = try GCPTokenSources.standard(keyFile: path, environment: [:], sender: Self.sender())
        let token = try source.accessToken()
        #expect(token.hasPrefix("ya29."))
        #expect(try source.accessToken() == token)
        let stats = try gcpStats(server)
        #expect(stats["tokenRequests"] as? Int == 1)
        let request = try #require(stats["lastTokenRequest"] as? [String: Any])
        #expect(request["contentType"] as? String == "application/x-www-form-urlencoded")
        #expect(request["grant_type"] as? String == "urn:ietf:params:oauth:grant-type:jwt-bearer")
        let header = try #require(request["jwtHeader"] as? [String: Any])
        #expect(header["kid"] as? String == "0123456789abcdef")
    }

    @Test func keyFileFromGoogleApplicationCredentials() throws {
        let server = try startGCPServer()
        let path = try GCPTestKey.get().writeServiceAccountFile(tokenURI: server.endpoint + "/token")
        let source = try GCPTokenSources.standard(keyFile: nil, environment: ["GOOGLE_APPLICATION_CREDENTIALS": path],
                                                  sender: Self.sender())
        #expect(try source.accessToken().hasPrefix("ya29."))
    }

    @Test func rejectedAssertionGivesTheOAuthErrorWithoutSecrets() throws {
        let server = try PythonServer("gcp_server.py", ["--public-key", try GCPTestKey.get().publicKeyPath,
                                                        "--client-email", "someone-else@example.com"],
                                      readyPath: "/_control/stats")
        let path = try GCPTestKey.get().writeServiceAccountFile(tokenURI: server.endpoint + "/token")
        let source = try GCPTokenSources.standard(keyFile: path, environment: [:], sender: Self.sender())
        let error = try #require(throws: GCPAuthError.self) { try source.accessToken() }
        let text = "\(error)"
        #expect(text.contains("HTTP 400 invalid_grant"))
        #expect(!text.contains("eyJ"))
        #expect(!text.contains("PRIVATE KEY"))
    }

    @Test func tamperedSignatureIsRejectedByTheServer() throws {
        // The server's verifier must be able to say no: sign with the right key, then change the claims.
        let server = try startGCPServer()
        let key = try ServiceAccountKey.parse(Array(try GCPTestKey.get().serviceAccountJSON(tokenURI: server.endpoint + "/token").utf8))
        let jwt = try JWTAssertion.make(key: key, scope: "s", now: Date().timeIntervalSince1970)
        let parts = jwt.split(separator: ".").map(String.init)
        let forgedClaims = base64URL(#"{"iss":"evil@example.com","scope":"s","aud":"\#(key.tokenURI)","iat":\#(Int(Date().timeIntervalSince1970)),"exp":\#(Int(Date().timeIntervalSince1970) + 600)}"#)
        let form = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=\(parts[0]).\(forgedClaims).\(parts[2])"
        let response = try RawHTTPClient.request(port: server.port, method: "POST", path: "/token",
                                                 headers: ["Content-Type": "application/x-www-form-urlencoded"], body: form)
        #expect(response.status == 400)
        #expect(response.text.contains("Invalid JWT Signature"))
    }

    @Test func expiredAssertionIsRejectedByTheServer() throws {
        let server = try startGCPServer()
        let key = try ServiceAccountKey.parse(Array(try GCPTestKey.get().serviceAccountJSON(tokenURI: server.endpoint + "/token").utf8))
        let fetcher = ServiceAccountTokenFetcher(key: key, sender: Self.sender())
        // Signed two hours ago: exp has passed.
        #expect {
            try fetcher.fetchToken(now: Date().timeIntervalSince1970 - 7200)
        } throws: { error in "\(error)".contains("invalid_grant") }
        #expect(try fetcher.fetchToken(now: Date().timeIntervalSince1970).value.hasPrefix("ya29."))
    }

    @Test func metadataServerTokenSendsTheFlavorHeader() throws {
        let server = try startGCPServer()
        let source = try GCPTokenSources.standard(keyFile: nil, environment: ["GCE_METADATA_HOST": "127.0.0.1:\(server.port)"],
                                                  sender: Self.sender())
        #expect(try source.accessToken().hasPrefix("ya29."))
        #expect(try gcpStats(server)["metadataRequests"] as? Int == 1)
        // Without the header the server refuses, as the real one does.
        let bare = try RawHTTPClient.request(port: server.port, path: MetadataServerTokenFetcher.tokenPath)
        #expect(bare.status == 403)
    }

    @Test func metadataServerErrorsAreClear() throws {
        let server = try startGCPServer()
        try server.control("POST", "/_control/fault", json: #"{"mode": "500", "count": 5, "target": "metadata"}"#)
        let fetcher = MetadataServerTokenFetcher(environment: ["GCE_METADATA_HOST": "http://127.0.0.1:\(server.port)/"],
                                                 sender: Self.sender(attempts: 2))
        #expect(fetcher.baseURL == "http://127.0.0.1:\(server.port)")
        #expect {
            try fetcher.fetchToken(now: 0)
        } throws: { error in "\(error)".contains("metadata server answered HTTP 500") }
        #expect(try gcpStats(server)["metadataRequests"] as? Int == 2)
    }

    @Test func metadataHostDefaultsToGoogleInternal() {
        let fetcher = MetadataServerTokenFetcher(environment: [:], sender: Self.sender())
        #expect(fetcher.baseURL == "http://metadata.google.internal")
    }

    @Test func unreachableMetadataServerIsATransportError() throws {
        let port = freeLoopbackPort()
        let fetcher = MetadataServerTokenFetcher(environment: ["GCE_METADATA_HOST": "127.0.0.1:\(port)"], sender: Self.sender())
        #expect {
            try fetcher.fetchToken(now: 0)
        } throws: { error in "\(error)".contains("metadata-server") && "\(error)".contains("127.0.0.1") }
    }

    static func base64URLDecode(_ text: String) -> Data {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.count % 4 != 0 { standard += "=" }
        return Data(base64Encoded: standard) ?? Data()
    }

    private func base64URL(_ text: String) -> String {
        Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
