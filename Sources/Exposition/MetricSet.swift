/// What normalising a scrape's families dropped, so the exporter can count it.
public struct NormalizationReport: Sendable, Equatable {
    /// Series whose label set already appeared in the family (the first one wins).
    public var duplicateSeries = 0
    /// Series or families dropped for invalid names or a type that conflicts with an earlier family.
    public var invalidSeries = 0

    public init(duplicateSeries: Int = 0, invalidSeries: Int = 0) {
        self.duplicateSeries = duplicateSeries
        self.invalidSeries = invalidSeries
    }
}

/// The families of one scrape, gathered from every source, in the order they were added.
public struct MetricSet: Sendable {
    public private(set) var families: [MetricFamily] = []

    public init(_ families: [MetricFamily] = []) {
        self.families = families
    }

    public mutating func append(_ family: MetricFamily) {
        families.append(family)
    }

    public mutating func append(contentsOf other: some Sequence<MetricFamily>) {
        families.append(contentsOf: other)
    }

    /// Brings the set into its exposition shape: one family per name (families are never split),
    /// families sorted by name, labels sorted by name, series sorted by labels, duplicates dropped
    /// (first added wins) and invalid names dropped. The result is the same for the same input,
    /// whatever order the sources finished in, as long as each source adds its families in a fixed order.
    public mutating func normalize() -> NormalizationReport {
        var report = NormalizationReport()
        // Names copied out once: the sort then compares strings without touching the families.
        let names = families.map(\.name)
        let order = names.indices.sorted { lhs, rhs in
            names[lhs] != names[rhs] ? names[lhs] < names[rhs] : lhs < rhs
        }
        var merged: [MetricFamily] = []
        merged.reserveCapacity(families.count)
        for index in order {
            var family = families[index]
            guard MetricNames.isValidMetricName(family.name) else {
                report.invalidSeries += family.samples.count
                continue
            }
            if var last = merged.last, last.name == family.name {
                guard last.type == family.type else {
                    report.invalidSeries += family.samples.count
                    continue
                }
                if last.help.isEmpty { last.help = family.help }
                last.samples.append(contentsOf: family.samples)
                merged[merged.count - 1] = last
                family.samples = []
                continue
            }
            merged.append(family)
        }
        for index in merged.indices {
            Self.normalizeSeries(of: &merged[index], report: &report)
        }
        families = merged
        return report
    }

    private static func normalizeSeries(of family: inout MetricFamily, report: inout NormalizationReport) {
        // One series (most families): nothing to order or de-duplicate, only labels to check.
        if family.samples.count == 1 {
            if family.samples[0].labels.count > 1 && !isSortedByName(family.samples[0].labels) {
                family.samples[0].labels.sort { $0.name < $1.name }
            }
            if !hasValidLabels(family.samples[0].labels) {
                report.invalidSeries += 1
                family.samples = []
            }
            return
        }
        var samples = family.samples
        family.samples = []
        var valid: [Sample] = []
        valid.reserveCapacity(samples.count)
        for index in samples.indices {
            if samples[index].labels.count > 1 && !isSortedByName(samples[index].labels) {
                samples[index].labels.sort { $0.name < $1.name }
            }
            if hasValidLabels(samples[index].labels) {
                valid.append(samples[index])
            } else {
                report.invalidSeries += 1
            }
        }
        // Most collectors already emit their series in order: then there is nothing to sort and,
        // the order being strict, no duplicate to drop.
        let type = family.type
        if valid.indices.dropFirst().allSatisfy({ compare(valid[$0 - 1], valid[$0], type) == .less }) {
            family.samples = valid
            return
        }
        // Sort positions, not values, so equal label sets keep their insertion order (first wins).
        let order = valid.indices.sorted { lhs, rhs in
            switch compare(valid[lhs], valid[rhs], type) {
            case .less: return true
            case .greater: return false
            case .equal: return lhs < rhs
            }
        }
        var result: [Sample] = []
        result.reserveCapacity(valid.count)
        for index in order {
            if let last = result.last, compare(last, valid[index], type) == .equal {
                report.duplicateSeries += 1
                continue
            }
            result.append(valid[index])
        }
        family.samples = result
    }

    private static func isSortedByName(_ labels: [Label]) -> Bool {
        for index in labels.indices.dropFirst() where !(labels[index - 1].name < labels[index].name) {
            return false
        }
        return true
    }

    private static func hasValidLabels(_ labels: [Label]) -> Bool {
        for index in labels.indices {
            guard MetricNames.isValidLabelName(labels[index].name) else { return false }
            if index > 0, labels[index - 1].name == labels[index].name { return false }
        }
        return true
    }

    private enum Order { case less, equal, greater }

    /// Series order within a family. Histograms and summaries keep each label set's samples
    /// together, as the formats require: buckets (or quantiles) by their bound, then `_sum`,
    /// then `_count`.
    private static func compare(_ lhs: Sample, _ rhs: Sample, _ type: MetricType) -> Order {
        guard type == .histogram || type == .summary else {
            let byLabels = compare(lhs.labels, rhs.labels)
            if byLabels != .equal || lhs.suffix == rhs.suffix { return byLabels }
            return compareBytes(lhs.suffix, rhs.suffix)
        }
        let bound = type == .histogram ? "le" : "quantile"
        let group = compare(lhs.labels.filter { $0.name != bound }, rhs.labels.filter { $0.name != bound })
        if group != .equal { return group }
        let lhsRank = suffixRank(lhs.suffix), rhsRank = suffixRank(rhs.suffix)
        if lhsRank != rhsRank { return lhsRank < rhsRank ? .less : .greater }
        let lhsBound = boundValue(lhs.labels, bound), rhsBound = boundValue(rhs.labels, bound)
        if lhsBound != rhsBound { return lhsBound < rhsBound ? .less : .greater }
        return compare(lhs.labels, rhs.labels)
    }

    private static func suffixRank(_ suffix: String) -> Int {
        switch suffix {
        case "_sum": 1
        case "_count": 2
        case "", "_bucket": 0
        default: 3
        }
    }

    /// The `le` or `quantile` value as a number (`+Inf` is infinity); NaN sorts last.
    private static func boundValue(_ labels: [Label], _ name: String) -> Double {
        guard let text = labels.first(where: { $0.name == name })?.value else { return -.infinity }
        if text == "+Inf" || text == "Inf" { return .infinity }
        return Double(text) ?? .greatestFiniteMagnitude
    }

    private static func compare(_ lhs: [Label], _ rhs: [Label]) -> Order {
        let count = min(lhs.count, rhs.count)
        for index in 0..<count {
            let l = lhs[index], r = rhs[index]
            let names = compareBytes(l.name, r.name)
            if names != .equal { return names }
            let values = compareBytes(l.value, r.value)
            if values != .equal { return values }
        }
        if lhs.count == rhs.count { return .equal }
        return lhs.count < rhs.count ? .less : .greater
    }

    /// Byte-wise UTF-8 order, as Prometheus compares label values. `String`'s own `==` and `<` follow
    /// Unicode canonical equivalence, which would merge distinct series such as "é" and "e\u{301}".
    private static func compareBytes(_ lhs: String, _ rhs: String) -> Order {
        var left = lhs.utf8.makeIterator(), right = rhs.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return .equal
            case (nil, _): return .less
            case (_, nil): return .greater
            case let (l?, r?) where l != r: return l < r ? .less : .greater
            default: continue
            }
        }
    }
}
