/// Azure Monitor as a cached source: each configured job gets Microsoft Entra ID tokens, lists
/// the resources of one type in its subscriptions through Azure Resource Manager, reads their
/// metrics (the regional `metrics:getBatch` API, or one ARM call per resource) and hands the
/// cache the families to serve. See docs/azure.md.
public enum AzureCloud {
    /// The `provider` of every Azure job, and of its `nimbus_cloud_requests_total` series.
    public static let provider = "azure"
}
