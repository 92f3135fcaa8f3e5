import Exposition

/// `aws_ec2_info` and `aws_ec2_instances` from discovered instances.
enum EC2Families {
    static func add(_ instances: [EC2Instance], region: String, exportTags: [String],
                    info: inout MetricFamily, counts: inout MetricFamily) {
        let tagKeys = tagKeys(exportTags, instances: instances)
        var byStateAndType: [[String]: Double] = [:]
        for instance in instances {
            var labels = [
                Label("name", instance.arn(region: region)),
                Label("instance_id", instance.instanceId),
                Label("instance_type", instance.instanceType),
                Label("availability_zone", instance.availabilityZone),
                Label("state", instance.state),
                Label("region", region),
            ]
            var used = Set(labels.map { $0.name })
            for key in tagKeys {
                let label = PrometheusNaming.labelName(prefix: "tag_", key)
                // Two tag keys that sanitise to one label name: the first wins.
                guard used.insert(label).inserted else { continue }
                labels.append(Label(label, instance.tags.first { $0.key == key }?.value ?? ""))
            }
            info.add(1, labels: labels)
            byStateAndType[[instance.state, instance.instanceType], default: 0] += 1
        }
        for (key, count) in byStateAndType {
            counts.add(count, ["region": region, "state": key[0], "instance_type": key[1]])
        }
    }

    /// The configured keys, or with `*` every key any instance has, in a stable order.
    private static func tagKeys(_ configured: [String], instances: [EC2Instance]) -> [String] {
        guard configured.contains("*") else { return configured }
        var keys = Set<String>()
        for instance in instances { for tag in instance.tags { keys.insert(tag.key) } }
        return keys.sorted()
    }
}
