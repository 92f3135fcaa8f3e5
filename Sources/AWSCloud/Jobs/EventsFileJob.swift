import CloudCache
import Exposition
import Foundation
import Synchronization

/// Counts records of an exported event log (CSV or JSON Lines) by the configured fields,
/// following the file across appends, rotation and truncation. Counts and the file position
/// persist with the cache, so a restart neither recounts nor skips.
public final class EventsFileJob: CloudJob {
    public let config: EventsFileConfig
    public var name: String { config.name }
    public let provider = "file"
    public var interval: Double { config.interval }
    public let fingerprint: String
    private let state: Mutex<State>

    private struct State {
        var tailer: EventsFileTailer?
        var restoredPosition: EventsFilePosition?
        var counter: EventCounter
        var malformed: Double = 0
        var rotations: Double = 0
        var fileState: EventsFileState?
    }

    private struct Persisted: Codable {
        var position: EventsFilePosition?
        var counter: EventCounter
        var malformed: Double
        var rotations: Double
    }

    public init(config: EventsFileConfig) {
        self.config = config
        self.fingerprint = "\(config.path)|\(config.format)|\(config.fields)"
        self.state = Mutex(State(counter: EventCounter(fields: config.fields, maxKeys: config.maxSeries)))
    }

    public func refresh(_ context: RefreshContext) throws -> [MetricFamily] {
        try state.withLock { state throws -> Void in
            let tailer = state.tailer ?? EventsFileTailer(path: config.path, format: config.format, fields: config.fields,
                                                          resumingFrom: state.restoredPosition)
            state.tailer = tailer
            var batch: EventsFileBatch
            repeat {
                batch = try tailer.poll()
                state.counter.add(batch.records)
                state.malformed += Double(batch.malformedCount)
                state.rotations += Double(batch.rotations + batch.truncations)
                state.fileState = batch.state
            } while batch.hasMore
        }
        return families()
    }

    public func persistentState() -> [UInt8] {
        let persisted = state.withLock { state in
            Persisted(position: state.tailer?.position ?? state.restoredPosition, counter: state.counter,
                      malformed: state.malformed, rotations: state.rotations)
        }
        return (try? Array(JSONEncoder().encode(persisted))) ?? []
    }

    public func restore(persistentState: [UInt8]) {
        guard let persisted = try? JSONDecoder().decode(Persisted.self, from: Data(persistentState)),
              persisted.counter.fields == config.fields else { return }
        state.withLock { state in
            state.restoredPosition = persisted.position
            state.counter = persisted.counter
            state.malformed = persisted.malformed
            state.rotations = persisted.rotations
        }
    }

    private func families() -> [MetricFamily] {
        let snapshot = state.withLock { ($0.counter, $0.malformed, $0.rotations, $0.fileState) }
        let labelNames = config.fields.map { PrometheusNaming.labelName(prefix: "", $0) }
        var events = MetricFamily(name: "nimbus_events_file_records_total", type: .counter,
                                  help: "Records of an exported event log, counted by the configured fields (cached).")
        for (values, count) in snapshot.0.counts {
            var labels = [Label("source", config.name)]
            var used: Set<String> = ["source"]
            for (name, value) in zip(labelNames, values) where used.insert(name).inserted {
                labels.append(Label(name, value))
            }
            events.add(count, labels: labels)
        }
        let source: KeyValuePairs<String, String> = ["source": config.name]
        var overflow = MetricFamily(name: "nimbus_events_file_overflow_records_total", type: .counter,
                                    help: "Records not counted by field because the source reached its max_series distinct values.")
        overflow.add(snapshot.0.overflow, source)
        var malformed = MetricFamily(name: "nimbus_events_file_malformed_records_total", type: .counter,
                                     help: "Lines of an exported event log that could not be read as a record; skipped.")
        malformed.add(snapshot.1, source)
        var rotations = MetricFamily(name: "nimbus_events_file_rotations_total", type: .counter,
                                     help: "Times the followed file was rotated or truncated.")
        rotations.add(snapshot.2, source)
        var present = MetricFamily(name: "nimbus_events_file_present", type: .gauge,
                                   help: "1 when the followed file exists, 0 while it is missing.")
        present.add(snapshot.3 == .fileMissing ? 0 : 1, source)
        return [events, overflow, malformed, rotations, present]
    }
}
