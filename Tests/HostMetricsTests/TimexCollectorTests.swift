import Exposition
import HostMetrics
import Testing

@Suite struct TimexCollectorTests {
    static let names = [
        "node_timex_sync_status", "node_timex_offset_seconds", "node_timex_frequency_adjustment_ratio",
        "node_timex_maxerror_seconds", "node_timex_estimated_error_seconds", "node_timex_status",
        "node_timex_loop_time_constant", "node_timex_tick_seconds", "node_timex_pps_frequency_hertz",
        "node_timex_pps_jitter_seconds", "node_timex_pps_shift_seconds", "node_timex_pps_stability_hertz",
        "node_timex_pps_jitter_total", "node_timex_pps_calibration_total", "node_timex_pps_error_total",
        "node_timex_pps_stability_exceeded_total", "node_timex_tai_offset_seconds",
    ]

    static func close(_ value: Double?, _ expected: Double) -> Bool {
        guard let value else { return false }
        return abs(value - expected) <= 1e-12 * max(1, abs(expected))
    }

    @Test func microsecondReadingConvertsToSecondsAndRatios() throws {
        var reading = TimexCollector.Reading(state: 0)
        reading.offset = -2500               // µs
        reading.frequency = -655_360         // -10 ppm << 16
        reading.maxError = 16_000_000        // µs
        reading.estimatedError = 250         // µs
        reading.status = 64                  // STA_UNSYNC
        reading.constant = 2
        reading.tick = 10_000                // µs
        reading.ppsFrequency = 131_072       // 2 ppm << 16
        reading.jitter = 300                 // µs
        reading.shift = 4
        reading.stability = 65_536           // 1 ppm << 16
        reading.jitterCount = 1
        reading.calibrationCount = 2
        reading.errorCount = 3
        reading.stabilityCount = 4
        reading.tai = 37
        let families = TimexCollector.families(from: reading)
        #expect(families.map(\.name) == Self.names)
        let counters: Set = ["node_timex_pps_jitter_total", "node_timex_pps_calibration_total",
                             "node_timex_pps_error_total", "node_timex_pps_stability_exceeded_total"]
        for family in families {
            #expect(family.type == (counters.contains(family.name) ? .counter : .gauge), "\(family.name)")
            #expect(family.samples.count == 1 && family.samples[0].labels.isEmpty, "\(family.name)")
        }
        #expect(families.value("node_timex_sync_status") == 1)
        #expect(Self.close(families.value("node_timex_offset_seconds"), -0.0025))
        #expect(Self.close(families.value("node_timex_frequency_adjustment_ratio"), 0.99999))
        #expect(families.value("node_timex_maxerror_seconds") == 16)
        #expect(Self.close(families.value("node_timex_estimated_error_seconds"), 0.00025))
        #expect(families.value("node_timex_status") == 64)
        #expect(families.value("node_timex_loop_time_constant") == 2)
        #expect(families.value("node_timex_tick_seconds") == 0.01)
        #expect(Self.close(families.value("node_timex_pps_frequency_hertz"), 2e-6))
        #expect(Self.close(families.value("node_timex_pps_jitter_seconds"), 0.0003))
        #expect(families.value("node_timex_pps_shift_seconds") == 4)
        #expect(Self.close(families.value("node_timex_pps_stability_hertz"), 1e-6))
        #expect(families.value("node_timex_pps_jitter_total") == 1)
        #expect(families.value("node_timex_pps_calibration_total") == 2)
        #expect(families.value("node_timex_pps_error_total") == 3)
        #expect(families.value("node_timex_pps_stability_exceeded_total") == 4)
        #expect(families.value("node_timex_tai_offset_seconds") == 37)
    }

    @Test func nanosecondStatusScalesOffsetAndJitterOnly() {
        var reading = TimexCollector.Reading(state: 5)   // TIME_ERROR
        reading.status = 0x2001                           // STA_NANO | STA_PLL
        reading.offset = 1500                             // ns
        reading.jitter = 2000                             // ns
        reading.maxError = 500                            // still µs
        reading.estimatedError = 7                        // still µs
        reading.tick = 4000                               // still µs
        let families = TimexCollector.families(from: reading)
        #expect(families.value("node_timex_sync_status") == 0)
        #expect(Self.close(families.value("node_timex_offset_seconds"), 1.5e-6))
        #expect(Self.close(families.value("node_timex_pps_jitter_seconds"), 2e-6))
        #expect(Self.close(families.value("node_timex_maxerror_seconds"), 0.0005))
        #expect(Self.close(families.value("node_timex_estimated_error_seconds"), 7e-6))
        #expect(families.value("node_timex_tick_seconds") == 0.004)
        #expect(families.value("node_timex_status") == 8193)
        #expect(families.value("node_timex_frequency_adjustment_ratio") == 1)
    }

    @Test func everyStateButTimeErrorCountsAsSynchronised() {
        for state in 0...4 {
            #expect(TimexCollector.families(from: .init(state: state)).value("node_timex_sync_status") == 1, "\(state)")
        }
    }

    @Test func liveHostGivesSaneValues() throws {
        let families = try collect(TimexCollector(), paths: Fixtures.host)
        #expect(families.map(\.name) == Self.names)
        let sync = try #require(families.value("node_timex_sync_status"))
        #expect(sync == 0 || sync == 1)
        // The kernel's tick is 1/USER_HZ-ish: between 0.1 ms and 0.1 s.
        let tick = try #require(families.value("node_timex_tick_seconds"))
        #expect(tick > 0.0001 && tick < 0.1)
        let ratio = try #require(families.value("node_timex_frequency_adjustment_ratio"))
        #expect(ratio > 0.999 && ratio < 1.001)   // the kernel caps the adjustment at 500 ppm
        #expect(try #require(families.value("node_timex_maxerror_seconds")) >= 0)
        #expect(try #require(families.value("node_timex_estimated_error_seconds")) >= 0)
        #expect(abs(try #require(families.value("node_timex_offset_seconds"))) < 1)
    }
}
