import Foundation

/// One page of `projects.timeSeries.list` (Cloud Monitoring API v3): `timeSeries` and
/// `nextPageToken`, both absent when nothing matched. Numbers follow proto3's JSON mapping:
/// int64 values are strings, doubles may be the strings `NaN`, `Infinity`, `-Infinity`.
struct TimeSeriesPage {
    var series: [TimeSeries]
    var nextPageToken: String?

    struct DecodeError: Error, CustomStringConvertible {
        var description: String
    }

    static func decode(_ body: [UInt8]) throws(DecodeError) -> TimeSeriesPage {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
            throw DecodeError(description: "the body is not a JSON object")
        }
        var series: [TimeSeries] = []
        if let list = object["timeSeries"] {
            guard let items = list as? [Any] else { throw DecodeError(description: "timeSeries is not a list") }
            for (index, item) in items.enumerated() {
                do throws(DecodeError) {
                    series.append(try decodeSeries(item))
                } catch {
                    throw DecodeError(description: "timeSeries[\(index)]: \(error.description)")
                }
            }
        }
        let token = (object["nextPageToken"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        return TimeSeriesPage(series: series, nextPageToken: token)
    }

    private static func decodeSeries(_ item: Any) throws(DecodeError) -> TimeSeries {
        guard let object = item as? [String: Any] else { throw DecodeError(description: "not an object") }
        let metric = try dictionary(object["metric"], "metric")
        let resource = try dictionary(object["resource"], "resource")
        guard let metricType = metric["type"] as? String else { throw DecodeError(description: "metric.type is missing") }
        let kindText = try optionalString(object["metricKind"], "metricKind") ?? "METRIC_KIND_UNSPECIFIED"
        guard let kind = TimeSeries.MetricKind(rawValue: kindText) else {
            throw DecodeError(description: "unknown metricKind \(kindText.prefix(40))")
        }
        let typeText = try optionalString(object["valueType"], "valueType") ?? "VALUE_TYPE_UNSPECIFIED"
        guard let valueType = TimeSeries.ValueType(rawValue: typeText) else {
            throw DecodeError(description: "unknown valueType \(typeText.prefix(40))")
        }
        var points: [TimeSeries.Point] = []
        if let list = object["points"] {
            guard let items = list as? [Any] else { throw DecodeError(description: "points is not a list") }
            for (index, item) in items.enumerated() {
                do throws(DecodeError) {
                    points.append(try decodePoint(item))
                } catch {
                    throw DecodeError(description: "\(metricType) points[\(index)]: \(error.description)")
                }
            }
        }
        return TimeSeries(metricType: metricType, metricLabels: try labels(metric["labels"], "metric.labels"),
                          resourceType: try optionalString(resource["type"], "resource.type") ?? "",
                          resourceLabels: try labels(resource["labels"], "resource.labels"),
                          metricKind: kind, valueType: valueType, points: points)
    }

    private static func decodePoint(_ item: Any) throws(DecodeError) -> TimeSeries.Point {
        guard let object = item as? [String: Any] else { throw DecodeError(description: "not an object") }
        let interval = try dictionary(object["interval"], "interval")
        guard let endText = interval["endTime"] as? String, let end = RFC3339.parse(endText) else {
            throw DecodeError(description: "interval.endTime is missing or not RFC 3339")
        }
        var start: Double? = nil
        if let startValue = interval["startTime"] {
            guard let text = startValue as? String, let parsed = RFC3339.parse(text) else {
                throw DecodeError(description: "interval.startTime is not RFC 3339")
            }
            start = parsed
        }
        let value = try dictionary(object["value"], "value")
        return TimeSeries.Point(startTime: start, endTime: end, value: try decodeValue(value))
    }

    private static func decodeValue(_ value: [String: Any]) throws(DecodeError) -> TimeSeries.Value {
        if let raw = value["doubleValue"] { return .double(try double(raw, "doubleValue")) }
        if let raw = value["int64Value"] { return .int64(try int64(raw, "int64Value")) }
        if let raw = value["boolValue"] {
            guard let flag = raw as? Bool else { throw DecodeError(description: "boolValue is not a boolean") }
            return .bool(flag)
        }
        if let raw = value["stringValue"] {
            guard let text = raw as? String else { throw DecodeError(description: "stringValue is not a string") }
            return .string(text)
        }
        if let raw = value["distributionValue"] {
            return .distribution(try decodeDistribution(try dictionary(raw, "distributionValue")))
        }
        throw DecodeError(description: "value has none of doubleValue, int64Value, boolValue, stringValue, distributionValue")
    }

    private static func decodeDistribution(_ object: [String: Any]) throws(DecodeError) -> TimeSeries.Distribution {
        let count = try object["count"].map { (raw) throws(DecodeError) in try int64(raw, "count") } ?? 0
        let mean = try object["mean"].map { (raw) throws(DecodeError) in try double(raw, "mean") } ?? 0
        let deviation = try object["sumOfSquaredDeviation"].map { (raw) throws(DecodeError) in
            try double(raw, "sumOfSquaredDeviation")
        } ?? 0
        var counts: [Int64] = []
        if let raw = object["bucketCounts"] {
            guard let list = raw as? [Any] else { throw DecodeError(description: "bucketCounts is not a list") }
            for item in list { counts.append(try int64(item, "bucketCounts")) }
        }
        let bounds = try BucketBounds.decode(try dictionary(object["bucketOptions"], "bucketOptions"))
        guard counts.count <= bounds.count + 1 else {
            throw DecodeError(description: "\(counts.count) bucketCounts for \(bounds.count) bounds")
        }
        guard count >= 0, counts.allSatisfy({ $0 >= 0 }) else { throw DecodeError(description: "negative count") }
        return TimeSeries.Distribution(count: count, mean: mean, sumOfSquaredDeviation: deviation, bounds: bounds,
                                       bucketCounts: counts)
    }

    // MARK: typed fields

    static func dictionary(_ value: Any?, _ name: String) throws(DecodeError) -> [String: Any] {
        guard let value else { return [:] }
        guard let object = value as? [String: Any] else { throw DecodeError(description: "\(name) is not an object") }
        return object
    }

    static func optionalString(_ value: Any?, _ name: String) throws(DecodeError) -> String? {
        guard let value else { return nil }
        guard let text = value as? String else { throw DecodeError(description: "\(name) is not a string") }
        return text
    }

    static func labels(_ value: Any?, _ name: String) throws(DecodeError) -> [String: String] {
        var result: [String: String] = [:]
        for (key, item) in try dictionary(value, name) {
            guard let text = item as? String else { throw DecodeError(description: "\(name).\(key) is not a string") }
            result[key] = text
        }
        return result
    }

    /// proto3 int64: a decimal string (numbers tolerated when they are whole).
    static func int64(_ value: Any, _ name: String) throws(DecodeError) -> Int64 {
        if let text = value as? String, let parsed = Int64(text) { return parsed }
        if let number = value as? NSNumber, let exact = Int64(exactly: number.doubleValue) { return exact }
        throw DecodeError(description: "\(name) is not an int64")
    }

    /// proto3 double: a number, or `NaN`, `Infinity`, `-Infinity` as strings.
    static func double(_ value: Any, _ name: String) throws(DecodeError) -> Double {
        if let text = value as? String {
            switch text {
            case "NaN": return .nan
            case "Infinity": return .infinity
            case "-Infinity": return -.infinity
            default:
                if let parsed = Double(text) { return parsed }
            }
        } else if let number = value as? NSNumber {
            return number.doubleValue
        }
        throw DecodeError(description: "\(name) is not a number")
    }
}
