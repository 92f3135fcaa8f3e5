/// Why an AWS response body could not be turned into its typed result.
///
/// Paths name the element the way the document nests them, with 1-based positions for
/// repeated elements: `DescribeInstancesResponse/reservationSet/item[2]/instancesSet/item[1]/instanceType`.
/// Values quoted in descriptions are never secret ones (decoders pass `nil` for those).
public struct AWSResponseDecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case malformedXML(XMLReadError)
        /// The document's root is not the one the API answers with.
        case unexpectedRoot(expected: [String], found: String)
        /// The document is an AWS error response rather than a result.
        case serviceError(AWSErrorBody)
        case missingElement(path: String)
        /// `value` is nil when it must not be shown (secrets) or is empty.
        case invalidValue(path: String, value: String?, expected: String)
        case lengthMismatch(path: String, timestamps: Int, values: Int)
    }

    /// The API whose response this was, e.g. `DescribeInstances`.
    public var api: String
    public var kind: Kind

    public init(api: String, _ kind: Kind) {
        self.api = api
        self.kind = kind
    }

    public var description: String {
        "\(api) response: \(reason)"
    }

    private var reason: String {
        switch kind {
        case .malformedXML(let error):
            "\(error)"
        case .unexpectedRoot(let expected, let found):
            "root element is <\(found)>, expected \(expected.map { "<\($0)>" }.joined(separator: " or "))"
        case .serviceError(let body):
            "AWS returned error \(body.code)" + (body.message.isEmpty ? "" : ": \(body.message)")
        case .missingElement(let path):
            "missing element \(path)"
        case .invalidValue(let path, let value, let expected):
            if let value {
                "\(path) is \"\(value.count > 80 ? String(value.prefix(80)) + "…" : value)\", expected \(expected)"
            } else {
                "\(path) is not \(expected)"
            }
        case .lengthMismatch(let path, let timestamps, let values):
            "\(path) has \(timestamps) timestamps but \(values) values"
        }
    }
}
