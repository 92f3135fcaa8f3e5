import Exposition
import Foundation
import Logging
import Synchronization

/// Runs every cloud job in the background, each on its own thread and interval, and keeps their
/// last good families rendered in both exposition formats. A scrape only copies those bytes:
/// it never calls a cloud API and never waits for a refresh.
public final class CloudCache: Sendable {
    public struct Settings: Sendable {
        /// Families older than this (seconds, per job; nil: five intervals, at least 5 minutes)
        /// are no longer served: stale numbers look current on a dashboard.
        public var maxAge: @Sendable (any CloudJob) -> Double
        /// Where caches persist across restarts; nil keeps them in memory only.
        public var store: CacheStore?

        public init(store: CacheStore? = nil,
                    maxAge: @escaping @Sendable (any CloudJob) -> Double = { max($0.interval * 5, 300) }) {
            self.store = store
            self.maxAge = maxAge
        }
    }

    private struct Entry {
        var families: [MetricFamily] = []
        var lastSuccess: Double?
        var lastDuration: Double?
        var refreshes = 0
        var failures = 0
        var lastError: String?
        var restoredFromDisk = false
    }

    private struct Rendered {
        var text: [UInt8] = []
        var openMetrics: [UInt8] = []
        /// Jobs whose families are in the rendering, to notice when one goes stale.
        var servedJobs: Set<String> = []
    }

    public let jobs: [any CloudJob]
    public let stats: CloudStats
    private let settings: Settings
    private let logger: Logger
    private let entries: Mutex<[String: Entry]>
    private let rendered = Mutex(Rendered())
    private let renderLock = Mutex(())
    private let persistErrors = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    /// When the cache was created: a job that has never succeeded counts as stale only once
    /// its maximum age has passed since then, so start-up does not look like an outage.
    private let createdAt = Date().timeIntervalSince1970
    private let wakeUp = NSCondition()

    public init(jobs: [any CloudJob], settings: Settings = Settings(), stats: CloudStats = CloudStats(), logger: Logger) {
        self.jobs = jobs
        self.settings = settings
        self.stats = stats
        self.logger = logger
        self.entries = Mutex(Dictionary(uniqueKeysWithValues: jobs.map { ($0.name, Entry()) }))
    }

    /// Loads persisted caches, then starts one refresh thread per job. A job whose persisted
    /// data is younger than its interval waits for the rest of the interval instead of calling
    /// the API again at once.
    public func start() {
        let now = Date().timeIntervalSince1970
        for job in jobs {
            let firstDue = restore(job, now: now)
            let thread = Thread { [self] in self.runLoop(job, firstDue: firstDue) }
            thread.name = "cloud-\(job.name)"
            thread.start()
        }
        rerender(now: now)
    }

    /// Stops scheduling refreshes; one in flight finishes in the background.
    public func stop() {
        stopping.store(true, ordering: .relaxed)
        wakeUp.lock()
        wakeUp.broadcast()
        wakeUp.unlock()
    }

    /// Appends the cached cloud families in `format` (without an OpenMetrics `# EOF`).
    public func appendRendered(format: ExpositionFormat, into out: inout [UInt8]) {
        let now = Date().timeIntervalSince1970
        if needsRerender(now: now) { rerender(now: now) }
        rendered.withLock { rendered in
            switch format {
            case .prometheusText: out.append(contentsOf: rendered.text)
            case .openMetrics: out.append(contentsOf: rendered.openMetrics)
            }
        }
    }

    /// Per-job freshness and the request counters, computed at scrape time.
    public func selfFamilies() -> [MetricFamily] {
        let now = Date().timeIntervalSince1970
        let snapshot = entries.withLock { $0 }
        var age = MetricFamily(name: "nimbus_cloud_cache_age_seconds", type: .gauge,
                               help: "Seconds since the job's cached values were last refreshed successfully.")
        var lastSuccess = MetricFamily(name: "nimbus_cloud_last_success_timestamp_seconds", type: .gauge,
                                       help: "When the job last refreshed successfully, in seconds since the epoch.")
        var duration = MetricFamily(name: "nimbus_cloud_refresh_duration_seconds", type: .gauge,
                                    help: "How long the job's last refresh took.")
        var refreshes = MetricFamily(name: "nimbus_cloud_refreshes_total", type: .counter,
                                     help: "Background refreshes the job has run.")
        var failures = MetricFamily(name: "nimbus_cloud_refresh_errors_total", type: .counter,
                                    help: "Background refreshes that failed; the last good values were kept.")
        var stale = MetricFamily(name: "nimbus_cloud_cache_stale", type: .gauge,
                                 help: "1 when the job's cached values are older than their maximum age (or it has had none for that long) and none are served.")
        for job in jobs {
            guard let entry = snapshot[job.name] else { continue }
            let labels: KeyValuePairs<String, String> = ["job_name": job.name, "provider": job.provider]
            if let success = entry.lastSuccess {
                age.add(max(0, now - success), labels)
                lastSuccess.add(success, labels)
            }
            if let seconds = entry.lastDuration { duration.add(seconds, labels) }
            refreshes.add(Double(entry.refreshes), labels)
            failures.add(Double(entry.failures), labels)
            let isStale = entry.lastSuccess == nil ? now - createdAt > settings.maxAge(job) : !isServable(entry, job, now: now)
            stale.add(isStale ? 1 : 0, labels)
        }
        let persist = MetricFamily.single("nimbus_cloud_cache_persist_errors_total", .counter,
                                          help: "Failed attempts to write a job's cache to disk; the cache in memory is kept.",
                                          value: Double(persistErrors.load(ordering: .relaxed)))
        return [age, lastSuccess, duration, refreshes, failures, stale, persist] + stats.families()
    }

    /// The number of refreshes `job` has finished (tests and readiness).
    public func refreshCount(job: String) -> Int {
        entries.withLock { $0[job]?.refreshes ?? 0 }
    }

    // MARK: Refreshing

    private func runLoop(_ job: any CloudJob, firstDue: Double) {
        var due = firstDue
        while !stopping.load(ordering: .relaxed) {
            if !sleep(until: due) { return }
            let started = Date().timeIntervalSince1970
            refresh(job, startedAt: started)
            let finished = Date().timeIntervalSince1970
            // A refresh longer than the interval starts the next one at once, never two at a time.
            due = max(started + job.interval, finished)
        }
    }

    /// False when stopping.
    private func sleep(until due: Double) -> Bool {
        wakeUp.lock()
        defer { wakeUp.unlock() }
        while !stopping.load(ordering: .relaxed) {
            let remaining = due - Date().timeIntervalSince1970
            if remaining <= 0 { return true }
            _ = wakeUp.wait(until: Date(timeIntervalSinceNow: remaining))
        }
        return false
    }

    private func refresh(_ job: any CloudJob, startedAt: Double) {
        let context = RefreshContext(stats: stats, logger: logger, startedAt: startedAt)
        do {
            var set = MetricSet(try job.refresh(context))
            let report = set.normalize()
            if report.duplicateSeries > 0 || report.invalidSeries > 0 {
                logger.warning("cloud job produced series that were dropped", metadata: [
                    "job": "\(job.name)", "duplicate": "\(report.duplicateSeries)", "invalid": "\(report.invalidSeries)",
                ])
            }
            let finished = Date().timeIntervalSince1970
            entries.withLock { entries in
                entries[job.name, default: Entry()].families = set.families
                entries[job.name, default: Entry()].lastSuccess = finished
                entries[job.name, default: Entry()].lastDuration = finished - startedAt
                entries[job.name, default: Entry()].lastError = nil
                entries[job.name, default: Entry()].restoredFromDisk = false
            }
            logger.debug("cloud job refreshed", metadata: ["job": "\(job.name)", "seconds": "\(finished - startedAt)"])
            rerender(now: finished)
            persist(job, families: set.families, lastSuccess: finished)
            // Counted last: a refresh is done once it is served and on disk.
            entries.withLock { $0[job.name, default: Entry()].refreshes += 1 }
        } catch {
            let finished = Date().timeIntervalSince1970
            entries.withLock { entries in
                entries[job.name, default: Entry()].lastDuration = finished - startedAt
                entries[job.name, default: Entry()].lastError = "\(error)"
            }
            logger.error("cloud job refresh failed; serving the last good values", metadata: [
                "job": "\(job.name)", "err": "\(error)",
            ])
            // Watermarks may have moved even when the refresh as a whole failed.
            persist(job, families: nil, lastSuccess: nil)
            entries.withLock { entries in
                entries[job.name, default: Entry()].refreshes += 1
                entries[job.name, default: Entry()].failures += 1
            }
        }
    }

    // MARK: Rendering

    private func isServable(_ entry: Entry, _ job: any CloudJob, now: Double) -> Bool {
        guard let success = entry.lastSuccess else { return false }
        return now - success <= settings.maxAge(job)
    }

    private func servableJobs(now: Double) -> Set<String> {
        let snapshot = entries.withLock { $0 }
        var names = Set<String>()
        for job in jobs where snapshot[job.name].map({ isServable($0, job, now: now) }) == true {
            names.insert(job.name)
        }
        return names
    }

    private func needsRerender(now: Double) -> Bool {
        let served = rendered.withLock { $0.servedJobs }
        return served != servableJobs(now: now)
    }

    private func rerender(now: Double) {
        // One rendering at a time, snapshot included: two jobs finishing together could otherwise
        // let the rendering of the older snapshot be stored last, and hide the newer values until
        // some job refreshes again.
        renderLock.withLock { _ in
            let snapshot = entries.withLock { $0 }
            var served = Set<String>()
            var set = MetricSet()
            for job in jobs {
                guard let entry = snapshot[job.name], isServable(entry, job, now: now) else { continue }
                served.insert(job.name)
                set.append(contentsOf: entry.families)
            }
            // Jobs of one provider share family names; normalising merges them into one family each.
            _ = set.normalize()
            var text: [UInt8] = []
            var openMetrics: [UInt8] = []
            TextEncoder.encodeFamilies(set.families, format: .prometheusText, into: &text)
            TextEncoder.encodeFamilies(set.families, format: .openMetrics, into: &openMetrics)
            rendered.withLock { $0 = Rendered(text: text, openMetrics: openMetrics, servedJobs: served) }
        }
    }

    // MARK: Persistence

    /// Restores a job's persisted cache and state; returns when its first refresh is due.
    private func restore(_ job: any CloudJob, now: Double) -> Double {
        let spread = Double.random(in: 0...min(1, job.interval / 10))
        guard let store = settings.store else { return now + spread }
        let persisted: PersistedJob?
        do {
            persisted = try store.load(job: job.name)
        } catch {
            logger.warning("ignoring persisted cache", metadata: ["job": "\(job.name)", "err": "\(error)"])
            return now + spread
        }
        guard let persisted, persisted.version == PersistedJob.currentVersion,
              persisted.fingerprint == job.fingerprint else { return now + spread }
        job.restore(persistentState: Array(persisted.state))
        let families = persisted.families.compactMap(\.family)
        entries.withLock { entries in
            entries[job.name, default: Entry()].families = families
            entries[job.name, default: Entry()].lastSuccess = persisted.lastSuccess > 0 ? persisted.lastSuccess : nil
            entries[job.name, default: Entry()].restoredFromDisk = true
        }
        logger.info("restored persisted cache", metadata: [
            "job": "\(job.name)", "age_seconds": "\(Int(now - persisted.lastSuccess))",
        ])
        return max(now + spread, persisted.lastSuccess + job.interval)
    }

    private func persist(_ job: any CloudJob, families: [MetricFamily]?, lastSuccess: Double?) {
        guard let store = settings.store else { return }
        let kept = entries.withLock { $0[job.name] ?? Entry() }
        let record = PersistedJob(
            version: PersistedJob.currentVersion, job: job.name, fingerprint: job.fingerprint,
            lastSuccess: lastSuccess ?? kept.lastSuccess ?? 0,
            families: (families ?? kept.families).map(PersistedFamily.init),
            state: Data(job.persistentState()))
        do {
            try store.save(record)
        } catch {
            persistErrors.add(1, ordering: .relaxed)
            logger.error("cannot persist the cache; keeping it in memory", metadata: ["job": "\(job.name)", "err": "\(error)"])
        }
    }
}
