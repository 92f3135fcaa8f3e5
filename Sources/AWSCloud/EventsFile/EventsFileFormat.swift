/// How an exported events file is laid out.
public enum EventsFileFormat: String, Sendable, Codable, CaseIterable {
    /// RFC 4180 CSV whose first record names the fields (Athena and S3 Select exports).
    case csv
    /// One JSON object per line; fields are top-level keys or dotted paths (`userIdentity.type`).
    case jsonLines
}
