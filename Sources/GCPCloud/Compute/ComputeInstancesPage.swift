import Foundation

/// A Compute Engine instance as `instances.aggregatedList` describes it, reduced to what the
/// inventory exports.
struct ComputeInstance: Sendable, Equatable {
    var id: String
    var name: String
    /// Last path segment of the machine type URL (`e2-medium`).
    var machineType: String
    var status: String
    /// Last path segment of the zone URL (`us-central1-a`).
    var zone: String
    var labels: [String: String]
}

/// One page of `GET compute/v1/projects/{project}/aggregated/instances`: `items` maps a scope
/// (`zones/us-central1-a`) to `{"instances": [...]}` or to a `warning` when the zone has none.
struct ComputeInstancesPage {
    var instances: [ComputeInstance]
    var nextPageToken: String?

    static func decode(_ body: [UInt8]) throws(TimeSeriesPage.DecodeError) -> ComputeInstancesPage {
        typealias DecodeError = TimeSeriesPage.DecodeError
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
            throw DecodeError(description: "the body is not a JSON object")
        }
        var instances: [ComputeInstance] = []
        let items = try TimeSeriesPage.dictionary(object["items"], "items")
        for scope in items.keys.sorted() {
            let entry = try TimeSeriesPage.dictionary(items[scope], "items[\(scope)]")
            guard let list = entry["instances"] else { continue }
            guard let array = list as? [Any] else { throw DecodeError(description: "items[\(scope)].instances is not a list") }
            for (index, item) in array.enumerated() {
                do throws(DecodeError) {
                    instances.append(try decodeInstance(item, scope: scope))
                } catch {
                    throw DecodeError(description: "items[\(scope)].instances[\(index)]: \(error.description)")
                }
            }
        }
        let token = try TimeSeriesPage.optionalString(object["nextPageToken"], "nextPageToken").flatMap { $0.isEmpty ? nil : $0 }
        return ComputeInstancesPage(instances: instances, nextPageToken: token)
    }

    private static func decodeInstance(_ item: Any, scope: String) throws(TimeSeriesPage.DecodeError) -> ComputeInstance {
        guard let object = item as? [String: Any] else { throw TimeSeriesPage.DecodeError(description: "not an object") }
        // Ids are uint64, which proto3 JSON writes as strings.
        let id: String
        switch object["id"] {
        case let text as String: id = text
        case let number as NSNumber: id = number.stringValue
        default: throw TimeSeriesPage.DecodeError(description: "id is missing")
        }
        guard let name = try TimeSeriesPage.optionalString(object["name"], "name"), !name.isEmpty else {
            throw TimeSeriesPage.DecodeError(description: "name is missing")
        }
        let zoneURL = try TimeSeriesPage.optionalString(object["zone"], "zone") ?? scope
        return ComputeInstance(
            id: id, name: name,
            machineType: lastSegment(try TimeSeriesPage.optionalString(object["machineType"], "machineType") ?? ""),
            status: try TimeSeriesPage.optionalString(object["status"], "status") ?? "",
            zone: lastSegment(zoneURL), labels: try TimeSeriesPage.labels(object["labels"], "labels"))
    }

    static func lastSegment(_ url: String) -> String {
        url.split(separator: "/").last.map(String.init) ?? ""
    }
}
