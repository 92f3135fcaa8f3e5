/// One series asked of `GetMetricData`: a metric, a statistic, its dimensions and the window.
struct CloudWatchQuery: Sendable {
    var id: String
    var metric: AWSJobConfig.CloudWatchMetric
    var statistic: String
    var dimensions: [AWSJobConfig.CloudWatchMetric.Dimension]
    /// The discovered instance the dimensions came from, for its `name` label.
    var instanceARN: String?
    /// Window in Unix seconds: `[start, end)`, both on period boundaries.
    var start: Double
    var end: Double

    /// The window every refresh asks for: it ends on the last period boundary at least `delay`
    /// before now, so a period still being filled is never read, and spans `length` (at least
    /// the refresh interval), so consecutive windows overlap and no period is skipped. Only the
    /// newest datapoint is exported, so the overlap never counts a period twice. The length is
    /// rounded up to whole periods: the start stays on a boundary, and with an interval that is
    /// not a multiple of the period (90 s over 60 s periods) the ends of two windows can be two
    /// periods apart, which a length of exactly the interval would leave uncovered.
    static func window(now: Double, period: Double, length: Double, delay: Double) -> (start: Double, end: Double) {
        let end = ((now - delay) / period).rounded(.down) * period
        let span = (length / period).rounded(.up) * period
        return (end - span, end)
    }

    /// Every query the configured metrics make for one region's instances.
    static func plan(_ metrics: [AWSJobConfig.CloudWatchMetric], instances: [EC2Instance], region: String,
                     now: Double) -> [CloudWatchQuery] {
        var queries: [CloudWatchQuery] = []
        for metric in metrics {
            let window = window(now: now, period: metric.period, length: metric.length, delay: metric.delay)
            var dimensionSets: [([AWSJobConfig.CloudWatchMetric.Dimension], String?)] = []
            if metric.fromDiscoveredInstances {
                for instance in instances {
                    dimensionSets.append((metric.dimensions + [.init(name: "InstanceId", value: instance.instanceId)],
                                          instance.arn(region: region)))
                }
            } else {
                dimensionSets.append((metric.dimensions, nil))
            }
            for (dimensions, arn) in dimensionSets {
                for statistic in metric.statistics {
                    queries.append(CloudWatchQuery(id: "q\(queries.count)", metric: metric, statistic: statistic,
                                                   dimensions: dimensions, instanceARN: arn,
                                                   start: window.start, end: window.end))
                }
            }
        }
        return queries
    }

    /// This query's `MetricDataQueries.member.N` parameters.
    func parameters(member: Int) -> [(String, String)] {
        let prefix = "MetricDataQueries.member.\(member)"
        var parameters: [(String, String)] = [
            ("\(prefix).Id", id),
            ("\(prefix).MetricStat.Metric.Namespace", metric.namespace),
            ("\(prefix).MetricStat.Metric.MetricName", metric.name),
            ("\(prefix).MetricStat.Period", String(Int(metric.period))),
            ("\(prefix).MetricStat.Stat", statistic),
            ("\(prefix).ReturnData", "true"),
        ]
        for (index, dimension) in dimensions.enumerated() {
            parameters.append(("\(prefix).MetricStat.Metric.Dimensions.member.\(index + 1).Name", dimension.name))
            parameters.append(("\(prefix).MetricStat.Metric.Dimensions.member.\(index + 1).Value", dimension.value))
        }
        return parameters
    }
}
