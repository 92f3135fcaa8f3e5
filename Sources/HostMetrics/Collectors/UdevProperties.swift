/// The device properties (`E:KEY=value` lines) of one entry of udev's database,
/// `/run/udev/data/b<major>:<minor>` for a block device.
public struct UdevProperties: Sendable, Equatable {
    public var values: [String: String]

    public init(_ values: [String: String] = [:]) {
        self.values = values
    }

    /// The value of a property, or "" when udev did not record it.
    public subscript(key: String) -> String { values[key] ?? "" }

    /// Parses a database file: only `E:` lines count, each split at its first `=` (values may
    /// contain `=`); other record types (`S:` links, `I:`, `G:`, ...) and malformed lines are ignored.
    public static func parse(_ bytes: ArraySlice<UInt8>) -> UdevProperties {
        var values: [String: String] = [:]
        for line in bytes.lines() where line.hasPrefix("E:") {
            let property = line.dropFirst(2)
            guard let equals = property.firstIndex(of: UInt8(ascii: "=")) else { continue }
            values[property[..<equals].string] = property[(equals + 1)...].string
        }
        return UdevProperties(values)
    }

    /// The properties of block device `major:minor` under `udevData`; empty when the file is
    /// missing or unreadable (no udev in a container, a device udev has not processed).
    public static func read(major: UInt32, minor: UInt32, udevData: String, reader: inout FileReader) -> UdevProperties {
        do {
            return parse(try reader.read(udevData + "/b\(major):\(minor)"))
        } catch {
            return UdevProperties()
        }
    }
}
