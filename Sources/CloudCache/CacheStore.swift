import Foundation

/// Writes and reads persisted job caches in one directory, one file per job. Writes are atomic
/// (temporary file, fsync, rename, fsync of the directory): a crash or a full disk leaves the
/// previous file intact, never a torn one.
public struct CacheStore: Sendable {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// Creates the directory when it is missing; a clear error when that is impossible.
    public func prepare() throws(CacheStoreError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw .notADirectory(directory) }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .io(path: directory, reason: "cannot create: \(error.localizedDescription)")
        }
    }

    func path(for job: String) -> String {
        let safe = job.unicodeScalars.map { scalar -> String in
            let allowed = (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z")
                || (scalar >= "0" && scalar <= "9") || scalar == "-" || scalar == "_" || scalar == "."
            return allowed ? String(scalar) : "_"
        }.joined()
        return directory + "/" + safe + ".json"
    }

    func save(_ job: PersistedJob) throws(CacheStoreError) {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "+Inf", negativeInfinity: "-Inf", nan: "NaN")
        let data: Data
        do { data = try encoder.encode(job) } catch { throw .io(path: path(for: job.job), reason: "cannot encode: \(error)") }
        try writeAtomically(Array(data), to: path(for: job.job))
    }

    func load(job: String) throws(CacheStoreError) -> PersistedJob? {
        let file = path(for: job)
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "+Inf", negativeInfinity: "-Inf", nan: "NaN")
        do {
            return try decoder.decode(PersistedJob.self, from: data)
        } catch {
            throw .corrupt(path: file)
        }
    }

    func writeAtomically(_ bytes: [UInt8], to path: String) throws(CacheStoreError) {
        let temporary = path + ".tmp.\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .io(path: temporary, reason: Self.errnoText()) }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            if result < 0 {
                if errno == EINTR { continue }
                let reason = Self.errnoText()
                close(fd)
                unlink(temporary)
                throw .io(path: temporary, reason: reason)
            }
            written += result
        }
        if fsync(fd) != 0 {
            let reason = Self.errnoText()
            close(fd)
            unlink(temporary)
            throw .io(path: temporary, reason: reason)
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let reason = Self.errnoText()
            unlink(temporary)
            throw .io(path: path, reason: reason)
        }
        let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            _ = fsync(directoryFD)
            close(directoryFD)
        }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}

public enum CacheStoreError: Error, Sendable, CustomStringConvertible {
    case notADirectory(String)
    case io(path: String, reason: String)
    case corrupt(path: String)

    public var description: String {
        switch self {
        case .notADirectory(let path): "cache directory \(path) is not a directory"
        case .io(let path, let reason): "cache file \(path): \(reason)"
        case .corrupt(let path): "cache file \(path) is not a valid cache; ignored"
        }
    }
}
