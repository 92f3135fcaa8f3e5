/// The kind of a metric family, as the exposition formats name it.
public enum MetricType: Sendable, Equatable {
    case counter
    case gauge
    /// Text format `untyped`, OpenMetrics `unknown`.
    case untyped
    /// OpenMetrics `info`; written as a gauge in the text format. The family name ends in `_info`.
    case info
    /// Samples `<name>_bucket{le}`, `<name>_sum`, `<name>_count` (their `suffix`).
    case histogram
    /// Samples `<name>{quantile}`, `<name>_sum`, `<name>_count` (their `suffix`).
    case summary
}

/// One label of a series.
public struct Label: Sendable, Hashable {
    public var name: String
    public var value: String

    @inlinable
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// One series of a family: its labels and its current value. No timestamps, by design.
public struct Sample: Sendable {
    public var labels: [Label]
    public var value: Double
    /// Appended to the family name for this sample: `_bucket`, `_sum` or `_count` in histograms
    /// and summaries, empty otherwise.
    public var suffix: String

    @inlinable
    public init(labels: [Label], value: Double, suffix: String = "") {
        self.labels = labels
        self.value = value
        self.suffix = suffix
    }
}

/// A metric family: a name, a type, a help text and its series.
///
/// `name` is the name users see in the text format (for example `node_cpu_seconds_total`,
/// `nimbus_exporter_build_info`); the OpenMetrics encoder derives the family name from it.
public struct MetricFamily: Sendable {
    public var name: String
    public var type: MetricType
    public var help: String
    /// OpenMetrics unit (`seconds`, `bytes`); written only when the family name ends in it.
    public var unit: String?
    public var samples: [Sample]

    public init(name: String, type: MetricType, help: String, unit: String? = nil, samples: [Sample] = []) {
        self.name = name
        self.type = type
        self.help = help
        self.unit = unit
        self.samples = samples
    }

    /// Adds a series. Labels are given in any order; the encoder sorts them.
    @inlinable
    public mutating func add(_ value: Double, _ labels: KeyValuePairs<String, String> = [:]) {
        var list: [Label] = []
        list.reserveCapacity(labels.count)
        for (name, labelValue) in labels {
            list.append(Label(name, labelValue))
        }
        samples.append(Sample(labels: list, value: value))
    }

    /// Adds a series whose labels are already built (`suffix`: see `Sample.suffix`).
    @inlinable
    public mutating func add(_ value: Double, labels: [Label], suffix: String = "") {
        samples.append(Sample(labels: labels, value: value, suffix: suffix))
    }
}

extension MetricFamily {
    /// A family holding one unlabelled series.
    public static func single(_ name: String, _ type: MetricType, help: String, value: Double) -> MetricFamily {
        MetricFamily(name: name, type: type, help: help, samples: [Sample(labels: [], value: value)])
    }
}
