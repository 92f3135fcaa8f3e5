#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Exposition

/// The wall clock, the local time zone, and the kernel's clock sources from
/// `<sysfs>/devices/system/clocksource/clocksourceN/{available,current}_clocksource`.
public struct TimeCollector: Collector {
    public let name = "time"

    public init() {}

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let zone = Self.zone(at: now.tv_sec)
        var families: [MetricFamily] = [
            .single("node_time_seconds", .gauge, help: "Wall-clock time of the host, in seconds since the Unix epoch.",
                    value: Double(now.tv_sec) + Double(now.tv_nsec) / 1e9),
        ]
        var offset = MetricFamily(name: "node_time_zone_offset_seconds", type: .gauge,
                                  help: "Offset of the host's local time zone from UTC, in seconds.")
        offset.add(zone.offset, ["time_zone": zone.name])
        families.append(offset)

        var available = MetricFamily(name: "node_time_clocksource_available_info", type: .gauge,
                                     help: "Clock sources the kernel can use, per clocksource device (always 1).")
        var current = MetricFamily(name: "node_time_clocksource_current_info", type: .gauge,
                                   help: "Clock source the kernel uses, per clocksource device (always 1).")
        let directory = context.paths.sys("devices/system/clocksource")
        let entries: [String]
        do {
            entries = try FileReader.listDirectory(directory)
        } catch {
            guard error.isMissing else { throw error }
            entries = []
        }
        for entry in entries {
            guard let device = Self.deviceNumber(entry) else { continue }
            let base = directory + "/" + entry + "/"
            for source in Self.parseAvailable(try context.reader.read(base + "available_clocksource")) {
                available.add(1, ["clocksource": source, "device": device])
            }
            let source = try Self.parseCurrent(context.reader.read(base + "current_clocksource"))
            current.add(1, ["clocksource": source, "device": device])
        }
        if !available.samples.isEmpty { families.append(available) }
        if !current.samples.isEmpty { families.append(current) }
        return families
    }

    /// `N` of a `clocksourceN` directory name, or nil for other entries (`power`, `uevent`).
    public static func deviceNumber(_ entry: String) -> String? {
        guard entry.hasPrefix("clocksource") else { return nil }
        let number = entry.dropFirst("clocksource".count)
        guard !number.isEmpty, number.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        return String(number)
    }

    /// The names in `available_clocksource` (space separated, possibly none).
    public static func parseAvailable(_ bytes: ArraySlice<UInt8>) -> [String] {
        bytes.trimmingWhitespace().fields().map(\.string)
    }

    /// The single name in `current_clocksource`.
    public static func parseCurrent(_ bytes: ArraySlice<UInt8>) throws -> String {
        let fields = bytes.trimmingWhitespace().fields()
        guard fields.count == 1 else {
            throw CollectorError("unexpected current_clocksource content: \(bytes.prefix(64).string)")
        }
        return fields[0].string
    }

    /// The local time zone's abbreviation and UTC offset in seconds at `seconds` since the epoch,
    /// from `localtime_r` (TZ, else /etc/localtime, else UTC).
    public static func zone(at seconds: Int) -> (name: String, offset: Double) {
        var time = time_t(seconds)
        var parts = tm()
        guard localtime_r(&time, &parts) != nil else { return ("UTC", 0) }
        let name = parts.tm_zone.map { String(cString: $0) } ?? ""
        return (name, Double(parts.tm_gmtoff))
    }
}
