import Exposition

/// The sysfs parts of the `cpu` collector: thermal throttle counts per core and package
/// (`/sys/devices/system/cpu/cpuN/thermal_throttle/`, Intel) and the isolated CPUs
/// (`/sys/devices/system/cpu/isolated`).
enum CpuTopology {
    /// `node_cpu_core_throttles_total{package,core}` and `node_cpu_package_throttles_total{package}`,
    /// each count read once per core or package (the sibling threads repeat it). CPUs without
    /// topology or throttle files are skipped, as on virtual machines and non-Intel hardware.
    static func throttleFamilies(_ context: inout CollectContext) -> [MetricFamily] {
        let base = context.paths.sys("devices/system/cpu")
        guard let entries = try? FileReader.listDirectory(base) else { return [] }
        var cores: [(package: UInt64, core: UInt64, count: UInt64)] = []
        var seenCores = Set<[UInt64]>()
        var packages: [(package: UInt64, count: UInt64)] = []
        var seenPackages = Set<UInt64>()
        let cpus = entries.compactMap { name -> (Int, String)? in
            guard name.hasPrefix("cpu"), let number = Int(name.dropFirst(3)), number >= 0 else { return nil }
            return (number, name)
        }.sorted { $0.0 < $1.0 }
        for (_, name) in cpus {
            let directory = base + "/" + name
            guard let package = number(&context, directory + "/topology/physical_package_id"),
                  let core = number(&context, directory + "/topology/core_id")
            else { continue }
            if !seenCores.contains([package, core]),
               let count = number(&context, directory + "/thermal_throttle/core_throttle_count") {
                seenCores.insert([package, core])
                cores.append((package, core, count))
            }
            if !seenPackages.contains(package),
               let count = number(&context, directory + "/thermal_throttle/package_throttle_count") {
                seenPackages.insert(package)
                packages.append((package, count))
            }
        }
        var coreFamily = MetricFamily(name: "node_cpu_core_throttles_total", type: .counter,
                                      help: "Times the kernel throttled this CPU core for temperature.")
        for entry in cores {
            coreFamily.add(Double(entry.count), ["package": String(entry.package), "core": String(entry.core)])
        }
        var packageFamily = MetricFamily(name: "node_cpu_package_throttles_total", type: .counter,
                                         help: "Times the kernel throttled this CPU package for temperature.")
        for entry in packages {
            packageFamily.add(Double(entry.count), ["package": String(entry.package)])
        }
        return [coreFamily, packageFamily].filter { !$0.samples.isEmpty }
    }

    /// `node_cpu_isolated{cpu}` for each CPU in `isolated` (the `isolcpus=` boot parameter).
    static func isolatedFamily(_ context: inout CollectContext) throws -> [MetricFamily] {
        let path = context.paths.sys("devices/system/cpu/isolated")
        guard let bytes = try? context.reader.read(path) else { return [] }
        guard let cpus = parseList(bytes.trimmingWhitespace()) else {
            throw CollectorError("unexpected \(path) content: \(bytes.prefix(64).string)")
        }
        var family = MetricFamily(name: "node_cpu_isolated", type: .gauge,
                                  help: "1 for each CPU isolated from the scheduler's balancing (isolcpus).")
        for cpu in cpus { family.add(1, ["cpu": String(cpu)]) }
        return family.samples.isEmpty ? [] : [family]
    }

    /// A kernel CPU list such as `1-3,8,10-11`; nil when malformed. Empty text is no CPUs.
    static func parseList(_ bytes: ArraySlice<UInt8>) -> [Int]? {
        var result: [Int] = []
        for part in bytes.split(byte: UInt8(ascii: ",")) where !part.isEmpty {
            let bounds = part.split(byte: UInt8(ascii: "-"))
            guard bounds.count <= 2, let low = bounds[0].parseUInt64(), low <= 65535 else { return nil }
            var high = low
            if bounds.count == 2 {
                guard let parsed = bounds[1].parseUInt64(), parsed >= low, parsed <= 65535 else { return nil }
                high = parsed
            }
            for cpu in low...high { result.append(Int(cpu)) }
        }
        return result
    }

    private static func number(_ context: inout CollectContext, _ path: String) -> UInt64? {
        guard let bytes = try? context.reader.read(path) else { return nil }
        return bytes.trimmingWhitespace().parseUInt64()
    }
}
