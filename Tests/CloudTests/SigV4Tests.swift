@testable import AWSCloud
import CloudCrypto
import Foundation
import Testing
import TestSupport

/// SigV4 against vectors botocore computed (scripts/aws-sigv4-vectors.py), AWS's documented
/// signing-key example, and the signer's refusals of bad input.
@Suite struct SigV4Tests {
    struct VectorFile: Decodable {
        var botocore: String
        var vectors: [Vector]
    }

    struct Vector: Decodable {
        struct Header: Decodable { var name: String; var value: String }
        struct Credentials: Decodable { var accessKeyId: String; var secretAccessKey: String; var sessionToken: String? }
        struct Expected: Decodable {
            var amzDate: String
            var authorization: String
            var canonicalRequest: String
            var stringToSign: String
            var headers: [Header]
        }
        var name: String
        var service: String
        var region: String
        var method: String
        var url: String
        var headers: [Header]
        var body: String
        var credentials: Credentials
        var timestamp: Int
        var expected: Expected
    }

    static func loadVectors() throws -> [Vector] {
        let data = try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("aws/sigv4-vectors.json")))
        return try JSONDecoder().decode(VectorFile.self, from: data).vectors
    }

    /// Header lists compared regardless of order and name case.
    static func normalized(_ headers: [(name: String, value: String)]) -> [String] {
        headers.map { $0.name.lowercased() + ": " + $0.value }.sorted()
    }

    @Test func everyBotocoreVectorMatchesExactly() throws {
        let vectors = try Self.loadVectors()
        #expect(vectors.count >= 12)
        for vector in vectors {
            let signer = SigV4Signer(service: vector.service, region: vector.region)
            let credentials = AWSCredentials(accessKeyId: vector.credentials.accessKeyId,
                                             secretAccessKey: vector.credentials.secretAccessKey,
                                             sessionToken: vector.credentials.sessionToken)
            let headers = vector.headers.map { (name: $0.name, value: $0.value) }
            let date = SigningDate(unixSeconds: vector.timestamp)
            let result = try signer.signature(method: vector.method, url: vector.url, headers: headers,
                                              body: Array(vector.body.utf8), credentials: credentials, date: date)
            #expect(date.amzDate == vector.expected.amzDate, "\(vector.name)")
            #expect(result.canonicalRequest == vector.expected.canonicalRequest, "\(vector.name)")
            #expect(result.stringToSign == vector.expected.stringToSign, "\(vector.name)")
            #expect(result.authorization == vector.expected.authorization, "\(vector.name)")
            let expectedHeaders = vector.expected.headers.map { (name: $0.name, value: $0.value) }
            #expect(Self.normalized(result.headers) == Self.normalized(expectedHeaders), "\(vector.name)")

            let sent = try signer.sign(method: vector.method, url: vector.url, headers: headers,
                                       body: Array(vector.body.utf8), credentials: credentials, date: date)
            #expect(Self.normalized(sent) == Self.normalized(result.headers), "\(vector.name)")
        }
    }

    /// The example in AWS's "Create a signed AWS API request" documentation.
    @Test func signingKeyMatchesAWSDocumentation() throws {
        let key = try SigV4Signer.signingKey(secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", dateStamp: "20150830",
                                             region: "us-east-1", service: "iam")
        #expect(hexEncoded(key) == "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9")
    }

    @Test(arguments: [
        (1_440_938_160, "20150830T123600Z"),
        (0, "19700101T000000Z"),
        (-1, "19691231T235959Z"),
        (951_782_400, "20000229T000000Z"),
        (1_709_251_199, "20240229T235959Z"),
        (4_107_542_400, "21000301T000000Z"),
        (2_147_483_648, "20380119T031408Z"),
        (Int.max, "99991231T235959Z"),
        (Int.min, "00000101T000000Z"),
    ])
    func signingDateFormatsUTC(seconds: Int, expected: String) {
        let date = SigningDate(unixSeconds: seconds)
        #expect(date.amzDate == expected)
        #expect(date.dateStamp == String(expected.prefix(8)))
    }

    @Test func signingDateFromFractionalSeconds() {
        #expect(SigningDate(unixSeconds: 1_440_938_160.999).amzDate == "20150830T123600Z")
        #expect(SigningDate(unixSeconds: -0.5).amzDate == "19691231T235959Z")
        #expect(SigningDate(unixSeconds: Double.nan).unixSeconds == 0)
        #expect(SigningDate(unixSeconds: Double.infinity).amzDate == "99991231T235959Z")
        #expect(SigningDate.now().unixSeconds > 1_700_000_000)
    }

    @Test func credentialsNeverShowSecretOrToken() {
        let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
        let token = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN"
        let credentials = AWSCredentials(accessKeyId: "ASIAEXAMPLE", secretAccessKey: secret,
                                         sessionToken: token, expiration: 1_700_000_000)
        var dumped = ""
        dump(credentials, to: &dumped)
        var dumpedOptional = ""
        dump(Optional(credentials), to: &dumpedOptional)
        let mirrored = Mirror(reflecting: credentials).children.map { "\($0.label ?? ""): \($0.value)" }.joined()
        let renderings = [
            credentials.description, credentials.debugDescription, "\(credentials)",
            String(describing: credentials), String(reflecting: credentials), dumped, dumpedOptional, mirrored,
            "\([credentials])", "\(Optional(credentials) as Any)",
        ]
        for text in renderings {
            #expect(!text.contains(secret), "\(text)")
            #expect(!text.contains(token), "\(text)")
        }
        #expect(credentials.description.contains("ASIAEXAMPLE"))
        #expect(dumped.contains("ASIAEXAMPLE"))
        #expect(dumped.contains("<redacted>"))
    }

    private static let credentials = AWSCredentials(accessKeyId: "AKIDEXAMPLE",
                                                    secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    private static let date = SigningDate(unixSeconds: 1_440_938_160)
    private static let signer = SigV4Signer(service: "monitoring", region: "us-east-1")

    private static func authorization(_ url: String, credentials: AWSCredentials = credentials) throws -> String {
        let headers = try signer.sign(method: "GET", url: url, headers: [], body: [], credentials: credentials, date: date)
        return headers.first { $0.name == "authorization" }?.value ?? "no authorization header"
    }

    /// The service decodes the query before canonicalising it, so any valid spelling signs alike.
    @Test func queryIsCanonicalisedFromItsDecodedForm() throws {
        let encoded = try Self.authorization("https://monitoring.us-east-1.amazonaws.com/?Namespace=AWS%2FEC2&Name=a%20b")
        #expect(try Self.authorization("https://monitoring.us-east-1.amazonaws.com/?Name=a%20b&Namespace=AWS/EC2") == encoded)
        #expect(try Self.authorization("https://monitoring.us-east-1.amazonaws.com/?Namespace=AWS%2fEC2&&Name=a%20b#frag") == encoded)
        #expect(try Self.authorization("https://monitoring.us-east-1.amazonaws.com/?Namespace=AWS%2FEC2&Name=a+b") != encoded)
        let detail = try Self.signer.signature(method: "GET", url: "https://h/?b=%7e&a&c=x=y", headers: [], body: [],
                                               credentials: Self.credentials, date: Self.date)
        #expect(detail.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)[2] == "a=&b=~&c=x%3Dy")
    }

    @Test func percentEncodingKeepsOnlyUnreservedCharacters() {
        #expect(AWSPercentEncoding.encode("Az09-._~ /+=&é☁") == "Az09-._~%20%2F%2B%3D%26%C3%A9%E2%98%81")
        #expect(AWSPercentEncoding.query([("Action", "ListMetrics"), ("Namespace", "AWS/EC2"), ("Next", "")])
            == "Action=ListMetrics&Namespace=AWS%2FEC2&Next=")
    }

    @Test func headersAddedOnlyWhenNeeded() throws {
        let withoutToken = try Self.signer.sign(method: "POST", url: "http://127.0.0.1:5000/",
                                                headers: [("Host", "example.com"), ("X-Amz-Security-Token", "caller")],
                                                body: Array("{}".utf8), credentials: Self.credentials, date: Self.date)
        #expect(Self.normalized(withoutToken).map { $0.prefix { $0 != ":" } }
            == ["authorization", "host", "x-amz-date", "x-amz-security-token"])
        #expect(withoutToken.contains { $0.name == "Host" && $0.value == "example.com" })
        #expect(withoutToken.contains { $0.name == "X-Amz-Security-Token" && $0.value == "caller" })

        let temporary = AWSCredentials(accessKeyId: "ASIAEXAMPLE", secretAccessKey: "secret", sessionToken: "token")
        let withToken = try Self.signer.sign(method: "POST", url: "http://127.0.0.1:5000/",
                                             headers: [("X-Amz-Security-Token", "stale")], body: [],
                                             credentials: temporary, date: Self.date)
        #expect(withToken.filter { $0.name.lowercased() == "x-amz-security-token" }.map { $0.value } == ["token"])
        #expect(withToken.contains { $0.name == "host" && $0.value == "127.0.0.1:5000" })
    }

    @Test func declaredPayloadHashIsSignedAsGiven() throws {
        let detail = try Self.signer.signature(method: "POST", url: "https://h/", headers: [("X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD")],
                                               body: Array("ignored".utf8), credentials: Self.credentials, date: Self.date)
        #expect(detail.canonicalRequest.hasSuffix("\nUNSIGNED-PAYLOAD"))
        #expect(detail.canonicalRequest.contains("x-amz-content-sha256:UNSIGNED-PAYLOAD\n"))
    }

    @Test(arguments: [
        ("/relative/path", "not absolute"),
        ("ftp://example.com/", "http or https"),
        ("https://example.com/a b", "percent-encode"),
        ("https://example.com/caf\u{e9}", "percent-encode"),
        ("https://example.com:99999/", "port"),
        ("https://example.com:80a/", "port"),
        ("https:///path", "no host"),
        ("https://[::1/", "closing ]"),
        ("https://[::1]x/", "after the IPv6 host"),
        ("https://example.com/?a=%zz", "two hex digits"),
        ("https://example.com/?a=%4", "two hex digits"),
    ])
    func badURLsAreRefused(url: String, reason: String) {
        #expect {
            _ = try Self.signer.sign(method: "GET", url: url, headers: [], body: [], credentials: Self.credentials, date: Self.date)
        } throws: { error in
            guard let error = error as? SigV4Error, case .invalidURL = error else { return false }
            return error.description.contains(reason)
        }
    }

    @Test func badHeadersMethodsScopesAndCredentialsAreRefusedWithoutLeaking() {
        let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
        let url = "https://sts.amazonaws.com/"
        let cases: [(signer: SigV4Signer, method: String, headers: [(name: String, value: String)], credentials: AWSCredentials, expected: String)] = [
            (Self.signer, "GET", [("X-Evil", "a\r\nInjected: secret-value")], Self.credentials, "control character"),
            (Self.signer, "GET", [("Bad Name", "v")], Self.credentials, "invalid name"),
            (Self.signer, "GET", [("", "v")], Self.credentials, "invalid name"),
            (Self.signer, "GE T", [], Self.credentials, "invalid HTTP method"),
            (SigV4Signer(service: "sts", region: ""), "GET", [], Self.credentials, "region"),
            (SigV4Signer(service: "s/ts", region: "us-east-1"), "GET", [], Self.credentials, "service"),
            (Self.signer, "GET", [], AWSCredentials(accessKeyId: "", secretAccessKey: secret), "access key id"),
            (Self.signer, "GET", [], AWSCredentials(accessKeyId: "AKID/X", secretAccessKey: secret), "access key id"),
            (Self.signer, "GET", [], AWSCredentials(accessKeyId: "AKID", secretAccessKey: ""), "empty secret"),
            (Self.signer, "GET", [], AWSCredentials(accessKeyId: "AKID", secretAccessKey: secret, sessionToken: "tok\nsecret-token"),
             "session token"),
        ]
        for testCase in cases {
            #expect(performing: {
                _ = try testCase.signer.sign(method: testCase.method, url: url, headers: testCase.headers, body: [],
                                             credentials: testCase.credentials, date: Self.date)
            }, throws: { error in
                guard let error = error as? SigV4Error else { return false }
                let text = error.description
                return text.contains(testCase.expected) && !text.contains(secret) && !text.contains("secret-")
            })
        }
    }
}
