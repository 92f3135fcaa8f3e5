import Dispatch
import Exposition
import Glibc
import HostMetrics
import Synchronization
import Testing

/// A collector whose behaviour the test sets: how long it takes and whether it throws.
/// It stands in for a slow or broken /proc source to exercise the runner's deadline logic.
private final class ScriptedCollector: Collector {
    let name: String
    let delayMicroseconds: UInt32
    let fails: Bool
    let calls = Atomic<Int>(0)

    init(_ name: String, delayMicroseconds: UInt32 = 0, fails: Bool = false) {
        self.name = name
        self.delayMicroseconds = delayMicroseconds
        self.fails = fails
    }

    func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        calls.add(1, ordering: .relaxed)
        if delayMicroseconds > 0 { usleep(delayMicroseconds) }
        if fails { throw CollectorError("scripted failure") }
        return [.single("test_\(name)_value", .gauge, help: "Scripted.", value: 1)]
    }
}

@Suite struct CollectorRunnerTests {
    private func runner(_ collectors: [any Collector], timeout: Double) -> CollectorRunner {
        CollectorRunner(collectors: collectors, paths: HostPaths(), timeoutSeconds: timeout, pool: WorkerPool(initialThreads: 2))
    }

    private func success(_ families: [MetricFamily], _ collector: String) -> Double? {
        families.first { $0.name == "node_scrape_collector_success" }?.samples
            .first { $0.labels == [Label("collector", collector)] }?.value
    }

    @Test func failingCollectorDoesNotAffectOthers() {
        let runner = runner([ScriptedCollector("good"), ScriptedCollector("bad", fails: true)], timeout: 2)
        let outcomes = runner.run()
        #expect(outcomes.map(\.name) == ["good", "bad"])
        #expect(outcomes[0].failure == nil)
        #expect(outcomes[1].failure?.contains("scripted failure") == true)
        let families = CollectorRunner.families(of: outcomes)
        #expect(success(families, "good") == 1)
        #expect(success(families, "bad") == 0)
        #expect(families.contains { $0.name == "test_good_value" })
        #expect(families.contains { $0.name == "node_scrape_collector_duration_seconds" && $0.samples.count == 2 })
    }

    @Test func lateCollectorIsReportedAtTheDeadlineAndNotRestartedWhileRunning() {
        let slow = ScriptedCollector("slow", delayMicroseconds: 1_500_000)
        let runner = runner([ScriptedCollector("fast"), slow], timeout: 0.2)
        let start = Clock.monotonicNanoseconds()
        let first = runner.run()
        let elapsed = Double(Clock.monotonicNanoseconds() - start) / 1e9
        #expect(elapsed < 1.0, "the scrape must not wait for the slow collector (took \(elapsed) s)")
        #expect(first[0].failure == nil)
        #expect(first[1].failure == "deadline exceeded")
        #expect(first[1].families.isEmpty)

        // While the first run is still going, a second scrape must not start another one.
        let second = runner.run()
        #expect(second[1].failure == "still running from an earlier scrape, past its deadline")
        #expect(slow.calls.load(ordering: .relaxed) == 1)

        // Once it has finished (1.5 s after it started; allow for a busy machine), it runs again.
        usleep(1_200_000)
        for _ in 0..<40 where slow.calls.load(ordering: .relaxed) == 1 {
            _ = runner.run()
            usleep(100_000)
        }
        #expect(slow.calls.load(ordering: .relaxed) == 2)
    }

    @Test func includeSelectsCollectors() {
        let runner = runner([ScriptedCollector("a"), ScriptedCollector("b"), ScriptedCollector("c")], timeout: 2)
        #expect(runner.run(include: { $0 != "b" }).map(\.name) == ["a", "c"])
    }

    @Test func concurrentScrapesEachGetCompleteResults() {
        let collectors: [any Collector] = (0..<8).map { ScriptedCollector("c\($0)", delayMicroseconds: 2_000) }
        let runner = runner(collectors, timeout: 5)
        let results = Mutex<[Int]>([])
        let threads = 4
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            for _ in 0..<10 {
                let ok = runner.run().filter { $0.failure == nil && $0.families.count == 1 }.count
                results.withLock { $0.append(ok) }
            }
        }
        let counts = results.withLock { $0 }
        #expect(counts.count == threads * 10)
        // Collectors within their deadline run for concurrent scrapes at once: every scrape
        // gets every collector's result.
        #expect(counts.allSatisfy { $0 == 8 }, "\(counts)")
    }
}

@Suite struct ProcessMetricsTests {
    @Test func parsesStatWithParenthesesAndSpacesInTheCommand() throws {
        let line = "4242 (weird) name)) S 1 4242 4242 0 -1 4194560 500 0 0 0 150 30 0 0 20 0 3 0 12345 104857600 2560 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n"
        let stat = try #require(ProcessMetrics.parseStat(ArraySlice(line.utf8)))
        #expect(stat.userTicks == 150)
        #expect(stat.systemTicks == 30)
        #expect(stat.startTicks == 12345)
        #expect(stat.virtualBytes == 104_857_600)
        #expect(stat.residentPages == 2560)
    }

    @Test func rejectsTruncatedStat() {
        #expect(ProcessMetrics.parseStat(ArraySlice("1 (x) S 1 2 3".utf8)) == nil)
        #expect(ProcessMetrics.parseStat(ArraySlice("garbage".utf8)) == nil)
    }

    @Test func liveSelfMetrics() throws {
        var reader = FileReader()
        let families = ProcessMetrics().families(reader: &reader)
        let names = Set(families.map(\.name))
        #expect(names == ["process_cpu_seconds_total", "process_resident_memory_bytes", "process_virtual_memory_bytes",
                          "process_start_time_seconds", "process_open_fds", "process_max_fds", "process_virtual_memory_max_bytes"])
        let rss = try #require(families.first { $0.name == "process_resident_memory_bytes" }?.samples.first?.value)
        #expect(rss > 0)
    }
}
