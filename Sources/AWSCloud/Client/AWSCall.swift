/// One AWS API call, described independently of transport and signing.
public struct AWSCall: Sendable {
    public enum Encoding: Sendable {
        /// The query protocol (EC2, CloudWatch, STS): a form-encoded POST, XML back.
        case query(action: String, version: String, parameters: [(String, String)])
        /// The JSON protocol (CloudTrail): `X-Amz-Target`, JSON in and out.
        case json(target: String, contentType: String, body: [UInt8])
    }

    public var service: AWSEndpoints.Service
    public var region: String
    /// The service's base URL (see `AWSEndpoints`).
    public var endpoint: String
    /// The API name for self metrics (`DescribeInstances`, `GetMetricData`).
    public var api: String
    public var encoding: Encoding
    /// False for the calls that need no signature (STS AssumeRoleWithWebIdentity).
    public var signed: Bool
    public var timeout: Double

    public init(service: AWSEndpoints.Service, region: String, endpoint: String, api: String,
                encoding: Encoding, signed: Bool = true, timeout: Double = 30) {
        self.service = service
        self.region = region
        self.endpoint = endpoint
        self.api = api
        self.encoding = encoding
        self.signed = signed
        self.timeout = timeout
    }

    /// The request body and content type.
    var body: (bytes: [UInt8], contentType: String, extraHeaders: [(name: String, value: String)]) {
        switch encoding {
        case .query(let action, let version, let parameters):
            var pairs = [("Action", action), ("Version", version)]
            pairs.append(contentsOf: parameters)
            let form = pairs.map { "\(FormEncoding.escape($0.0))=\(FormEncoding.escape($0.1))" }.joined(separator: "&")
            return (Array(form.utf8), "application/x-www-form-urlencoded; charset=utf-8", [])
        case .json(let target, let contentType, let body):
            return (body, contentType, [(name: "X-Amz-Target", value: target)])
        }
    }
}

/// `application/x-www-form-urlencoded` as AWS query APIs read it: RFC 3986 unreserved
/// characters kept, everything else percent-encoded from UTF-8.
enum FormEncoding {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                 UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out.append("%")
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte >> 4)]))
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte & 0xF)]))
            }
        }
        return out
    }
}
