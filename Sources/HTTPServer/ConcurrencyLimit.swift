import Synchronization

/// Lets at most `maximum` requests through at once and answers the rest with 503, the way
/// node_exporter's `--web.max-requests` does. `maximum` 0 means no limit.
public final class ConcurrencyLimit: Sendable {
    public let maximum: Int
    private let inFlight = Atomic<Int>(0)

    public init(maximum: Int) {
        self.maximum = maximum
    }

    /// Runs `body` if a slot is free, otherwise returns the 503 response.
    public func run(_ body: () -> HTTPResponse) -> HTTPResponse {
        let current = inFlight.wrappingAdd(1, ordering: .acquiring).newValue
        defer { inFlight.wrappingSubtract(1, ordering: .releasing) }
        if maximum > 0 && current > maximum {
            return .text(503, "Limit of concurrent requests reached (\(maximum)), try again later.\n")
        }
        return body()
    }
}
