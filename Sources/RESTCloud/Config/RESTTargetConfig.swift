import Exposition

/// One `rest.targets[]` entry: a JSON document to fetch and the metrics to read from it.
public struct RESTTargetConfig: Sendable, Equatable {
    public enum Method: String, Sendable, Equatable {
        case get = "GET"
        case post = "POST"
    }

    /// Where the bearer token comes from; the token itself is never in the configuration.
    public enum TokenSource: Sendable, Equatable {
        /// Read from this file at every refresh, so a rotated token is picked up.
        case file(String)
        /// Read from this environment variable.
        case environment(String)
    }

    public struct Header: Sendable, Equatable {
        public var name: String
        public var value: String
    }

    /// Unique among the REST targets; the `api` label of the request self metrics.
    public var name: String
    public var url: String
    public var method: Method = .get
    /// Sent with POST only.
    public var body: String?
    public var headers: [Header] = []
    /// nil: no `Authorization` header.
    public var token: TokenSource?
    /// Seconds the request may take, connection included, before it is abandoned (and retried).
    public var timeout: Double = 30
    /// Seconds between refreshes.
    public var interval: Double = 60
    /// Seconds after which cached values stop being served (nil: the cache's default).
    public var maxAge: Double?
    public var metrics: [RESTMetricConfig]
}

/// One `metrics[]` entry of a target: a family and where its values are in the document.
public struct RESTMetricConfig: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case gauge, counter, untyped

        var metricType: MetricType {
            switch self {
            case .gauge: .gauge
            case .counter: .counter
            case .untyped: .untyped
            }
        }
    }

    public struct LabelPath: Sendable, Equatable {
        public var name: String
        /// Relative to the element `path` selected.
        public var path: JSONPath
    }

    public var name: String
    public var kind: Kind
    public var help: String
    /// Absolute; with `[*]` it selects many elements, one series each.
    public var path: JSONPath
    /// Relative to each selected element; nil: the element itself is the value.
    public var value: JSONPath?
    public var labels: [LabelPath]
}
