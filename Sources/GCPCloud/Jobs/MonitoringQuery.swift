/// One `timeSeries.list` call of a refresh: the filter and the window for one configured metric.
struct MonitoringQuery: Sendable, Equatable {
    var metric: GCPJobConfig.Metric
    var filter: String
    /// Unix seconds, both on alignment-period boundaries.
    var start: Double
    var end: Double

    init(metric: GCPJobConfig.Metric, now: Double) {
        self.metric = metric
        self.filter = Self.filter(for: metric)
        (start, end) = Self.window(now: now, period: metric.alignmentPeriod, length: metric.length, delay: metric.delay)
    }

    /// The window ends on the last alignment boundary at least `delay` before now, so a period
    /// still being filled is not read, and spans `length` rounded up to whole periods (at least
    /// the refresh interval), so consecutive windows overlap and no point falls between two
    /// refreshes. Gauges export only the newest point and deltas skip points already added, so
    /// the overlap never counts anything twice.
    static func window(now: Double, period: Double, length: Double, delay: Double) -> (start: Double, end: Double) {
        let end = ((now - delay) / period).rounded(.down) * period
        let span = (length / period).rounded(.up) * period
        return (end - span, end)
    }

    /// `metric.type = "T"` (or `starts_with("T")`), ANDed with the configured terms. Terms
    /// using OR are parenthesised so they stay one operand of the AND, whatever the precedence.
    static func filter(for metric: GCPJobConfig.Metric) -> String {
        var text = metric.typePrefix ? "metric.type = starts_with(\"\(metric.type)\")" : "metric.type = \"\(metric.type)\""
        if let extra = metric.filter {
            let words = extra.split(separator: " ")
            text += words.contains("OR") ? " AND (\(extra))" : " AND \(extra)"
        }
        return text
    }
}
