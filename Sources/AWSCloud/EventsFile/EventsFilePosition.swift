/// Where a tailer stopped, saved across restarts so a restart continues instead of recounting.
///
/// `offset` is the end of the last complete record handed out; a partial last line is read
/// again after a restart. `header` is the CSV header in force (nil for JSON Lines), so a
/// restart in the middle of a CSV file does not need to find the header again.
public struct EventsFilePosition: Sendable, Codable, Equatable {
    public var inode: UInt64
    public var offset: UInt64
    public var header: [String]?

    public init(inode: UInt64, offset: UInt64, header: [String]?) {
        self.inode = inode
        self.offset = offset
        self.header = header
    }
}
