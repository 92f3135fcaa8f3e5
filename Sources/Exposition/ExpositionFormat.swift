/// The two exposition formats, and how a scraper's `Accept` header picks one.
public enum ExpositionFormat: Sendable, Equatable {
    /// Prometheus text format 0.0.4.
    case prometheusText
    /// OpenMetrics 1.0 text.
    case openMetrics

    public var contentType: String {
        switch self {
        case .prometheusText: "text/plain; version=0.0.4; charset=utf-8"
        case .openMetrics: "application/openmetrics-text; version=1.0.0; charset=utf-8"
        }
    }

    /// Picks the format the way Prometheus's own negotiation does: media ranges are taken in
    /// order of their `q` weight (ties keep header order); the first one we can serve decides.
    /// OpenMetrics is chosen only when asked for by name with a version we speak; anything
    /// else, a wildcard, or no header at all gets the text format.
    public static func negotiate(accept: String?) -> ExpositionFormat {
        guard let accept, !accept.isEmpty else { return .prometheusText }
        var ranges: [(position: Int, quality: Double, format: ExpositionFormat?)] = []
        for (position, part) in accept.split(separator: ",").enumerated() {
            let range = MediaRange(part)
            guard range.quality > 0 else { continue }
            ranges.append((position, range.quality, range.format))
        }
        ranges.sort { $0.quality != $1.quality ? $0.quality > $1.quality : $0.position < $1.position }
        for range in ranges {
            if let format = range.format { return format }
        }
        return .prometheusText
    }
}

/// One media range of an `Accept` header, reduced to what negotiation needs.
struct MediaRange {
    var quality: Double = 1
    var format: ExpositionFormat?

    init(_ text: Substring) {
        var parameters = text.split(separator: ";").makeIterator()
        let mediaType = (parameters.next() ?? "").trimmingSpaces().lowercased()
        var version: Substring?
        while let parameter = parameters.next() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let key = pair[0].trimmingSpaces().lowercased()
            let value = pair[1].trimmingSpaces()
            if key == "q" {
                quality = Double(value) ?? 0
            } else if key == "version" {
                version = value
            }
        }
        switch mediaType {
        case "application/openmetrics-text":
            if version == nil || version == "1.0.0" || version == "0.0.1" { format = .openMetrics }
        case "text/plain":
            if version == nil || version == "0.0.4" { format = .prometheusText }
        case "*/*", "text/*":
            format = .prometheusText
        default:
            format = nil
        }
    }
}

/// Content codings a scraper accepts.
public enum ContentCoding {
    /// True when `Accept-Encoding` allows gzip (`gzip`, `x-gzip` or `*` with a non-zero weight).
    public static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        var wildcard = false
        for part in header.split(separator: ",") {
            var pieces = part.split(separator: ";").makeIterator()
            let coding = (pieces.next() ?? "").trimmingSpaces().lowercased()
            var quality = 1.0
            while let parameter = pieces.next() {
                let pair = parameter.split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0].trimmingSpaces().lowercased() == "q" {
                    quality = Double(pair[1].trimmingSpaces()) ?? 0
                }
            }
            if coding == "gzip" || coding == "x-gzip" { return quality > 0 }
            if coding == "*" { wildcard = quality > 0 }
        }
        return wildcard
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result.removeFirst() }
        while let last = result.last, last == " " || last == "\t" { result.removeLast() }
        return result
    }
}
