#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Why a host file could not be read.
public struct HostFileError: Error, Sendable, CustomStringConvertible, Equatable {
    public var path: String
    public var errno: Int32

    public init(path: String, errno: Int32) {
        self.path = path
        self.errno = errno
    }

    /// The file does not exist (or a directory on its path does not): usually "not on this kernel".
    public var isMissing: Bool { errno == ENOENT || errno == ENOTDIR }

    public var description: String {
        "\(path): \(String(cString: strerror(errno)))"
    }
}

/// Reads small /proc and /sys files with `read(2)` into one buffer that is reused from file to
/// file, so a scrape does no per-file allocation once the buffer has grown to fit.
public struct FileReader: Sendable {
    /// Always fully initialised; `read` fills a prefix of it and grows it by doubling.
    private var storage: [UInt8]

    public init(capacity: Int = 64 * 1024) {
        storage = [UInt8](repeating: 0, count: max(capacity, 256))
    }

    /// The whole file. The returned slice shares the buffer; it stays valid (copy-on-write)
    /// even after the next read.
    public mutating func read(_ path: String) throws(HostFileError) -> ArraySlice<UInt8> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw HostFileError(path: path, errno: errno) }
        defer { close(fd) }
        var length = 0
        while true {
            if length == storage.count {
                storage.append(contentsOf: repeatElement(0, count: storage.count))
            }
            let got: Int = storage.withUnsafeMutableBufferPointer { buffer in
                var result: Int
                repeat {
                    result = Glibc.read(fd, buffer.baseAddress! + length, buffer.count - length)
                } while result < 0 && errno == EINTR
                return result
            }
            if got < 0 { throw HostFileError(path: path, errno: errno) }
            if got == 0 { break }
            length += got
        }
        return storage[0..<length]
    }

    /// A sysfs attribute: one `read(2)` of at most `limit` bytes (sysfs fills a whole attribute in
    /// one read; drivers that misbehave on a second read or block on EOF are never asked again).
    /// The slice shares the buffer, as with `read`.
    public mutating func readAttribute(_ path: String, limit: Int = 4096) throws(HostFileError) -> ArraySlice<UInt8> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw HostFileError(path: path, errno: errno) }
        defer { close(fd) }
        return try readOnce(fd, limit: limit) { path }
    }

    /// A sysfs attribute in an already opened directory: one path component for the kernel to
    /// look up instead of the whole path (a device's attributes are read dozens at a time, and
    /// walking `/sys/class/net/<dev>` and its symlink again for each one is most of the cost).
    public mutating func readAttribute(_ name: String, in directory: borrowing OpenDirectory,
                                       limit: Int = 4096) throws(HostFileError) -> ArraySlice<UInt8> {
        let fd = openat(directory.descriptor, name, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw HostFileError(path: directory.path + "/" + name, errno: errno) }
        defer { close(fd) }
        let directoryPath = directory.path
        return try readOnce(fd, limit: limit) { directoryPath + "/" + name }
    }

    /// One `read(2)` of at most `limit` bytes from an open descriptor into the buffer; `path`
    /// names the file in the error, built only when there is one.
    private mutating func readOnce(_ fd: Int32, limit: Int, path: () -> String) throws(HostFileError) -> ArraySlice<UInt8> {
        let wanted = Swift.max(1, limit)
        if storage.count < wanted {
            storage.append(contentsOf: repeatElement(0, count: wanted - storage.count))
        }
        let got: Int = storage.withUnsafeMutableBufferPointer { buffer in
            var result: Int
            repeat {
                result = Glibc.read(fd, buffer.baseAddress!, wanted)
            } while result < 0 && errno == EINTR
            return result
        }
        if got < 0 {
            let code = errno
            throw HostFileError(path: path(), errno: code)
        }
        return storage[0..<got]
    }

    /// The file's content as text with surrounding white space removed (sysfs attributes).
    public mutating func readString(_ path: String) throws(HostFileError) -> String {
        let bytes = try read(path)
        return String(decoding: bytes.trimmingWhitespace(), as: UTF8.self)
    }

    /// The first number in the file (sysfs attributes such as `entropy_avail`).
    public mutating func readNumber(_ path: String) throws(HostFileError) -> Double? {
        try read(path).trimmingWhitespace().parseDouble()
    }

    /// The names in a directory, without `.` and `..`, sorted. Throws when it cannot be opened.
    public static func listDirectory(_ path: String) throws(HostFileError) -> [String] {
        guard let dir = opendir(path) else { throw HostFileError(path: path, errno: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        names.sort()
        return names
    }

    /// The file's bytes, or nil when it (or a directory on its path) does not exist: a source
    /// this host or kernel does not have. Other failures throw.
    public mutating func readIfPresent(_ path: String) throws(HostFileError) -> ArraySlice<UInt8>? {
        do {
            return try read(path)
        } catch {
            if error.isMissing { return nil }
            throw error
        }
    }

    /// The sorted names in a directory, or nil when it does not exist. Other failures throw.
    public static func listDirectoryIfPresent(_ path: String) throws(HostFileError) -> [String]? {
        do {
            return try listDirectory(path)
        } catch {
            if error.isMissing { return nil }
            throw error
        }
    }

    /// Whether `path` is a directory, following symbolic links (sysfs class entries are links).
    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return info.st_mode & S_IFMT == S_IFDIR
    }

    /// The target of a symbolic link, or nil.
    public static func readLink(_ path: String) -> String? {
        var target = [CChar](repeating: 0, count: 4096)
        let count = readlink(path, &target, target.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: target[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }
}

/// A directory held open (O_PATH) so files in it can be opened relative to it; closed when
/// the value goes away.
public struct OpenDirectory: ~Copyable {
    let descriptor: Int32
    /// The path it was opened with, for error messages.
    public let path: String

    /// Opens `path` (following symbolic links); throws ENOTDIR for a file, ENOENT when missing.
    public init(_ path: String) throws(HostFileError) {
        // O_PATH (0o10000000) is not exported by the Glibc module; the kernel ABI value is fixed.
        let fd = open(path, 0o10000000 | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw HostFileError(path: path, errno: errno) }
        descriptor = fd
        self.path = path
    }

    deinit {
        close(descriptor)
    }
}
