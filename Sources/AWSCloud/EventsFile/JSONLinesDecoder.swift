/// Incremental JSON Lines: one JSON object per LF-terminated line (a CR before the LF is
/// ignored). A line that is not a JSON object is malformed; blank lines are skipped.
struct JSONLinesDecoder: EventsRecordDecoder {
    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")

    private let wantedFields: [String]?
    private let maxRecordBytes: Int

    private var line: [UInt8] = []
    /// The current line outgrew the limit: drop it up to its LF.
    private var skipping = false
    private var fedBytes: UInt64 = 0
    private(set) var committedBytes: UInt64 = 0
    var header: [String]? { nil }

    /// A leading UTF-8 byte order mark is dropped only from a file's very first line.
    private var mayStartWithByteOrderMark: Bool

    /// `wantedFields` nil keeps every top-level key; `atFileStart` says the first byte fed is
    /// the file's first byte.
    init(wantedFields: [String]?, atFileStart: Bool,
         maxRecordBytes: Int = defaultMaxRecordBytes) {
        self.wantedFields = wantedFields
        self.maxRecordBytes = maxRecordBytes
        self.mayStartWithByteOrderMark = atFileStart
    }

    mutating func consume(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout DecodedRecords) {
        var rest = bytes[...]
        while !rest.isEmpty {
            let lineEnd = rest.firstIndex(of: Self.lineFeed)
            let piece = rest[..<(lineEnd ?? rest.endIndex)]
            if !skipping {
                if line.count + piece.count > maxRecordBytes {
                    output.malformed += 1
                    line = []
                    skipping = true
                } else {
                    line += piece
                }
            }
            fedBytes += UInt64(piece.count)
            guard let lineEnd else { return }
            fedBytes += 1
            if skipping {
                skipping = false
            } else {
                decodeLine(into: &output)
            }
            mayStartWithByteOrderMark = false
            line = []
            committedBytes = fedBytes
            rest = rest[(lineEnd + 1)...]
        }
    }

    mutating func finish(into output: inout DecodedRecords) {
        if !skipping && !line.isEmpty {
            decodeLine(into: &output)
        }
        line = []
        skipping = false
        committedBytes = fedBytes
    }

    private mutating func decodeLine(into output: inout DecodedRecords) {
        if mayStartWithByteOrderMark && line.starts(with: [0xEF, 0xBB, 0xBF]) {
            line.removeFirst(3)
        }
        let parsed = line.withUnsafeBufferPointer { JSONLineParser.parse($0) }
        let isBlank = line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == Self.carriageReturn }
        if parsed == nil && isBlank { return }
        guard let value = parsed, case .object(let members) = value else {
            output.malformed += 1
            return
        }
        var record: [String: String] = [:]
        for field in wantedFields ?? Array(members.keys) {
            record[field] = value.value(at: field)?.labelText ?? ""
        }
        output.records.append(record)
    }
}
