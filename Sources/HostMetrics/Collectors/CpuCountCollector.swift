import Exposition

/// psutil's `cpu_count()`: `nimbus_cpus{type="logical"}` (CPUs online) and
/// `nimbus_cpus{type="physical"}` (distinct cores). The name avoids a `_count` suffix, which
/// Prometheus reserves for histograms and summaries.
///
/// Logical: the ranges of `/sys/devices/system/cpu/online` (`0-3,6`), else the `processor`
/// lines of `/proc/cpuinfo`. Physical: the distinct (`physical_package_id`, `core_id`) pairs of
/// `/sys/devices/system/cpu/cpu<N>/topology/`, else the distinct (`physical id`, `core id`)
/// pairs of `/proc/cpuinfo`; left out when neither source tells.
public struct CpuCountCollector: Collector {
    public let name = "cpucount"

    public init() {}

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        var family = MetricFamily(name: "nimbus_cpus", type: .gauge,
                                  help: "CPUs by type: logical (online hardware threads) and physical (distinct cores), as psutil.cpu_count() counts them.")
        var cpuinfo: ArraySlice<UInt8>?
        func readCpuinfo(_ context: inout CollectContext) -> ArraySlice<UInt8>? {
            if cpuinfo == nil { cpuinfo = try? context.reader.read(context.paths.proc("cpuinfo")) }
            return cpuinfo
        }

        let onlinePath = context.paths.sys("devices/system/cpu/online")
        var logical: Int?
        do {
            let bytes = try context.reader.readAttribute(onlinePath)
            guard let count = Self.countRanges(bytes.trimmingWhitespace()) else {
                throw CollectorError("\(onlinePath): not a CPU list: \(bytes.prefix(80).string)")
            }
            logical = count
        } catch let error as HostFileError where error.isMissing {
            if let bytes = readCpuinfo(&context) {
                let processors = Self.cpuinfoProcessors(bytes)
                if processors > 0 { logical = processors }
            }
        }
        if let logical { family.add(Double(logical), ["type": "logical"]) }

        var physical = try Self.sysfsCores(&context)
        if physical == nil, let bytes = readCpuinfo(&context) {
            physical = Self.cpuinfoCores(bytes)
        }
        if let physical { family.add(Double(physical), ["type": "physical"]) }
        return family.samples.isEmpty ? [] : [family]
    }

    /// The number of CPUs in a kernel CPU list (`0-3,8,10-11` is 7); nil when malformed. An
    /// empty list is 0.
    public static func countRanges(_ list: ArraySlice<UInt8>) -> Int? {
        if list.isEmpty { return 0 }
        var total = 0
        for range in list.split(byte: UInt8(ascii: ",")) {
            let bounds = range.split(byte: UInt8(ascii: "-"))
            guard bounds.count <= 2, let low = bounds[0].parseUInt64(), let high = bounds.last?.parseUInt64(),
                  low <= high, high < 1 << 20
            else { return nil }
            total += Int(high - low) + 1
        }
        return total
    }

    /// Distinct (package, core) pairs over `cpu<N>/topology`; nil when no CPU has a readable
    /// topology (older kernels, some containers).
    static func sysfsCores(_ context: inout CollectContext) throws -> Int? {
        let base = context.paths.sys("devices/system/cpu")
        guard let names = try? FileReader.listDirectory(base) else { return nil }
        var cores = Set<[UInt64]>()
        for name in names where name.hasPrefix("cpu") && name.count > 3 && name.dropFirst(3).allSatisfy(\.isNumber) {
            let topology = base + "/" + name + "/topology/"
            guard let core = try? context.reader.readAttribute(topology + "core_id") else { continue }
            guard let coreID = core.trimmingWhitespace().parseInt64() else {
                throw CollectorError("\(topology)core_id: not a number: \(core.prefix(40).string)")
            }
            guard let package = try? context.reader.readAttribute(topology + "physical_package_id") else { continue }
            guard let packageID = package.trimmingWhitespace().parseInt64() else {
                throw CollectorError("\(topology)physical_package_id: not a number: \(package.prefix(40).string)")
            }
            cores.insert([UInt64(bitPattern: packageID), UInt64(bitPattern: coreID)])
        }
        return cores.isEmpty ? nil : cores.count
    }

    /// The `processor` lines of `/proc/cpuinfo`.
    public static func cpuinfoProcessors(_ bytes: ArraySlice<UInt8>) -> Int {
        bytes.lines().filter { line in
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return false }
            return line[..<colon].trimmingWhitespace().equals("processor")
        }.count
    }

    /// Distinct (`physical id`, `core id`) pairs of `/proc/cpuinfo`'s processor blocks; nil when
    /// the file has no `core id` (many ARM kernels, some hypervisors).
    public static func cpuinfoCores(_ bytes: ArraySlice<UInt8>) -> Int? {
        var cores = Set<[String]>()
        var package = ""
        var core: String?
        func finish() {
            if let core { cores.insert([package, core]) }
            package = ""
            core = nil
        }
        for line in bytes.lines() {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
                if line.trimmingWhitespace().isEmpty { finish() }
                continue
            }
            let key = line[..<colon].trimmingWhitespace()
            let value = line[(colon + 1)...].trimmingWhitespace().string
            if key.equals("physical id") {
                package = value
            } else if key.equals("core id") {
                core = value
            }
        }
        finish()
        return cores.isEmpty ? nil : cores.count
    }
}
