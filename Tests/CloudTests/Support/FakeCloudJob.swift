import CloudCache
import Exposition
import Foundation
import Logging
import Synchronization

/// A cloud job whose refreshes answer from a closure (given the call number, from 1), optionally
/// held at a gate until the test opens it, and which records what the cache asked of it.
final class FakeCloudJob: CloudJob {
    let name: String
    let provider = "fake"
    let interval: Double
    let fingerprint: String

    private struct State {
        var calls = 0
        var callTimes: [Double] = []
        var restored: [[UInt8]] = []
        var persistent: [UInt8]
    }

    private let state: Mutex<State>
    private let respond: @Sendable (Int, RefreshContext) throws -> [MetricFamily]
    private let gate: Gate?

    init(name: String, interval: Double, fingerprint: String = "v1", persistentState: [UInt8] = [], gate: Gate? = nil,
         respond: @escaping @Sendable (Int, RefreshContext) throws -> [MetricFamily]) {
        self.name = name
        self.interval = interval
        self.fingerprint = fingerprint
        self.gate = gate
        self.respond = respond
        self.state = Mutex(State(persistent: persistentState))
    }

    func refresh(_ context: RefreshContext) throws -> [MetricFamily] {
        let call = state.withLock { state in
            state.calls += 1
            state.callTimes.append(Date().timeIntervalSince1970)
            return state.calls
        }
        gate?.wait()
        return try respond(call, context)
    }

    func persistentState() -> [UInt8] { state.withLock { $0.persistent } }

    func restore(persistentState: [UInt8]) { state.withLock { $0.restored.append(persistentState) } }

    /// Refreshes started so far (including one held at the gate).
    var calls: Int { state.withLock { $0.calls } }
    /// When each refresh started, seconds since the epoch.
    var callTimes: [Double] { state.withLock { $0.callTimes } }
    /// What `restore(persistentState:)` was given, once per call.
    var restored: [[UInt8]] { state.withLock { $0.restored } }
}

/// Holds refreshes until opened.
final class Gate: @unchecked Sendable {
    private let condition = NSCondition()
    private var isOpen = false

    func wait() {
        condition.lock()
        while !isOpen { condition.wait() }
        condition.unlock()
    }

    func open() {
        condition.lock()
        isOpen = true
        condition.broadcast()
        condition.unlock()
    }
}

struct FakeRefreshError: Error, CustomStringConvertible {
    var description: String { "the fake API is down" }
}

/// Helpers shared by the cache tests.
enum CacheTestSupport {
    static let quietLogger = Logger(label: "cloud-cache-tests") { _ in SwiftLogNoOpLogHandler() }

    static func gauge(_ name: String, _ value: Double, _ labels: KeyValuePairs<String, String> = [:],
                      help: String = "A fake gauge.") -> MetricFamily {
        var family = MetricFamily(name: name, type: .gauge, help: help)
        family.add(value, labels)
        return family
    }

    /// Polls `condition` every few milliseconds until it holds or `seconds` pass.
    @discardableResult
    static func waitUntil(_ seconds: Double = 10, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(5_000)
        }
        return condition()
    }

    static func rendered(_ cache: CloudCache, _ format: ExpositionFormat = .prometheusText) -> String {
        var out: [UInt8] = []
        cache.appendRendered(format: format, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The value of a self metric for one job (`job_name` label), or an unlabelled one.
    static func selfValue(_ cache: CloudCache, _ name: String, job: String? = nil) -> Double? {
        guard let family = cache.selfFamilies().first(where: { $0.name == name }) else { return nil }
        let sample = family.samples.first { sample in
            guard let job else { return sample.labels.isEmpty }
            return sample.labels.contains(Label("job_name", job))
        }
        return sample?.value
    }
}

/// A directory of its own, removed when the test is done.
final class CacheScratchDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("cloud-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func write(_ text: String, to name: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: file(name)))
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
