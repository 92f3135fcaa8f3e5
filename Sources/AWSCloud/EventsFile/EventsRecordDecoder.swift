/// Records decoded from a stretch of bytes.
struct DecodedRecords {
    var records: [[String: String]] = []
    var malformed = 0

    mutating func append(_ other: DecodedRecords) {
        records += other.records
        malformed += other.malformed
    }
}

/// Turns a file's bytes, fed in arbitrary pieces, into records. One decoder reads one file from
/// one starting offset; a rotated or truncated file gets a new decoder.
protocol EventsRecordDecoder {
    /// Bytes fed so far up to the end of the last complete record: what is safe to persist.
    var committedBytes: UInt64 { get }
    /// The CSV header in force; nil for JSON Lines or before a CSV header was read.
    var header: [String]? { get }

    /// Decodes every record completed by `bytes`; an unfinished record waits for more.
    mutating func consume(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout DecodedRecords)
    /// The file is finished (rotated away): an unterminated last record is decoded if whole,
    /// counted malformed if not.
    mutating func finish(into output: inout DecodedRecords)
}

/// Default upper bound on one record, so a runaway quote or a line without end cannot grow
/// memory without bound. Larger records are skipped as malformed.
let defaultMaxRecordBytes = 1 << 20
