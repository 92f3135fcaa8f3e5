import AWSCloud
import CloudHTTP
import Foundation
import Testing
import TestSupport

/// Each credential source against a real peer: moto's STS and instance metadata, moto with
/// signature checking for AssumeRole, and the scripted server where the test must see exactly
/// what was sent (token files re-read, IMDSv2 token headers, container authorization).
@Suite struct CredentialSourcesLiveTests {
    static func client() -> AWSClient {
        AWSClient(sender: RetryingSender(session: CurlSession(userAgent: "test"), policy: RetryPolicy(maxAttempts: 1)))
    }

    static func temporaryFile(_ contents: String) throws -> String {
        let path = NSTemporaryDirectory() + "nimbus-cred-\(UUID().uuidString)"
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let now = Date().timeIntervalSince1970

    @Test func webIdentityGetsTemporaryCredentialsFromMotoSTS() throws {
        let moto = try MotoServer(signatureChecking: false)
        let tokenFile = try Self.temporaryFile("eyJhbGciOiJSUzI1NiJ9.payload.signature\n")
        defer { try? FileManager.default.removeItem(atPath: tokenFile) }
        let environment = [
            "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/irsa",
            "AWS_ENDPOINT_URL_STS": moto.endpoint, "AWS_REGION": "us-east-1", "HOME": "/nonexistent",
            "AWS_EC2_METADATA_DISABLED": "true",
        ]
        // Through the whole chain: nothing else is configured, so web identity answers.
        let chain = CredentialChain.standard(environment: environment, client: Self.client(),
                                             metadataSession: CurlSession(userAgent: "test"))
        let credentials = try #require(try chain.resolve(now: Self.now))
        #expect(credentials.accessKeyId.hasPrefix("ASIA"))
        #expect(credentials.sessionToken?.isEmpty == false)
        #expect((credentials.expiration ?? 0) > Self.now + 600)
    }

    @Test func webIdentityRereadsTheTokenFileAtEveryRefresh() throws {
        let sts = try ScriptedHTTPServer()
        let answer = String(decoding: try Data(contentsOf: URL(fileURLWithPath:
            TestPaths.fixture("aws/responses/moto-assume-role-with-web-identity.xml"))), as: UTF8.self)
        try sts.script([.init(body: answer), .init(body: answer)])
        let tokenFile = try Self.temporaryFile("first-token")
        defer { try? FileManager.default.removeItem(atPath: tokenFile) }
        let environment = ["AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/irsa",
                           "AWS_ENDPOINT_URL_STS": sts.baseURL, "HOME": "/nonexistent"]
        let provider = WebIdentityCredentials(environment: environment, files: SharedConfigFiles(environment: environment),
                                              client: Self.client())
        _ = try provider.resolve(now: Self.now)
        try "second-token".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        _ = try provider.resolve(now: Self.now)
        let bodies = try sts.requests().map(\.body)
        #expect(bodies.count == 2)
        #expect(bodies.first?.contains("WebIdentityToken=first-token") == true)
        #expect(bodies.last?.contains("WebIdentityToken=second-token") == true)
        #expect(bodies.allSatisfy { $0.contains("Action=AssumeRoleWithWebIdentity") })
        // The call is unsigned: the token is the proof of identity.
        #expect(try sts.requests().allSatisfy { $0.headers["authorization"] == nil })
    }

    @Test func instanceMetadataV2AgainstMoto() throws {
        let moto = try MotoServer(signatureChecking: false)
        let provider = InstanceMetadataCredentials(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": moto.endpoint],
                                                   session: CurlSession(userAgent: "test"))
        let credentials = try #require(try provider.resolve(now: Self.now))
        #expect(credentials.accessKeyId == "test-key")
        #expect(credentials.sessionToken == "test-session-token")
        #expect((credentials.expiration ?? 0) > Self.now)
    }

    @Test func instanceMetadataAsksForASessionTokenFirstAndSendsIt() throws {
        let imds = try ScriptedHTTPServer()
        try imds.script([
            .init(body: "session-token-123"),
            .init(body: "reader-role\n"),
            .init(body: #"{"Code": "Success", "AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "s3cr3t", "Token": "tok", "Expiration": "2099-01-01T00:00:00Z"}"#),
        ])
        let provider = InstanceMetadataCredentials(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": imds.baseURL],
                                                   session: CurlSession(userAgent: "test"))
        let credentials = try #require(try provider.resolve(now: Self.now))
        #expect(credentials.accessKeyId == "ASIAEXAMPLE")
        let requests = try imds.requests()
        #expect(requests.map(\.method) == ["PUT", "GET", "GET"])
        #expect(requests.map(\.path) == ["/latest/api/token", "/latest/meta-data/iam/security-credentials/",
                                         "/latest/meta-data/iam/security-credentials/reader-role"])
        #expect(requests[0].headers["x-aws-ec2-metadata-token-ttl-seconds"] == "21600")
        #expect(requests.dropFirst().allSatisfy { $0.headers["x-aws-ec2-metadata-token"] == "session-token-123" })
    }

    @Test func instanceMetadataOffEC2IsNotConfigured() throws {
        // A closed loopback port stands for "nothing answers at 169.254.169.254".
        let provider = InstanceMetadataCredentials(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:\(freeLoopbackPort())"],
                                                   session: CurlSession(userAgent: "test"))
        #expect(try provider.resolve(now: Self.now) == nil)
        let disabled = InstanceMetadataCredentials(environment: ["AWS_EC2_METADATA_DISABLED": "true"], session: CurlSession(userAgent: "test"))
        #expect(try disabled.resolve(now: Self.now) == nil)
    }

    @Test func containerCredentialsSendTheAuthorizationTokenFromItsFile() throws {
        let endpoint = try ScriptedHTTPServer()
        try endpoint.script([.init(body: #"{"AccessKeyId": "ASIACONTAINER", "SecretAccessKey": "s", "Token": "t", "Expiration": "2099-01-01T00:00:00Z"}"#)])
        let tokenFile = try Self.temporaryFile("pod-identity-token\n")
        defer { try? FileManager.default.removeItem(atPath: tokenFile) }
        let provider = ContainerCredentials(environment: [
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": endpoint.url("/v1/credentials"),
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile,
        ], session: CurlSession(userAgent: "test"))
        let credentials = try #require(try provider.resolve(now: Self.now))
        #expect(credentials.accessKeyId == "ASIACONTAINER")
        let request = try #require(try endpoint.requests().first)
        #expect(request.path == "/v1/credentials")
        #expect(request.headers["authorization"] == "pod-identity-token")
    }

    @Test func assumeRoleSignedWithBaseCredentialsUnderSignatureChecking() throws {
        let moto = try MotoServer(signatureChecking: true)
        let seeded = try moto.seed()
        let base = CachedCredentials(provider: EnvironmentCredentials(environment: [
            "AWS_ACCESS_KEY_ID": seeded.access_key_id, "AWS_SECRET_ACCESS_KEY": seeded.secret_access_key,
        ]))
        let endpoints = AWSEndpoints(environment: ["AWS_ENDPOINT_URL": moto.endpoint])
        let role = CachedCredentials(provider: AssumeRoleCredentials(
            roleArn: seeded.role_arn, externalId: nil, region: "us-east-1", endpoints: endpoints, base: base, client: Self.client()))
        let assumed = try role.current()
        #expect(assumed.accessKeyId != seeded.access_key_id)
        #expect(assumed.sessionToken != nil)
        // The assumed role's credentials (with their session token) pass moto's signature check.
        let call = AWSCall(service: .ec2, region: "us-east-1", endpoint: endpoints.url(for: .ec2, region: "us-east-1"),
                           api: "DescribeInstances",
                           encoding: .query(action: "DescribeInstances", version: "2016-11-15", parameters: []))
        let body = try Self.client().send(call, credentials: role, stats: nil)
        let page = try DescribeInstancesPage.decode(body)
        #expect(page.instances.count == seeded.instances.count)

        // A wrong secret is refused by moto and reported without the secret.
        let wrong = CachedCredentials(provider: EnvironmentCredentials(environment: [
            "AWS_ACCESS_KEY_ID": seeded.access_key_id, "AWS_SECRET_ACCESS_KEY": "not-the-secret-key",
        ]))
        #expect {
            _ = try Self.client().send(call, credentials: wrong, stats: nil)
        } throws: { error in
            "\(error)".contains("AuthFailure") && !"\(error)".contains("not-the-secret-key")
        }
    }
}
