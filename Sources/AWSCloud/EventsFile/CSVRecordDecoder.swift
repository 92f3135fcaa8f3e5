/// Incremental RFC 4180 CSV: quoted fields, `""` escapes, commas and line breaks inside quotes,
/// CRLF or LF record ends. The first record is the header. A record that breaks the quoting
/// rules or whose field count differs from the header's is malformed. Blank lines are skipped.
struct CSVRecordDecoder: EventsRecordDecoder {
    private enum State {
        case fieldStart
        case unquoted
        case quoted
        /// A quote inside a quoted field: either the first of `""` or the closing quote.
        case quoteInQuoted
        /// After a closing quote and a CR: only LF may follow.
        case carriageReturnAfterQuote
        /// The record grew past the limit; everything up to the next LF is dropped.
        case skippingToLineEnd
    }

    private static let quote = UInt8(ascii: "\"")
    private static let comma = UInt8(ascii: ",")
    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")
    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    private let wantedFields: [String]?
    private let maxRecordBytes: Int
    private(set) var header: [String]?
    /// For each wanted field, its column in the header (nil: not in this file).
    private var columns: [(name: String, index: Int?)] = []

    private var state = State.fieldStart
    private var cells: [[UInt8]] = []
    private var cell: [UInt8] = []
    private var recordBytes = 0
    private var recordMalformed = false
    private var fedBytes: UInt64 = 0
    private(set) var committedBytes: UInt64 = 0
    /// Where the header record read by this decoder ended (nil: header given or not read yet).
    private(set) var headerEndOffset: UInt64?
    /// How much of a UTF-8 byte order mark opened the file; nil once past the first bytes.
    private var byteOrderMarkSeen: Int?

    /// `wantedFields` nil keeps every column; `header` continues a file whose header was read
    /// before.
    init(wantedFields: [String]?, header: [String]? = nil,
         maxRecordBytes: Int = defaultMaxRecordBytes) {
        self.wantedFields = wantedFields
        self.maxRecordBytes = maxRecordBytes
        if let header {
            adopt(header: header)
        } else {
            byteOrderMarkSeen = 0  // no header yet: this decoder starts at the file's start
        }
    }

    mutating func consume(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout DecodedRecords) {
        for byte in bytes {
            fedBytes += 1
            if let seen = byteOrderMarkSeen {
                skipByteOrderMark(byte, seen: seen, into: &output)
            } else {
                step(byte, into: &output)
            }
        }
    }

    mutating func finish(into output: inout DecodedRecords) {
        guard fedBytes > committedBytes else { return }
        switch state {
        case .quoted:
            output.malformed += 1  // the file ended inside quotes
            resetRecord()
        case .skippingToLineEnd:
            resetRecord()  // counted when the skip began
        case .fieldStart, .unquoted:
            if cell.last == Self.carriageReturn { cell.removeLast() }
            endRecord(into: &output)
        case .quoteInQuoted, .carriageReturnAfterQuote:
            endRecord(into: &output)
        }
        committedBytes = fedBytes
    }

    /// Drops a leading UTF-8 byte order mark (spreadsheet exports write one); bytes that only
    /// began like one are decoded as data.
    private mutating func skipByteOrderMark(_ byte: UInt8, seen: Int,
                                            into output: inout DecodedRecords) {
        if byte == Self.byteOrderMark[seen] {
            byteOrderMarkSeen = seen + 1 < Self.byteOrderMark.count ? seen + 1 : nil
            if byteOrderMarkSeen == nil { committedBytes = fedBytes }
            return
        }
        byteOrderMarkSeen = nil
        for earlier in Self.byteOrderMark[0..<seen] { step(earlier, into: &output) }
        step(byte, into: &output)
    }

    private mutating func step(_ byte: UInt8, into output: inout DecodedRecords) {
        if case .skippingToLineEnd = state {
            if byte == Self.lineFeed {
                resetRecord()
                committedBytes = fedBytes
            }
            return
        }
        recordBytes += 1
        if recordBytes > maxRecordBytes {
            output.malformed += 1
            resetRecord()
            if byte == Self.lineFeed {
                committedBytes = fedBytes
            } else {
                state = .skippingToLineEnd
            }
            return
        }
        switch state {
        case .fieldStart:
            switch byte {
            case Self.quote: state = .quoted
            case Self.comma: endCell()
            case Self.lineFeed: endLine(stripCarriageReturn: true, into: &output)
            default:
                cell.append(byte)
                state = .unquoted
            }
        case .unquoted:
            switch byte {
            case Self.comma: endCell()
            case Self.lineFeed: endLine(stripCarriageReturn: true, into: &output)
            case Self.quote:
                recordMalformed = true  // a quote may only open a field
                cell.append(byte)
            default: cell.append(byte)
            }
        case .quoted:
            if byte == Self.quote {
                state = .quoteInQuoted
            } else {
                cell.append(byte)
            }
        case .quoteInQuoted:
            switch byte {
            case Self.quote:
                cell.append(byte)
                state = .quoted
            case Self.comma: endCell()
            case Self.lineFeed: endLine(stripCarriageReturn: false, into: &output)
            case Self.carriageReturn: state = .carriageReturnAfterQuote
            default:
                recordMalformed = true  // text after a closing quote
                cell.append(byte)
                state = .unquoted
            }
        case .carriageReturnAfterQuote:
            if byte == Self.lineFeed {
                endLine(stripCarriageReturn: false, into: &output)
            } else {
                recordMalformed = true
                cell.append(Self.carriageReturn)
                cell.append(byte)
                state = .unquoted
            }
        case .skippingToLineEnd:
            break
        }
    }

    private mutating func endCell() {
        cells.append(cell)
        cell = []
        state = .fieldStart
    }

    private mutating func endLine(stripCarriageReturn: Bool, into output: inout DecodedRecords) {
        if stripCarriageReturn, cell.last == Self.carriageReturn {
            cell.removeLast()
        }
        endRecord(into: &output)
        committedBytes = fedBytes
    }

    private mutating func endRecord(into output: inout DecodedRecords) {
        cells.append(cell)
        defer { resetRecord() }
        // Only a bare LF or CRLF; a quoted empty field (`""`) is a record.
        let isBlankLine = cells.count == 1 && cells[0].isEmpty && recordBytes <= 2
        if isBlankLine { return }
        guard let header else {
            headerEndOffset = fedBytes
            adopt(header: cells.map(Self.text))
            return
        }
        guard !recordMalformed, cells.count == header.count else {
            output.malformed += 1
            return
        }
        var record: [String: String] = [:]
        record.reserveCapacity(columns.count)
        for column in columns {
            record[column.name] = column.index.map { Self.text(cells[$0]) } ?? ""
        }
        output.records.append(record)
    }

    private mutating func resetRecord() {
        cells = []
        cell = []
        recordBytes = 0
        recordMalformed = false
        state = .fieldStart
    }

    private mutating func adopt(header: [String]) {
        self.header = header
        let names = wantedFields ?? header
        columns = names.map { name in (name, header.firstIndex(of: name)) }
    }

    private static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
