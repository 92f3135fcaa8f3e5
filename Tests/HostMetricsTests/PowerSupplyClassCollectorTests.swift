import Exposition
import HostMetrics
import Testing

private func infoLabels(_ families: [MetricFamily]) -> [String: [String: String]] {
    var result: [String: [String: String]] = [:]
    for sample in families[family: "node_power_supply_info"]?.samples ?? [] {
        let labels = Dictionary(uniqueKeysWithValues: sample.labels.map { ($0.name, $0.value) })
        result[labels["power_supply"] ?? "?"] = labels
    }
    return result
}

@Suite struct PowerSupplyClassCollectorTests {
    private let tree = Fixtures.edge("power-supply")

    @Test func mainsAdapter() throws {
        let families = try collect(PowerSupplyClassCollector(), paths: tree)
        #expect(families.value("node_power_supply_online", ["power_supply": "AC"]) == 1)
        #expect(infoLabels(families)["AC"] == ["power_supply": "AC", "type": "Mains"])
    }

    @Test func energyReportingBattery() throws {
        let families = try collect(PowerSupplyClassCollector(), paths: tree)
        let bat = ["power_supply": "BAT0"]
        #expect(families.value("node_power_supply_capacity", bat) == 81)
        #expect(families.value("node_power_supply_cyclecount", bat) == 112)
        #expect(families.value("node_power_supply_present", bat) == 1)
        #expect(families.value("node_power_supply_energy_watthour", bat) == 36.58)
        #expect(families.value("node_power_supply_energy_full", bat) == 45.07)
        #expect(families.value("node_power_supply_energy_full_design", bat) == 47.52)
        #expect(families.value("node_power_supply_power_watt", bat) == 5.002)
        #expect(families.value("node_power_supply_voltage_volt", bat) == 11.66)
        #expect(families.value("node_power_supply_voltage_min_design", bat) == 10.8)
        // alarm, charge_start_threshold and energy_avg are not exported by node_exporter 1.5.
        #expect(families[family: "node_power_supply_alarm"] == nil)
        #expect(families[family: "node_power_supply_energy_avg"] == nil)
        #expect(infoLabels(families)["BAT0"] == [
            "power_supply": "BAT0", "capacity_level": "Normal", "manufacturer": "LGC", "model_name": "5B10W13930",
            "serial_number": "38109", "status": "Discharging", "technology": "Li-ion", "type": "Battery",
        ])
    }

    @Test func chargeReportingBattery() throws {
        let families = try collect(PowerSupplyClassCollector(), paths: tree)
        let hid = ["power_supply": "hidpp_battery_0"]
        #expect(families.value("node_power_supply_charge_ampere", hid) == 2.5)
        #expect(families.value("node_power_supply_charge_full", hid) == 3)
        #expect(families.value("node_power_supply_current_ampere", hid) == -1.2)
        #expect(families.value("node_power_supply_voltage_volt", hid) == 3.8)
        #expect(families.value("node_power_supply_temp_celsius", hid) == 30.5)
        #expect(families.value("node_power_supply_time_to_empty_seconds", hid) == 7200)
        // An empty attribute is no value.
        #expect(families.value("node_power_supply_time_to_full_seconds", hid) == nil)
        #expect(families.value("node_power_supply_online", hid) == 1)
        // Invalid UTF-8 in a label is replaced, not passed through.
        #expect(infoLabels(families)["hidpp_battery_0"] == [
            "power_supply": "hidpp_battery_0", "capacity_level": "Normal", "health": "Good",
            "model_name": "MX Master \u{FFFD}", "scope": "Device", "status": "Discharging", "type": "Battery",
        ])
    }

    @Test func usbSupply() throws {
        let families = try collect(PowerSupplyClassCollector(), paths: tree)
        let usb = ["power_supply": "ucsi-source-psy-USBC000:001"]
        #expect(families.value("node_power_supply_online", usb) == 0)
        #expect(families.value("node_power_supply_current_max", usb) == 3)
        #expect(families.value("node_power_supply_voltage_max", usb) == 20)
        #expect(families.value("node_power_supply_voltage_min", usb) == 5)
        #expect(infoLabels(families)["ucsi-source-psy-USBC000:001"]?["usb_type"] == "C [PD] PD_PPS")
        #expect(infoLabels(families)["ucsi-source-psy-USBC000:001"]?["scope"] == "System")
    }

    @Test func batteryAnswersWhatPsutilAsks() throws {
        // psutil.sensors_battery(): percent, secsleft, power_plugged.
        let families = try collect(PowerSupplyClassCollector(), paths: tree)
        #expect(families.value("node_power_supply_capacity", ["power_supply": "BAT0"]) == 81)
        #expect(families.value("node_power_supply_time_to_empty_seconds", ["power_supply": "hidpp_battery_0"]) == 7200)
        #expect(families.value("node_power_supply_online", ["power_supply": "AC"]) == 1)
        #expect(infoLabels(families)["BAT0"]?["status"] == "Discharging")
    }

    @Test func everyFamilyIsAGaugeWithOneLabel() throws {
        let families = try collect(PowerSupplyClassCollector(), paths: tree)
        #expect(families.allSatisfy { $0.type == .gauge })
        #expect(families.filter { $0.name != "node_power_supply_info" }
            .allSatisfy { $0.samples.allSatisfy { $0.labels.map(\.name) == ["power_supply"] } })
        #expect(families[family: "node_power_supply_info"]?.samples.count == 4)
    }

    @Test func ignoredSupplies() throws {
        let families = try collect(PowerSupplyClassCollector(ignoredSupplies: "^(ucsi|hidpp)"), paths: tree)
        #expect(Set(infoLabels(families).keys) == ["AC", "BAT0"])
        #expect(families.value("node_power_supply_online", ["power_supply": "hidpp_battery_0"]) == nil)
        #expect(throws: CollectorError.self) { try PowerSupplyClassCollector(ignoredSupplies: "(") }
    }

    @Test func malformedValueNamesTheFile() {
        let error = #expect(throws: CollectorError.self) {
            try collect(PowerSupplyClassCollector(), paths: Fixtures.edge("power-supply-bad"))
        }
        #expect(error?.description.contains("power-supply-bad/sys/class/power_supply/BAT0/capacity") == true)
    }

    @Test func absentClassGivesNothing() throws {
        #expect(try collect(PowerSupplyClassCollector(), paths: Fixtures.edge("missing")).isEmpty)
        #expect(try collect(PowerSupplyClassCollector(), paths: Fixtures.host).isEmpty)
    }
}
