import CloudCache
import Exposition

/// Builds the families of one refresh from the discovered resources, the metric readings and the
/// rate-limit headers seen.
struct AzureFamilies {
    let config: AzureJobConfig

    /// The labels every series of a resource carries.
    func resourceLabels(_ resource: AzureResource) -> [Label] {
        var labels = [
            Label("resource_id", resource.id), Label("resource_name", resource.name),
            Label("resource_group", resource.resourceGroup), Label("subscription_id", resource.subscriptionId),
            Label("region", resource.location),
        ]
        for key in config.exportTags {
            // Azure treats tag keys case-insensitively.
            let value = resource.tags.first { $0.key == key }?.value
                ?? resource.tags.first { $0.key.lowercased() == key.lowercased() }?.value ?? ""
            labels.append(Label(AzureNaming.labelName(prefix: "tag_", key), value))
        }
        return labels
    }

    func info(_ resources: [AzureResource]) -> MetricFamily {
        var family = MetricFamily(name: "azure_resource_info", type: .gauge,
                                  help: "Azure resources discovered through Resource Manager; always 1 (cached).")
        for resource in resources {
            family.add(1, labels: resourceLabels(resource) + [Label("resource_type", resource.type)])
        }
        return family
    }

    func rateLimits(_ limits: ARMRateLimits) -> MetricFamily {
        var family = MetricFamily(name: "azure_arm_ratelimit_remaining", type: .gauge,
                                  help: "Requests Azure Resource Manager said remain in the current window, from its x-ms-ratelimit-remaining-* headers (cached).")
        for (key, value) in limits.remaining {
            family.add(value, ["subscription_id": key.subscription, "kind": key.kind])
        }
        return family
    }

    func skipped(_ skipped: [String: Int]) -> MetricFamily {
        var family = MetricFamily(name: "azure_metrics_skipped_calls", type: .gauge,
                                  help: "Per-resource metrics calls the last refresh left out because remaining ARM reads were below min_remaining_reads (cached).")
        for subscription in config.subscriptions {
            family.add(Double(skipped[subscription] ?? 0), ["subscription_id": subscription])
        }
        return family
    }

    func seriesKey(_ reading: MetricReading) -> AzureJob.SeriesKey {
        var labels = resourceLabels(reading.resource)
        for dimension in reading.dimensions {
            labels.append(Label(AzureNaming.labelName(prefix: "dimension_", dimension.name), dimension.value))
        }
        return AzureJob.SeriesKey(name: AzureNaming.metricName(namespace: reading.namespace, metric: reading.metric,
                                                               aggregation: reading.aggregation),
                                  labels: labels)
    }

    static func help(_ reading: MetricReading, timeGrain: String) -> String {
        "Azure Monitor \(reading.namespace) \(reading.metric) \(reading.aggregation.rawValue) per \(timeGrain), newest datapoint (cached)."
    }

    static func metricFamilies(_ series: [AzureJob.SeriesKey: AzureJob.RetainedValue]) -> [MetricFamily] {
        var families: [String: MetricFamily] = [:]
        for (key, value) in series {
            families[key.name, default: MetricFamily(name: key.name, type: .gauge, help: value.help)].add(value.value, labels: key.labels)
        }
        return families.keys.sorted().compactMap { families[$0] }
    }

    /// Virtual machines in the cross-provider families (`nimbus_cloud_instance_*`).
    static let virtualMachineType = "microsoft.compute/virtualmachines"

    func crossCloud(_ resources: [AzureResource], series: [AzureJob.SeriesKey: AzureJob.RetainedValue]) -> [MetricFamily] {
        guard config.resourceType.lowercased() == Self.virtualMachineType else { return [] }
        var families = CrossCloudFamilies()
        for resource in resources {
            families.addInstance(provider: AzureCloud.provider, region: resource.location, instance: resource.id,
                                 name: resource.name, instanceType: "", state: "")
        }
        let cpuName = AzureNaming.metricName(namespace: config.resourceType, metric: "Percentage CPU", aggregation: .average)
        for (key, value) in series where key.name == cpuName {
            guard let id = key.labels.first(where: { $0.name == "resource_id" })?.value,
                  let region = key.labels.first(where: { $0.name == "region" })?.value else { continue }
            families.addCPU(provider: AzureCloud.provider, region: region, instance: id, ratio: value.value / 100)
        }
        return families.families
    }
}
