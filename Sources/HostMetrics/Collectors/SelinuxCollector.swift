import Exposition

/// SELinux state: `node_selinux_enabled`, and while it is enabled `node_selinux_config_mode`
/// (the boot-time mode from `<rootfs>/etc/selinux/config`) and `node_selinux_current_mode`
/// (`<sysfs>/fs/selinux/enforce`). Modes: 1 enforcing, 0 permissive, -1 disabled or unknown.
public struct SelinuxCollector: Collector {
    public let name = "selinux"

    public init() {}

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let enabledHelp = "Whether SELinux is enabled (1) or not (0)."
        // selinuxfs is mounted only when the kernel runs SELinux; a process labelled `kernel`
        // means the policy was never loaded.
        guard let enforce = try? context.reader.read(context.paths.sys("fs/selinux/enforce")) else {
            return [.single("node_selinux_enabled", .gauge, help: enabledHelp, value: 0)]
        }
        let current = enforce.trimmingWhitespace().parseInt64().map(Double.init) ?? -1
        if let label = try? context.reader.read(context.paths.proc("self/attr/current")),
           Self.trimmingNul(label).trimmingWhitespace().equals("kernel") {
            return [.single("node_selinux_enabled", .gauge, help: enabledHelp, value: 0)]
        }
        var configured = -1.0
        if let config = try? context.reader.read(context.paths.root("/etc/selinux/config")) {
            configured = Self.configuredMode(config)
        }
        return [
            .single("node_selinux_enabled", .gauge, help: enabledHelp, value: 1),
            .single("node_selinux_config_mode", .gauge,
                    help: "SELinux mode configured for boot: 1 enforcing, 0 permissive, -1 disabled.", value: configured),
            .single("node_selinux_current_mode", .gauge,
                    help: "SELinux mode in force: 1 enforcing, 0 permissive, -1 unknown.", value: current),
        ]
    }

    /// The `SELINUX=` mode of an `/etc/selinux/config` file: 1 enforcing, 0 permissive, -1 otherwise.
    public static func configuredMode(_ bytes: ArraySlice<UInt8>) -> Double {
        var mode = -1.0
        for rawLine in bytes.lines() {
            let line = rawLine.trimmingWhitespace()
            guard let first = line.first, first != UInt8(ascii: "#"), first != UInt8(ascii: ";"),
                  let equals = line.firstIndex(of: UInt8(ascii: "="))
            else { continue }
            guard line[line.startIndex..<equals].equals("SELINUX") else { continue }
            var value = line[(equals + 1)...]
            while value.first == UInt8(ascii: "\"") { value = value.dropFirst() }
            while value.last == UInt8(ascii: "\"") { value = value.dropLast() }
            // The first SELINUX= line decides, as libselinux reads it.
            if value.equals("enforcing") { mode = 1 } else if value.equals("permissive") { mode = 0 }
            return mode
        }
        return mode
    }

    /// /proc/self/attr/current ends in a NUL byte.
    private static func trimmingNul(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var result = bytes
        while result.last == 0 { result = result.dropLast() }
        return result
    }
}
