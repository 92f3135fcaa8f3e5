import Exposition
import HostMetrics
import Testing

@Suite struct ThermalZoneCollectorTests {
    @Test func zonesAndCoolingDevices() throws {
        let families = try collect(ThermalZoneCollector(), paths: Fixtures.edge("thermal"))
        #expect(families.map(\.name) == ["node_thermal_zone_temp", "node_cooling_device_cur_state",
                                         "node_cooling_device_max_state"])
        #expect(families.allSatisfy { $0.type == .gauge })
        #expect(families.value("node_thermal_zone_temp", ["zone": "0", "type": "x86_pkg_temp"]) == 48)
        // Below zero.
        #expect(families.value("node_thermal_zone_temp", ["zone": "1", "type": "acpitz"]) == -2.5)
        // Zone 2 has no readable temperature (a disabled zone answers ENODATA): left out.
        #expect(families[family: "node_thermal_zone_temp"]?.samples.count == 2)

        #expect(families.value("node_cooling_device_cur_state", ["name": "0", "type": "Processor"]) == 0)
        #expect(families.value("node_cooling_device_max_state", ["name": "0", "type": "Processor"]) == 3)
        // intel_powerclamp reports -1 when idle injection is off.
        #expect(families.value("node_cooling_device_cur_state", ["name": "1", "type": "intel_powerclamp"]) == -1)
        #expect(families.value("node_cooling_device_max_state", ["name": "1", "type": "intel_powerclamp"]) == 50)
        #expect(families.value("node_cooling_device_cur_state", ["name": "2", "type": "TCC Offset"]) == 10)
        #expect(families.value("node_cooling_device_max_state", ["name": "2", "type": "TCC Offset"]) == 63)
        // cooling_device3 vanished (dangling link): left out.
        #expect(families[family: "node_cooling_device_cur_state"]?.samples.count == 3)
    }

    @Test func malformedTemperatureNamesTheFile() {
        let error = #expect(throws: CollectorError.self) {
            try collect(ThermalZoneCollector(), paths: Fixtures.edge("thermal-bad"))
        }
        #expect(error?.description.contains("thermal-bad/sys/class/thermal/thermal_zone0/temp") == true)
        #expect(error?.description.contains("hot") == true)
    }

    @Test func absentClassGivesNothing() throws {
        #expect(try collect(ThermalZoneCollector(), paths: Fixtures.edge("missing")).isEmpty)
        #expect(try collect(ThermalZoneCollector(), paths: Fixtures.host).isEmpty)
    }
}
