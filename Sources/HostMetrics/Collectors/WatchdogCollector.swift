import Exposition

/// `/sys/class/watchdog/<name>/`: one set of `node_watchdog_*` series per watchdog device, each
/// numeric attribute only when the driver provides it, and `node_watchdog_info` with the text ones.
public struct WatchdogCollector: Collector {
    public let name = "watchdog"

    /// Numeric attributes: file, family, help.
    static let numeric: [(file: String, family: String, help: String)] = [
        ("bootstatus", "node_watchdog_bootstatus", "Status flags the watchdog reported at boot (WDIOF_* bits)."),
        ("fw_version", "node_watchdog_fw_version", "Firmware version of the watchdog device."),
        ("nowayout", "node_watchdog_nowayout", "1 when the watchdog cannot be stopped once started."),
        ("timeleft", "node_watchdog_timeleft_seconds", "Seconds left before the watchdog resets the system."),
        ("timeout", "node_watchdog_timeout_seconds", "Watchdog timeout, in seconds."),
        ("pretimeout", "node_watchdog_pretimeout_seconds", "Seconds before the timeout at which the pretimeout fires."),
        ("access_cs0", "node_watchdog_access_cs0", "Value of the device's access_cs0 attribute."),
    ]

    /// Text attributes and their `node_watchdog_info` labels.
    static let text: [(file: String, label: String)] = [
        ("options", "options"), ("identity", "identity"), ("state", "state"), ("status", "status"),
        ("pretimeout_governor", "pretimeout_governor"),
    ]

    public init() {}

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let classPath = context.paths.sys("class/watchdog")
        let devices: [String]
        do {
            devices = try FileReader.listDirectory(classPath)
        } catch {
            guard error.isMissing else { throw error }
            return []
        }
        var numeric = Self.numeric.map { MetricFamily(name: $0.family, type: .gauge, help: $0.help) }
        var info = MetricFamily(name: "node_watchdog_info", type: .gauge,
                                help: "Identity and state of each watchdog device (always 1).")
        for device in devices {
            let directory = classPath + "/" + device
            // A device removed since the listing is simply gone.
            guard FileReader.exists(directory) else { continue }
            for (index, attribute) in Self.numeric.enumerated() {
                // Attributes a driver does not support are absent; unreadable ones are skipped too.
                guard let bytes = try? context.reader.read(directory + "/" + attribute.file) else { continue }
                let trimmed = bytes.trimmingWhitespace()
                guard let value = Self.parseInteger(trimmed) else {
                    throw CollectorError("unexpected \(directory)/\(attribute.file) content: \(trimmed.prefix(64).string)")
                }
                numeric[index].add(Double(value), ["name": device])
            }
            var labels = [Label("name", device)]
            for attribute in Self.text {
                let value = (try? context.reader.read(directory + "/" + attribute.file))?.trimmingWhitespace().string ?? ""
                labels.append(Label(attribute.label, value))
            }
            info.add(1, labels: labels)
        }
        return (numeric + [info]).filter { !$0.samples.isEmpty }
    }

    /// An integer with C's base prefixes (`0x1f`, `017`, `42`) and an optional sign, as
    /// node_exporter parses these attributes.
    public static func parseInteger(_ bytes: ArraySlice<UInt8>) -> Int64? {
        NetSysfs.parseSigned(bytes)
    }
}
