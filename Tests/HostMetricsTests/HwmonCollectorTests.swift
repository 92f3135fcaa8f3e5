import Exposition
@testable import HostMetrics
import Testing

@Suite struct HwmonCollectorTests {
    private let tree = Fixtures.edge("hwmon")

    @Test func chipNamesFromDeviceLinkNameFileOrDirectory() throws {
        let families = try collect(HwmonCollector(), paths: tree)
        let chips = Set(families.flatMap(\.samples).compactMap { $0.labels.first { $0.name == "chip" }?.value })
        // device link -> <bus>_<device>; no link -> name file; neither -> hwmonN; dangling or
        // looping device link -> name file. hwmon6 (a link to itself) and README are skipped.
        #expect(chips == ["platform_coretemp_0", "nct6798", "pci0000:00_0000:00:18_3", "hwmon3", "platform_applesmc_768",
                          "acpitz", "nvme"])
        let names = try #require(families[family: "node_hwmon_chip_names"])
        let pairs = Set(names.samples.map { sample in
            Dictionary(uniqueKeysWithValues: sample.labels.map { ($0.name, $0.value) })
        })
        // Only chips with a name file in their own directory (not hwmon3, not applesmc's hwmon4).
        #expect(pairs == [["chip": "platform_coretemp_0", "chip_name": "coretemp"], ["chip": "nct6798", "chip_name": "nct6798"],
                          ["chip": "pci0000:00_0000:00:18_3", "chip_name": "k10temp"], ["chip": "acpitz", "chip_name": "acpitz"],
                          ["chip": "nvme", "chip_name": "nvme"]])
        #expect(names.samples.allSatisfy { $0.value == 1 })
    }

    @Test func temperatures() throws {
        let families = try collect(HwmonCollector(), paths: tree)
        let core = "platform_coretemp_0"
        #expect(families.value("node_hwmon_temp_celsius", ["chip": core, "sensor": "temp1"]) == 45)
        #expect(families.value("node_hwmon_temp_max_celsius", ["chip": core, "sensor": "temp1"]) == 84)
        #expect(families.value("node_hwmon_temp_crit_celsius", ["chip": core, "sensor": "temp1"]) == 100)
        #expect(families.value("node_hwmon_temp_crit_alarm_celsius", ["chip": core, "sensor": "temp1"]) == 0)
        #expect(families.value("node_hwmon_temp_celsius", ["chip": core, "sensor": "temp2"]) == 43)
        #expect(families.value("node_hwmon_temp_celsius", ["chip": "pci0000:00_0000:00:18_3", "sensor": "temp1"]) == 52.25)
        #expect(families.value("node_hwmon_temp_celsius", ["chip": "hwmon3", "sensor": "temp1"]) == 30)
        #expect(families.value("node_hwmon_temp_celsius", ["chip": "acpitz", "sensor": "temp1"]) == 27.8)
        #expect(families.value("node_hwmon_temp_celsius", ["chip": "nvme", "sensor": "temp1"]) == 38.85)
        // temp<n>_type is not a temperature: exported raw under its own name.
        #expect(families.value("node_hwmon_temp_type", ["chip": "hwmon3", "sensor": "temp1"]) == 4)
        // "N/A" is skipped; an attribute that cannot be read (temp9_input) is skipped.
        #expect(families.value("node_hwmon_temp_max_celsius", ["chip": core, "sensor": "temp3"]) == nil)
        let temps = try #require(families[family: "node_hwmon_temp_celsius"])
        #expect(temps.samples.count == 6)
        #expect(temps.type == .gauge)
        #expect(!temps.samples.contains { $0.labels.contains(Label("sensor", "temp9")) })
    }

    @Test func labelsKeepTheirSpaces() throws {
        let families = try collect(HwmonCollector(), paths: tree)
        let labels = try #require(families[family: "node_hwmon_sensor_label"])
        let found = Set(labels.samples.map { sample in
            Dictionary(uniqueKeysWithValues: sample.labels.map { ($0.name, $0.value) })
        })
        #expect(found == [
            ["chip": "platform_coretemp_0", "sensor": "temp1", "label": "Package id 0"],
            ["chip": "platform_coretemp_0", "sensor": "temp2", "label": "Core 0"],
            ["chip": "pci0000:00_0000:00:18_3", "sensor": "temp1", "label": "Tctl"],
            ["chip": "hwmon3", "sensor": "temp1", "label": "foo sensor  "],
            ["chip": "platform_applesmc_768", "sensor": "fan1", "label": "Left side  "],
        ])
    }

    @Test func voltagesFansPwmAndMore() throws {
        let families = try collect(HwmonCollector(), paths: tree)
        func nct(_ sensor: String) -> [String: String] { ["chip": "nct6798", "sensor": sensor] }
        #expect(families.value("node_hwmon_in_volts", nct("in0")) == 1.016)
        #expect(families.value("node_hwmon_in_min_volts", nct("in0")) == 0)
        #expect(families.value("node_hwmon_in_max_volts", nct("in0")) == 1.744)
        #expect(families.value("node_hwmon_in_alarm", nct("in0")) == 0)
        #expect(families.value("node_hwmon_in_beep_enabled", nct("in0")) == 0)
        #expect(families.value("node_hwmon_in_volts", nct("in1")) == 1.824)
        #expect(families.value("node_hwmon_in_alarm", nct("in1")) == 1)
        #expect(families.value("node_hwmon_fan_rpm", nct("fan1")) == 1098)
        #expect(families.value("node_hwmon_fan_min_rpm", nct("fan1")) == 0)
        #expect(families.value("node_hwmon_fan_target_rpm", nct("fan1")) == 27000)
        #expect(families.value("node_hwmon_fan_pulses", nct("fan1")) == 2)
        #expect(families.value("node_hwmon_fan_alarm", nct("fan1")) == 0)
        #expect(families.value("node_hwmon_fan_beep_enabled", nct("fan1")) == 1)
        #expect(families.value("node_hwmon_pwm", nct("pwm1")) == 153)
        #expect(families.value("node_hwmon_pwm_enable", nct("pwm1")) == 5)
        #expect(families.value("node_hwmon_pwm_mode", nct("pwm1")) == 1)
        #expect(families.value("node_hwmon_intrusion_alarm", nct("intrusion0")) == 1)
        #expect(families.value("node_hwmon_beep_enabled", nct("beep_enable0")) == 1)
        #expect(families.value("node_hwmon_curr_amps", nct("curr1")) == 1.5)
        #expect(families.value("node_hwmon_cpu_vid_volts", nct("cpu0")) == 1.2)
        #expect(families.value("node_hwmon_voltage_regulator_version", nct("vrm0")) == 100)
        #expect(families.value("node_hwmon_update_interval_seconds", nct("update_interval0")) == 1)
        // Old-style driver: attributes in the device directory.
        let apple = ["chip": "platform_applesmc_768", "sensor": "fan1"]
        #expect(families.value("node_hwmon_fan_rpm", apple) == 1998)
        #expect(families.value("node_hwmon_fan_min_rpm", apple) == 2000)
        #expect(families.value("node_hwmon_fan_max_rpm", apple) == 6156)
        #expect(families.value("node_hwmon_fan_manual", apple) == 0)
    }

    @Test func powerEnergyHumidity() throws {
        let families = try collect(HwmonCollector(), paths: tree)
        let k10 = ["chip": "pci0000:00_0000:00:18_3", "sensor": "power1"]
        #expect(families.value("node_hwmon_power_watt", k10) == 23.5)
        #expect(families.value("node_hwmon_power_average_watt", k10) == 21)
        #expect(families.value("node_hwmon_power_accuracy", k10) == 0.000095)
        #expect(families.value("node_hwmon_power_average_interval_seconds", k10) == 1)
        let energy = try #require(families[family: "node_hwmon_energy_joule_total"])
        #expect(energy.type == .counter)
        #expect(families.value("node_hwmon_energy_joule_total", ["chip": "pci0000:00_0000:00:18_3", "sensor": "energy1"])
            == 123456.789)
        #expect(families.value("node_hwmon_humidity", ["chip": "pci0000:00_0000:00:18_3", "sensor": "humidity1"]) == 0.0455)
        // The coretemp chip's power/ directory is not a power sensor.
        #expect(families.value("node_hwmon_power_watt", ["chip": "platform_coretemp_0", "sensor": "power0"]) == nil)
        #expect(families[family: "node_hwmon_power_watt"]?.samples.count == 1)
    }

    @Test func fileNamesSplitLikeNodeExporter() {
        func parts(_ name: String) -> [String]? {
            HwmonCollector.explode(name).map { [$0.type, String($0.number), $0.property] }
        }
        #expect(parts("temp1_crit_alarm") == ["temp", "1", "crit_alarm"])
        #expect(parts("in0_input") == ["in", "0", "input"])
        #expect(parts("pwm2") == ["pwm", "2", ""])
        #expect(parts("temp10_input") == ["temp", "10", "input"])
        #expect(parts("temp01_input") == ["temp", "1", "input"])
        #expect(parts("update_interval") == ["update_interval", "0", ""])
        #expect(parts("beep_enable") == ["beep_enable", "0", ""])
        #expect(parts("pwm1_auto_point1_pwm") == ["pwm", "1", "auto_point1_pwm"])
        #expect(parts("fan_x1y") == ["fan", "0", "x1y"])
        #expect(parts("1temp") == nil)
        #expect(parts("temp1x") == nil)
        #expect(parts("temp1_") == nil)
        #expect(parts("temp99999999999999999999_input") == nil)
    }

    @Test func namesAreCleanedLikeNodeExporter() {
        #expect(HwmonCollector.cleanName("coretemp\n") == "coretemp")
        #expect(HwmonCollector.cleanName("Core 0") == "core_0")
        #expect(HwmonCollector.cleanName("__A-b.c__") == "a_b_c")
        #expect(HwmonCollector.cleanName("pci0000:00") == "pci0000:00")
        #expect(HwmonCollector.cleanName("--") == "")
    }

    @Test func familyNamesForEveryKind() {
        func name(_ type: String, _ property: String, bare: Bool = false) -> String {
            HwmonCollector.family(type: type, property: property, hasBare: bare).name
        }
        #expect(name("temp", "") == "node_hwmon_temp_celsius")
        #expect(name("temp", "input") == "node_hwmon_temp_celsius")
        #expect(name("temp", "input", bare: true) == "node_hwmon_temp_input_celsius")
        #expect(name("temp", "fault") == "node_hwmon_temp_fault")
        #expect(name("in", "lcrit") == "node_hwmon_in_lcrit_volts")
        #expect(name("curr", "max") == "node_hwmon_curr_max_amps")
        #expect(name("power", "cap") == "node_hwmon_power_cap_watt")
        #expect(name("power", "average_interval_max") == "node_hwmon_power_average_interval_max_seconds")
        #expect(name("energy", "input") == "node_hwmon_energy_joule_total")
        #expect(name("humidity", "input") == "node_hwmon_humidity")
        #expect(name("fan", "div") == "node_hwmon_fan_div")
        #expect(name("fan", "Weird-Prop") == "node_hwmon_fan_weird_prop")
        #expect(HwmonCollector.family(type: "energy", property: "input", hasBare: false).type == .counter)
    }

    @Test func absentClassGivesNothing() throws {
        #expect(try collect(HwmonCollector(), paths: Fixtures.edge("missing")).isEmpty)
        #expect(try collect(HwmonCollector(), paths: Fixtures.host).isEmpty)
    }
}
