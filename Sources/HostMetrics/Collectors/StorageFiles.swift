#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// File helpers shared by the storage, memory and process collectors (mdadm, nfs, xfs, btrfs, zfs,
/// mountstats, meminfo_numa, buddyinfo, interrupts, processes): a file or directory that is
/// missing is "not on this host" (or "gone since it was listed"), not an error.
enum StorageFiles {
    /// The file's bytes, or nil when it (or a directory on its path) does not exist.
    static func readIfPresent(_ reader: inout FileReader, _ path: String) throws(HostFileError) -> ArraySlice<UInt8>? {
        do {
            return try reader.read(path)
        } catch {
            if error.isMissing { return nil }
            throw error
        }
    }

    /// The sorted names in a directory, or nil when it does not exist.
    static func listIfPresent(_ path: String) throws(HostFileError) -> [String]? {
        do {
            return try FileReader.listDirectory(path)
        } catch {
            if error.isMissing { return nil }
            throw error
        }
    }

    /// Whether `path` is a directory (following symbolic links).
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Whether a name is all ASCII digits (a pid, a NUMA node number).
    static func isNumber<S: StringProtocol>(_ text: S) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// How many times `needle` occurs in `bytes`, without overlaps (`(F)` in an mdstat device line).
    static func count(_ needle: StaticString, in bytes: ArraySlice<UInt8>) -> Int {
        let length = needle.utf8CodeUnitCount
        guard length > 0, bytes.count >= length else { return 0 }
        var found = 0
        var index = bytes.startIndex
        while index <= bytes.endIndex - length {
            if bytes[index...].hasPrefix(needle) {
                found += 1
                index += length
            } else {
                index += 1
            }
        }
        return found
    }

    /// Whether `needle` occurs anywhere in `bytes`.
    static func contains(_ needle: StaticString, in bytes: ArraySlice<UInt8>) -> Bool {
        count(needle, in: bytes) > 0
    }
}
