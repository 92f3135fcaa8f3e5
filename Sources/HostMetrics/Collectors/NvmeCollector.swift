import Exposition

/// `/sys/class/nvme/nvme*/`: one `node_nvme_info{device,firmware_revision,model,serial,state}`
/// series per NVMe controller, from its `firmware_rev`, `model`, `serial` and `state` attributes
/// (padding spaces trimmed). An attribute the kernel does not have is an empty label value; a
/// controller removed between listing and reading is left out.
public struct NvmeCollector: Collector {
    public let name = "nvme"

    public init() {}

    static let attributes: [(file: String, label: String)] = [
        ("firmware_rev", "firmware_revision"), ("model", "model"), ("serial", "serial"), ("state", "state"),
    ]

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let classDir = context.paths.sys("class/nvme")
        guard let devices = try SysfsHardware.listClass(classDir) else { return [] }
        var info = MetricFamily(name: "node_nvme_info", type: .gauge,
                                help: "Identity and state of the NVMe controller as labels (value 1).")
        for device in devices {
            let dir = classDir + "/" + device
            var labels = [Label("device", device)]
            var found = 0
            for attribute in Self.attributes {
                let value = SysfsHardware.text(&context.reader, dir + "/" + attribute.file)
                if value != nil { found += 1 }
                labels.append(Label(attribute.label, value ?? ""))
            }
            // Nothing readable: the controller went away (or is not one).
            guard found > 0 else { continue }
            info.add(1, labels: labels)
        }
        return info.samples.isEmpty ? [] : [info]
    }
}
