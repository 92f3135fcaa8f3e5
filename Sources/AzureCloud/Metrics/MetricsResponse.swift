/// The metric shape both APIs share (`Metrics - List` 2018-01-01 and `metrics:getBatch`
/// 2023-10-01): `{id, name: {value, localizedValue}, unit, timeseries: [{metadatavalues, data}]}`.
struct AzureMetricValue: Decodable {
    struct LocalizableString: Decodable {
        var value: String
        var localizedValue: String?
    }

    struct MetadataValue: Decodable {
        var name: LocalizableString?
        var value: String?
    }

    struct Point: Decodable {
        var timeStamp: String
        var average: Double?
        var minimum: Double?
        var maximum: Double?
        var total: Double?
        var count: Double?

        func value(_ aggregation: AzureMetricConfig.Aggregation) -> Double? {
            switch aggregation {
            case .average: average
            case .minimum: minimum
            case .maximum: maximum
            case .total: total
            case .count: count
            }
        }
    }

    struct TimeSeries: Decodable {
        var metadatavalues: [MetadataValue]?
        var data: [Point]?
    }

    var id: String?
    var name: LocalizableString
    var unit: String?
    var timeseries: [TimeSeries]?

    /// Every timestamp must be ISO 8601, or the document is not what the reference describes.
    func validate() throws(ResponseShapeError) {
        for series in timeseries ?? [] {
            for point in series.data ?? [] where AzureTime.parse(point.timeStamp) == nil {
                throw ResponseShapeError(reason: "metric \(name.value.prefix(80)): timeStamp '\(point.timeStamp.prefix(40))' is not ISO 8601")
            }
        }
    }
}

/// `GET {resourceId}/providers/Microsoft.Insights/metrics`: `{value: [metric], ...}`.
struct ResourceMetricsResponse: Decodable {
    var value: [AzureMetricValue]
}

/// `POST /subscriptions/{sub}/metrics:getBatch`: `{values: [{resourceid, resourceregion,
/// namespace, value: [metric]}]}`.
struct BatchMetricsResponse: Decodable {
    struct Entry: Decodable {
        var resourceid: String
        var resourceregion: String?
        var namespace: String?
        var value: [AzureMetricValue]
    }

    var values: [Entry]
}
