import Exposition
import Testing

@Suite("Accept negotiation")
struct NegotiationTests {
    @Test func contentTypesAreExact() {
        #expect(ExpositionFormat.prometheusText.contentType == "text/plain; version=0.0.4; charset=utf-8")
        #expect(ExpositionFormat.openMetrics.contentType == "application/openmetrics-text; version=1.0.0; charset=utf-8")
    }

    @Test(arguments: [
        nil, "", "*/*", "text/plain", "text/plain;version=0.0.4", "text/*", "text/html,*/*;q=0.8",
        "application/json", "garbage;;;,,,",
    ] as [String?])
    func textWhenOpenMetricsIsNotAskedFor(accept: String?) {
        #expect(ExpositionFormat.negotiate(accept: accept) == .prometheusText)
    }

    @Test func prometheus2DefaultHeaderGetsOpenMetrics() {
        let header = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
            + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
        #expect(ExpositionFormat.negotiate(accept: header) == .openMetrics)
    }

    @Test func prometheus3DefaultHeaderGetsOpenMetrics() {
        let header = "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"
            + "application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,"
            + "text/plain;version=0.0.4;q=0.3,*/*;q=0.2"
        #expect(ExpositionFormat.negotiate(accept: header) == .openMetrics)
    }

    @Test func prometheusWithOpenMetricsDisabledGetsText() {
        // Prometheus 2.x without the OpenMetrics scrape protocol.
        #expect(ExpositionFormat.negotiate(accept: "text/plain;version=0.0.4;q=1,*/*;q=0.1") == .prometheusText)
    }

    @Test(arguments: [
        "application/openmetrics-text",
        "application/openmetrics-text;version=1.0.0",
        "application/openmetrics-text; version=0.0.1",
        "Application/OpenMetrics-Text ; Version=1.0.0",
        "text/plain;q=0.5, application/openmetrics-text;version=1.0.0;q=0.6",
        "application/openmetrics-text;version=1.0.0, text/plain",
    ])
    func openMetricsWhenPreferred(accept: String) {
        #expect(ExpositionFormat.negotiate(accept: accept) == .openMetrics)
    }

    @Test(arguments: [
        "application/openmetrics-text;version=1.0.0;q=0",
        "application/openmetrics-text;version=1.0.0;q=0.0,text/plain;version=0.0.4;q=0.5",
        "application/openmetrics-text;version=2.0.0",
        "application/openmetrics-text;version=2.0.0,text/plain;version=0.0.4;q=0.1",
        "application/openmetrics-text;version=1.0.0;q=0.4,text/plain;version=0.0.4;q=0.9",
        "application/openmetrics-text;version=1.0.0;q=0.5,*/*;q=0.6",
        "text/plain, application/openmetrics-text",
    ])
    func textWhenOpenMetricsIsRefusedUnsupportedOrLessPreferred(accept: String) {
        #expect(ExpositionFormat.negotiate(accept: accept) == .prometheusText)
    }

    @Test func unservableRangesAreSkippedNotFatal() {
        // The most preferred range (text 1.0.0) is not one we speak; the next one decides.
        let header = "text/plain;version=1.0.0;q=0.9,application/openmetrics-text;version=1.0.0;q=0.8,text/plain;q=0.1"
        #expect(ExpositionFormat.negotiate(accept: header) == .openMetrics)
    }
}

@Suite("Accept-Encoding: gzip")
struct ContentCodingTests {
    @Test(arguments: [
        "gzip", "gzip, deflate", "deflate, gzip", "x-gzip", "*", "GZIP", "gzip;q=0.5", "gzip; q=1.0",
        "br;q=1.0, gzip;q=0.8, *;q=0.1", "deflate, *", "*;q=0, gzip",
    ])
    func accepts(header: String) {
        #expect(ContentCoding.acceptsGzip(header))
    }

    @Test(arguments: [
        nil, "", "gzip;q=0", "gzip; q=0.000", "deflate", "identity", "*;q=0", "br", "gzip;q=0, *",
        "gzipped", "identity;q=1, *;q=0",
    ] as [String?])
    func refuses(header: String?) {
        #expect(!ContentCoding.acceptsGzip(header))
    }
}
