/// Counts records by the values of some fields: one counter per distinct combination, in the
/// order of `fields`. The number of combinations is capped, because a label set per distinct
/// value can grow without bound (user names, IP addresses); records with a combination beyond
/// the cap are counted in `overflow` instead.
public struct EventCounter: Sendable, Codable, Equatable {
    public private(set) var fields: [String]
    public private(set) var maxKeys: Int
    public private(set) var counts: [[String]: Double] = [:]
    public private(set) var overflow: Double = 0

    public init(fields: [String], maxKeys: Int = 10_000) {
        self.fields = fields
        self.maxKeys = max(0, maxKeys)
    }

    public mutating func add(_ record: [String: String], count: Double = 1) {
        let key = fields.map { record[$0] ?? "" }
        if counts[key] != nil || counts.count < maxKeys {
            counts[key, default: 0] += count
        } else {
            overflow += count
        }
    }

    public mutating func add(_ records: [[String: String]]) {
        for record in records { add(record) }
    }
}
