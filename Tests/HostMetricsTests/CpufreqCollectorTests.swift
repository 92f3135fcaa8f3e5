import Exposition
import HostMetrics
import Testing

@Suite struct CpufreqCollectorTests {
    @Test func frequenciesInHertz() throws {
        let families = try collect(CpufreqCollector(), paths: Fixtures.edge("cpufreq"))
        #expect(families.map(\.name) == [
            "node_cpu_frequency_hertz", "node_cpu_frequency_min_hertz", "node_cpu_frequency_max_hertz",
            "node_cpu_scaling_frequency_hertz", "node_cpu_scaling_frequency_min_hertz", "node_cpu_scaling_frequency_max_hertz",
        ])
        #expect(families.allSatisfy { $0.type == .gauge })
        // cpu0 (through the cpufreq -> ../cpufreq/policy0 link): kHz times 1000.
        #expect(families.value("node_cpu_frequency_hertz", ["cpu": "0"]) == 1_800_000_000)
        #expect(families.value("node_cpu_frequency_min_hertz", ["cpu": "0"]) == 800_000_000)
        #expect(families.value("node_cpu_frequency_max_hertz", ["cpu": "0"]) == 3_600_000_000)
        #expect(families.value("node_cpu_scaling_frequency_hertz", ["cpu": "0"]) == 1_799_998_000)
        #expect(families.value("node_cpu_scaling_frequency_min_hertz", ["cpu": "0"]) == 800_000_000)
        #expect(families.value("node_cpu_scaling_frequency_max_hertz", ["cpu": "0"]) == 3_600_000_000)
        // cpu1: the driver answers "<unknown>" for the hardware's current frequency.
        #expect(families.value("node_cpu_frequency_hertz", ["cpu": "1"]) == nil)
        #expect(families.value("node_cpu_frequency_max_hertz", ["cpu": "1"]) == 4_200_000_000)
        #expect(families.value("node_cpu_scaling_frequency_hertz", ["cpu": "1"]) == 2_100_000_000)
        // cpu10: no cpuinfo_cur_freq (root-only on a real host); two-digit CPU numbers.
        #expect(families.value("node_cpu_frequency_hertz", ["cpu": "10"]) == nil)
        #expect(families.value("node_cpu_frequency_min_hertz", ["cpu": "10"]) == 400_000_000)
        #expect(families.value("node_cpu_scaling_frequency_hertz", ["cpu": "10"]) == 900_000_000)
        // cpu2 is offline (no cpufreq directory); cpufreq/ and cpuidle/ are not CPUs.
        #expect(families[family: "node_cpu_frequency_hertz"]?.samples.count == 1)
        #expect(families[family: "node_cpu_scaling_frequency_hertz"]?.samples.count == 3)
    }

    @Test func malformedValueNamesTheFile() {
        let error = #expect(throws: CollectorError.self) {
            try collect(CpufreqCollector(), paths: Fixtures.edge("cpufreq-bad"))
        }
        #expect(error?.description.contains("cpufreq-bad/sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq") == true)
    }

    @Test func noCpufreqGivesNothing() throws {
        #expect(try collect(CpufreqCollector(), paths: Fixtures.edge("missing")).isEmpty)
        // The captured host is a VM without cpufreq.
        #expect(try collect(CpufreqCollector(), paths: Fixtures.host).isEmpty)
    }
}
