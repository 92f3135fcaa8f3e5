import Exposition

/// Running totals of a distribution in Prometheus's terms: per-bucket counts (not yet
/// cumulative) under finite upper bounds, plus the overflow bucket, the count and the sum.
struct HistogramTotals: Codable, Sendable, Equatable {
    var bounds: [Double]
    /// `bounds.count + 1` entries; the last is the overflow bucket.
    var buckets: [Double]
    var count: Double
    var sum: Double

    init(_ distribution: TimeSeries.Distribution) {
        bounds = distribution.bounds
        buckets = Array(repeating: 0, count: distribution.bounds.count + 1)
        // Google's first bucket is the underflow one: below bounds[0], which is its upper bound.
        for (index, value) in distribution.bucketCounts.enumerated() where index < buckets.count {
            buckets[index] = Double(value)
        }
        count = Double(distribution.count)
        sum = distribution.sum.isFinite ? distribution.sum : 0
    }

    /// Adds another interval's distribution; false when its buckets differ and it cannot be added.
    mutating func add(_ other: HistogramTotals) -> Bool {
        guard other.bounds == bounds else { return false }
        for index in buckets.indices { buckets[index] += other.buckets[index] }
        count += other.count
        sum += other.sum
        return true
    }

    /// `_bucket{le}` cumulative up to `+Inf`, then `_sum` and `_count`. `+Inf` and `_count` are
    /// the larger of the stated count and the buckets' total, so no bucket ever exceeds them.
    func samples(labels: [Label]) -> [Sample] {
        var samples: [Sample] = []
        samples.reserveCapacity(bounds.count + 3)
        var running = 0.0
        for (index, bound) in bounds.enumerated() {
            running += buckets[index]
            samples.append(Sample(labels: labels + [Label("le", Self.format(bound))], value: running, suffix: "_bucket"))
        }
        running += buckets.last ?? 0
        let total = max(running, count)
        samples.append(Sample(labels: labels + [Label("le", "+Inf")], value: total, suffix: "_bucket"))
        samples.append(Sample(labels: labels, value: sum, suffix: "_sum"))
        samples.append(Sample(labels: labels, value: total, suffix: "_count"))
        return samples
    }

    /// The bound as the exposition writes floats (`0.5`, `1e+06`), as client libraries do for `le`.
    static func format(_ bound: Double) -> String {
        var bytes: [UInt8] = []
        FloatFormatting.append(bound, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
