/// The lines of `/proc/net/rpc/nfs` and `/proc/net/rpc/nfsd`: a key and unsigned counters
/// (`net 18628 0 18628 6`, `proc3 22 1 4084749 ...`), shared by the nfs and nfsd collectors.
/// Only the lines a collector asks for are checked, so lines a newer kernel adds never fail it.
struct RPCStatsFile: Sendable {
    /// The value fields of each key, in file order; a repeated key keeps its last line.
    private var lines: [String: ArraySlice<ArraySlice<UInt8>>] = [:]
    let file: String

    init(_ bytes: ArraySlice<UInt8>, file: String) {
        self.file = file
        for line in bytes.lines() {
            let fields = line.fields()
            guard let key = fields.first else { continue }
            lines[key.string] = fields.dropFirst()
        }
    }

    /// The counters of `key`, or nil when the line is absent. `leading` keeps only that many
    /// fields (nfsd's `th` line continues with decimals). When present, the line must have
    /// exactly `count` counters (or at least `minimum`), all unsigned integers, else this throws.
    func values(_ key: String, count: Int? = nil, minimum: Int? = nil, leading: Int? = nil) throws -> [UInt64]? {
        guard var fields = lines[key] else { return nil }
        if let leading { fields = fields.prefix(leading) }
        var values: [UInt64] = []
        values.reserveCapacity(fields.count)
        for field in fields {
            guard let value = field.parseUInt64() else {
                throw CollectorError("\(file): \"\(field.prefix(40).string)\" is not a counter in the \"\(key)\" line")
            }
            values.append(value)
        }
        if let count, values.count != count {
            throw CollectorError("\(file): \"\(key)\" line has \(values.count) values, expected \(count)")
        }
        if let minimum, values.count < minimum {
            throw CollectorError("\(file): \"\(key)\" line has \(values.count) values, expected at least \(minimum)")
        }
        return values
    }

    /// The per-procedure counters of a `procN` line, whose first value is the number of counters
    /// that follow. Throws when the count does not match, or is below `minimum`.
    func procedures(_ key: String, minimum: Int) throws -> [UInt64]? {
        guard let values = try values(key, minimum: 1) else { return nil }
        let declared = values[0]
        guard declared == UInt64(values.count - 1), values.count - 1 >= minimum else {
            throw CollectorError("\(file): \"\(key)\" line declares \(declared) counters and has \(values.count - 1)"
                + (values.count - 1 < minimum ? ", expected at least \(minimum)" : ""))
        }
        return Array(values.dropFirst())
    }
}
