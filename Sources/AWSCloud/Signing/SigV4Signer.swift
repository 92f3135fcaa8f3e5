import CloudCrypto

/// AWS Signature Version 4 for the query and JSON protocols (EC2, CloudWatch, STS, CloudTrail);
/// not for S3, whose paths and payload rules differ. Checked against botocore's `SigV4Auth`.
public struct SigV4Signer: Sendable {
    public let service: String
    public let region: String

    public init(service: String, region: String) {
        self.service = service
        self.region = region
    }

    /// The headers to send: `headers` minus any stale `authorization`, `x-amz-date` (and
    /// `x-amz-security-token` when the credentials bring one), plus `host` when missing,
    /// `x-amz-date`, `x-amz-security-token` for temporary credentials, and `authorization`.
    /// `url` must be absolute and percent-encoded as it will be sent (see `AWSPercentEncoding`).
    public func sign(method: String, url: String, headers: [(name: String, value: String)], body: [UInt8],
                     credentials: AWSCredentials, date: SigningDate) throws(SigV4Error) -> [(name: String, value: String)] {
        try signature(method: method, url: url, headers: headers, body: body, credentials: credentials, date: date).headers
    }

    /// Everything computed on the way, kept apart so tests can compare each step with botocore's.
    struct Signature {
        var canonicalRequest: String
        var stringToSign: String
        var authorization: String
        var headers: [(name: String, value: String)]
    }

    /// Not signed: hop-by-hop headers and ones that proxies or HTTP clients may rewrite (botocore's list).
    static let unsignedHeaderNames: Set<String> = [
        "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
        "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    ]

    func signature(method: String, url: String, headers: [(name: String, value: String)], body: [UInt8],
                   credentials: AWSCredentials, date: SigningDate) throws(SigV4Error) -> Signature {
        try HeaderSyntax.checkScope(region: region, service: service)
        let token = try HeaderSyntax.checkCredentials(credentials)
        guard HeaderSyntax.isToken(method) else { throw .invalidMethod(method) }
        for header in headers { try HeaderSyntax.check(header) }
        let target = try SigningURL(parsing: url)

        let replaced: Set<String> = token == nil ? ["authorization", "x-amz-date"]
            : ["authorization", "x-amz-date", "x-amz-security-token"]
        let kept = headers.filter { !replaced.contains($0.name.lowercased()) }
        var added: [(name: String, value: String)] = []
        if !kept.contains(where: { $0.name.lowercased() == "host" }) {
            added.append(("host", target.hostHeader))
        }
        added.append(("x-amz-date", date.amzDate))
        if let token { added.append(("x-amz-security-token", token)) }

        let signed = (kept + added).filter { !Self.unsignedHeaderNames.contains($0.name.lowercased()) }
        let canonicalHeaders = CanonicalRequest.headers(signed)
        // A caller-declared payload hash is signed as given, as botocore does.
        let payloadHash: String
        if let declared = kept.first(where: { $0.name.lowercased() == "x-amz-content-sha256" }) {
            payloadHash = declared.value
        } else {
            payloadHash = hexEncoded(try Self.digest(body))
        }
        let canonicalRequest = [
            method.uppercased(),
            CanonicalRequest.path(target.path),
            try CanonicalRequest.query(target.query),
            canonicalHeaders.lines + "\n",
            canonicalHeaders.signedNames,
            payloadHash,
        ].joined(separator: "\n")

        let scope = "\(date.dateStamp)/\(region)/\(service)/aws4_request"
        let stringToSign = [
            "AWS4-HMAC-SHA256", date.amzDate, scope, hexEncoded(try Self.digest(Array(canonicalRequest.utf8))),
        ].joined(separator: "\n")
        let key = try Self.signingKey(secret: credentials.secretAccessKey, dateStamp: date.dateStamp,
                                      region: region, service: service)
        let signature = hexEncoded(try Self.hmac(key: key, Array(stringToSign.utf8)))
        let authorization = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope), "
            + "SignedHeaders=\(canonicalHeaders.signedNames), Signature=\(signature)"
        return Signature(canonicalRequest: canonicalRequest, stringToSign: stringToSign, authorization: authorization,
                         headers: kept + added + [("authorization", authorization)])
    }

    /// HMAC chain `AWS4`+secret → date → region → service → `aws4_request`.
    static func signingKey(secret: String, dateStamp: String, region: String, service: String) throws(SigV4Error) -> [UInt8] {
        var key = Array(("AWS4" + secret).utf8)
        for step in [dateStamp, region, service, "aws4_request"] {
            key = try hmac(key: key, Array(step.utf8))
        }
        return key
    }

    private static func hmac(key: [UInt8], _ data: [UInt8]) throws(SigV4Error) -> [UInt8] {
        do { return try Digest.hmacSHA256(key: key, data: data) } catch { throw .crypto(error) }
    }

    private static func digest(_ data: [UInt8]) throws(SigV4Error) -> [UInt8] {
        do { return try Digest.sha256(data) } catch { throw .crypto(error) }
    }
}
