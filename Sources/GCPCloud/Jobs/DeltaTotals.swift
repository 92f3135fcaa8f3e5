import Exposition

/// DELTA series summed into counters across refreshes. Each series remembers the end time of
/// the newest point it has added, so the overlapping windows of consecutive refreshes never add
/// a point twice. Persisted with the cache, so a restart continues the counters.
struct DeltaTotals: Codable, Sendable, Equatable {
    struct Entry: Codable, Sendable, Equatable {
        var name: String
        var help: String
        /// Label names and values, alternating, sorted by name.
        var labels: [String]
        /// End time (Unix seconds) of the newest point added.
        var lastEnd: Double
        /// When the series last had a point in a window; series gone long enough are dropped.
        var lastSeen: Double
        var value: Double?
        var histogram: HistogramTotals?
    }

    var entries: [String: Entry] = [:]

    static func key(name: String, labels: [Label]) -> String {
        ([name] + labels.flatMap { [$0.name, $0.value] }).joined(separator: "\u{1}")
    }

    /// Adds the points of `series` newer than what this series has added before (all of them
    /// the first time it is seen), oldest first.
    mutating func add(_ series: TimeSeries, name: String, help: String, labels: [Label], now: Double) {
        let key = Self.key(name: name, labels: labels)
        var entry = entries[key] ?? Entry(name: name, help: help, labels: labels.flatMap { [$0.name, $0.value] },
                                          lastEnd: -.infinity, lastSeen: now)
        entry.lastSeen = now
        entry.help = help
        for point in series.points.sorted(by: { $0.endTime < $1.endTime }) where point.endTime > entry.lastEnd {
            switch point.value {
            case .distribution(let distribution):
                let totals = HistogramTotals(distribution)
                // New bucket bounds restart the histogram, which Prometheus reads as a reset.
                if entry.histogram == nil || entry.histogram?.add(totals) == false { entry.histogram = totals }
                entry.value = nil
            default:
                // A counter never goes down: negative or undefined deltas are left out.
                guard let number = point.value.number, number.isFinite, number >= 0 else { break }
                entry.value = (entry.value ?? 0) + number
                entry.histogram = nil
            }
            entry.lastEnd = point.endTime
        }
        entries[key] = entry
    }

    /// Forgets series without a point for `retention` seconds: a resource that is gone must
    /// not linger, while sparse deltas (errors that happen now and then) keep their counters.
    mutating func prune(now: Double, retention: Double) {
        entries = entries.filter { now - $0.value.lastSeen <= retention }
    }
}

extension DeltaTotals.Entry {
    var labelList: [Label] {
        stride(from: 0, to: labels.count - 1, by: 2).map { Label(labels[$0], labels[$0 + 1]) }
    }
}
