/// The finite bucket bounds of a distribution's `bucketOptions`: explicit bounds, or the
/// linear and exponential schemes, expanded as the v3 reference defines them.
enum BucketBounds {
    /// Distributions with more buckets than this are refused rather than expanded.
    static let maxBuckets = 10_000

    static func decode(_ options: [String: Any]) throws(TimeSeriesPage.DecodeError) -> [Double] {
        typealias DecodeError = TimeSeriesPage.DecodeError
        if let raw = options["explicitBuckets"] {
            let explicit = try TimeSeriesPage.dictionary(raw, "explicitBuckets")
            guard let list = (explicit["bounds"] ?? [Any]()) as? [Any] else {
                throw DecodeError(description: "explicitBuckets.bounds is not a list")
            }
            var bounds: [Double] = []
            for item in list { bounds.append(try TimeSeriesPage.double(item, "explicitBuckets.bounds")) }
            guard bounds.count <= maxBuckets, zip(bounds, bounds.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw DecodeError(description: "explicitBuckets.bounds are not strictly ascending or too many")
            }
            return bounds
        }
        if let raw = options["linearBuckets"] {
            let linear = try TimeSeriesPage.dictionary(raw, "linearBuckets")
            let count = try finiteBuckets(linear["numFiniteBuckets"])
            let width = try TimeSeriesPage.double(linear["width"] ?? 0.0, "linearBuckets.width")
            let offset = try TimeSeriesPage.double(linear["offset"] ?? 0.0, "linearBuckets.offset")
            guard width > 0, offset.isFinite else { throw DecodeError(description: "linearBuckets.width must be positive") }
            return (0...count).map { offset + width * Double($0) }
        }
        if let raw = options["exponentialBuckets"] {
            let exponential = try TimeSeriesPage.dictionary(raw, "exponentialBuckets")
            let count = try finiteBuckets(exponential["numFiniteBuckets"])
            let growth = try TimeSeriesPage.double(exponential["growthFactor"] ?? 0.0, "exponentialBuckets.growthFactor")
            let scale = try TimeSeriesPage.double(exponential["scale"] ?? 0.0, "exponentialBuckets.scale")
            guard growth > 1, scale > 0, scale.isFinite else {
                throw DecodeError(description: "exponentialBuckets needs growthFactor > 1 and scale > 0")
            }
            var bounds: [Double] = []
            var bound = scale
            for _ in 0...count {
                bounds.append(bound)
                bound *= growth
            }
            return bounds
        }
        return []
    }

    private static func finiteBuckets(_ value: Any?) throws(TimeSeriesPage.DecodeError) -> Int {
        let count = try TimeSeriesPage.int64(value ?? 0, "numFiniteBuckets")
        guard count > 0, count < Int64(maxBuckets) else {
            throw TimeSeriesPage.DecodeError(description: "numFiniteBuckets must be between 1 and \(maxBuckets - 1)")
        }
        return Int(count)
    }
}
