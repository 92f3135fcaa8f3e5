import Exposition

/// `/proc/net/netstat`, `/proc/net/snmp` and `/proc/net/snmp6`: the kernel's protocol counters
/// as `node_netstat_<Protocol>_<Field>` (untyped), for the `<Protocol>_<Field>` keys the
/// `fields` pattern selects.
///
/// A file that does not exist (no IPv6, a stripped-down kernel) contributes nothing.
public struct NetstatCollector: Collector {
    public let name = "netstat"

    /// node_exporter's default for `--collector.netstat.fields`.
    public static let defaultFields = "^(.*_(InErrors|InErrs)|Ip_Forwarding|Ip(6|Ext)_(InOctets|OutOctets)|Icmp6?_(InMsgs|OutMsgs)|TcpExt_(Listen.*|Syncookies.*|TCPSynRetrans|TCPTimeouts)|Tcp_(ActiveOpens|InSegs|OutSegs|OutRsts|PassiveOpens|RetransSegs|CurrEstab)|Udp6?_(InDatagrams|OutDatagrams|NoPorts|RcvbufErrors|SndbufErrors))$"

    /// One counter: the protocol (`TcpExt`, `Ip6`), the field (`ListenDrops`) and its value.
    public struct Statistic: Sendable, Equatable {
        public var protocolName: String
        public var field: String
        public var value: Double

        public init(protocolName: String, field: String, value: Double) {
            self.protocolName = protocolName
            self.field = field
            self.value = value
        }

        /// `TcpExt_ListenDrops`: what the `fields` pattern is matched against.
        public var key: String { protocolName + "_" + field }
    }

    private let filter: NameFilter

    /// `fields` is a regular expression on the `<Protocol>_<Field>` keys; throws when it does not compile.
    public init(fields: String = NetstatCollector.defaultFields) throws {
        filter = try NameFilter(include: fields)
    }

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        var statistics: [(key: String, statistic: Statistic, file: String)] = []
        var positions: [String: Int] = [:]
        func merge(_ parsed: [Statistic], file: String) {
            for statistic in parsed {
                // Only the selected keys are kept, so the bookkeeping below stays small.
                let key = statistic.key
                guard filter.accepts(key) else { continue }
                // A key seen in an earlier file is replaced in place: one series per key.
                if let position = positions[key] {
                    statistics[position] = (key, statistic, file)
                } else {
                    positions[key] = statistics.count
                    statistics.append((key, statistic, file))
                }
            }
        }
        for relative in ["net/netstat", "net/snmp"] {
            let file = context.paths.proc(relative)
            guard let bytes = try context.reader.readIfPresent(file) else { continue }
            merge(try Self.parsePaired(bytes, file: file), file: relative)
        }
        let snmp6 = context.paths.proc("net/snmp6")
        if let bytes = try context.reader.readIfPresent(snmp6) {
            merge(try Self.parseSNMP6(bytes, file: snmp6), file: "net/snmp6")
        }
        return statistics.map { entry in
            .single("node_netstat_" + MetricNames.sanitize(entry.key), .untyped,
                           help: "Kernel network statistic \(entry.statistic.protocolName)\(entry.statistic.field) from /proc/\(entry.file).",
                           value: entry.statistic.value)
        }
    }

    /// `/proc/net/netstat` and `/proc/net/snmp`: pairs of lines, `Proto: Name1 Name2 ...` then
    /// `Proto: value1 value2 ...`. Blank lines are skipped. A header without its value line, a
    /// value line of another protocol, a different count of names and values, or a value that
    /// is not a number throws, naming the file.
    public static func parsePaired(_ bytes: ArraySlice<UInt8>, file: String = "/proc/net/netstat") throws -> [Statistic] {
        var result: [Statistic] = []
        var header: [ArraySlice<UInt8>]? = nil
        for line in bytes.lines() {
            let fields = line.fields()
            if fields.isEmpty { continue }
            guard let first = fields.first, first.count > 1, first.last == UInt8(ascii: ":") else {
                throw CollectorError("\(file): expected \"Protocol:\" at the start of: \(line.prefix(120).string)")
            }
            guard let names = header else {
                header = fields
                continue
            }
            header = nil
            let protocolName = first.dropLast().string
            guard names[0].elementsEqual(first) else {
                throw CollectorError("\(file): \(names[0].dropLast().string) names followed by \(protocolName) values")
            }
            guard names.count == fields.count else {
                throw CollectorError("\(file): \(protocolName) has \(names.count - 1) names but \(fields.count - 1) values")
            }
            for index in 1..<fields.count {
                guard let value = fields[index].parseDouble() else {
                    throw CollectorError("\(file): \(protocolName) \(names[index].string): not a number \"\(fields[index].prefix(40).string)\"")
                }
                result.append(Statistic(protocolName: protocolName, field: names[index].string, value: value))
            }
        }
        if let names = header {
            throw CollectorError("\(file): \(names[0].dropLast().string) names without a line of values")
        }
        return result
    }

    /// `/proc/net/snmp6`: `Ip6InReceives  51` lines. The protocol is the name up to and including
    /// its first `6` (`Ip6`, `Icmp6`, `UdpLite6`); lines without a `6` or without a value are
    /// skipped, as node_exporter does; a value that is not a number throws.
    public static func parseSNMP6(_ bytes: ArraySlice<UInt8>, file: String = "/proc/net/snmp6") throws -> [Statistic] {
        var result: [Statistic] = []
        for line in bytes.lines() {
            let fields = line.fields()
            guard fields.count >= 2, let six = fields[0].firstIndex(of: UInt8(ascii: "6")) else { continue }
            guard let value = fields[1].parseDouble() else {
                throw CollectorError("\(file): \(fields[0].string): not a number \"\(fields[1].prefix(40).string)\"")
            }
            result.append(Statistic(protocolName: fields[0][...six].string, field: fields[0][(six + 1)...].string, value: value))
        }
        return result
    }
}
