import Exposition

/// The labels of one exported series, as stackdriver_exporter gives them: the metric's labels
/// under their own names, then the monitored resource's, then `project_id` when the resource
/// had none. Where stackdriver_exporter drops a resource label whose name a metric label
/// already took, this keeps it as `resource_<key>`; names a sample cannot carry (`le` on a
/// histogram, a `__` prefix) get the `metric_` or `resource_` prefix too.
enum SeriesLabels {
    static func make(_ series: TimeSeries, project: String, isHistogram: Bool) -> [Label] {
        var labels: [Label] = []
        var used = Set<String>()
        func place(_ key: String, _ value: String, fallbackPrefix: String) {
            var name = StackdriverNaming.labelName(key)
            if name.hasPrefix("__") || (isHistogram && name == "le") || used.contains(name) {
                name = fallbackPrefix + name
            }
            // Still taken: the first label of that name wins, as in stackdriver_exporter.
            guard !name.hasPrefix("__"), used.insert(name).inserted else { return }
            labels.append(Label(name, value))
        }
        for key in series.metricLabels.keys.sorted() {
            place(key, series.metricLabels[key] ?? "", fallbackPrefix: "metric_")
        }
        for key in series.resourceLabels.keys.sorted() {
            place(key, series.resourceLabels[key] ?? "", fallbackPrefix: "resource_")
        }
        if !used.contains("project_id") { labels.append(Label("project_id", project)) }
        return labels.sorted { $0.name < $1.name }
    }
}
