/// Whether the tailed path currently exists.
public enum EventsFileState: String, Sendable, Equatable {
    /// The path names a file and it is being followed.
    case reading
    /// Nothing at the path (yet, or since a rotation moved it away). Not an error: the file is
    /// picked up when it appears, and a moved-away file still open is read to its end meanwhile.
    case fileMissing
}

/// What one `EventsFileTailer.poll()` found.
public struct EventsFileBatch: Sendable, Equatable {
    /// Complete records new since the previous poll, oldest first, each holding the wanted
    /// fields (an absent field is the empty string).
    public var records: [[String: String]]
    /// Records skipped as malformed in this poll; each is counted once, never re-read.
    public var malformedCount: Int
    public var state: EventsFileState
    /// Times the path was found to name a new file (rotation) during this poll.
    public var rotations: Int
    /// Times the file was found shorter than the read position (truncation) during this poll.
    public var truncations: Int
    /// True when the poll stopped at its byte budget before the end of the file; poll again.
    public var hasMore: Bool

    public init(records: [[String: String]] = [], malformedCount: Int = 0,
                state: EventsFileState = .reading, rotations: Int = 0, truncations: Int = 0,
                hasMore: Bool = false) {
        self.records = records
        self.malformedCount = malformedCount
        self.state = state
        self.rotations = rotations
        self.truncations = truncations
        self.hasMore = hasMore
    }
}
