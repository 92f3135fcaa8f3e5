#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Which file a path named: a rotation replaces the file, so the identity changes.
struct FileIdentity: Equatable {
    var device: UInt64
    var inode: UInt64

    /// The identity of what `path` names now; nil when nothing is there.
    static func ofPath(_ path: String) throws(EventsFileError) -> FileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return nil }
            throw .statFailed(path: path, errno: code)
        }
        return FileIdentity(info)
    }

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}

/// An open events file, read at explicit offsets so the file position is ours alone.
final class EventsFileHandle {
    let path: String
    let identity: FileIdentity
    private let descriptor: Int32

    /// Opens `path`; nil when it does not exist.
    static func openIfPresent(_ path: String) throws(EventsFileError) -> EventsFileHandle? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return nil }
            throw .openFailed(path: path, errno: code)
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let code = errno
            close(descriptor)
            throw .statFailed(path: path, errno: code)
        }
        return EventsFileHandle(path: path, descriptor: descriptor, identity: FileIdentity(info))
    }

    private init(path: String, descriptor: Int32, identity: FileIdentity) {
        self.path = path
        self.descriptor = descriptor
        self.identity = identity
    }

    deinit {
        close(descriptor)
    }

    /// The current size of the open file (which may no longer be what the path names).
    func size() throws(EventsFileError) -> UInt64 {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .statFailed(path: path, errno: errno) }
        return UInt64(info.st_size)
    }

    /// Reads up to `buffer.count` bytes at `offset`; returns how many (0 at the end).
    func read(at offset: UInt64, into buffer: UnsafeMutableRawBufferPointer)
        throws(EventsFileError) -> Int {
        while true {
            let count = pread(descriptor, buffer.baseAddress, buffer.count, off_t(offset))
            if count >= 0 { return count }
            let code = errno
            if code != EINTR { throw .readFailed(path: path, errno: code) }
        }
    }
}
