import Exposition

/// Compute Engine instances of a project, every page of `instances.aggregatedList`, as
/// `gcp_compute_instance_info` (one series per instance, its labels as `label_<key>`) and
/// `gcp_compute_instances` (counts by zone and status).
enum ComputeInventory {
    static let api = "compute.instances.aggregatedList"
    static let maxPages = 100

    static func fetch(project: String, endpoint: String, client: GCPMonitoringClient) throws(GCPCallError) -> [ComputeInstance] {
        var base = endpoint
        while base.hasSuffix("/") { base.removeLast() }
        let url = base + "/compute/v1/projects/" + FormEncoding.escape(project) + "/aggregated/instances?"
        var instances: [ComputeInstance] = []
        var pageToken: String?
        var seenTokens: Set<String> = []
        for _ in 0..<maxPages {
            var query = [("maxResults", "500")]
            if let pageToken { query.append(("pageToken", pageToken)) }
            let body = try client.get(url + FormEncoding.encode(query), api: api)
            let page: ComputeInstancesPage
            do throws(TimeSeriesPage.DecodeError) {
                page = try ComputeInstancesPage.decode(body)
            } catch {
                throw .malformed(api: api, reason: error.description)
            }
            instances.append(contentsOf: page.instances)
            guard let next = page.nextPageToken else { return instances }
            guard seenTokens.insert(next).inserted else {
                throw .malformed(api: api, reason: "the same nextPageToken came back twice")
            }
            pageToken = next
        }
        throw .invalidRequest(api: api, reason: "more than \(maxPages) pages of instances")
    }

    static func families(_ instances: [ComputeInstance], project: String) -> [MetricFamily] {
        var info = MetricFamily(name: "gcp_compute_instance_info", type: .gauge,
                                help: "Compute Engine instances listed with instances.aggregatedList; always 1 (cached)")
        var counts = MetricFamily(name: "gcp_compute_instances", type: .gauge,
                                  help: "Compute Engine instances by zone and status (cached)")
        var byZoneAndStatus: [[String]: Double] = [:]
        for instance in instances {
            var labels = [
                Label("project", project), Label("zone", instance.zone), Label("instance_id", instance.id),
                Label("name", instance.name), Label("machine_type", instance.machineType), Label("status", instance.status),
            ]
            var used = Set(labels.map(\.name))
            for key in instance.labels.keys.sorted() {
                let name = "label_" + StackdriverNaming.labelName(key)
                // Two keys that sanitise to one label name: the first in sorted order wins.
                guard used.insert(name).inserted else { continue }
                labels.append(Label(name, instance.labels[key] ?? ""))
            }
            info.add(1, labels: labels)
            byZoneAndStatus[[instance.zone, instance.status], default: 0] += 1
        }
        for (key, count) in byZoneAndStatus.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            counts.add(count, ["project": project, "zone": key[0], "status": key[1]])
        }
        return [info, counts]
    }
}
