import Exposition
import Synchronization

/// `/sys/class/dmi/id/*`: the firmware's system identification as `node_dmi_info` (always 1).
///
/// As in node_exporter, a label is present only for an attribute the kernel provides and this
/// process may read (serial numbers and the product UUID are root-only). The values cannot change
/// while the machine runs, so they are read once per sysfs path.
public struct DmiCollector: Collector {
    public let name = "dmi"

    /// The label for each attribute file.
    static let attributes: [(file: String, label: String)] = [
        ("bios_date", "bios_date"), ("bios_release", "bios_release"), ("bios_vendor", "bios_vendor"),
        ("bios_version", "bios_version"), ("board_asset_tag", "board_asset_tag"), ("board_name", "board_name"),
        ("board_serial", "board_serial"), ("board_vendor", "board_vendor"), ("board_version", "board_version"),
        ("chassis_asset_tag", "chassis_asset_tag"), ("chassis_serial", "chassis_serial"),
        ("chassis_vendor", "chassis_vendor"), ("chassis_version", "chassis_version"),
        ("product_family", "product_family"), ("product_name", "product_name"), ("product_serial", "product_serial"),
        ("product_sku", "product_sku"), ("product_uuid", "product_uuid"), ("product_version", "product_version"),
        ("sys_vendor", "system_vendor"),
    ]

    private let cache = Cache()

    public init() {}

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let directory = context.paths.sys("class/dmi/id")
        if let cached = cache.families(for: directory) { return cached }
        var labels: [Label] = []
        for attribute in Self.attributes {
            // Missing, root-only (EACCES) or undecodable (EIO) attributes are left out.
            guard let bytes = try? context.reader.read(directory + "/" + attribute.file) else { continue }
            // Firmware strings are not always UTF-8: invalid bytes become U+FFFD.
            labels.append(Label(attribute.label, String(decoding: bytes.trimmingWhitespace(), as: UTF8.self)))
        }
        var families: [MetricFamily] = []
        if !labels.isEmpty {
            var info = MetricFamily(name: "node_dmi_info", type: .gauge,
                                    help: "System identification from the DMI (SMBIOS) tables (always 1).")
            info.add(1, labels: labels)
            families.append(info)
        }
        cache.store(families, for: directory)
        return families
    }

    private final class Cache: Sendable {
        private let entry = Mutex<(directory: String, families: [MetricFamily])?>(nil)

        func families(for directory: String) -> [MetricFamily]? {
            entry.withLock { $0?.directory == directory ? $0?.families : nil }
        }

        func store(_ families: [MetricFamily], for directory: String) {
            entry.withLock { $0 = (directory, families) }
        }
    }
}
