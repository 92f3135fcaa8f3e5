import Exposition

/// Netfilter connection tracking: `node_nf_conntrack_entries` and `node_nf_conntrack_entries_limit`
/// from `/proc/sys/net/netfilter/nf_conntrack_{count,max}`, and `node_nf_conntrack_stat_*` from
/// `/proc/net/stat/nf_conntrack`, summed over its per-CPU lines. All gauges, as in node_exporter.
///
/// Without the count file (the conntrack module is not loaded) there are no families; the files
/// after a missing one are not read (without the statistics file, only the first two families).
public struct ConntrackCollector: Collector {
    public let name = "conntrack"

    /// The statistics exported: the column of `/proc/net/stat/nf_conntrack` and what it counts.
    static let statistics: [(column: String, help: String)] = [
        ("found", "Lookups in the conntrack table that found an entry."),
        ("invalid", "Packets conntrack could not track."),
        ("ignore", "Packets that already had a conntrack entry attached (or were untracked) when conntrack saw them."),
        ("insert", "Entries inserted into the conntrack table."),
        ("insert_failed", "Entry insertions that failed, usually because an equal entry was already there."),
        ("drop", "Packets dropped because conntrack failed for them (allocation or helper failure)."),
        ("early_drop", "Entries dropped to make room for new ones because the table was full."),
        ("search_restart", "Conntrack table lookups restarted because the hash table was being resized."),
    ]

    public init() {}

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        var families: [MetricFamily] = []
        let sources = [
            ("sys/net/netfilter/nf_conntrack_count", "node_nf_conntrack_entries",
             "Connection tracking entries currently allocated, from /proc/sys/net/netfilter/nf_conntrack_count."),
            ("sys/net/netfilter/nf_conntrack_max", "node_nf_conntrack_entries_limit",
             "Size limit of the connection tracking table, from /proc/sys/net/netfilter/nf_conntrack_max."),
        ]
        for (relative, name, help) in sources {
            let path = context.paths.proc(relative)
            // As node_exporter: what was read before a missing file is still reported.
            guard let bytes = try context.reader.readIfPresent(path) else { return families }
            guard let value = bytes.trimmingWhitespace().parseUInt64() else {
                throw CollectorError("\(path): not a whole number: \(bytes.prefix(40).string)")
            }
            families.append(.single(name, .gauge, help: help, value: Double(value)))
        }
        let path = context.paths.proc("net/stat/nf_conntrack")
        guard let bytes = try context.reader.readIfPresent(path) else { return families }
        let totals = try Self.parseStatistics(bytes, file: path)
        for statistic in Self.statistics {
            // Kernels older than the column leave its family out.
            guard let total = totals[statistic.column] else { continue }
            families.append(.single("node_nf_conntrack_stat_" + statistic.column, .gauge,
                                    help: statistic.help + " Summed over CPUs, from /proc/net/stat/nf_conntrack.",
                                    value: Double(total)))
        }
        return families
    }

    /// The per-CPU hexadecimal counters of `/proc/net/stat/nf_conntrack` summed by column name.
    /// The first line names the columns (their set and order vary between kernels); each other
    /// non-blank line must have one hexadecimal value per column, or this throws naming the file.
    public static func parseStatistics(_ bytes: ArraySlice<UInt8>, file: String = "/proc/net/stat/nf_conntrack") throws -> [String: UInt64] {
        var lines = bytes.lines().makeIterator()
        guard let headerLine = lines.next() else { throw CollectorError("\(file) is empty") }
        let header = headerLine.fields().map(\.string)
        guard !header.isEmpty else { throw CollectorError("\(file): no column names on the first line") }
        var totals = [UInt64](repeating: 0, count: header.count)
        while let line = lines.next() {
            let values = line.fields()
            if values.isEmpty { continue }
            guard values.count == header.count else {
                throw CollectorError("\(file): \(values.count) values for \(header.count) columns: \(line.prefix(200).string)")
            }
            for (index, field) in values.enumerated() {
                guard let value = ProcNet.hex(field) else {
                    throw CollectorError("\(file): \(header[index]) is not hexadecimal: \(field.prefix(40).string)")
                }
                totals[index] &+= value
            }
        }
        var result: [String: UInt64] = [:]
        for (index, name) in header.enumerated() { result[name] = totals[index] }
        return result
    }
}
