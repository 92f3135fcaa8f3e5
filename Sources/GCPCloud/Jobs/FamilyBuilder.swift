import Exposition

/// Collects samples into families by name. A name already taken by a family of another type
/// (the same metric type read twice with different aligners) keeps its first type; the other
/// samples are counted as skipped.
struct FamilyBuilder {
    private(set) var families: [String: MetricFamily] = [:]
    private(set) var skipped = 0

    mutating func add(name: String, type: MetricType, help: String, samples: [Sample]) {
        var family = families[name] ?? MetricFamily(name: name, type: type, help: help)
        guard family.type == type else {
            skipped += samples.count
            return
        }
        family.samples.append(contentsOf: samples)
        families[name] = family
    }

    var sortedFamilies: [MetricFamily] {
        families.keys.sorted().compactMap { families[$0] }
    }
}
