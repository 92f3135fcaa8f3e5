import CloudCache
import CloudHTTP

/// Cloud Monitoring API v3 reads. Blocking; used from a cloud job's own thread. Every attempt
/// carries a current bearer token; a 401 drops the cached token and tries once more with a
/// new one. Throttling (429) and 5xx are retried by the sender's policy, honouring
/// `Retry-After`.
public final class GCPMonitoringClient: Sendable {
    public static let defaultEndpoint = "https://monitoring.googleapis.com"
    static let listAPI = "timeSeries.list"

    public let sender: RetryingSender
    private let tokens: any GCPTokenSource
    private let endpoint: String
    private let pageSize: Int
    private let maxPages: Int
    private let stats: CloudStats?
    private let timeout: Double

    /// `pageSize` per request (the API allows up to 100000); `maxPages` stops a runaway
    /// pagination loop; `timeout` is seconds per attempt, connection included.
    public init(sender: RetryingSender, tokens: any GCPTokenSource, endpoint: String = GCPMonitoringClient.defaultEndpoint,
                pageSize: Int = 10_000, maxPages: Int = 100, stats: CloudStats? = nil, timeout: Double = 30) {
        var base = endpoint
        while base.hasSuffix("/") { base.removeLast() }
        self.sender = sender
        self.tokens = tokens
        self.endpoint = base
        self.pageSize = max(1, min(pageSize, 100_000))
        self.maxPages = max(1, maxPages)
        self.stats = stats
        self.timeout = timeout > 0 ? timeout : 30
    }

    /// Every series matching `filter` with points in [`start`, `end`] (Unix seconds), all
    /// pages followed. `alignmentPeriod` (seconds) and `aligner` (`ALIGN_MEAN`, `ALIGN_RATE`...)
    /// are sent when given.
    public func listTimeSeries(project: String, filter: String, start: Double, end: Double,
                               alignmentPeriod: Int? = nil, aligner: String? = nil) throws(GCPCallError) -> [TimeSeries] {
        guard !project.isEmpty, !filter.isEmpty else {
            throw .invalidRequest(api: Self.listAPI, reason: "project and filter must not be empty")
        }
        guard start.isFinite, end.isFinite, start <= end else {
            throw .invalidRequest(api: Self.listAPI, reason: "the interval's start must not be after its end")
        }
        var query: [(String, String)] = [
            ("filter", filter), ("interval.startTime", RFC3339.format(start)), ("interval.endTime", RFC3339.format(end)),
        ]
        if let alignmentPeriod {
            guard alignmentPeriod > 0 else { throw .invalidRequest(api: Self.listAPI, reason: "alignmentPeriod must be positive") }
            query.append(("aggregation.alignmentPeriod", "\(alignmentPeriod)s"))
        }
        if let aligner { query.append(("aggregation.perSeriesAligner", aligner)) }
        query.append(("pageSize", "\(pageSize)"))
        let base = endpoint + "/v3/projects/" + FormEncoding.escape(project) + "/timeSeries?"

        var series: [TimeSeries] = []
        var pageToken: String? = nil
        var seenTokens: Set<String> = []
        for _ in 0..<maxPages {
            var pageQuery = query
            if let pageToken { pageQuery.append(("pageToken", pageToken)) }
            let body = try get(base + FormEncoding.encode(pageQuery), api: Self.listAPI)
            let page: TimeSeriesPage
            do throws(TimeSeriesPage.DecodeError) {
                page = try TimeSeriesPage.decode(body)
            } catch {
                throw .malformed(api: Self.listAPI, reason: error.description)
            }
            series.append(contentsOf: page.series)
            guard let next = page.nextPageToken else { return series }
            guard seenTokens.insert(next).inserted else {
                throw .malformed(api: Self.listAPI, reason: "the same nextPageToken came back twice")
            }
            pageToken = next
        }
        throw .invalidRequest(api: Self.listAPI, reason: "more than \(maxPages) pages; narrow the filter")
    }

    /// The body of a successful GET, after retries and at most one token renewal.
    func get(_ url: String, api: String) throws(GCPCallError) -> [UInt8] {
        var renewedToken = false
        while true {
            let tokens = self.tokens, timeout = self.timeout
            func build() throws(GCPCallError) -> OutboundRequest {
                let token: String
                do throws(GCPAuthError) { token = try tokens.accessToken() } catch { throw .auth(error) }
                return OutboundRequest(url: url, headers: [HTTPField("Authorization", "Bearer " + token)],
                                       timeout: timeout, connectTimeout: min(timeout, 5))
            }
            let stats = self.stats
            let result = try sender.send(build, observe: { (record: AttemptRecord) in
                stats?.recordRequest(provider: "gcp", api: api, outcome: record.outcome, willRetry: record.willRetry)
            })
            switch result {
            case .failure(let error):
                throw .transport(api: api, error)
            case .success(let response) where response.isSuccess:
                return response.body
            case .success(let response):
                if response.status == 401 {
                    tokens.invalidate()
                    if !renewedToken {
                        renewedToken = true
                        continue
                    }
                }
                let summary = GoogleErrorBody.summary(response.body, status: response.status)
                throw .service(api: api, status: response.status, code: summary.code, message: summary.message)
            }
        }
    }
}
