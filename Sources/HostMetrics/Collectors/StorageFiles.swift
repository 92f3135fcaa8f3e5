#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Helpers shared by the storage, memory and process collectors (mdadm, nfs, xfs, btrfs, zfs,
/// mountstats, meminfo_numa, buddyinfo, interrupts, processes). Files or directories that may be
/// missing are read with `FileReader.readIfPresent` and `FileReader.listDirectoryIfPresent`.
enum StorageFiles {
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
