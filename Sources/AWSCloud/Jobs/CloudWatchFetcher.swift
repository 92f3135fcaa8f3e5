/// Runs planned queries through `GetMetricData`: up to 500 per call (the API's limit), one
/// call per window, following `NextToken`. Returns the newest datapoint of each query id.
enum CloudWatchFetcher {
    static let maxQueriesPerCall = 500
    /// List price: $0.01 per 1,000 metrics requested.
    static let dollarsPerMetric = 0.01 / 1000
    static let maxPages = 100

    struct Datapoint: Sendable, Equatable {
        var timestamp: Double
        var value: Double
    }

    static func fetch(_ queries: [CloudWatchQuery], in context: RegionContext) throws(AWSCallError) -> [String: Datapoint] {
        var newest: [String: Datapoint] = [:]
        var byWindow: [WindowKey: [CloudWatchQuery]] = [:]
        for query in queries { byWindow[WindowKey(start: query.start, end: query.end), default: []].append(query) }
        for (window, group) in byWindow.sorted(by: { $0.key.start < $1.key.start }) {
            var offset = 0
            while offset < group.count {
                let batch = Array(group[offset..<min(offset + maxQueriesPerCall, group.count)])
                offset += batch.count
                try fetchBatch(batch, window: window, into: &newest, context: context)
            }
        }
        return newest
    }

    private struct WindowKey: Hashable {
        var start: Double
        var end: Double
    }

    private static func fetchBatch(_ batch: [CloudWatchQuery], window: WindowKey, into newest: inout [String: Datapoint],
                                   context: RegionContext) throws(AWSCallError) {
        var base: [(String, String)] = [
            ("StartTime", formatISO8601(window.start)),
            ("EndTime", formatISO8601(window.end)),
            ("ScanBy", "TimestampDescending"),
        ]
        for (index, query) in batch.enumerated() { base.append(contentsOf: query.parameters(member: index + 1)) }
        var token: String?
        var pages = 0
        repeat {
            var parameters = base
            if let token { parameters.append(("NextToken", token)) }
            let body = try context.call(.cloudWatch, api: "GetMetricData",
                                        encoding: .query(action: "GetMetricData", version: "2010-08-01", parameters: parameters))
            // Each page bills the metrics requested again.
            context.stats.recordBilled(provider: "aws", api: "GetMetricData", units: Double(batch.count),
                                       dollars: Double(batch.count) * dollarsPerMetric)
            let page: GetMetricDataPage
            do { page = try GetMetricDataPage.decode(body) } catch { throw context.malformed("GetMetricData", error) }
            for result in page.results {
                for (timestamp, value) in zip(result.timestamps, result.values) where value.isFinite {
                    guard let time = parseISO8601(timestamp) else { continue }
                    if let known = newest[result.id], known.timestamp >= time { continue }
                    newest[result.id] = Datapoint(timestamp: time, value: value)
                }
            }
            token = page.nextToken.flatMap { $0.isEmpty ? nil : $0 }
            pages += 1
        } while token != nil && pages < maxPages
    }
}
