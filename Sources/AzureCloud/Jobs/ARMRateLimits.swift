import CloudHTTP

/// What ARM's `x-ms-ratelimit-remaining-*` headers said last, per subscription: exported, and
/// consulted before calls that can wait for the next refresh.
struct ARMRateLimits {
    static let headerPrefix = "x-ms-ratelimit-remaining-"

    struct Key: Hashable {
        var subscription: String
        /// The header name after the prefix, `-` → `_`: `subscription_reads`,
        /// `subscription_resource_requests`, `tenant_reads`.
        var kind: String
    }

    let threshold: Int
    private(set) var remaining: [Key: Double] = [:]

    init(threshold: Int) { self.threshold = threshold }

    mutating func observe(subscription: String, headers: [HTTPField]) {
        for header in headers where header.name.hasPrefix(Self.headerPrefix) {
            guard let value = Double(header.value), value.isFinite, value >= 0 else { continue }
            let kind = String(header.name.dropFirst(Self.headerPrefix.count)).replacingHyphens()
            guard !kind.isEmpty else { continue }
            remaining[Key(subscription: subscription, kind: kind)] = value
        }
    }

    /// Remaining subscription reads fell below the threshold in this refresh.
    func isLow(_ subscription: String) -> Bool {
        guard let reads = remaining[Key(subscription: subscription, kind: "subscription_reads")] else { return false }
        return reads < Double(threshold)
    }
}

private extension String {
    func replacingHyphens() -> String {
        String(map { $0 == "-" ? "_" : $0 }.filter { $0.isLetter || $0.isNumber || $0 == "_" })
    }
}
