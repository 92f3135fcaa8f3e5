import Exposition

/// `/sys/class/power_supply/*/`: mains adapters, batteries and USB supplies, with node_exporter
/// 1.5's families: `node_power_supply_<attribute>{power_supply}` for the numeric attributes
/// (micro-units converted to amperes, volts, watts, watt-hours and ampere-hours; tenths of a degree
/// to degrees) and `node_power_supply_info{power_supply,type,status,...}` for the text ones.
///
/// This is also what psutil's sensors_battery reads: `capacity` (percent), `status` (in the info
/// series), `time_to_empty_now` (seconds), `energy_now`/`power_now` or `charge_now`/`current_now`,
/// and the mains adapter's `online`.
public struct PowerSupplyClassCollector: Collector {
    public let name = "powersupplyclass"

    /// node_exporter's default for `--collector.powersupply.ignored-supplies`: nothing ignored.
    public static let defaultIgnoredSupplies = "^$"

    private let ignored: NameFilter

    /// `ignoredSupplies`: regular expression of supply names to leave out.
    public init(ignoredSupplies: String = PowerSupplyClassCollector.defaultIgnoredSupplies) throws {
        ignored = try NameFilter(exclude: ignoredSupplies)
    }

    enum Scale {
        /// The number as it is.
        case raw
        /// Micro-units (µA, µV, µW, µWh, µAh) to base units.
        case micro
        /// Tenths of a degree Celsius to degrees.
        case tenths
    }

    /// Numeric attribute file -> family suffix and scale, in node_exporter's naming.
    static let numeric: [(file: String, metric: String, scale: Scale)] = [
        ("authentic", "authentic", .raw),
        ("calibrate", "calibrate", .raw),
        ("capacity", "capacity", .raw),
        ("capacity_alert_max", "capacity_alert_max", .raw),
        ("capacity_alert_min", "capacity_alert_min", .raw),
        ("cycle_count", "cyclecount", .raw),
        ("online", "online", .raw),
        ("present", "present", .raw),
        ("time_to_empty_now", "time_to_empty_seconds", .raw),
        ("time_to_full_now", "time_to_full_seconds", .raw),
        ("current_boot", "current_boot", .micro),
        ("current_max", "current_max", .micro),
        ("current_now", "current_ampere", .micro),
        ("energy_empty", "energy_empty", .micro),
        ("energy_empty_design", "energy_empty_design", .micro),
        ("energy_full", "energy_full", .micro),
        ("energy_full_design", "energy_full_design", .micro),
        ("energy_now", "energy_watthour", .micro),
        ("voltage_boot", "voltage_boot", .micro),
        ("voltage_max", "voltage_max", .micro),
        ("voltage_max_design", "voltage_max_design", .micro),
        ("voltage_min", "voltage_min", .micro),
        ("voltage_min_design", "voltage_min_design", .micro),
        ("voltage_now", "voltage_volt", .micro),
        ("voltage_ocv", "voltage_ocv", .micro),
        ("charge_control_limit", "charge_control_limit", .micro),
        ("charge_control_limit_max", "charge_control_limit_max", .micro),
        ("charge_counter", "charge_counter", .micro),
        ("charge_empty", "charge_empty", .micro),
        ("charge_empty_design", "charge_empty_design", .micro),
        ("charge_full", "charge_full", .micro),
        ("charge_full_design", "charge_full_design", .micro),
        ("charge_now", "charge_ampere", .micro),
        ("charge_term_current", "charge_term_current", .micro),
        ("constant_charge_current", "constant_charge_current", .micro),
        ("constant_charge_current_max", "constant_charge_current_max", .micro),
        ("constant_charge_voltage", "constant_charge_voltage", .micro),
        ("constant_charge_voltage_max", "constant_charge_voltage_max", .micro),
        ("precharge_current", "precharge_current", .micro),
        ("input_current_limit", "input_current_limit", .micro),
        ("power_now", "power_watt", .micro),
        ("temp", "temp_celsius", .tenths),
        ("temp_alert_max", "temp_alert_max_celsius", .tenths),
        ("temp_alert_min", "temp_alert_min_celsius", .tenths),
        ("temp_ambient", "temp_ambient_celsius", .tenths),
        ("temp_ambient_max", "temp_ambient_max_celsius", .tenths),
        ("temp_ambient_min", "temp_ambient_min_celsius", .tenths),
        ("temp_max", "temp_max_celsius", .tenths),
        ("temp_min", "temp_min_celsius", .tenths),
    ]

    /// Text attributes that become labels of `node_power_supply_info` (label = file name).
    static let textual: Set<String> = [
        "capacity_level", "charge_type", "health", "manufacturer", "model_name", "serial_number", "status",
        "technology", "type", "usb_type", "scope",
    ]

    private static let numericByFile: [String: Int] = Dictionary(
        uniqueKeysWithValues: numeric.enumerated().map { ($0.element.file, $0.offset) })

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let classDir = context.paths.sys("class/power_supply")
        guard let supplies = try SysfsHardware.listClass(classDir) else { return [] }
        var families = Self.numeric.map { attribute in
            MetricFamily(name: "node_power_supply_" + attribute.metric, type: .gauge, help: Self.help(attribute.file, attribute.scale))
        }
        var info = MetricFamily(name: "node_power_supply_info", type: .gauge,
                                help: "Text attributes of the power supply as labels (value 1).")
        for supply in supplies where ignored.accepts(supply) {
            let dir = classDir + "/" + supply
            guard let files = SysfsHardware.listDevice(dir) else { continue }
            let labels = [Label("power_supply", supply)]
            var infoLabels = [Label("power_supply", supply)]
            for file in files {
                if let index = Self.numericByFile[file] {
                    let path = dir + "/" + file
                    // Drivers answer some attributes with ENODATA, EINVAL or EOPNOTSUPP: absent.
                    guard let bytes = SysfsHardware.attribute(&context.reader, path), !bytes.isEmpty else { continue }
                    guard let value = SysfsHardware.parseInteger(bytes) else { throw SysfsHardware.malformed(path, bytes) }
                    families[index].add(Self.convert(Double(value), Self.numeric[index].scale), labels: labels)
                } else if Self.textual.contains(file) {
                    if let text = SysfsHardware.text(&context.reader, dir + "/" + file), !text.isEmpty {
                        infoLabels.append(Label(file, text))
                    }
                }
            }
            info.add(1, labels: infoLabels)
        }
        return (families + [info]).filter { !$0.samples.isEmpty }
    }

    static func convert(_ value: Double, _ scale: Scale) -> Double {
        switch scale {
        case .raw: return value
        case .micro: return value / 1e6
        case .tenths: return value / 10.0
        }
    }

    static func help(_ file: String, _ scale: Scale) -> String {
        let unit: String
        switch scale {
        case .raw:
            switch file {
            case "time_to_empty_now", "time_to_full_now": unit = ", in seconds"
            case "capacity", "capacity_alert_max", "capacity_alert_min": unit = ", in percent"
            default: unit = ""
            }
        case .micro:
            if file.hasPrefix("energy") { unit = ", in watt-hours" }
            else if file.hasPrefix("power") { unit = ", in watts" }
            else if file.hasPrefix("voltage") || file.hasPrefix("constant_charge_voltage") { unit = ", in volts" }
            else if file.hasPrefix("charge") && !file.hasPrefix("charge_term") && !file.hasPrefix("charge_control") {
                unit = ", in ampere-hours"
            } else if file.hasPrefix("charge_control") { unit = " (driver units / 10^6)" }
            else { unit = ", in amperes" }
        case .tenths:
            unit = ", in degrees Celsius"
        }
        return "The power supply's \(file) attribute\(unit)."
    }
}
