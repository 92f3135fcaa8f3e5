/// Keeps the counters of process groups from going backwards.
///
/// A group's CPU time, I/O bytes, page faults and context switches are the sum over its
/// processes, and a process that exits takes its share with it: summed naively, the group's
/// counter would drop each time one of its processes ends, and Prometheus would read every drop
/// as a counter reset. The ledger remembers, per process (pid and start time, so a reused pid is
/// a new process), the counts last seen and the group they were booked to; when a process
/// leaves a group (it exited, or it now belongs to another group) its last counts stay booked to
/// that group as "retired". A group's counter is its retired counts plus its live processes'.
///
/// A process seen for the first time brings all it has used since it started, so a long-lived
/// daemon's CPU seconds equal its own. A group left with no live process is forgotten (its series
/// disappear); if it comes back its counters start again from its new processes, which
/// Prometheus handles as a reset. Memory therefore stays bounded by the live processes and groups.
///
/// Not thread-safe by itself: the collector serialises calls.
public final class ProcessGroupLedger {
    /// The counters of one process or group, in their raw units (clock ticks for CPU time).
    public struct Counts: Equatable, Sendable {
        public var userTicks: UInt64 = 0
        public var systemTicks: UInt64 = 0
        public var readBytes: UInt64 = 0
        public var writeBytes: UInt64 = 0
        public var majorFaults: UInt64 = 0
        public var minorFaults: UInt64 = 0
        public var voluntarySwitches: UInt64 = 0
        public var involuntarySwitches: UInt64 = 0

        public init(userTicks: UInt64 = 0, systemTicks: UInt64 = 0, readBytes: UInt64 = 0, writeBytes: UInt64 = 0,
                    majorFaults: UInt64 = 0, minorFaults: UInt64 = 0, voluntarySwitches: UInt64 = 0,
                    involuntarySwitches: UInt64 = 0) {
            self.userTicks = userTicks
            self.systemTicks = systemTicks
            self.readBytes = readBytes
            self.writeBytes = writeBytes
            self.majorFaults = majorFaults
            self.minorFaults = minorFaults
            self.voluntarySwitches = voluntarySwitches
            self.involuntarySwitches = involuntarySwitches
        }

        public static func + (left: Counts, right: Counts) -> Counts {
            Counts(userTicks: left.userTicks &+ right.userTicks, systemTicks: left.systemTicks &+ right.systemTicks,
                   readBytes: left.readBytes &+ right.readBytes, writeBytes: left.writeBytes &+ right.writeBytes,
                   majorFaults: left.majorFaults &+ right.majorFaults, minorFaults: left.minorFaults &+ right.minorFaults,
                   voluntarySwitches: left.voluntarySwitches &+ right.voluntarySwitches,
                   involuntarySwitches: left.involuntarySwitches &+ right.involuntarySwitches)
        }

        /// Field by field the larger: a process's own counters never decrease, so a smaller value
        /// means a read that failed this time (`/proc/<pid>/io` refused) and the last one stands.
        func atLeast(_ other: Counts) -> Counts {
            Counts(userTicks: max(userTicks, other.userTicks), systemTicks: max(systemTicks, other.systemTicks),
                   readBytes: max(readBytes, other.readBytes), writeBytes: max(writeBytes, other.writeBytes),
                   majorFaults: max(majorFaults, other.majorFaults), minorFaults: max(minorFaults, other.minorFaults),
                   voluntarySwitches: max(voluntarySwitches, other.voluntarySwitches),
                   involuntarySwitches: max(involuntarySwitches, other.involuntarySwitches))
        }
    }

    /// A process across scrapes: its pid and the tick it started at.
    public struct ProcessKey: Hashable, Sendable {
        public var pid: Int
        public var startTicks: UInt64

        public init(pid: Int, startTicks: UInt64) {
            self.pid = pid
            self.startTicks = startTicks
        }
    }

    private var tracked: [ProcessKey: (group: String, counts: Counts)] = [:]
    private var retired: [String: Counts] = [:]

    /// The processes remembered (for tests).
    public var trackedCount: Int { tracked.count }
    /// The groups with retired counts (for tests).
    public var retiredGroups: [String] { retired.keys.sorted() }

    /// Books this scrape's processes and returns each live group's counters.
    public init() {}

    public func update(_ processes: [(key: ProcessKey, group: String, counts: Counts)]) -> [String: Counts] {
        var next: [ProcessKey: (group: String, counts: Counts)] = [:]
        next.reserveCapacity(processes.count)
        for process in processes {
            var counts = process.counts
            if let last = tracked[process.key], last.group == process.group {
                counts = counts.atLeast(last.counts)
            }
            next[process.key] = (process.group, counts)
        }
        // Processes that exited or changed group leave their last counts with their old group.
        for (key, last) in tracked {
            if let now = next[key], now.group == last.group { continue }
            retired[last.group, default: Counts()] = retired[last.group, default: Counts()] + last.counts
        }
        tracked = next

        var totals: [String: Counts] = [:]
        for (_, process) in next {
            totals[process.group, default: Counts()] = totals[process.group, default: Counts()] + process.counts
        }
        for group in Array(retired.keys) {
            guard let live = totals[group] else {
                retired[group] = nil
                continue
            }
            totals[group] = live + retired[group]!
        }
        return totals
    }
}
