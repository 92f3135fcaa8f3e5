import Exposition
import HTTPServer

/// Routes: the metrics path, a landing page, health and readiness; 404 elsewhere, 405 for
/// methods other than GET and HEAD. Limits concurrent scrapes like node_exporter's
/// `--web.max-requests` (503 beyond it; 0 means no limit).
final class ExporterHandler: HTTPHandler {
    private let pipeline: MetricsPipeline
    private let metricsPath: String
    private let scrapeLimit: ConcurrencyLimit
    private let landingPage: [UInt8]

    init(pipeline: MetricsPipeline, metricsPath: String, maximumScrapes: Int) {
        self.pipeline = pipeline
        self.metricsPath = metricsPath
        self.scrapeLimit = ConcurrencyLimit(maximum: maximumScrapes)
        self.landingPage = Array(Self.landingPageHTML(metricsPath: metricsPath).utf8)
    }

    func handle(_ request: borrowing HTTPRequest) -> HTTPResponse {
        guard request.method == "GET" || request.method == "HEAD" else {
            var response = HTTPResponse.text(405, "Method Not Allowed: only GET and HEAD are supported.\n")
            response.headers.append(("Allow", "GET, HEAD"))
            return response
        }
        switch request.path {
        case metricsPath:
            return scrapeLimit.run { scrape(request) }
        case "/":
            return HTTPResponse(status: 200, headers: [("Content-Type", "text/html; charset=utf-8")], body: landingPage)
        case "/-/healthy":
            return .text(200, "Healthy.\n")
        case "/-/ready":
            return .text(200, "Ready.\n")
        default:
            return .text(404, "Not Found: try \(metricsPath)\n")
        }
    }

    private func scrape(_ request: borrowing HTTPRequest) -> HTTPResponse {
        let include: (String) -> Bool
        switch CollectorFilter.parse(collect: request.queryValues("collect[]"), exclude: request.queryValues("exclude[]"),
                                     enabled: pipeline.collectorNames) {
        case .success(let filter): include = filter
        case .failure(let failure): return .text(400, "\(failure.description)\n")
        }
        let format = ExpositionFormat.negotiate(accept: request.header("Accept"))
        let gzip = ContentCoding.acceptsGzip(request.header("Accept-Encoding"))
        let rendered = pipeline.render(format: format, gzip: gzip, include: include)
        var headers: [(name: String, value: String)] = [("Content-Type", rendered.contentType), ("Vary", "Accept-Encoding")]
        if rendered.gzipped { headers.append(("Content-Encoding", "gzip")) }
        return HTTPResponse(status: 200, headers: headers, body: rendered.body, recycle: rendered.recycle)
    }

    private static func landingPageHTML(metricsPath: String) -> String {
        let link = metricsPath.replacing("&", with: "&amp;").replacing("\"", with: "&quot;").replacing("<", with: "&lt;")
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><title>nimbus_exporter</title></head>
        <body>
        <h1>nimbus_exporter</h1>
        <p>Host and cloud metrics for Prometheus. Version \(BuildInfo.version).</p>
        <ul>
        <li><a href="\(link)">Metrics</a></li>
        <li><a href="/-/healthy">Health</a></li>
        <li><a href="/-/ready">Readiness</a></li>
        </ul>
        </body>
        </html>

        """
    }
}
