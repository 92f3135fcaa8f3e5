import Exposition

/// `/sys/class/hwmon/hwmon*/`: hardware monitoring chips (temperatures, voltages, fans, power,
/// current, energy, humidity), named and converted as node_exporter 1.5 does:
/// `node_hwmon_temp_celsius{chip,sensor}`, `node_hwmon_in_volts`, `node_hwmon_fan_rpm`,
/// `node_hwmon_power_*_watt`, `node_hwmon_curr_amps`, `node_hwmon_sensor_label{chip,label,sensor}`,
/// `node_hwmon_chip_names{chip,chip_name}`, and the remaining attributes under their raw names.
///
/// Attributes are read from the chip's directory and, for older drivers, from its `device`
/// directory; only those two directories are listed, nothing is walked recursively. An attribute
/// the driver refuses to return (EIO, EAGAIN, ENODATA, EACCES) is left out.
public struct HwmonCollector: Collector {
    public let name = "hwmon"

    public init() {}

    /// The sensor kinds node_exporter reads; other files of the directory are ignored.
    static let sensorTypes: Set<String> = [
        "vrm", "beep_enable", "update_interval", "in", "cpu", "fan", "pwm", "temp", "curr", "power", "energy",
        "humidity", "intrusion",
    ]

    /// One chip's attributes: sensor (`temp1`) -> property (`input`, `max`, `label`, "" for a bare
    /// `pwm1`) -> the file's text with newlines trimmed.
    typealias SensorData = [String: [String: String]]

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let classDir = context.paths.sys("class/hwmon")
        guard let entries = try SysfsHardware.listClass(classDir) else { return [] }
        var builder = Builder()
        for entry in entries {
            let dir = classDir + "/" + entry
            // Entries are links to the chips' directories; anything that is not a directory
            // (or has vanished) cannot be listed and is skipped below.
            guard let files = SysfsHardware.listDevice(dir) else { continue }
            guard let chip = Self.chipName(dir, reader: &context.reader) else { continue }
            var data = SensorData()
            Self.readSensors(dir, files: files, into: &data, reader: &context.reader)
            let deviceDir = dir + "/device"
            if let deviceFiles = SysfsHardware.listDevice(deviceDir) {
                Self.readSensors(deviceDir, files: deviceFiles, into: &data, reader: &context.reader)
            }
            if let humanName = Self.humanReadableName(dir, reader: &context.reader) {
                builder.add("node_hwmon_chip_names", .gauge, help: "Maps each hwmon chip label to the chip's own name (value 1).",
                            value: 1, labels: [Label("chip", chip), Label("chip_name", humanName)])
            }
            Self.addSeries(chip: chip, data: data, to: &builder)
        }
        return builder.families()
    }

    /// Reads every attribute file whose name is a known sensor kind into `data`.
    static func readSensors(_ dir: String, files: [String], into data: inout SensorData, reader: inout FileReader) {
        for file in files {
            guard let parts = explode(file), sensorTypes.contains(parts.type) else { continue }
            // node_exporter reads at most 128 bytes and trims only newlines (labels keep their spaces).
            guard let bytes = try? reader.readAttribute(dir + "/" + file, limit: 128) else { continue }
            let text = trimmingNewlines(bytes).string
            data[parts.type + String(parts.number), default: [:]][parts.property] = text
        }
    }

    /// Splits an attribute file name as `<type><number>_<property>` (`temp1_crit_alarm` ->
    /// temp, 1, crit_alarm; `pwm2` -> pwm, 2, ""; `update_interval` -> update_interval, 0, "").
    /// This is node_exporter's `^([^0-9]+)([0-9]*)?(_(.+))?$` with the same preference for the
    /// longest type. nil when the name does not fit.
    static func explode(_ name: String) -> (type: String, number: Int, property: String)? {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, !isDigit(first) else { return nil }
        let digitsStart = bytes.firstIndex(where: isDigit) ?? bytes.count
        var digitsEnd = digitsStart
        while digitsEnd < bytes.count, isDigit(bytes[digitsEnd]) { digitsEnd += 1 }
        let rest = digitsEnd
        if rest == bytes.count || (bytes[rest] == UInt8(ascii: "_") && rest + 1 < bytes.count) {
            guard let number = digitsStart == digitsEnd ? 0 : Int(text(bytes[digitsStart..<digitsEnd])) else { return nil }
            let property = rest == bytes.count ? "" : text(bytes[(rest + 1)...])
            return (text(bytes[..<digitsStart]), number, property)
        }
        // The digits are followed by something else than `_<property>`: a shorter type ending at
        // an underscore, with no number, is the only other way the pattern can match.
        guard let underscore = bytes[1..<digitsStart].lastIndex(of: UInt8(ascii: "_")) else { return nil }
        return (text(bytes[..<underscore]), 0, text(bytes[(underscore + 1)...]))
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

    private static func trimmingNewlines(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var lower = bytes.startIndex
        var upper = bytes.endIndex
        while lower < upper, bytes[lower] == UInt8(ascii: "\n") { lower += 1 }
        while upper > lower, bytes[upper - 1] == UInt8(ascii: "\n") { upper -= 1 }
        return bytes[lower..<upper]
    }

    /// node_exporter's name cleaning: lower case, every character other than `a-z 0-9 : _`
    /// replaced by `_`, underscores trimmed from both ends.
    static func cleanName(_ name: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(name.utf8.count)
        for scalar in name.lowercased().unicodeScalars {
            let value = scalar.value
            let keep = (value >= 0x61 && value <= 0x7A) || (value >= 0x30 && value <= 0x39) || value == 0x3A || value == 0x5F
            bytes.append(keep ? UInt8(value) : UInt8(ascii: "_"))
        }
        var lower = 0
        var upper = bytes.count
        while lower < upper, bytes[lower] == UInt8(ascii: "_") { lower += 1 }
        while upper > lower, bytes[upper - 1] == UInt8(ascii: "_") { upper -= 1 }
        return String(decoding: bytes[lower..<upper], as: UTF8.self)
    }

    /// The `chip` label: from the real path of the `device` link (`platform_coretemp_0`,
    /// `pci0000:00_0000:00:18_3`), else from the `name` file, else the directory's own name.
    static func chipName(_ dir: String, reader: inout FileReader) -> String? {
        if let device = SysfsHardware.realPath(dir + "/device") {
            var components = device.split(separator: "/", omittingEmptySubsequences: false)
            let deviceName = cleanName(String(components.popLast() ?? ""))
            let deviceType = cleanName(String(components.popLast() ?? ""))
            if !deviceType.isEmpty && !deviceName.isEmpty { return deviceType + "_" + deviceName }
            if !deviceName.isEmpty { return deviceName }
        }
        if let name = humanReadableName(dir, reader: &reader) { return name }
        guard let real = SysfsHardware.realPath(dir) else { return nil }
        let cleaned = cleanName(String(SysfsHardware.baseName(real)))
        return cleaned.isEmpty ? nil : cleaned
    }

    /// The chip's `name` file, cleaned (`coretemp`, `nct6779`), or nil.
    static func humanReadableName(_ dir: String, reader: inout FileReader) -> String? {
        guard let bytes = try? reader.readAttribute(dir + "/name"), !bytes.isEmpty else { return nil }
        let cleaned = cleanName(bytes.string)
        return cleaned.isEmpty ? nil : cleaned
    }

    /// How one attribute's text becomes a sample value.
    enum Conversion: Equatable {
        case none
        case times(Double)
        case dividedBy(Double)

        func apply(_ value: Double) -> Double {
            switch self {
            case .none: return value
            case .times(let factor): return value * factor
            case .dividedBy(let divisor): return value / divisor
            }
        }
    }

    /// The family, type, help text and conversion of one property of a sensor of `type`.
    /// `hasBare` says whether the sensor also has a property-less file (`pwm1` next to `pwm1_input`).
    static func family(type: String, property: String, hasBare: Bool)
        -> (name: String, type: MetricType, help: String, conversion: Conversion)
    {
        var name = "node_hwmon_" + type
        if property == "input" {
            if hasBare { name += "_input" }
        } else if !property.isEmpty {
            name += "_" + cleanName(property)
        }
        let shown = property.isEmpty ? "value" : property
        if property == "fault" || property == "alarm" {
            return (name, .gauge, "Whether the hwmon \(type) sensor reports a \(property) (1) or not (0).", .none)
        }
        if property == "beep" {
            return (name + "_enabled", .gauge, "Whether the hwmon sensor beeps on alarm (1) or not (0).", .none)
        }
        switch type {
        case "in", "cpu":
            return (name + "_volts", .gauge, "Voltage reported by a hwmon sensor (\(shown)), in volts.", .times(0.001))
        case "temp" where property != "type":
            let element = property.isEmpty ? "input" : property
            return (name + "_celsius", .gauge, "Temperature reported by a hwmon sensor (\(element)), in degrees Celsius.",
                    .times(0.001))
        case "curr":
            return (name + "_amps", .gauge, "Current reported by a hwmon sensor (\(shown)), in amperes.", .times(0.001))
        case "energy":
            return (name + "_joule_total", .counter, "Energy a hwmon sensor has counted (\(shown)), in joules.",
                    .dividedBy(1_000_000))
        case "power" where property == "accuracy":
            return (name, .gauge, "Accuracy of a hwmon power meter, as a ratio.", .dividedBy(1_000_000))
        case "power" where property == "average_interval" || property == "average_interval_min"
            || property == "average_interval_max":
            return (name + "_seconds", .gauge, "Averaging interval of a hwmon power meter (\(property)), in seconds.",
                    .times(0.001))
        case "power":
            return (name + "_watt", .gauge, "Power reported by a hwmon sensor (\(shown)), in watts.", .dividedBy(1_000_000))
        case "humidity":
            return (name, .gauge, "Relative humidity reported by a hwmon sensor (\(shown)), as a ratio from 0 to 1.",
                    .dividedBy(1_000_000))
        case "fan" where property == "input" || property == "min" || property == "max" || property == "target":
            return (name + "_rpm", .gauge, "Fan speed reported by a hwmon sensor (\(property)), in revolutions per minute.",
                    .none)
        default:
            return (name, .gauge, "Raw value of the hwmon \(type) sensor attribute \(shown).", .none)
        }
    }

    /// Turns one chip's attributes into series.
    static func addSeries(chip: String, data: SensorData, to builder: inout Builder) {
        for sensor in data.keys.sorted() {
            guard let properties = data[sensor], let type = explode(sensor)?.type else { continue }
            let labels = [Label("chip", chip), Label("sensor", sensor)]
            if let label = properties["label"] {
                builder.add("node_hwmon_sensor_label", .gauge, help: "Label the driver gives a hwmon sensor (value 1).",
                            value: 1, labels: labels + [Label("label", label)])
            }
            switch type {
            case "beep_enable":
                builder.add("node_hwmon_beep_enabled", .gauge, help: "Whether the hwmon chip's beeper is enabled (1) or not (0).",
                            value: properties[""] == "1" ? 1 : 0, labels: labels)
                continue
            case "vrm":
                if let value = properties[""].flatMap(parseValue) {
                    builder.add("node_hwmon_voltage_regulator_version", .gauge,
                                help: "Voltage regulator module version the hwmon chip reports.", value: value, labels: labels)
                }
                continue
            case "update_interval":
                if let value = properties[""].flatMap(parseValue) {
                    builder.add("node_hwmon_update_interval_seconds", .gauge,
                                help: "How often the hwmon chip updates its readings, in seconds.", value: value * 0.001,
                                labels: labels)
                }
                continue
            default:
                break
            }
            let hasBare = properties[""] != nil
            for property in properties.keys.sorted() where property != "label" {
                guard let value = properties[property].flatMap(parseValue) else { continue }
                let family = family(type: type, property: property, hasBare: hasBare)
                builder.add(family.name, family.type, help: family.help, value: family.conversion.apply(value), labels: labels)
            }
        }
    }

    /// A number as Go's ParseFloat takes it: no surrounding spaces.
    static func parseValue(_ text: String) -> Double? {
        ArraySlice(text.utf8).parseDouble()
    }

    /// Families by name, created on first use.
    struct Builder {
        private var byName: [String: MetricFamily] = [:]

        mutating func add(_ name: String, _ type: MetricType, help: String, value: Double, labels: [Label]) {
            if byName[name] == nil { byName[name] = MetricFamily(name: name, type: type, help: help) }
            byName[name]?.add(value, labels: labels)
        }

        func families() -> [MetricFamily] {
            byName.keys.sorted().compactMap { byName[$0] }
        }
    }
}
