import Exposition
import Foundation

/// Turns a JSON document into the configured families: one series per element a metric's path
/// selects, its value and labels read relative to that element. Values that cannot be read
/// skip their series and are counted by reason; a path that finds nothing at all means the
/// document is not shaped as configured, and the whole refresh fails.
struct RESTExtractor {
    let target: String
    let metrics: [RESTMetricConfig]

    struct Result {
        var families: [MetricFamily] = []
        /// (metric, reason) → series skipped.
        var skipped: [SkipKey: Int] = [:]
    }

    struct SkipKey: Hashable {
        var metric: String
        var reason: SkipReason
    }

    enum SkipReason: String, Error {
        /// The value is JSON null.
        case null
        /// The value's relative path leads nowhere in that element.
        case missing
        /// A string that is not a number, an object or an array.
        case notANumber = "not_a_number"
        /// A label's path leads to an object or an array.
        case labelNotScalar = "label_not_scalar"
    }

    struct NothingFound: Error {
        var metric: String
        var path: String
    }

    func extract(from document: JSONValue) throws(NothingFound) -> Result {
        var result = Result()
        for metric in metrics {
            let selection = metric.path.select(in: document)
            if selection.foundNothing { throw NothingFound(metric: metric.name, path: metric.path.text) }
            var family = MetricFamily(name: metric.name, type: metric.kind.metricType, help: metric.help + " (cached)")
            for element in selection.matches {
                switch series(metric, element) {
                case .success(let sample): family.samples.append(sample)
                case .failure(let reason): result.skipped[SkipKey(metric: metric.name, reason: reason), default: 0] += 1
                }
            }
            result.families.append(family)
        }
        return result
    }

    private func series(_ metric: RESTMetricConfig, _ element: JSONValue) -> Swift.Result<Sample, SkipReason> {
        let valueNode = metric.value.map { $0.single(in: element) } ?? element
        guard let valueNode else { return .failure(.missing) }
        let value: Double
        switch Self.number(valueNode) {
        case .success(let number): value = number
        case .failure(let reason): return .failure(reason)
        }
        var labels: [Label] = []
        labels.reserveCapacity(metric.labels.count)
        for label in metric.labels {
            guard let text = Self.labelValue(label.path.single(in: element)) else { return .failure(.labelNotScalar) }
            labels.append(Label(label.name, text))
        }
        return .success(Sample(labels: labels, value: value))
    }

    static func number(_ value: JSONValue) -> Swift.Result<Double, SkipReason> {
        switch value {
        case .number(let number): .success(number)
        case .bool(let flag): .success(flag ? 1 : 0)
        case .string(let text): NumericText.value(text).map { .success($0) } ?? .failure(.notANumber)
        case .null: .failure(.null)
        case .array, .object: .failure(.notANumber)
        }
    }

    /// A label's text: strings as they are, numbers and booleans as JSON writes them, null or
    /// absent as the empty value (the label is then absent, as Prometheus reads it). nil for
    /// objects and arrays, which have no single text.
    static func labelValue(_ value: JSONValue?) -> String? {
        switch value {
        case nil, .null?: ""
        case .string(let text)?: text
        case .bool(let flag)?: flag ? "true" : "false"
        case .number(let number)?:
            if number == number.rounded(), abs(number) < 9_007_199_254_740_992 { "\(Int(number))" } else { "\(number)" }
        case .array?, .object?: nil
        }
    }
}

/// Numbers sent as strings (`"12.5"`): JSON's number syntax, surrounding spaces allowed.
/// Stricter than `Double(_:)`, which would also take `0x1p3`, `nan` or `inf`.
enum NumericText {
    static func value(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard isJSONNumber(Array(trimmed.utf8)), let number = Double(trimmed), number.isFinite else { return nil }
        return number
    }

    private static func isJSONNumber(_ bytes: [UInt8]) -> Bool {
        var index = 0
        func digits() -> Int {
            let start = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            return index - start
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
        let integer = digits()
        var fraction = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            fraction = digits()
        }
        guard integer + fraction > 0 else { return false }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
            guard digits() > 0 else { return false }
        }
        return index == bytes.count
    }
}
