/// One resource found by ARM's resource listing.
public struct AzureResource: Sendable, Equatable {
    /// `/subscriptions/{sub}/resourceGroups/{rg}/providers/{type}/{name}`.
    public var id: String
    public var name: String
    public var type: String
    /// The region (`westeurope`).
    public var location: String
    public var tags: [String: String]
    public var subscriptionId: String

    public init(id: String, name: String, type: String, location: String, tags: [String: String], subscriptionId: String) {
        self.id = id
        self.name = name
        self.type = type
        self.location = location
        self.tags = tags
        self.subscriptionId = subscriptionId
    }

    /// The resource group named in the id; empty when the id has none.
    public var resourceGroup: String {
        let parts = id.split(separator: "/")
        guard let index = parts.firstIndex(where: { $0.lowercased() == "resourcegroups" }), index + 1 < parts.count else { return "" }
        return String(parts[index + 1])
    }
}

/// A page of `GET /subscriptions/{sub}/resources`: `{"value": [...], "nextLink": "..."}`.
struct ResourceListPage: Decodable {
    struct Item: Decodable {
        var id: String
        var name: String?
        var type: String?
        var location: String?
        var tags: [String: String]?
    }

    var value: [Item]
    var nextLink: String?
}
