import Exposition

/// `/sys/devices/system/cpu/cpu*/cpufreq/`: each CPU's hardware and scaling frequency limits
/// and current frequency, `node_cpu_frequency_{,min_,max_}hertz{cpu}` and
/// `node_cpu_scaling_frequency_{,min_,max_}hertz{cpu}` (the kernel's kHz times 1000).
///
/// `cpuinfo_cur_freq` is readable by root only; an attribute that cannot be read, or that the
/// driver answers with `<unknown>`, is left out. CPUs without a cpufreq directory (virtual
/// machines, drivers not loaded) have no series.
public struct CpufreqCollector: Collector {
    public let name = "cpufreq"

    public init() {}

    /// Attribute file and family, in output order.
    static let attributes: [(file: String, family: String, help: String)] = [
        ("cpuinfo_cur_freq", "node_cpu_frequency_hertz", "Frequency the CPU runs at according to the hardware, in hertz."),
        ("cpuinfo_min_freq", "node_cpu_frequency_min_hertz", "Lowest frequency the CPU hardware supports, in hertz."),
        ("cpuinfo_max_freq", "node_cpu_frequency_max_hertz", "Highest frequency the CPU hardware supports, in hertz."),
        ("scaling_cur_freq", "node_cpu_scaling_frequency_hertz",
         "Frequency the CPU runs at according to the cpufreq governor, in hertz."),
        ("scaling_min_freq", "node_cpu_scaling_frequency_min_hertz",
         "Lowest frequency the cpufreq governor may choose for the CPU, in hertz."),
        ("scaling_max_freq", "node_cpu_scaling_frequency_max_hertz",
         "Highest frequency the cpufreq governor may choose for the CPU, in hertz."),
    ]

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let cpuDir = context.paths.sys("devices/system/cpu")
        guard let entries = try SysfsHardware.listClass(cpuDir) else { return [] }
        var families = Self.attributes.map { MetricFamily(name: $0.family, type: .gauge, help: $0.help) }
        for entry in SysfsHardware.numbered(entries, prefix: "cpu") {
            let dir = cpuDir + "/" + entry + "/cpufreq"
            guard FileReader.exists(dir) else { continue }
            let labels = [Label("cpu", String(entry.dropFirst(3)))]
            for (index, attribute) in Self.attributes.enumerated() {
                let path = dir + "/" + attribute.file
                guard let bytes = SysfsHardware.attribute(&context.reader, path), !bytes.isEmpty,
                      bytes.first != UInt8(ascii: "<") else { continue }
                guard let kilohertz = bytes.parseUInt64() else { throw SysfsHardware.malformed(path, bytes) }
                families[index].add(Double(kilohertz) * 1000.0, labels: labels)
            }
        }
        return families.filter { !$0.samples.isEmpty }
    }
}
