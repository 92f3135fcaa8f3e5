/// `/proc/cpuinfo`: one block of `key<TAB>: value` lines per logical CPU, each starting with
/// `processor`.
public struct CpuInfo: Sendable, Equatable {
    public var processor = ""
    public var vendor = ""
    public var family = ""
    public var model = ""
    public var modelName = ""
    public var stepping = ""
    public var microcode = ""
    public var cacheSize = ""
    public var physicalID = ""
    public var coreID = ""
    public var flags: [String] = []
    public var bugs: [String] = []

    public init() {}

    /// Every `processor` block, in file order. Keys are those of x86 (`vendor_id`, `cpu family`,
    /// `model name`, `physical id`, `flags`, `bugs`, ...); other architectures give what they share
    /// with it (arm64: `processor`, `Features` as the flags). Throws when there is no `processor` line
    /// or its number is not a number.
    public static func parse(_ bytes: ArraySlice<UInt8>) throws -> [CpuInfo] {
        var result: [CpuInfo] = []
        for line in bytes.lines() {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
            let key = line[line.startIndex..<colon].trimmingWhitespace()
            var value = line[(colon + 1)...]
            if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
            if key.equals("processor") {
                guard value.trimmingWhitespace().parseUInt64() != nil else {
                    throw CollectorError("malformed /proc/cpuinfo line: \(line.prefix(120).string)")
                }
                var next = CpuInfo()
                next.processor = value.trimmingWhitespace().string
                result.append(next)
                continue
            }
            guard !result.isEmpty else { continue }
            let last = result.count - 1
            switch key.string {
            case "vendor_id", "vendor": result[last].vendor = value.string
            case "cpu family": result[last].family = value.string
            case "model": result[last].model = value.string
            case "model name": result[last].modelName = value.string
            case "stepping": result[last].stepping = value.string
            case "microcode": result[last].microcode = value.string
            case "cache size": result[last].cacheSize = value.string
            case "physical id": result[last].physicalID = value.string
            case "core id": result[last].coreID = value.string
            case "flags", "Features": result[last].flags = value.fields().map(\.string)
            case "bugs": result[last].bugs = value.fields().map(\.string)
            default: break
            }
        }
        guard !result.isEmpty else { throw CollectorError("no processor lines in /proc/cpuinfo") }
        return result
    }
}
