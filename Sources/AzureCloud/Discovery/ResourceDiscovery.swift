import CloudCache
import CloudHTTP
import Foundation

/// Lists the resources of one type in a subscription (or in some of its resource groups) with
/// ARM's `Resources - List`, following `nextLink` until the last page.
struct ResourceDiscovery {
    static let apiVersion = "2021-04-01"
    /// A runaway `nextLink` chain must end; 1,000 pages hold a million resources.
    static let maxPages = 1000

    let api: AzureAPI
    let config: AzureJobConfig
    let stats: CloudStats

    func resources(in subscription: String, limits: inout ARMRateLimits) throws(AzureCallError) -> [AzureResource] {
        var urls: [String] = []
        let query = QueryEncoding.query([("api-version", Self.apiVersion),
                                         ("$filter", "resourceType eq '\(config.resourceType)'")])
        if config.resourceGroups.isEmpty {
            urls.append("\(config.endpoints.management)/subscriptions/\(subscription)/resources?\(query)")
        } else {
            for group in config.resourceGroups {
                urls.append("\(config.endpoints.management)/subscriptions/\(subscription)/resourceGroups/\(group)/resources?\(query)")
            }
        }
        var found: [AzureResource] = []
        var seen = Set<String>()
        for first in urls {
            var next: String? = first
            var pages = 0
            while let url = next, pages < Self.maxPages {
                pages += 1
                try checkSameHost(url)
                let answer = try api.call(api: "resources", url: url, scope: config.scopes.management, stats: stats) { body in
                    try JSONDecoder().decode(ResourceListPage.self, from: Data(body))
                }
                limits.observe(subscription: subscription, headers: answer.headers)
                for item in answer.value.value {
                    // The filter is the server's job; a resource of another type is still not ours.
                    if let type = item.type, type.lowercased() != config.resourceType.lowercased() { continue }
                    guard seen.insert(item.id.lowercased()).inserted else { continue }
                    found.append(AzureResource(id: item.id, name: item.name ?? Self.lastSegment(item.id),
                                               type: item.type ?? config.resourceType, location: item.location ?? "",
                                               tags: item.tags ?? [:], subscriptionId: subscription))
                }
                next = answer.value.nextLink.flatMap { $0.isEmpty ? nil : $0 }
            }
        }
        return found
    }

    /// The bearer token goes to the configured ARM endpoint only.
    private func checkSameHost(_ url: String) throws(AzureCallError) {
        let expected = CurlSession.hostName(of: config.endpoints.management).lowercased()
        let actual = CurlSession.hostName(of: url).lowercased()
        let scheme = { (text: String) in text.prefix { $0 != ":" }.lowercased() }
        guard actual == expected, scheme(url) == scheme(config.endpoints.management) else {
            throw .foreignLink(api: "resources", host: actual)
        }
    }

    static func lastSegment(_ id: String) -> String {
        id.split(separator: "/").last.map(String.init) ?? id
    }
}
