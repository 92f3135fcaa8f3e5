import Exposition

/// `/sys/devices/system/edac/mc/mc<N>/`: memory error counts per memory controller and per chip
/// select row. Errors the driver could not attribute to a row (`ce_noinfo_count`,
/// `ue_noinfo_count`) are the `csrow="unknown"` series.
public struct EdacCollector: Collector {
    public let name = "edac"

    public init() {}

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let base = context.paths.sys("devices/system/edac/mc")
        let entries: [String]
        do {
            entries = try FileReader.listDirectory(base)
        } catch {
            guard error.isMissing else { throw error }
            return []
        }
        var correctable = MetricFamily(name: "node_edac_correctable_errors_total", type: .counter,
                                       help: "Correctable memory errors a memory controller reported.")
        var uncorrectable = MetricFamily(name: "node_edac_uncorrectable_errors_total", type: .counter,
                                         help: "Uncorrectable memory errors a memory controller reported.")
        var rowCorrectable = MetricFamily(name: "node_edac_csrow_correctable_errors_total", type: .counter,
                                          help: "Correctable memory errors in one chip select row (unknown: not attributed to a row).")
        var rowUncorrectable = MetricFamily(name: "node_edac_csrow_uncorrectable_errors_total", type: .counter,
                                            help: "Uncorrectable memory errors in one chip select row (unknown: not attributed to a row).")
        for entry in entries {
            guard let controller = Self.number(entry, prefix: "mc") else { continue }
            let directory = base + "/" + entry
            func count(_ path: String) throws -> Double {
                let bytes = try context.reader.read(path)
                guard let value = bytes.trimmingWhitespace().parseUInt64() else {
                    throw CollectorError("unexpected \(path) content: \(bytes.prefix(64).string)")
                }
                return Double(value)
            }
            correctable.add(try count(directory + "/ce_count"), ["controller": controller])
            rowCorrectable.add(try count(directory + "/ce_noinfo_count"), ["controller": controller, "csrow": "unknown"])
            uncorrectable.add(try count(directory + "/ue_count"), ["controller": controller])
            rowUncorrectable.add(try count(directory + "/ue_noinfo_count"), ["controller": controller, "csrow": "unknown"])
            for row in try FileReader.listDirectory(directory) {
                guard let csrow = Self.number(row, prefix: "csrow") else { continue }
                let rowDirectory = directory + "/" + row
                rowCorrectable.add(try count(rowDirectory + "/ce_count"), ["controller": controller, "csrow": csrow])
                rowUncorrectable.add(try count(rowDirectory + "/ue_count"), ["controller": controller, "csrow": csrow])
            }
        }
        return [correctable, rowCorrectable, uncorrectable, rowUncorrectable].filter { !$0.samples.isEmpty }
    }

    /// `N` of `<prefix>N`, or nil for other names.
    static func number(_ name: String, prefix: String) -> String? {
        guard name.hasPrefix(prefix) else { return nil }
        let digits = name.dropFirst(prefix.count)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return String(digits)
    }
}
