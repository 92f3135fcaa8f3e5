/// One exported value: the newest datapoint of one metric, aggregation and timeseries of a
/// resource.
struct MetricReading: Equatable {
    var resource: AzureResource
    var namespace: String
    var metric: String
    var aggregation: AzureMetricConfig.Aggregation
    /// `metadatavalues` of the timeseries (dimension name, value), when a split was asked for.
    var dimensions: [Dimension]
    var value: Double
    var timestamp: Double

    struct Dimension: Equatable {
        var name: String
        var value: String
    }

    /// The newest point of each timeseries that carries each asked-for aggregation.
    static func newest(_ metric: AzureMetricValue, resource: AzureResource, namespace: String,
                       aggregations: [AzureMetricConfig.Aggregation]) -> [MetricReading] {
        var readings: [MetricReading] = []
        for series in metric.timeseries ?? [] {
            let dimensions = (series.metadatavalues ?? []).compactMap { entry -> Dimension? in
                guard let name = entry.name?.value, !name.isEmpty else { return nil }
                return Dimension(name: name, value: entry.value ?? "")
            }
            for aggregation in aggregations {
                var best: (time: Double, value: Double)?
                for point in series.data ?? [] {
                    guard let value = point.value(aggregation), let time = AzureTime.parse(point.timeStamp) else { continue }
                    if best == nil || time > best!.time { best = (time, value) }
                }
                guard let best else { continue }
                readings.append(MetricReading(resource: resource, namespace: namespace, metric: metric.name.value,
                                              aggregation: aggregation, dimensions: dimensions, value: best.value,
                                              timestamp: best.time))
            }
        }
        return readings
    }
}
