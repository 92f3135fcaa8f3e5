/// A `StatusCode` of a CloudWatch metric data result.
public enum MetricDataStatusCode: Sendable, Equatable {
    case complete
    /// More data points exist: ask again with the page's `nextToken`.
    case partialData
    case internalError
    case forbidden
    /// A code this version does not know; kept rather than failing the whole page.
    case other(String)

    public init(_ text: String) {
        switch text {
        case "Complete": self = .complete
        case "PartialData": self = .partialData
        case "InternalError": self = .internalError
        case "Forbidden": self = .forbidden
        default: self = .other(text)
        }
    }

    public var text: String {
        switch self {
        case .complete: "Complete"
        case .partialData: "PartialData"
        case .internalError: "InternalError"
        case .forbidden: "Forbidden"
        case .other(let text): text
        }
    }
}

/// A message CloudWatch attaches to a page or to one result (`Code` and `Value`).
public struct MetricDataMessage: Sendable, Equatable {
    public var code: String
    public var value: String

    public init(code: String, value: String) {
        self.code = code
        self.value = value
    }
}

/// The data of one `MetricDataQuery`, matched to its query by `id`.
public struct MetricDataResult: Sendable, Equatable {
    public var id: String
    public var label: String
    public var statusCode: MetricDataStatusCode
    /// As sent, ISO 8601; `timestamps[i]` belongs to `values[i]`.
    public var timestamps: [String]
    /// `timestamps` as Unix seconds.
    public var timestampSeconds: [Double]
    public var values: [Double]
    public var messages: [MetricDataMessage]

    public init(id: String, label: String, statusCode: MetricDataStatusCode, timestamps: [String],
                timestampSeconds: [Double], values: [Double], messages: [MetricDataMessage] = []) {
        self.id = id
        self.label = label
        self.statusCode = statusCode
        self.timestamps = timestamps
        self.timestampSeconds = timestampSeconds
        self.values = values
        self.messages = messages
    }
}

/// One page of a CloudWatch `GetMetricData` answer in the query protocol (API version 2010-08-01).
public struct GetMetricDataPage: Sendable, Equatable {
    public var results: [MetricDataResult]
    public var nextToken: String?
    /// Messages about the whole request (e.g. `Maximum number of allowed metrics exceeded`).
    public var messages: [MetricDataMessage]

    public init(results: [MetricDataResult], nextToken: String?, messages: [MetricDataMessage] = []) {
        self.results = results
        self.nextToken = nextToken
        self.messages = messages
    }

    public static func decode(_ body: [UInt8]) throws(AWSResponseDecodeError) -> GetMetricDataPage {
        let root = try ResponseNode.root(of: body, api: "GetMetricData", expecting: ["GetMetricDataResponse"])
        let result = try root.required("GetMetricDataResult")
        var results: [MetricDataResult] = []
        for member in result.optional("MetricDataResults")?.items("member") ?? [] {
            results.append(try metricDataResult(member))
        }
        return GetMetricDataPage(results: results, nextToken: result.optionalText("NextToken"),
                                 messages: messages(result))
    }

    private static func metricDataResult(_ member: ResponseNode) throws(AWSResponseDecodeError) -> MetricDataResult {
        let id = try member.text("Id")
        let statusCode = MetricDataStatusCode(try member.text("StatusCode"))
        var timestamps: [String] = []
        var seconds: [Double] = []
        for timestamp in member.optional("Timestamps")?.items("member") ?? [] {
            let text = timestamp.element.text.trimmingASCIIWhitespace()
            guard let parsed = parseISO8601(text) else {
                throw timestamp.invalid(text, expected: "an ISO 8601 timestamp")
            }
            timestamps.append(text)
            seconds.append(parsed)
        }
        var values: [Double] = []
        for value in member.optional("Values")?.items("member") ?? [] {
            let text = value.element.text.trimmingASCIIWhitespace()
            guard let parsed = Double(text) else { throw value.invalid(text, expected: "a number") }
            values.append(parsed)
        }
        guard timestamps.count == values.count else {
            throw AWSResponseDecodeError(api: member.api, .lengthMismatch(path: member.path, timestamps: timestamps.count,
                                                                          values: values.count))
        }
        return MetricDataResult(id: id, label: member.optionalText("Label") ?? "", statusCode: statusCode,
                                timestamps: timestamps, timestampSeconds: seconds, values: values,
                                messages: messages(member))
    }

    private static func messages(_ node: ResponseNode) -> [MetricDataMessage] {
        var messages: [MetricDataMessage] = []
        for member in node.optional("Messages")?.items("member") ?? [] {
            messages.append(MetricDataMessage(code: member.optionalText("Code") ?? "", value: member.optionalText("Value") ?? ""))
        }
        return messages
    }
}
