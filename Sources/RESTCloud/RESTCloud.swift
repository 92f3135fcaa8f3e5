/// REST/JSON sources, json_exporter-style but cached: each configured target is one `RESTJob`
/// that fetches a JSON document in the background, picks numbers out of it with `JSONPath`
/// expressions and hands the cache the families to serve. See docs/rest.md.
public enum RESTCloud {
    /// The `provider` of every REST job, and of its `nimbus_cloud_requests_total` series.
    public static let provider = "rest"
}
