/// The state behind `EventsFileTailer`: the open file, the read offset and the decoder of the
/// bytes read so far. Not thread-safe; the tailer serialises access.
struct TailerCore {
    let path: String
    let format: EventsFileFormat
    let fields: [String]?
    let maxBytesPerPoll: Int
    let maxRecordBytes: Int
    private let buffer: ReadBuffer

    /// The saved position to honour when the file is first opened.
    private var resume: EventsFilePosition?
    private var file: EventsFileHandle?
    private var decoder: any EventsRecordDecoder
    /// The file offset the decoder started at.
    private var decoderStart: UInt64 = 0
    /// The file offset of the next read; past `decoderStart + committedBytes` by a partial record.
    private var readOffset: UInt64 = 0
    /// Records decoded by a poll that then failed, handed out by the next poll.
    private var undelivered = DecodedRecords()

    init(path: String, format: EventsFileFormat, fields: [String]?, resume: EventsFilePosition?,
         chunkSize: Int, maxBytesPerPoll: Int, maxRecordBytes: Int) {
        self.path = path
        self.format = format
        self.fields = fields
        self.maxBytesPerPoll = max(1, maxBytesPerPoll)
        self.maxRecordBytes = max(1, maxRecordBytes)
        self.buffer = ReadBuffer(size: chunkSize)
        self.resume = resume
        self.decoder = Self.makeDecoder(format: format, fields: fields, header: nil,
                                        atFileStart: true, maxRecordBytes: self.maxRecordBytes)
    }

    var position: EventsFilePosition? {
        guard let file else { return resume }
        return EventsFilePosition(inode: file.identity.inode,
                                  offset: decoderStart + decoder.committedBytes,
                                  header: decoder.header)
    }

    mutating func poll() throws(EventsFileError) -> EventsFileBatch {
        var batch = EventsFileBatch()
        var output = undelivered
        undelivered = DecodedRecords()
        do throws(EventsFileError) {
            try follow(into: &output, batch: &batch)
        } catch {
            undelivered = output
            throw error
        }
        batch.records = output.records
        batch.malformedCount = output.malformed
        return batch
    }

    private mutating func follow(into output: inout DecodedRecords,
                                 batch: inout EventsFileBatch) throws(EventsFileError) {
        if file == nil {
            guard try openPath() else {
                batch.state = .fileMissing
                return
            }
        }
        guard let current = file else { return }
        if try current.size() < readOffset {
            batch.truncations += 1
            start(at: 0, header: nil)
        }
        var budget = maxBytesPerPoll
        guard try drain(into: &output, budget: &budget) else {
            batch.hasMore = true
            return
        }
        guard let named = try FileIdentity.ofPath(path) else {
            // Moved away and not replaced yet: keep the old file open, writers may still append.
            batch.state = .fileMissing
            return
        }
        guard named != current.identity else { return }

        // Rotated: whatever reached the old file since the drain above belongs to it.
        guard try drain(into: &output, budget: &budget) else {
            batch.hasMore = true
            return
        }
        decoder.finish(into: &output)
        batch.rotations += 1
        file = nil
        guard try openPath() else {
            batch.state = .fileMissing
            return
        }
        if try !drain(into: &output, budget: &budget) {
            batch.hasMore = true
        }
    }

    /// Opens what the path names; false when nothing is there. A saved position applies only
    /// to the file it was taken from, and only while that file is still as long.
    private mutating func openPath() throws(EventsFileError) -> Bool {
        guard let handle = try EventsFileHandle.openIfPresent(path) else { return false }
        file = handle
        let saved = resume
        resume = nil
        guard let saved, saved.inode == handle.identity.inode, saved.offset > 0,
              saved.offset <= (try handle.size()) else {
            start(at: 0, header: nil)
            return true
        }
        if format == .csv && saved.header == nil {
            guard let found = try readHeader(of: handle), found.end <= saved.offset else {
                start(at: 0, header: nil)
                return true
            }
            start(at: saved.offset, header: found.header)
        } else {
            start(at: saved.offset, header: saved.header)
        }
        return true
    }

    private mutating func start(at offset: UInt64, header: [String]?) {
        decoder = Self.makeDecoder(format: format, fields: fields, header: header,
                                   atFileStart: offset == 0, maxRecordBytes: maxRecordBytes)
        decoderStart = offset
        readOffset = offset
    }

    /// Reads and decodes to the end of the file; false when the budget ran out first.
    private mutating func drain(into output: inout DecodedRecords,
                                budget: inout Int) throws(EventsFileError) -> Bool {
        guard let file else { return true }
        while budget > 0 {
            let count = try file.read(at: readOffset, into: buffer.room(upTo: budget))
            if count == 0 { return true }
            readOffset += UInt64(count)
            budget -= count
            decoder.consume(buffer.prefix(count), into: &output)
        }
        return false
    }

    /// The CSV header of a file resumed from a position saved without one.
    private func readHeader(of handle: EventsFileHandle)
        throws(EventsFileError) -> (header: [String], end: UInt64)? {
        var headerDecoder = CSVRecordDecoder(wantedFields: fields, maxRecordBytes: maxRecordBytes)
        var ignored = DecodedRecords()
        var offset: UInt64 = 0
        while offset <= UInt64(maxRecordBytes) {
            let count = try handle.read(at: offset, into: buffer.room(upTo: .max))
            if count == 0 { break }
            offset += UInt64(count)
            headerDecoder.consume(buffer.prefix(count), into: &ignored)
            if let header = headerDecoder.header, let end = headerDecoder.headerEndOffset {
                return (header, end)
            }
        }
        return nil
    }

    private static func makeDecoder(format: EventsFileFormat, fields: [String]?,
                                    header: [String]?, atFileStart: Bool,
                                    maxRecordBytes: Int) -> any EventsRecordDecoder {
        switch format {
        case .csv:
            return CSVRecordDecoder(wantedFields: fields, header: header,
                                    maxRecordBytes: maxRecordBytes)
        case .jsonLines:
            return JSONLinesDecoder(wantedFields: fields, atFileStart: atFileStart,
                                    maxRecordBytes: maxRecordBytes)
        }
    }
}
