@testable import CloudCache
import Exposition
import Foundation
import Testing

/// The background cache with fake jobs: rendering, failure handling, maximum age, persistence
/// across restarts and the self metrics. Every wait polls with a deadline.
@Suite struct CloudCacheTests {
    private typealias Support = CacheTestSupport

    private static func cache(_ jobs: [any CloudJob], store: CacheStore? = nil,
                              maxAge: (@Sendable (any CloudJob) -> Double)? = nil) -> CloudCache {
        let settings = maxAge.map { CloudCache.Settings(store: store, maxAge: $0) } ?? CloudCache.Settings(store: store)
        return CloudCache(jobs: jobs, settings: settings, logger: Support.quietLogger)
    }

    private static func temperature(_ value: Double) -> [MetricFamily] {
        [Support.gauge("fake_temperature_celsius", value, ["site": "a"], help: "Fake temperature.")]
    }

    // MARK: Rendering

    @Test func firstRefreshRendersBothFormats() throws {
        let job = FakeCloudJob(name: "render", interval: 3600) { _, _ in
            var requests = MetricFamily(name: "fake_requests_total", type: .counter, help: "Fake requests.")
            requests.add(7, ["code": "200"])
            requests.add(2, ["code": "500"])
            return [Support.gauge("fake_temperature_celsius", 21.5, ["site": "a"], help: "Fake temperature."), requests]
        }
        let cache = Self.cache([job])
        #expect(Support.rendered(cache).isEmpty)
        cache.start()
        defer { cache.stop() }
        #expect(Support.waitUntil { !Support.rendered(cache).isEmpty })

        let text = Support.rendered(cache)
        #expect(text == """
            # HELP fake_requests_total Fake requests.
            # TYPE fake_requests_total counter
            fake_requests_total{code="200"} 7
            fake_requests_total{code="500"} 2
            # HELP fake_temperature_celsius Fake temperature.
            # TYPE fake_temperature_celsius gauge
            fake_temperature_celsius{site="a"} 21.5

            """)
        let openMetrics = Support.rendered(cache, .openMetrics)
        #expect(openMetrics.contains("# TYPE fake_requests counter\n"))
        #expect(openMetrics.contains("fake_requests_total{code=\"200\"} 7\n"))
        #expect(openMetrics.contains("# TYPE fake_temperature_celsius gauge\n"))
        #expect(openMetrics.contains("fake_temperature_celsius{site=\"a\"} 21.5\n"))
        // The caller ends the page: the cache's part carries no `# EOF`.
        #expect(!openMetrics.contains("# EOF"))

        #expect(Support.selfValue(cache, "nimbus_cloud_refreshes_total", job: "render") == 1)
        #expect(Support.selfValue(cache, "nimbus_cloud_refresh_errors_total", job: "render") == 0)
        #expect(Support.selfValue(cache, "nimbus_cloud_cache_stale", job: "render") == 0)
        let lastSuccess = try #require(Support.selfValue(cache, "nimbus_cloud_last_success_timestamp_seconds", job: "render"))
        #expect(abs(lastSuccess - Date().timeIntervalSince1970) < 60)
        #expect((Support.selfValue(cache, "nimbus_cloud_cache_age_seconds", job: "render") ?? -1) >= 0)
        #expect(Support.selfValue(cache, "nimbus_cloud_refresh_duration_seconds", job: "render") != nil)
        #expect(cache.refreshCount(job: "render") == 1)
    }

    @Test func selfMetricsBeforeAnyRefresh() {
        let job = FakeCloudJob(name: "idle", interval: 3600) { _, _ in [] }
        let cache = Self.cache([job])
        #expect(Support.selfValue(cache, "nimbus_cloud_refreshes_total", job: "idle") == 0)
        #expect(Support.selfValue(cache, "nimbus_cloud_last_success_timestamp_seconds", job: "idle") == nil)
        #expect(Support.selfValue(cache, "nimbus_cloud_cache_persist_errors_total") == 0)
        let provider = cache.selfFamilies().first { $0.name == "nimbus_cloud_refreshes_total" }?.samples.first?.labels
        #expect(provider?.contains(Label("provider", "fake")) == true)
    }

    @Test func twoJobsWithOneFamilyNameShareOneHelpAndType() {
        let first = FakeCloudJob(name: "region-a", interval: 3600) { _, _ in
            [Support.gauge("fake_shared", 1, ["region": "a"], help: "Shared family.")]
        }
        let second = FakeCloudJob(name: "region-b", interval: 3600) { _, _ in
            [Support.gauge("fake_shared", 2, ["region": "b"], help: "Shared family.")]
        }
        let cache = Self.cache([first, second])
        cache.start()
        defer { cache.stop() }
        #expect(Support.waitUntil { cache.refreshCount(job: "region-a") == 1 && cache.refreshCount(job: "region-b") == 1 })
        #expect(Support.waitUntil { Support.rendered(cache).contains("region=\"b\"") && Support.rendered(cache).contains("region=\"a\"") })

        let text = Support.rendered(cache)
        #expect(text == """
            # HELP fake_shared Shared family.
            # TYPE fake_shared gauge
            fake_shared{region="a"} 1
            fake_shared{region="b"} 2

            """)
        let openMetrics = Support.rendered(cache, .openMetrics)
        #expect(openMetrics.components(separatedBy: "# TYPE fake_shared ").count == 2)
        #expect(openMetrics.components(separatedBy: "# HELP fake_shared ").count == 2)
    }

    @Test func jobsRecordRequestsThroughTheContext() {
        let job = FakeCloudJob(name: "counting", interval: 3600) { _, context in
            context.stats.recordRequest(provider: "fake", api: "ListThings", outcome: "throttled", willRetry: true)
            context.stats.recordRequest(provider: "fake", api: "ListThings", outcome: "success", willRetry: false)
            context.stats.recordBilled(provider: "fake", api: "ListThings", units: 3, dollars: 0.00003)
            return Self.temperature(1)
        }
        let cache = Self.cache([job])
        cache.start()
        defer { cache.stop() }
        #expect(Support.waitUntil { cache.refreshCount(job: "counting") == 1 })
        #expect(cache.stats.requests(provider: "fake", api: "ListThings", outcome: "success") == 1)
        #expect(cache.stats.totalRequests == 2)
        let families = cache.selfFamilies()
        let requests = families.first { $0.name == "nimbus_cloud_requests_total" }
        #expect(requests?.samples.count == 2)
        let retries = families.first { $0.name == "nimbus_cloud_retries_total" }
        #expect(retries?.samples.map(\.value) == [1])
        let billed = families.first { $0.name == "nimbus_cloud_metrics_requested_total" }
        #expect(billed?.samples.map(\.value) == [3])
    }

    // MARK: Failures and age

    @Test func failedRefreshKeepsTheLastGoodValues() {
        let job = FakeCloudJob(name: "flaky", interval: 0.05) { call, _ in
            guard call == 1 else { throw FakeRefreshError() }
            return Self.temperature(11)
        }
        let cache = Self.cache([job])
        cache.start()
        defer { cache.stop() }
        #expect(Support.waitUntil { (Support.selfValue(cache, "nimbus_cloud_refresh_errors_total", job: "flaky") ?? 0) >= 2 })

        #expect(Support.rendered(cache).contains("fake_temperature_celsius{site=\"a\"} 11\n"))
        #expect(Support.rendered(cache, .openMetrics).contains("fake_temperature_celsius{site=\"a\"} 11\n"))
        #expect((Support.selfValue(cache, "nimbus_cloud_refreshes_total", job: "flaky") ?? 0) >= 3)
        #expect(Support.selfValue(cache, "nimbus_cloud_cache_stale", job: "flaky") == 0)
    }

    @Test func laterSuccessReplacesTheValues() {
        let job = FakeCloudJob(name: "changing", interval: 0.05) { call, _ in Self.temperature(Double(min(call, 3))) }
        let cache = Self.cache([job])
        cache.start()
        defer { cache.stop() }
        #expect(Support.waitUntil { Support.rendered(cache).contains("fake_temperature_celsius{site=\"a\"} 3\n") })
        // One series, never the old and the new side by side.
        #expect(Support.rendered(cache).components(separatedBy: "fake_temperature_celsius{").count == 2)
    }

    @Test func valuesOlderThanTheMaximumAgeAreNotServed() {
        let job = FakeCloudJob(name: "aging", interval: 3600) { _, _ in Self.temperature(5) }
        let cache = Self.cache([job], maxAge: { _ in 1.0 })
        cache.start()
        defer { cache.stop() }
        #expect(Support.waitUntil { !Support.rendered(cache).isEmpty })
        #expect(Support.selfValue(cache, "nimbus_cloud_cache_stale", job: "aging") == 0)

        #expect(Support.waitUntil { Support.rendered(cache).isEmpty })
        #expect(Support.rendered(cache, .openMetrics).isEmpty)
        #expect(Support.selfValue(cache, "nimbus_cloud_cache_stale", job: "aging") == 1)
        #expect((Support.selfValue(cache, "nimbus_cloud_cache_age_seconds", job: "aging") ?? 0) >= 1)
        #expect(job.calls == 1)
    }

    @Test func oneStaleJobLeavesTheOthersServed() {
        let fresh = FakeCloudJob(name: "fresh", interval: 3600) { _, _ in [Support.gauge("fake_fresh", 1)] }
        let old = FakeCloudJob(name: "old", interval: 3600) { _, _ in [Support.gauge("fake_old", 1)] }
        let cache = Self.cache([fresh, old], maxAge: { $0.name == "old" ? 0.5 : 3600 })
        cache.start()
        defer { cache.stop() }
        #expect(Support.waitUntil { fresh.calls == 1 && old.calls == 1 })
        #expect(Support.waitUntil { !Support.rendered(cache).contains("fake_old") && Support.rendered(cache).contains("fake_fresh") })
        #expect(Support.selfValue(cache, "nimbus_cloud_cache_stale", job: "old") == 1)
        #expect(Support.selfValue(cache, "nimbus_cloud_cache_stale", job: "fresh") == 0)
    }

    // MARK: Persistence

    /// Runs `job` in a cache of its own until its cache file is written; returns when it
    /// succeeded (seconds since the epoch).
    private static func persistOnce(_ job: FakeCloudJob, store: CacheStore) throws -> Double {
        let cache = Self.cache([job], store: store)
        cache.start()
        defer { cache.stop() }
        let written = Support.waitUntil {
            cache.refreshCount(job: job.name) >= 1 && FileManager.default.fileExists(atPath: store.directory + "/\(job.name).json")
        }
        try #require(written, "the cache file was not written")
        return try #require(Support.selfValue(cache, "nimbus_cloud_last_success_timestamp_seconds", job: job.name))
    }

    @Test func restartServesPersistedValuesAndWaitsForTheInterval() throws {
        let directory = try CacheScratchDirectory()
        let store = CacheStore(directory: directory.path)
        let interval = 2.0
        let first = FakeCloudJob(name: "persisted", interval: interval, persistentState: [1, 2, 3]) { _, _ in
            Self.temperature(5)
        }
        let lastSuccess = try Self.persistOnce(first, store: store)

        let gate = Gate()
        defer { gate.open() }
        let second = FakeCloudJob(name: "persisted", interval: interval, gate: gate) { _, _ in Self.temperature(6) }
        let cache = Self.cache([second], store: store)
        cache.start()
        defer { cache.stop() }

        // Served at once, from disk, before the job has been asked for anything.
        #expect(Support.rendered(cache).contains("fake_temperature_celsius{site=\"a\"} 5\n"))
        #expect(Support.rendered(cache, .openMetrics).contains("fake_temperature_celsius{site=\"a\"} 5\n"))
        #expect(second.restored == [[1, 2, 3]])
        #expect(Support.selfValue(cache, "nimbus_cloud_last_success_timestamp_seconds", job: "persisted") == lastSuccess)
        #expect(Support.selfValue(cache, "nimbus_cloud_refreshes_total", job: "persisted") == 0)

        // The first refresh waits until the persisted values are one interval old.
        #expect(Support.waitUntil { second.calls == 1 })
        let firstCall = try #require(second.callTimes.first)
        #expect(firstCall >= lastSuccess + interval - 0.01, "refreshed \(lastSuccess + interval - firstCall)s early")
        // While that refresh is held, the restored values are still served.
        #expect(Support.rendered(cache).contains("fake_temperature_celsius{site=\"a\"} 5\n"))

        gate.open()
        #expect(Support.waitUntil { Support.rendered(cache).contains("fake_temperature_celsius{site=\"a\"} 6\n") })
        #expect(second.restored.count == 1)
    }

    @Test func changedFingerprintDiscardsThePersistedCache() throws {
        let directory = try CacheScratchDirectory()
        let store = CacheStore(directory: directory.path)
        let old = FakeCloudJob(name: "reconfigured", interval: 3600, fingerprint: "regions=us-east-1",
                               persistentState: [9]) { _, _ in Self.temperature(5) }
        _ = try Self.persistOnce(old, store: store)

        let gate = Gate()
        defer { gate.open() }
        let new = FakeCloudJob(name: "reconfigured", interval: 3600, fingerprint: "regions=eu-west-1", gate: gate) { _, _ in
            Self.temperature(8)
        }
        let cache = Self.cache([new], store: store)
        cache.start()
        defer { cache.stop() }
        #expect(Support.rendered(cache).isEmpty)
        #expect(new.restored.isEmpty)
        // Nothing to wait for: the refresh is due at once.
        #expect(Support.waitUntil(5) { new.calls == 1 })
        gate.open()
        #expect(Support.waitUntil { Support.rendered(cache).contains("fake_temperature_celsius{site=\"a\"} 8\n") })
        #expect(!Support.rendered(cache).contains("} 5\n"))
    }

    @Test(arguments: [
        "{not json",
        "",
        "\u{0}\u{1}\u{2}binary",
        #"{"version": 1, "job": "damaged"}"#,
        #"{"version": 99, "job": "damaged", "fingerprint": "v1", "lastSuccess": 1, "families": [], "state": ""}"#,
        #"{"version": 1, "job": "damaged", "fingerprint": "v1", "lastSuccess": "yesterday", "families": [], "state": ""}"#,
    ])
    func damagedCacheFileIsIgnored(contents: String) throws {
        let directory = try CacheScratchDirectory()
        try directory.write(contents, to: "damaged.json")
        let job = FakeCloudJob(name: "damaged", interval: 3600) { _, _ in Self.temperature(4) }
        let cache = Self.cache([job], store: CacheStore(directory: directory.path))
        cache.start()
        defer { cache.stop() }
        #expect(job.restored.isEmpty)
        #expect(Support.waitUntil { Support.rendered(cache).contains("fake_temperature_celsius{site=\"a\"} 4\n") })
        // The next successful refresh replaces the damaged file with a good one.
        #expect(Support.waitUntil { (try? CacheStore(directory: directory.path).load(job: "damaged")) != nil })
        #expect(Support.selfValue(cache, "nimbus_cloud_cache_persist_errors_total") == 0)
    }

    @Test func unknownFamilyTypeInTheFileIsDropped() throws {
        let directory = try CacheScratchDirectory()
        let lastSuccess = Date().timeIntervalSince1970
        try directory.write("""
            {"version": 1, "job": "typed", "fingerprint": "v1", "lastSuccess": \(lastSuccess), "state": "",
             "families": [
               {"name": "fake_kept", "type": "gauge", "help": "Kept.", "samples": [{"labels": ["a", "b"], "value": 1}]},
               {"name": "fake_dropped", "type": "sparkline", "help": "Dropped.", "samples": [{"labels": [], "value": 2}]}
             ]}
            """, to: "typed.json")
        let gate = Gate()
        defer { gate.open() }
        let job = FakeCloudJob(name: "typed", interval: 3600, gate: gate) { _, _ in [] }
        let cache = Self.cache([job], store: CacheStore(directory: directory.path))
        cache.start()
        defer { cache.stop() }
        #expect(Support.rendered(cache) == "# HELP fake_kept Kept.\n# TYPE fake_kept gauge\nfake_kept{a=\"b\"} 1\n")
        #expect(job.restored == [[]])
    }

    @Test func unwritableStoreCountsErrorsAndKeepsServing() throws {
        let directory = try CacheScratchDirectory()
        // A regular file where the directory should be: every write fails with ENOTDIR, even as root.
        try directory.write("not a directory", to: "blocker")
        let job = FakeCloudJob(name: "unsaved", interval: 0.05) { _, _ in Self.temperature(3) }
        let cache = Self.cache([job], store: CacheStore(directory: directory.file("blocker")))
        cache.start()
        defer { cache.stop() }
        #expect(Support.waitUntil { (Support.selfValue(cache, "nimbus_cloud_cache_persist_errors_total") ?? 0) >= 2 })
        #expect(Support.rendered(cache).contains("fake_temperature_celsius{site=\"a\"} 3\n"))
        #expect(Support.selfValue(cache, "nimbus_cloud_refresh_errors_total", job: "unsaved") == 0)
    }

    @Test func failedRefreshStillPersistsTheJobState() throws {
        let directory = try CacheScratchDirectory()
        let store = CacheStore(directory: directory.path)
        let job = FakeCloudJob(name: "watermark", interval: 3600, persistentState: [42]) { _, _ in throw FakeRefreshError() }
        let cache = Self.cache([job], store: store)
        cache.start()
        defer { cache.stop() }
        #expect(Support.waitUntil { (try? store.load(job: "watermark")) != nil })
        let persisted = try #require(try store.load(job: "watermark"))
        #expect(Array(persisted.state) == [42])
        #expect(persisted.families.isEmpty)
        #expect(persisted.lastSuccess == 0)
    }

    @Test func storeWritesAtomicallyAndNamesFilesSafely() throws {
        let directory = try CacheScratchDirectory()
        let store = CacheStore(directory: directory.path + "/nested/cache")
        try store.prepare()
        try store.prepare()
        #expect(store.path(for: "aws/prod account") == directory.path + "/nested/cache/aws_prod_account.json")
        #expect(store.path(for: "../escape") == directory.path + "/nested/cache/.._escape.json")
        try store.writeAtomically(Array("first".utf8), to: store.path(for: "job"))
        try store.writeAtomically(Array("second".utf8), to: store.path(for: "job"))
        let contents = try String(contentsOfFile: store.path(for: "job"), encoding: .utf8)
        #expect(contents == "second")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: store.directory).filter { $0.contains(".tmp") }
        #expect(leftovers.isEmpty)

        try directory.write("x", to: "file")
        let blocked = CacheStore(directory: directory.file("file"))
        #expect(throws: CacheStoreError.self) { try blocked.prepare() }
    }
}
