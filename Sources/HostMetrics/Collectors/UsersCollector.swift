import Exposition

/// Logged-in users, psutil's `users()`: the `USER_PROCESS` records of the utmp file
/// (`<rootfs>/var/run/utmp`, else `<rootfs>/run/utmp`). No utmp file (systems that keep
/// sessions only in systemd-logind) means no families.
///
/// The records are glibc's `struct utmp` on 64-bit Linux (x86_64, aarch64, ...), 384 bytes:
///
///     offset  size  field
///          0     2  ut_type (short; USER_PROCESS is 7), 2 bytes padding
///          4     4  ut_pid
///          8    32  ut_line (terminal, "pts/0")
///         40     4  ut_id
///         44    32  ut_user
///         76   256  ut_host
///        332     4  ut_exit
///        336     4  ut_session
///        340     8  ut_tv (32-bit seconds, 32-bit microseconds)
///        348    16  ut_addr_v6
///        364    20  reserved
///
/// Strings are NUL-padded and not terminated when they fill their field.
public struct UsersCollector: Collector {
    public let name = "users"

    public init() {}

    public static let recordSize = 384
    static let userProcess: Int16 = 7

    /// One login session.
    public struct Session: Sendable, Equatable {
        public var user: String
        public var terminal: String
        public var host: String
        public var pid: Int32
        /// When the session started, seconds since the Unix epoch.
        public var started: Double

        public init(user: String, terminal: String, host: String, pid: Int32, started: Double) {
            self.user = user
            self.terminal = terminal
            self.host = host
            self.pid = pid
            self.started = started
        }
    }

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        for candidate in ["/var/run/utmp", "/run/utmp"] {
            let path = context.paths.root(candidate)
            do {
                let bytes = try context.reader.read(path)
                return Self.families(try Self.parse(bytes, file: path))
            } catch let error as HostFileError where error.isMissing {
                continue
            }
        }
        return []
    }

    public static func families(_ sessions: [Session]) -> [MetricFamily] {
        var count = MetricFamily(name: "nimbus_users_logged_in", type: .gauge,
                                 help: "Login sessions in utmp (USER_PROCESS records), as psutil.users() lists them.")
        count.add(Double(sessions.count))
        var started = MetricFamily(name: "nimbus_user_session_start_time_seconds", type: .gauge,
                                   help: "When each login session in utmp started, in seconds since the Unix epoch.")
        for session in sessions {
            started.add(session.started, ["user": session.user, "terminal": session.terminal, "host": session.host])
        }
        return [count, started]
    }

    /// The `USER_PROCESS` records of a utmp file. A size that is not a whole number of records
    /// means another layout (a 32-bit or musl utmp) and throws rather than misreading it.
    public static func parse(_ bytes: ArraySlice<UInt8>, file: String = "/var/run/utmp") throws -> [Session] {
        guard bytes.count % recordSize == 0 else {
            throw CollectorError("\(file): \(bytes.count) bytes is not a whole number of \(recordSize)-byte utmp records")
        }
        var sessions: [Session] = []
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let record = bytes[start..<(start + recordSize)]
            start += recordSize
            guard Int16(bitPattern: native16(record, 0)) == userProcess else { continue }
            let seconds = native32(record, 340)
            sessions.append(Session(user: text(record, 44, 32), terminal: text(record, 8, 32), host: text(record, 76, 256),
                                    pid: Int32(bitPattern: native32(record, 4)),
                                    started: Double(seconds)))
        }
        return sessions
    }

    /// A NUL-padded string field.
    private static func text(_ record: ArraySlice<UInt8>, _ offset: Int, _ size: Int) -> String {
        let field = record[(record.startIndex + offset)..<(record.startIndex + offset + size)]
        return field.prefix { $0 != 0 }.string
    }

    /// utmp is written in the machine's byte order: the bytes read as little-endian, then converted.
    private static func native16(_ record: ArraySlice<UInt8>, _ offset: Int) -> UInt16 {
        let base = record.startIndex + offset
        return UInt16(littleEndian: UInt16(record[base]) | UInt16(record[base + 1]) << 8)
    }

    private static func native32(_ record: ArraySlice<UInt8>, _ offset: Int) -> UInt32 {
        let base = record.startIndex + offset
        var value: UInt32 = 0
        for index in 0..<4 { value |= UInt32(record[base + index]) << (8 * index) }
        return UInt32(littleEndian: value)
    }
}
