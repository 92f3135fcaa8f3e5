import Exposition

/// Turns listed time series into samples. GAUGE → gauge, CUMULATIVE → counter, both with the
/// newest point; DELTA → counter summed across refreshes (`DeltaTotals`); distributions of any
/// kind → histograms. Strings, money and unspecified kinds are skipped, as stackdriver_exporter does.
enum SeriesExport {
    static func add(_ series: TimeSeries, project: String, now: Double, to builder: inout FamilyBuilder,
                    deltas: inout DeltaTotals) -> Bool {
        guard let newest = series.points.max(by: { $0.endTime < $1.endTime }) else { return false }
        let name = StackdriverNaming.metricName(resourceType: series.resourceType, metricType: series.metricType)
        let isHistogram = series.valueType == .distribution
        let labels = SeriesLabels.make(series, project: project, isHistogram: isHistogram)
        switch series.metricKind {
        case .unspecified:
            return false
        case .delta:
            guard isHistogram || newest.value.number != nil else { return false }
            deltas.add(series, name: name, help: help(series, "sum of its deltas since the exporter's cache began"),
                       labels: labels, now: now)
            return true
        case .gauge, .cumulative:
            let kindText = series.metricKind == .gauge ? "newest point" : "newest cumulative value"
            if case .distribution(let distribution) = newest.value {
                builder.add(name: name, type: .histogram, help: help(series, kindText),
                            samples: HistogramTotals(distribution).samples(labels: labels))
                return true
            }
            guard let number = newest.value.number else { return false }
            builder.add(name: name, type: series.metricKind == .gauge ? .gauge : .counter, help: help(series, kindText),
                        samples: [Sample(labels: labels, value: number)])
            return true
        }
    }

    /// Every retained DELTA series, as counters or histograms.
    static func add(_ deltas: DeltaTotals, to builder: inout FamilyBuilder) {
        for entry in deltas.entries.values {
            let labels = entry.labelList
            if let histogram = entry.histogram {
                builder.add(name: entry.name, type: .histogram, help: entry.help, samples: histogram.samples(labels: labels))
            } else if let value = entry.value {
                builder.add(name: entry.name, type: .counter, help: entry.help, samples: [Sample(labels: labels, value: value)])
            }
        }
    }

    static func help(_ series: TimeSeries, _ what: String) -> String {
        "Cloud Monitoring \(series.metricType) on \(series.resourceType.isEmpty ? "no resource" : series.resourceType), \(what) (cached)"
    }
}
