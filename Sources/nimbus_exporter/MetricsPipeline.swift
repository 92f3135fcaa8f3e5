import CloudCache
import Exposition
import HostMetrics
import Logging
import Synchronization

/// One scrape, end to end: run the host collectors, add the exporter's own families, normalise,
/// encode in the negotiated format and compress when asked. Knows nothing of HTTP.
final class MetricsPipeline: Sendable {
    private let runner: CollectorRunner
    private let cloud: CloudCache?
    private let processMetrics: ProcessMetrics
    private let logger: Logger
    private let buffers = BufferPool()
    private let counters = Mutex(Counters())

    private struct Counters {
        var duplicateSeries = 0
        var invalidSeries = 0
    }

    init(runner: CollectorRunner, cloud: CloudCache? = nil, logger: Logger) {
        self.runner = runner
        self.cloud = cloud
        self.processMetrics = ProcessMetrics()
        self.logger = logger
    }

    struct Rendered {
        var body: [UInt8]
        var contentType: String
        var gzipped: Bool
        /// Gives the body's storage back for the next scrape.
        var recycle: @Sendable ([UInt8]) -> Void
    }

    /// The name `collect[]` and `exclude[]` use for the cached cloud families.
    static let cloudCollectorName = "cloud"

    /// The names of the collectors this exporter runs.
    var collectorNames: [String] { runner.collectors.map(\.name) + (cloud == nil ? [] : [Self.cloudCollectorName]) }

    func render(format: ExpositionFormat, gzip: Bool, include: (String) -> Bool = { _ in true }) -> Rendered {
        let outcomes = runner.run(include: include)
        for outcome in outcomes {
            if let failure = outcome.failure {
                logger.error("collector failed", metadata: ["collector": "\(outcome.name)", "err": "\(failure)"])
            }
        }
        var set = MetricSet(CollectorRunner.families(of: outcomes))
        var reader = FileReader(capacity: 4096)
        set.append(contentsOf: processMetrics.families(reader: &reader))
        let report = set.normalize()
        // Counted before the self families are added, so this scrape's drops are in this scrape.
        let totals = counters.withLock { counters in
            counters.duplicateSeries += report.duplicateSeries
            counters.invalidSeries += report.invalidSeries
            return counters
        }
        if report.duplicateSeries > 0 || report.invalidSeries > 0 {
            logger.warning("dropped series", metadata: ["duplicate": "\(report.duplicateSeries)", "invalid": "\(report.invalidSeries)"])
        }
        let includeCloud = cloud != nil && include(Self.cloudCollectorName)
        var selfFamilies = MetricSet(selfMetrics(totals))
        if includeCloud, let cloud { selfFamilies.append(contentsOf: cloud.selfFamilies()) }
        _ = selfFamilies.normalize()
        let families = merge(set.families, selfFamilies.families)

        var text = buffers.take()
        TextEncoder.encodeFamilies(families, format: format, into: &text)
        // Cloud families come rendered from the cache: copying them is the whole cost.
        if includeCloud, let cloud { cloud.appendRendered(format: format, into: &text) }
        TextEncoder.finish(format: format, into: &text)
        let pool = buffers
        guard gzip else {
            return Rendered(body: text, contentType: format.contentType, gzipped: false, recycle: { pool.give($0) })
        }
        var compressed = buffers.take()
        do {
            try Gzip.compress(text, into: &compressed)
            buffers.give(text)
            return Rendered(body: compressed, contentType: format.contentType, gzipped: true, recycle: { pool.give($0) })
        } catch {
            logger.error("gzip failed; serving uncompressed", metadata: ["err": "\(error)"])
            buffers.give(compressed)
            return Rendered(body: text, contentType: format.contentType, gzipped: false, recycle: { pool.give($0) })
        }
    }

    private func selfMetrics(_ totals: Counters) -> [MetricFamily] {
        var build = MetricFamily(name: "nimbus_exporter_build_info", type: .gauge,
                                 help: "The exporter's version and the Swift version it was built with; always 1.")
        build.add(1, ["version": BuildInfo.version, "swiftversion": BuildInfo.swiftVersion])
        return [
            build,
            .single("nimbus_exporter_duplicate_series_dropped_total", .counter,
                    help: "Series dropped because an earlier series in the same scrape had the same name and labels.",
                    value: Double(totals.duplicateSeries)),
            .single("nimbus_exporter_invalid_series_dropped_total", .counter,
                    help: "Series dropped for an invalid metric or label name, or a type conflicting with an earlier family.",
                    value: Double(totals.invalidSeries)),
        ]
    }

    /// Merges two name-sorted family lists (the exporter's own names never collide with collectors').
    private func merge(_ lhs: [MetricFamily], _ rhs: [MetricFamily]) -> [MetricFamily] {
        var result: [MetricFamily] = []
        result.reserveCapacity(lhs.count + rhs.count)
        var left = 0, right = 0
        while left < lhs.count || right < rhs.count {
            if right == rhs.count || (left < lhs.count && lhs[left].name <= rhs[right].name) {
                result.append(lhs[left]); left += 1
            } else {
                result.append(rhs[right]); right += 1
            }
        }
        return result
    }
}

/// Output buffers kept between scrapes so rendering does not regrow an array every time.
final class BufferPool: Sendable {
    private let free = Mutex<[[UInt8]]>([])
    private let lastSize = Mutex(64 * 1024)

    func take() -> [UInt8] {
        if let buffer = free.withLock({ $0.popLast() }) { return buffer }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(lastSize.withLock { $0 } * 5 / 4)
        return buffer
    }

    func give(_ buffer: [UInt8]) {
        var buffer = buffer
        lastSize.withLock { $0 = max($0, buffer.count) }
        buffer.removeAll(keepingCapacity: true)
        free.withLock { list in
            if list.count < 8 { list.append(buffer) }
        }
    }
}
