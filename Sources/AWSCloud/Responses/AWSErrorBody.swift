#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The code and message of an AWS error answer, whatever protocol carried it.
public struct AWSErrorBody: Sendable, Equatable {
    /// Bare code, e.g. `Throttling`, `InvalidInstanceID.NotFound`, `ThrottlingException`
    /// (JSON `__type` prefixes like `com.amazonaws...#` are removed).
    public var code: String
    public var message: String
    public var requestId: String?

    public init(code: String, message: String, requestId: String? = nil) {
        self.code = code
        self.message = message
        self.requestId = requestId
    }

    /// Codes that mean "slow down": AWS SDKs retry these with backoff whatever the HTTP status.
    public static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
        "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
    ]

    public var isThrottling: Bool { Self.throttlingCodes.contains(code) }

    /// Reads the XML error documents: query protocol
    /// `<ErrorResponse><Error><Code/><Message/></Error><RequestId/></ErrorResponse>`,
    /// EC2 `<Response><Errors><Error>…</Error></Errors><RequestID/></Response>`, and a bare `<Error>`.
    init?(errorDocument root: XMLElement) {
        let error: XMLElement?
        let requestId: String?
        switch root.name {
        case "ErrorResponse":
            // moto (and some older endpoints) nest it as `ErrorResponse/Errors/Error`.
            error = root.child("Error") ?? root.path("Errors", "Error")
            requestId = root.child("RequestId")?.text ?? root.child("RequestID")?.text
        case "Response":
            error = root.path("Errors", "Error")
            requestId = root.child("RequestID")?.text ?? root.child("RequestId")?.text
        case "Error":
            error = root
            requestId = root.child("RequestId")?.text
        default:
            return nil
        }
        guard let error, let code = error.child("Code")?.text.trimmingASCIIWhitespace(), !code.isEmpty else { return nil }
        self.init(code: code, message: error.child("Message")?.text ?? "",
                  requestId: requestId.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// Bare code from a JSON `__type` (`aws.protocols#ThrottlingException`) or an
    /// `x-amzn-errortype` header (`ThrottlingException:http://internal.amazon.com/...`).
    static func bareCode(_ raw: String) -> String {
        var code = Substring(raw)
        if let hash = code.lastIndex(of: "#") { code = code[code.index(after: hash)...] }
        if let colon = code.firstIndex(of: ":") { code = code[..<colon] }
        return String(code).trimmingASCIIWhitespace()
    }
}

/// The error in a failed AWS answer, or nil when the body holds none that can be read.
/// XML and JSON are told apart by the body itself (moto labels JSON errors `text`);
/// `contentType` only settles bodies that start with neither `<` nor `{`.
public func decodeAWSError(body: [UInt8], contentType: String?) -> AWSErrorBody? {
    decodeAWSError(body: body, contentType: contentType, errorTypeHeader: nil)
}

/// As above; `errorTypeHeader` is the `x-amzn-errortype` header, which JSON-protocol
/// services may send instead of (or as well as) a `__type` in the body.
public func decodeAWSError(body: [UInt8], contentType: String?, errorTypeHeader: String?) -> AWSErrorBody? {
    let headerCode = errorTypeHeader.map(AWSErrorBody.bareCode).flatMap { $0.isEmpty ? nil : $0 }
    let content = body.starts(with: [0xEF, 0xBB, 0xBF]) ? body.dropFirst(3) : body[...]
    let first = content.first { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) }
    let lowerType = contentType?.lowercased() ?? ""
    if first == UInt8(ascii: "<") || (first != UInt8(ascii: "{") && lowerType.contains("xml")) {
        if let root = try? XMLReader.parse(body), let error = AWSErrorBody(errorDocument: root) {
            return error
        }
    } else if first == UInt8(ascii: "{") || lowerType.contains("json") {
        if let fields = JSONErrorFields.decode(body) {
            let code = headerCode ?? fields.type.map(AWSErrorBody.bareCode) ?? fields.code.map(AWSErrorBody.bareCode)
            if let code, !code.isEmpty {
                return AWSErrorBody(code: code, message: fields.message ?? "")
            }
        }
    }
    return headerCode.map { AWSErrorBody(code: $0, message: "") }
}

/// The members of a JSON-protocol error body this reader looks at; any of them may be
/// missing or of another type.
private struct JSONErrorFields: Decodable {
    var type: String?
    var code: String?
    var message: String?

    private enum Key: String, CodingKey {
        case type = "__type", code, upperCode = "Code", message, upperMessage = "Message"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        func string(_ key: Key) -> String? { (try? container.decodeIfPresent(String.self, forKey: key)) ?? nil }
        type = string(.type)
        code = string(.code) ?? string(.upperCode)
        message = string(.message) ?? string(.upperMessage)
    }

    static func decode(_ body: [UInt8]) -> JSONErrorFields? {
        try? JSONDecoder().decode(JSONErrorFields.self, from: Data(body))
    }
}
