#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Parsers for the per-process files under `/proc/<pid>/` that the process_groups collector reads.
/// Each takes the file's bytes and returns nil when the content is not in the kernel's format.
public enum ProcessFiles {
    /// The fields of `/proc/<pid>/stat` that process groups need.
    public struct Stat: Sendable, Equatable {
        /// The command name between the parentheses (at most 15 bytes; may hold spaces and `)`).
        public var comm: String
        /// The state letter: R, S, D, Z, T, t, X, I, ...
        public var state: UInt8
        /// The kernel's `PF_*` flags of the task.
        public var flags: UInt64
        public var minorFaults: UInt64
        public var majorFaults: UInt64
        public var userTicks: UInt64
        public var systemTicks: UInt64
        public var threads: UInt64
        /// Clock ticks after boot at which the process started.
        public var startTicks: UInt64
        public var virtualBytes: UInt64
        public var residentPages: UInt64

        public init(comm: String, state: UInt8, flags: UInt64, minorFaults: UInt64, majorFaults: UInt64,
                    userTicks: UInt64, systemTicks: UInt64, threads: UInt64, startTicks: UInt64,
                    virtualBytes: UInt64, residentPages: UInt64) {
            self.comm = comm
            self.state = state
            self.flags = flags
            self.minorFaults = minorFaults
            self.majorFaults = majorFaults
            self.userTicks = userTicks
            self.systemTicks = systemTicks
            self.threads = threads
            self.startTicks = startTicks
            self.virtualBytes = virtualBytes
            self.residentPages = residentPages
        }

        /// `PF_KTHREAD`: the task is a kernel thread.
        public static let kernelThreadFlag: UInt64 = 0x0020_0000

        public var isKernelThread: Bool { flags & Self.kernelThreadFlag != 0 }
    }

    /// Parses `/proc/<pid>/stat`. The command name runs from the first `(` to the LAST `)`, since
    /// a process may name itself `a) (b`; the numbered fields are counted from there.
    public static func parseStat(_ bytes: ArraySlice<UInt8>) -> Stat? {
        guard let open = bytes.firstIndex(of: UInt8(ascii: "(")),
              let close = bytes.lastIndex(of: UInt8(ascii: ")")), open < close
        else { return nil }
        // After ")": state(3) ppid(4) pgrp(5) session(6) tty_nr(7) tpgid(8) flags(9) minflt(10)
        // cminflt(11) majflt(12) cmajflt(13) utime(14) stime(15) cutime(16) cstime(17) priority(18)
        // nice(19) num_threads(20) itrealvalue(21) starttime(22) vsize(23) rss(24) ...
        let fields = bytes[(close + 1)...].fields()
        guard fields.count >= 22, fields[0].count == 1,
              let flags = fields[6].parseUInt64(), let minor = fields[7].parseUInt64(),
              let major = fields[9].parseUInt64(), let user = fields[11].parseUInt64(),
              let system = fields[12].parseUInt64(), let threads = fields[17].parseInt64(),
              let start = fields[19].parseUInt64(), let virtual = fields[20].parseUInt64(),
              let resident = fields[21].parseInt64()
        else { return nil }
        return Stat(comm: bytes[(open + 1)..<close].string, state: fields[0][fields[0].startIndex], flags: flags,
                    minorFaults: minor, majorFaults: major, userTicks: user, systemTicks: system,
                    threads: UInt64(max(threads, 0)), startTicks: start, virtualBytes: virtual,
                    residentPages: UInt64(max(resident, 0)))
    }

    /// What process groups take from `/proc/<pid>/status`. Lines that are absent (a zombie has no
    /// `VmSwap`) stay zero.
    public struct Status: Sendable, Equatable {
        public var swapBytes: UInt64 = 0
        public var voluntarySwitches: UInt64 = 0
        public var involuntarySwitches: UInt64 = 0

        public init(swapBytes: UInt64 = 0, voluntarySwitches: UInt64 = 0, involuntarySwitches: UInt64 = 0) {
            self.swapBytes = swapBytes
            self.voluntarySwitches = voluntarySwitches
            self.involuntarySwitches = involuntarySwitches
        }
    }

    /// Parses `/proc/<pid>/status`; nil when one of the wanted lines holds no number.
    public static func parseStatus(_ bytes: ArraySlice<UInt8>) -> Status? {
        var status = Status()
        for line in bytes.lines() {
            let target: WritableKeyPath<Status, UInt64>
            var scale: UInt64 = 1
            if line.hasPrefix("VmSwap:") {
                target = \.swapBytes
                scale = 1024
            } else if line.hasPrefix("voluntary_ctxt_switches:") {
                target = \.voluntarySwitches
            } else if line.hasPrefix("nonvoluntary_ctxt_switches:") {
                target = \.involuntarySwitches
            } else {
                continue
            }
            let fields = line.fields()
            guard fields.count >= 2, let value = fields[1].parseUInt64() else { return nil }
            status[keyPath: target] = value &* scale
        }
        return status
    }

    /// `read_bytes` and `write_bytes` of `/proc/<pid>/io`: the bytes the process made the storage
    /// layer fetch and send. nil when either is missing or not a number.
    public static func parseIO(_ bytes: ArraySlice<UInt8>) -> (read: UInt64, written: UInt64)? {
        var read: UInt64?
        var written: UInt64?
        for line in bytes.lines() {
            let fields = line.fields()
            guard fields.count == 2 else { continue }
            if fields[0].equals("read_bytes:") {
                read = fields[1].parseUInt64()
            } else if fields[0].equals("write_bytes:") {
                written = fields[1].parseUInt64()
            }
        }
        guard let read, let written else { return nil }
        return (read, written)
    }

    /// `Pss` and `SwapPss` of `/proc/<pid>/smaps_rollup` in bytes: the process's proportional share
    /// of the resident and swapped pages it maps. nil when `Pss` is missing or not a number.
    public static func parseSmapsRollup(_ bytes: ArraySlice<UInt8>) -> (resident: UInt64, swapped: UInt64)? {
        var resident: UInt64?
        var swapped: UInt64 = 0
        for line in bytes.lines() {
            let fields = line.fields()
            guard fields.count >= 2 else { continue }
            if fields[0].equals("Pss:") {
                resident = fields[1].parseUInt64().map { $0 &* 1024 }
                if resident == nil { return nil }
            } else if fields[0].equals("SwapPss:") {
                guard let value = fields[1].parseUInt64() else { return nil }
                swapped = value &* 1024
            }
        }
        guard let resident else { return nil }
        return (resident, swapped)
    }

    /// The soft limit on open files in `/proc/<pid>/limits`: a number, or nil for `unlimited`
    /// or when the line is absent.
    public static func parseOpenFilesLimit(_ bytes: ArraySlice<UInt8>) -> UInt64? {
        for line in bytes.lines() where line.hasPrefix("Max open files") {
            let rest = line.dropFirst("Max open files".utf8.count).fields()
            return rest.first?.parseUInt64()
        }
        return nil
    }

    /// The program name a process gives in `/proc/<pid>/cmdline`: the last path component of
    /// `argv[0]`. Empty for kernel threads and zombies, whose command line is empty.
    public static func argv0Base(_ bytes: ArraySlice<UInt8>) -> String {
        let first = bytes.prefix { $0 != 0 }
        return baseName(first.string)
    }

    /// The last component of the executable path `/proc/<pid>/exe` points to, without the
    /// ` (deleted)` the kernel appends when the file was replaced or removed.
    public static func exeBase(_ target: String) -> String {
        var path = target
        if path.hasSuffix(" (deleted)") { path.removeLast(" (deleted)".count) }
        return baseName(path)
    }

    private static func baseName(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let slash = trimmed.lastIndex(of: "/"), trimmed.count > 1 else { return String(trimmed) }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    /// How many entries a directory holds, `.` and `..` left out (open file descriptors of a
    /// process in `/proc/<pid>/fd`), without building their names.
    public static func countEntries(_ path: String) throws(HostFileError) -> Int {
        guard let dir = opendir(path) else { throw HostFileError(path: path, errno: errno) }
        defer { closedir(dir) }
        var count = 0
        errno = 0
        while let entry = readdir(dir) {
            let isDotOrDotDot = withUnsafeBytes(of: entry.pointee.d_name) { name in
                name[0] == UInt8(ascii: ".") && (name[1] == 0 || (name[1] == UInt8(ascii: ".") && name[2] == 0))
            }
            if !isDotOrDotDot { count += 1 }
        }
        // readdir returns nil both at the end and on an error (a process that exited meanwhile).
        if errno != 0 { throw HostFileError(path: path, errno: errno) }
        return count
    }
}
