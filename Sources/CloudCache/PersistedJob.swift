import Exposition
import Foundation

/// What is kept on disk for one job: its last good families and the job's own state, so a
/// restart serves data at once and continues from its watermarks instead of re-polling.
struct PersistedJob: Codable {
    static let currentVersion = 1

    var version: Int
    var job: String
    var fingerprint: String
    /// Seconds since the epoch of the refresh that produced `families`.
    var lastSuccess: Double
    var families: [PersistedFamily]
    var state: Data
}

struct PersistedFamily: Codable {
    var name: String
    var type: String
    var help: String
    var unit: String?
    var samples: [PersistedSample]

    init(_ family: MetricFamily) {
        name = family.name
        type = Self.typeName(family.type)
        help = family.help
        unit = family.unit
        samples = family.samples.map(PersistedSample.init)
    }

    var family: MetricFamily? {
        guard let metricType = Self.metricType(type) else { return nil }
        return MetricFamily(name: name, type: metricType, help: help, unit: unit, samples: samples.map(\.sample))
    }

    private static func typeName(_ type: MetricType) -> String {
        switch type {
        case .counter: "counter"
        case .gauge: "gauge"
        case .untyped: "untyped"
        case .info: "info"
        case .histogram: "histogram"
        case .summary: "summary"
        }
    }

    private static func metricType(_ name: String) -> MetricType? {
        switch name {
        case "counter": .counter
        case "gauge": .gauge
        case "untyped": .untyped
        case "info": .info
        case "histogram": .histogram
        case "summary": .summary
        default: nil
        }
    }
}

struct PersistedSample: Codable {
    /// Label names and values, alternating.
    var labels: [String]
    var value: Double
    var suffix: String?

    init(_ sample: Sample) {
        labels = sample.labels.flatMap { [$0.name, $0.value] }
        value = sample.value
        suffix = sample.suffix.isEmpty ? nil : sample.suffix
    }

    var sample: Sample {
        var list: [Label] = []
        var index = 0
        while index + 1 < labels.count {
            list.append(Label(labels[index], labels[index + 1]))
            index += 2
        }
        return Sample(labels: list, value: value, suffix: suffix ?? "")
    }
}
