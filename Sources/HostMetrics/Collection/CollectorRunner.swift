import Exposition
import Synchronization

/// The outcome of one collector in one scrape.
public struct CollectorOutcome: Sendable {
    public var name: String
    public var families: [MetricFamily]
    public var seconds: Double
    /// nil on success; otherwise why it failed (error, deadline, still running).
    public var failure: String?
}

/// Runs the enabled collectors for a scrape in parallel on a worker pool, each under a
/// deadline, and reports each one's duration and success the way node_exporter does.
///
/// A collector that misses the deadline is reported failed and its late result discarded; until
/// that late run returns, later scrapes do not start it again (so a hung read costs one thread,
/// not one per scrape) and report it failed too. Collectors that keep their deadline may run for
/// several concurrent scrapes at once.
public final class CollectorRunner: Sendable {
    public let collectors: [any Collector]
    public let paths: HostPaths
    public let timeoutNanoseconds: UInt64
    private let pool: WorkerPool
    /// Per collector: runs in flight, and whether one of them has overrun its deadline.
    private let states: Mutex<[RunState]>

    private struct RunState {
        var running = 0
        var overdue = false
        /// How long the last run took, to start the slowest collectors first.
        var lastNanoseconds: UInt64 = 0
    }

    public init(collectors: [any Collector], paths: HostPaths, timeoutSeconds: Double, pool: WorkerPool) {
        self.collectors = collectors
        self.paths = paths
        self.timeoutNanoseconds = UInt64(max(timeoutSeconds, 0.001) * 1e9)
        self.pool = pool
        self.states = Mutex(Array(repeating: RunState(), count: collectors.count))
    }

    /// Runs the collectors whose names pass `include` and returns their outcomes in collector order.
    public func run(include: (String) -> Bool = { _ in true }) -> [CollectorOutcome] {
        let selected = collectors.indices.filter { include(collectors[$0].name) }
        let batch = Batch(count: selected.count)
        let deadline = Clock.monotonicNanoseconds() + timeoutNanoseconds
        // Longest first (by the last run's time): with few worker threads, that ends the scrape
        // soonest. Results still come back in catalog order, by slot.
        let lastTimes = states.withLock { states in selected.map { states[$0].lastNanoseconds } }
        let order = selected.indices.sorted { lastTimes[$0] != lastTimes[$1] ? lastTimes[$0] > lastTimes[$1] : $0 < $1 }
        for slot in order {
            let index = selected[slot]
            let collector = collectors[index]
            let started = states.withLock { states in
                if states[index].overdue { return false }
                states[index].running += 1
                return true
            }
            guard started else {
                batch.finish(slot, CollectorOutcome(name: collector.name, families: [], seconds: 0,
                                                    failure: "still running from an earlier scrape, past its deadline"))
                continue
            }
            let paths = self.paths
            pool.submit { [self] reader in
                let start = Clock.monotonicNanoseconds()
                var context = CollectContext(paths: paths, reader: reader)
                var outcome: CollectorOutcome
                do {
                    let families = try collector.collect(&context)
                    outcome = CollectorOutcome(name: collector.name, families: families, seconds: 0, failure: nil)
                } catch {
                    outcome = CollectorOutcome(name: collector.name, families: [], seconds: 0, failure: "\(error)")
                }
                reader = context.reader
                let elapsed = Clock.monotonicNanoseconds() - start
                outcome.seconds = Double(elapsed) / 1e9
                states.withLock { states in
                    states[index].lastNanoseconds = elapsed
                    states[index].running -= 1
                    if states[index].running == 0 { states[index].overdue = false }
                }
                batch.finish(slot, outcome)
            }
        }
        let outcomes = batch.await(until: deadline)
        return outcomes.enumerated().map { slot, outcome in
            if let outcome { return outcome }
            let index = selected[slot]
            let newlyOverdue = states.withLock { states in
                // The run may have finished between the deadline and this lock.
                guard states[index].running > 0, !states[index].overdue else { return false }
                states[index].overdue = true
                return true
            }
            // A thread is held by the late run: give the pool one more so others are not starved.
            if newlyOverdue { pool.addThread() }
            return CollectorOutcome(name: collectors[index].name, families: [],
                                    seconds: Double(timeoutNanoseconds) / 1e9, failure: "deadline exceeded")
        }
    }

    /// The collector families plus `node_scrape_collector_duration_seconds` and
    /// `node_scrape_collector_success`.
    public static func families(of outcomes: [CollectorOutcome]) -> [MetricFamily] {
        var duration = MetricFamily(name: "node_scrape_collector_duration_seconds", type: .gauge,
                                    help: "How long each collector took in this scrape, in seconds.")
        var success = MetricFamily(name: "node_scrape_collector_success", type: .gauge,
                                   help: "Whether each collector succeeded in this scrape (1) or failed or timed out (0).")
        var result: [MetricFamily] = []
        for outcome in outcomes {
            result.append(contentsOf: outcome.families)
            duration.add(outcome.seconds, ["collector": outcome.name])
            success.add(outcome.failure == nil ? 1 : 0, ["collector": outcome.name])
        }
        result.append(duration)
        result.append(success)
        return result
    }

    /// Result slots for one scrape, filled by worker threads.
    private final class Batch: @unchecked Sendable {
        private let lock = ConditionLock()
        private var outcomes: [CollectorOutcome?]
        private var remaining: Int
        private var closed = false

        init(count: Int) {
            outcomes = Array(repeating: nil, count: count)
            remaining = count
        }

        func finish(_ slot: Int, _ outcome: CollectorOutcome) {
            lock.withLock {
                guard !closed else { return }
                outcomes[slot] = outcome
                remaining -= 1
                if remaining == 0 { lock.broadcast() }
            }
        }

        /// Waits for every slot or the deadline; later arrivals are ignored.
        func await(until deadline: UInt64) -> [CollectorOutcome?] {
            lock.withLock {
                while remaining > 0 {
                    if !lock.wait(until: deadline) { break }
                }
                closed = true
                return outcomes
            }
        }
    }
}
