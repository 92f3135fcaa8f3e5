#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Small helpers shared by the sysfs hardware collectors (hwmon, thermal_zone, cpufreq,
/// powersupplyclass, rapl, nvme, tapestats, bcache).
///
/// sysfs devices come and go between listing a directory and reading it, and drivers answer
/// some attributes with EIO, ENODATA, EAGAIN or EACCES: for these collectors an attribute that
/// cannot be read is simply absent. Content that is there but cannot be parsed is an error.
enum SysfsHardware {
    /// The names in a class directory, sorted; nil when the directory does not exist (the kernel
    /// or the machine lacks the feature). Other failures (permission) throw.
    static func listClass(_ path: String) throws -> [String]? {
        do {
            return try FileReader.listDirectoryIfPresent(path)
        } catch {
            throw CollectorError("\(error)")
        }
    }

    /// The names in a device directory, or nil when it cannot be listed (vanished, not a directory).
    static func listDevice(_ path: String) -> [String]? {
        try? FileReader.listDirectory(path)
    }

    /// The names that are `prefix` followed by a digit and anything (the glob `prefix[0-9]*`).
    static func numbered(_ names: [String], prefix: String) -> [String] {
        names.filter { name in
            guard name.hasPrefix(prefix), let next = name.utf8.dropFirst(prefix.utf8.count).first else { return false }
            return next >= UInt8(ascii: "0") && next <= UInt8(ascii: "9")
        }
    }

    /// One attribute read with a single bounded read(2), white space trimmed; nil when it cannot
    /// be read for any reason.
    static func attribute(_ reader: inout FileReader, _ path: String, limit: Int = 4096) -> ArraySlice<UInt8>? {
        guard let bytes = try? reader.readAttribute(path, limit: limit) else { return nil }
        return bytes.trimmingWhitespace()
    }

    /// An attribute as text (white space trimmed, invalid UTF-8 replaced), or nil.
    static func text(_ reader: inout FileReader, _ path: String, limit: Int = 4096) -> String? {
        attribute(&reader, path, limit: limit)?.string
    }

    /// A signed decimal attribute. nil when it cannot be read or is empty; throws when it holds
    /// something else than a number.
    static func integer(_ reader: inout FileReader, _ path: String) throws -> Int64? {
        guard let bytes = attribute(&reader, path), !bytes.isEmpty else { return nil }
        guard let value = parseInteger(bytes) else { throw malformed(path, bytes) }
        return value
    }

    /// An unsigned decimal attribute, as `integer`.
    static func unsigned(_ reader: inout FileReader, _ path: String) throws -> UInt64? {
        guard let bytes = attribute(&reader, path), !bytes.isEmpty else { return nil }
        guard let value = bytes.parseUInt64() else { throw malformed(path, bytes) }
        return value
    }

    /// A decimal integer with an optional sign (`-1`, `+5`, `42`).
    static func parseInteger(_ bytes: ArraySlice<UInt8>) -> Int64? {
        if bytes.first == UInt8(ascii: "+") {
            let rest = bytes.dropFirst()
            return rest.first == UInt8(ascii: "-") ? nil : rest.parseInt64()
        }
        return bytes.parseInt64()
    }

    static func malformed(_ path: String, _ bytes: ArraySlice<UInt8>) -> CollectorError {
        CollectorError("\(path): unexpected content \"\(bytes.prefix(64).string)\"")
    }

    /// The canonical path with every symbolic link resolved, or nil (missing, or a link loop).
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The last component of a path.
    static func baseName(_ path: String) -> Substring {
        guard let slash = path.lastIndex(of: "/") else { return Substring(path) }
        return path[path.index(after: slash)...]
    }
}
