import Synchronization

/// Follows an exported events file (CSV or JSON Lines) the way `tail -F` does, handing out the
/// complete records added since the previous poll.
///
/// - Appends are followed from a byte offset; a last line without its line end yet waits for
///   the next poll.
/// - Rotation (the path names another inode): the old file is read to its end, its unterminated
///   last record decoded if whole, then the new file is read from its start (CSV: its header).
/// - Truncation (the file is shorter than the offset): reading starts again at 0.
/// - A missing path is the `fileMissing` state, not an error, until the file appears.
/// - Malformed records are counted and skipped, once each.
/// - Reads go through one buffer of `chunkSize` bytes; a poll reads at most `maxBytesPerPoll`
///   bytes and sets `hasMore` when it stopped early.
///
/// Save `position` after handling a batch and pass it back as `resumingFrom` after a restart
/// to continue where the previous run stopped.
public final class EventsFileTailer: Sendable {
    public let path: String
    public let format: EventsFileFormat
    private let core: Mutex<TailerCore>

    /// - Parameter fields: the fields each record keeps (absent ones are ""); nil keeps every
    ///   CSV column or every top-level JSON key.
    public init(path: String, format: EventsFileFormat, fields: [String]? = nil,
                resumingFrom position: EventsFilePosition? = nil,
                chunkSize: Int = 1 << 20, maxBytesPerPoll: Int = 64 << 20,
                maxRecordBytes: Int = 1 << 20) {
        self.path = path
        self.format = format
        core = Mutex(TailerCore(path: path, format: format, fields: fields, resume: position,
                                chunkSize: chunkSize, maxBytesPerPoll: maxBytesPerPoll,
                                maxRecordBytes: maxRecordBytes))
    }

    /// Reads what was added since the last poll.
    public func poll() throws(EventsFileError) -> EventsFileBatch {
        try core.withLock { (core: inout TailerCore) throws(EventsFileError) -> EventsFileBatch in
            try core.poll()
        }
    }

    /// Where the next poll continues: the end of the last complete record handed out. Nil
    /// before any file was seen (and no position was given).
    public var position: EventsFilePosition? {
        core.withLock { $0.position }
    }
}
