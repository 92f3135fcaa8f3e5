import CShims
import Exposition
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The kernel clock discipline as `adjtimex(2)` reports it (read only, no privileges needed):
/// `node_timex_*`, with node_exporter's units.
public struct TimexCollector: Collector {
    public let name = "timex"

    public init() {}

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        var raw = nimbus_timex()
        let state = nimbus_adjtimex_read(&raw)
        if state == -EPERM {
            // Some sandboxes (seccomp profiles) refuse even the read-only call: not on this host.
            return []
        }
        guard state >= 0 else {
            throw CollectorError("adjtimex: \(String(cString: strerror(-state)))")
        }
        return Self.families(from: Reading(state: Int(state), raw))
    }

    /// What adjtimex returned: the clock state and the fields of `struct timex` used here, in the
    /// kernel's units.
    public struct Reading: Sendable, Equatable {
        /// TIME_OK (0) ... TIME_ERROR (5).
        public var state: Int
        /// Microseconds, or nanoseconds when `status` has STA_NANO.
        public var offset: Int64 = 0
        /// Parts per million with a 16-bit binary fraction.
        public var frequency: Int64 = 0
        /// Microseconds.
        public var maxError: Int64 = 0
        /// Microseconds.
        public var estimatedError: Int64 = 0
        public var status: Int64 = 0
        public var constant: Int64 = 0
        /// Microseconds.
        public var tick: Int64 = 0
        /// Parts per million with a 16-bit binary fraction.
        public var ppsFrequency: Int64 = 0
        /// Microseconds, or nanoseconds with STA_NANO.
        public var jitter: Int64 = 0
        public var shift: Int64 = 0
        /// Parts per million with a 16-bit binary fraction.
        public var stability: Int64 = 0
        public var jitterCount: Int64 = 0
        public var calibrationCount: Int64 = 0
        public var errorCount: Int64 = 0
        public var stabilityCount: Int64 = 0
        /// Seconds.
        public var tai: Int64 = 0

        public init(state: Int) { self.state = state }

        init(state: Int, _ raw: nimbus_timex) {
            self.state = state
            offset = raw.offset
            frequency = raw.freq
            maxError = raw.maxerror
            estimatedError = raw.esterror
            status = raw.status
            constant = raw.constant
            tick = raw.tick
            ppsFrequency = raw.ppsfreq
            jitter = raw.jitter
            shift = raw.shift
            stability = raw.stabil
            jitterCount = raw.jitcnt
            calibrationCount = raw.calcnt
            errorCount = raw.errcnt
            stabilityCount = raw.stbcnt
            tai = raw.tai
        }
    }

    /// `TIME_ERROR`: the clock is not synchronised.
    static let timeError = 5
    /// `STA_NANO`: offset and jitter are in nanoseconds instead of microseconds.
    static let statusNano: Int64 = 0x2000
    /// One part per million with the kernel's 16-bit binary fraction.
    static let scaledPPM = 1_000_000.0 * 65536.0

    /// The families for one reading, converted to seconds, hertz and ratios as node_exporter does.
    public static func families(from reading: Reading) -> [MetricFamily] {
        let fineUnit = reading.status & statusNano != 0 ? 1e9 : 1e6
        func gauge(_ name: String, _ help: String, _ value: Double) -> MetricFamily {
            .single("node_timex_" + name, .gauge, help: help, value: value)
        }
        func counter(_ name: String, _ help: String, _ value: Int64) -> MetricFamily {
            .single("node_timex_" + name, .counter, help: help, value: Double(value))
        }
        return [
            gauge("sync_status", "Whether the kernel considers the clock synchronised (1) or not (0).",
                  reading.state == timeError ? 0 : 1),
            gauge("offset_seconds", "Offset of the local clock from the reference clock, in seconds.",
                  Double(reading.offset) / fineUnit),
            gauge("frequency_adjustment_ratio", "Rate the kernel runs the local clock at, relative to nominal.",
                  1 + Double(reading.frequency) / scaledPPM),
            gauge("maxerror_seconds", "Maximum error of the clock, in seconds.", Double(reading.maxError) / 1e6),
            gauge("estimated_error_seconds", "Estimated error of the clock, in seconds.",
                  Double(reading.estimatedError) / 1e6),
            gauge("status", "Clock status bits (STA_*) as one number.", Double(reading.status)),
            gauge("loop_time_constant", "Time constant of the phase-locked loop.", Double(reading.constant)),
            gauge("tick_seconds", "Interval between clock ticks, in seconds.", Double(reading.tick) / 1e6),
            gauge("pps_frequency_hertz", "Frequency offset measured from the PPS signal.",
                  Double(reading.ppsFrequency) / scaledPPM),
            gauge("pps_jitter_seconds", "Jitter of the PPS signal, in seconds.", Double(reading.jitter) / fineUnit),
            gauge("pps_shift_seconds", "PPS calibration interval (log2 of its length in seconds).", Double(reading.shift)),
            gauge("pps_stability_hertz", "Stability of the PPS signal: mean of recent frequency changes.",
                  Double(reading.stability) / scaledPPM),
            counter("pps_jitter_total", "PPS samples whose jitter exceeded the limit.", reading.jitterCount),
            counter("pps_calibration_total", "PPS calibration intervals completed.", reading.calibrationCount),
            counter("pps_error_total", "PPS calibration errors.", reading.errorCount),
            counter("pps_stability_exceeded_total", "PPS intervals whose stability exceeded the limit.",
                    reading.stabilityCount),
            gauge("tai_offset_seconds", "Offset of International Atomic Time from UTC, in seconds.", Double(reading.tai)),
        ]
    }
}
