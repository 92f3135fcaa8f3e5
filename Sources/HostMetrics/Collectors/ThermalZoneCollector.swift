import Exposition

/// `/sys/class/thermal/`: each thermal zone's temperature, `node_thermal_zone_temp{type,zone}`,
/// and each cooling device's throttle state, `node_cooling_device_{cur,max}_state{name,type}`.
///
/// A zone whose sensor cannot be read right now (ENODATA for a disabled zone, EIO, EAGAIN) is
/// left out, as is a device that vanished between listing and reading.
public struct ThermalZoneCollector: Collector {
    public let name = "thermal_zone"

    public init() {}

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let classDir = context.paths.sys("class/thermal")
        guard let entries = try SysfsHardware.listClass(classDir) else { return [] }
        var temperature = MetricFamily(name: "node_thermal_zone_temp", type: .gauge,
                                       help: "Temperature of the thermal zone, in degrees Celsius.")
        for entry in SysfsHardware.numbered(entries, prefix: "thermal_zone") {
            let dir = classDir + "/" + entry
            guard let type = SysfsHardware.text(&context.reader, dir + "/type"),
                  let millidegrees = try SysfsHardware.integer(&context.reader, dir + "/temp") else { continue }
            temperature.add(Double(millidegrees) / 1000.0,
                            labels: [Label("type", type), Label("zone", String(entry.dropFirst("thermal_zone".count)))])
        }
        var current = MetricFamily(name: "node_cooling_device_cur_state", type: .gauge,
                                   help: "Throttle state the cooling device is in now (-1 when the driver has no state).")
        var maximum = MetricFamily(name: "node_cooling_device_max_state", type: .gauge,
                                   help: "Highest throttle state the cooling device supports.")
        for entry in SysfsHardware.numbered(entries, prefix: "cooling_device") {
            let dir = classDir + "/" + entry
            guard let type = SysfsHardware.text(&context.reader, dir + "/type"),
                  let maxState = try SysfsHardware.integer(&context.reader, dir + "/max_state"),
                  let curState = try SysfsHardware.integer(&context.reader, dir + "/cur_state") else { continue }
            let labels = [Label("name", String(entry.dropFirst("cooling_device".count))), Label("type", type)]
            current.add(Double(curState), labels: labels)
            maximum.add(Double(maxState), labels: labels)
        }
        return [temperature, current, maximum].filter { !$0.samples.isEmpty }
    }
}
