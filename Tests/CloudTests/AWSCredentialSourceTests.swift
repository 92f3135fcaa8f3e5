@testable import AWSCloud
import Foundation
import Synchronization
import Testing

/// The credential sources that need no network: environment variables, the shared files with
/// profiles, the refresh-before-expiry cache, and which container endpoints are trusted.
@Suite struct AWSCredentialSourceTests {
    private static let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    private static let token = "IQoJb3JpZ2luX2VjEXAMPLETOKEN"

    private static func resolveError(_ provider: some CredentialProvider) -> CredentialError? {
        do {
            let credentials = try provider.resolve(now: 0)
            Issue.record("expected an error, resolved \(String(describing: credentials))")
            return nil
        } catch {
            return error
        }
    }

    // MARK: Environment

    @Test func environmentWithoutKeysIsNotConfigured() throws {
        #expect(try EnvironmentCredentials(environment: [:]).resolve(now: 0) == nil)
        #expect(try EnvironmentCredentials(environment: ["AWS_ACCESS_KEY_ID": "", "AWS_REGION": "x"]).resolve(now: 0) == nil)
    }

    @Test func environmentKeysWithSessionToken() throws {
        let credentials = try #require(try EnvironmentCredentials(environment: [
            "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": Self.secret, "AWS_SESSION_TOKEN": Self.token,
            "AWS_CREDENTIAL_EXPIRATION": "2026-11-22T10:01:00Z",
        ]).resolve(now: 0))
        #expect(credentials == AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: Self.secret,
                                              sessionToken: Self.token, expiration: 1_795_341_660))
    }

    @Test func olderSecurityTokenNameAndEmptyTokens() throws {
        let older = try EnvironmentCredentials(environment: [
            "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": Self.secret, "AWS_SECURITY_TOKEN": Self.token,
        ]).resolve(now: 0)
        #expect(older?.sessionToken == Self.token)
        let empty = try EnvironmentCredentials(environment: [
            "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": Self.secret, "AWS_SESSION_TOKEN": "",
        ]).resolve(now: 0)
        #expect(empty?.sessionToken == nil)
        #expect(empty?.expiration == nil)
    }

    @Test func partialEnvironmentIsAnErrorWithoutTheSecret() {
        let secretOnly = Self.resolveError(EnvironmentCredentials(environment: ["AWS_SECRET_ACCESS_KEY": Self.secret]))
        #expect(secretOnly?.source == "environment")
        #expect(secretOnly?.message.contains("AWS_ACCESS_KEY_ID is not") == true)
        #expect(secretOnly?.description.contains(Self.secret) == false)

        let keyOnly = Self.resolveError(EnvironmentCredentials(environment: [
            "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SESSION_TOKEN": Self.token,
        ]))
        #expect(keyOnly?.message.contains("AWS_SECRET_ACCESS_KEY is not") == true)
        #expect(keyOnly?.description.contains(Self.token) == false)
    }

    @Test func badExpirationIsAnError() {
        let error = Self.resolveError(EnvironmentCredentials(environment: [
            "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": Self.secret, "AWS_CREDENTIAL_EXPIRATION": "tomorrow",
        ]))
        #expect(error?.message.contains("AWS_CREDENTIAL_EXPIRATION") == true)
        #expect(error?.description.contains(Self.secret) == false)
    }

    @Test func credentialsNeverPrintTheirSecrets() {
        let credentials = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: Self.secret,
                                         sessionToken: Self.token, expiration: 5)
        var dumped = ""
        dump(credentials, to: &dumped)
        for text in ["\(credentials)", String(describing: credentials), String(reflecting: credentials), dumped] {
            #expect(text.contains("AKIDEXAMPLE"))
            #expect(!text.contains(Self.secret))
            #expect(!text.contains(Self.token))
        }
    }

    // MARK: Shared files

    /// Runs `body` with shared files written to a scratch directory (nil: the file is absent).
    private static func withFiles(credentials: String?, config: String?, environment: [String: String] = [:],
                                  profile: String? = nil, _ body: (SharedConfigFiles) throws -> Void) throws {
        let directory = try CacheScratchDirectory()
        if let credentials { try directory.write(credentials, to: "credentials") }
        if let config { try directory.write(config, to: "config") }
        var environment = environment
        environment["AWS_SHARED_CREDENTIALS_FILE"] = directory.file("credentials")
        environment["AWS_CONFIG_FILE"] = directory.file("config")
        try withExtendedLifetime(directory) {
            try body(SharedConfigFiles(environment: environment, profile: profile))
        }
    }

    private static let credentialsFile = """
        # Written by aws configure.
        [default]
        aws_access_key_id = AKIDDEFAULT
        aws_secret_access_key = default-secret

        [ops]
        aws_access_key_id=AKIDOPS
        aws_secret_access_key=ops-secret
        aws_session_token = ops-token
        ; a comment in the middle
        [half]
        aws_access_key_id = AKIDHALF
        """

    private static let configFile = """
        [default]
        region = us-east-1
        [profile reader]
        region = eu-west-1
        aws_access_key_id = AKIDREADER
        aws_secret_access_key = reader-secret
        s3 =
          max_concurrent_requests = 10
        [ops]
        aws_access_key_id = AKIDWRONGSECTION
        aws_secret_access_key = wrong
        [profile web]
        role_arn = arn:aws:iam::123456789012:role/web
        web_identity_token_file = /var/run/token
        """

    @Test func defaultProfileComesFromTheCredentialsFile() throws {
        try Self.withFiles(credentials: Self.credentialsFile, config: Self.configFile) { files in
            #expect(files.profile == "default")
            let credentials = try SharedFileCredentials(files: files).resolve(now: 0)
            #expect(credentials == AWSCredentials(accessKeyId: "AKIDDEFAULT", secretAccessKey: "default-secret"))
            #expect(files.configSection()?["region"] == "us-east-1")
        }
    }

    @Test func awsProfileSelectsASectionOfTheCredentialsFile() throws {
        try Self.withFiles(credentials: Self.credentialsFile, config: Self.configFile,
                           environment: ["AWS_PROFILE": "ops", "AWS_DEFAULT_PROFILE": "reader"]) { files in
            #expect(files.profile == "ops")
            let credentials = try SharedFileCredentials(files: files).resolve(now: 0)
            #expect(credentials == AWSCredentials(accessKeyId: "AKIDOPS", secretAccessKey: "ops-secret", sessionToken: "ops-token"))
            // In the config file a named profile is `[profile ops]`; a bare `[ops]` there is not it.
            #expect(files.configSection() == nil)
        }
    }

    @Test func profileInTheConfigFileIsWrittenWithItsPrefix() throws {
        try Self.withFiles(credentials: Self.credentialsFile, config: Self.configFile,
                           environment: ["AWS_DEFAULT_PROFILE": "reader"]) { files in
            #expect(files.profile == "reader")
            let credentials = try SharedFileCredentials(files: files).resolve(now: 0)
            #expect(credentials == AWSCredentials(accessKeyId: "AKIDREADER", secretAccessKey: "reader-secret"))
            let section = try #require(files.configSection())
            #expect(section["region"] == "eu-west-1")
            // Indented lines belong to a nested setting, not to the profile.
            #expect(section["max_concurrent_requests"] == nil)
        }
    }

    @Test func explicitProfileWinsOverTheEnvironment() throws {
        try Self.withFiles(credentials: Self.credentialsFile, config: Self.configFile,
                           environment: ["AWS_PROFILE": "ops"], profile: "web") { files in
            #expect(files.profile == "web")
            // No keys for it anywhere: not configured here (web identity may still use the profile).
            let credentials = try SharedFileCredentials(files: files).resolve(now: 0)
            #expect(credentials == nil)
            #expect(files.configSection()?["role_arn"] == "arn:aws:iam::123456789012:role/web")
        }
    }

    @Test func profileWithOnlyOneKeyIsAnErrorWithoutTheKey() throws {
        let leaky = Self.credentialsFile + "\n[leaky]\naws_secret_access_key = \(Self.secret)\n"
        try Self.withFiles(credentials: leaky, config: nil, profile: "leaky") { files in
            let error = Self.resolveError(SharedFileCredentials(files: files))
            #expect(error?.source == "shared-file")
            #expect(error?.message.contains("'leaky'") == true)
            #expect(error?.description.contains(Self.secret) == false)
        }
        try Self.withFiles(credentials: Self.credentialsFile, config: nil, profile: "half") { halfFiles in
            #expect(Self.resolveError(SharedFileCredentials(files: halfFiles))?.message.contains("only one of") == true)
        }
    }

    @Test func missingFilesAreNotConfigured() throws {
        try Self.withFiles(credentials: nil, config: nil) { files in
            let credentials = try SharedFileCredentials(files: files).resolve(now: 0)
            #expect(credentials == nil)
            #expect(files.configSection() == nil)
        }
    }

    @Test func defaultPathsAreUnderHome() throws {
        let files = SharedConfigFiles(environment: ["HOME": "/home/exporter"])
        #expect(files.credentialsFile == "/home/exporter/.aws/credentials")
        #expect(files.configFile == "/home/exporter/.aws/config")
        let custom = SharedConfigFiles(environment: ["HOME": "/home/exporter", "AWS_CONFIG_FILE": "~/elsewhere/config"])
        #expect(custom.configFile == "/home/exporter/elsewhere/config")
    }

    @Test func windowsLineEndingsAndSpacedHeaders() throws {
        let crlf = "[ default ]\r\naws_access_key_id = AKIDCRLF\r\naws_secret_access_key = crlf-secret\r\n"
        try Self.withFiles(credentials: crlf, config: nil) { files in
            let credentials = try SharedFileCredentials(files: files).resolve(now: 0)
            #expect(credentials == AWSCredentials(accessKeyId: "AKIDCRLF", secretAccessKey: "crlf-secret"))
        }
        try Self.withFiles(credentials: nil, config: "[profile   spaced]\r\nregion = ap-south-1\r\n",
                           profile: "spaced") { spaced in
            #expect(spaced.configSection()?["region"] == "ap-south-1")
        }
    }

    // MARK: Refresh before expiry

    /// Hands out numbered credentials expiring at a set time and counts the calls.
    private final class CountingProvider: CredentialProvider {
        let source = "counting"
        private let calls = Mutex(0)
        private let expiresAfter: Double?
        private let fails = Mutex(false)

        init(expiresAfter: Double?) { self.expiresAfter = expiresAfter }

        var count: Int { calls.withLock { $0 } }
        func fail(_ value: Bool) { fails.withLock { $0 = value } }

        func resolve(now: Double) throws(CredentialError) -> AWSCredentials? {
            if fails.withLock({ $0 }) { throw CredentialError(source: source, "the endpoint is down") }
            let number = calls.withLock { value in
                value += 1
                return value
            }
            return AWSCredentials(accessKeyId: "AKID\(number)", secretAccessKey: "secret\(number)",
                                  expiration: expiresAfter.map { now + $0 })
        }
    }

    /// A clock the test moves by hand.
    private final class ManualClock: Sendable {
        private let time = Mutex(1_000.0)
        var now: Double { time.withLock { $0 } }
        func set(_ value: Double) { time.withLock { $0 = value } }
    }

    @Test func cachedCredentialsRenewWithinTheMarginOfExpiry() throws {
        let provider = CountingProvider(expiresAfter: 3600)
        let clock = ManualClock()
        let cached = CachedCredentials(provider: provider, refreshMargin: 600, now: { clock.now })

        #expect(try cached.current().accessKeyId == "AKID1")
        clock.set(1_000 + 2_999)  // 601 s left: still good
        #expect(try cached.current().accessKeyId == "AKID1")
        #expect(provider.count == 1)
        clock.set(1_000 + 3_000)  // 600 s left: renewed
        #expect(try cached.current().accessKeyId == "AKID2")
        #expect(try cached.current().accessKeyId == "AKID2")
        #expect(provider.count == 2)
        clock.set(1_000 + 3_000 + 3_600)  // the second set expires at 7600: past it
        #expect(try cached.current().accessKeyId == "AKID3")
    }

    @Test func credentialsWithoutExpiryAreKept() throws {
        let provider = CountingProvider(expiresAfter: nil)
        let clock = ManualClock()
        let cached = CachedCredentials(provider: provider, now: { clock.now })
        #expect(try cached.current().accessKeyId == "AKID1")
        clock.set(1e12)
        #expect(try cached.current().accessKeyId == "AKID1")
        cached.invalidate()
        #expect(try cached.current().accessKeyId == "AKID2")
        #expect(provider.count == 2)
    }

    @Test func failedRenewalIsReportedAndRetriedNextTime() throws {
        let provider = CountingProvider(expiresAfter: 900)
        let clock = ManualClock()
        let cached = CachedCredentials(provider: provider, refreshMargin: 600, now: { clock.now })
        #expect(try cached.current().accessKeyId == "AKID1")
        clock.set(1_000 + 400)
        provider.fail(true)
        #expect(throws: CredentialError(source: "counting", "the endpoint is down")) { try cached.current() }
        provider.fail(false)
        #expect(try cached.current().accessKeyId == "AKID2")
    }

    @Test func providerWithNothingIsAnError() {
        struct Empty: CredentialProvider {
            let source = "empty"
            func resolve(now: Double) throws(CredentialError) -> AWSCredentials? { nil }
        }
        #expect(throws: CredentialError(source: "empty", "no credentials found")) {
            try CachedCredentials(provider: Empty()).current()
        }
    }

    // MARK: Container endpoints

    @Test(arguments: [
        "https://credentials.example.com/v1", "http://127.0.0.1:8080/creds", "http://127.0.0.2/x", "http://localhost/c",
        "http://[::1]:9000/c", "http://169.254.170.2/v2/credentials/abc", "http://169.254.170.23/v1/credentials",
        "http://[fd00:ec2::23]/v1/credentials", "http://user@127.0.0.1:80/c",
    ])
    func trustedContainerEndpoints(url: String) {
        #expect(ContainerCredentials.isAllowed(url))
    }

    @Test(arguments: [
        "http://10.0.0.5/creds", "http://example.com/creds", "http://169.254.169.254/latest", "ftp://127.0.0.1/x",
        "http://127.0.0.1.attacker.example/creds", "http://127.evil/x", "http://127.0.0.1@evil.example/x",
        "http://localhost.evil.example/", "http://[::2]/", "127.0.0.1:80/no-scheme", "",
    ])
    func untrustedContainerEndpoints(url: String) {
        #expect(!ContainerCredentials.isAllowed(url))
    }
}
