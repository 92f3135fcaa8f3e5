import Exposition

/// One normalised view of every provider's instances, so one dashboard panel shows the whole
/// fleet: `nimbus_cloud_instance_info` and `nimbus_cloud_instance_cpu_utilization_ratio`
/// (0 to 1, whatever unit the provider reports in). Each provider's job fills what it knows;
/// the cache merges the families of all jobs.
public struct CrossCloudFamilies: Sendable {
    private var info = MetricFamily(
        name: "nimbus_cloud_instance_info", type: .gauge,
        help: "Cloud instances of every provider in one family (cached); always 1.")
    private var cpu = MetricFamily(
        name: "nimbus_cloud_instance_cpu_utilization_ratio", type: .gauge,
        help: "CPU utilisation of cloud instances of every provider, 0 to 1 (cached; newest datapoint).")

    public init() {}

    public mutating func addInstance(provider: String, region: String, instance: String, name: String,
                                     instanceType: String, state: String) {
        info.add(1, ["provider": provider, "region": region, "instance": instance, "name": name,
                     "instance_type": instanceType, "state": state])
    }

    /// `ratio` in 0...1; convert percentages before calling.
    public mutating func addCPU(provider: String, region: String, instance: String, ratio: Double) {
        cpu.add(ratio, ["provider": provider, "region": region, "instance": instance])
    }

    public var families: [MetricFamily] { [info, cpu] }
}
