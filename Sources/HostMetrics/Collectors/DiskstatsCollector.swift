import Exposition

/// `/proc/diskstats` plus udev's database: the `node_disk_*` families.
///
/// The kernel prints 11 counters after `major minor name` (14 fields, before 4.18), 15 (18
/// fields, 4.18+: discards) or 17 (20 fields, 5.5+: flushes); the discard and flush families
/// appear only when the kernel has those columns, as in node_exporter.
public struct DiskstatsCollector: Collector {
    public static let defaultDeviceExclude = "^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\\d+n\\d+p)\\d+$"

    public let name = "diskstats"
    private let filter: NameFilter

    /// `--collector.diskstats.device-exclude` / `--collector.diskstats.device-include`. They are
    /// mutually exclusive; an include pattern replaces the default exclude pattern.
    public init(deviceExclude: String = DiskstatsCollector.defaultDeviceExclude, deviceInclude: String? = nil) throws {
        var exclude: String? = deviceExclude
        if let deviceInclude, !deviceInclude.isEmpty, !deviceExclude.isEmpty {
            guard deviceExclude == Self.defaultDeviceExclude else {
                throw CollectorError("diskstats: device-exclude and device-include are mutually exclusive")
            }
            exclude = nil
        }
        filter = try NameFilter(include: deviceInclude, exclude: exclude)
    }

    /// One line of `/proc/diskstats`.
    public struct Line: Sendable, Equatable {
        public var major: UInt32
        public var minor: UInt32
        public var device: String
        /// The counters in the kernel's order: 11, 15 or 17 of them (more are ignored).
        public var counters: [UInt64]

        public init(major: UInt32, minor: UInt32, device: String, counters: [UInt64]) {
            self.major = major
            self.minor = minor
            self.device = device
            self.counters = counters
        }
    }

    public func collect(_ context: inout CollectContext) throws -> [MetricFamily] {
        let file = context.paths.proc("diskstats")
        let lines = try Self.parse(context.reader.read(file), file: file)
        var devices: [(Line, UdevProperties)] = []
        for line in lines where filter.accepts(line.device) {
            let properties = UdevProperties.read(major: line.major, minor: line.minor,
                                                 udevData: context.paths.udevData, reader: &context.reader)
            devices.append((line, properties))
        }
        return Self.families(devices)
    }

    /// Parses the file; blank lines are skipped. Throws, naming `file`, on a line with fewer than
    /// 14 fields or a field that is not a number.
    public static func parse(_ bytes: ArraySlice<UInt8>, file: String = "/proc/diskstats") throws -> [Line] {
        var result: [Line] = []
        for line in bytes.lines() {
            let fields = line.fields()
            if fields.isEmpty { continue }
            guard fields.count >= 14 else {
                throw CollectorError("\(file): expected at least 14 fields, got \(fields.count): \(line.prefix(200).string)")
            }
            guard let major = fields[0].parseUInt64().flatMap(UInt32.init(exactly:)),
                  let minor = fields[1].parseUInt64().flatMap(UInt32.init(exactly:))
            else {
                throw CollectorError("\(file): bad device number: \(line.prefix(200).string)")
            }
            var counters: [UInt64] = []
            counters.reserveCapacity(17)
            for field in fields[3..<min(fields.count, 20)] {
                guard let value = field.parseUInt64() else {
                    throw CollectorError("\(file): not a number \"\(field.prefix(40).string)\" in: \(line.prefix(200).string)")
                }
                counters.append(value)
            }
            result.append(Line(major: major, minor: minor, device: fields[2].string, counters: counters))
        }
        return result
    }

    /// How each counter becomes a family: name, type, help, and the factor to its base unit.
    private static let counterFamilies: [(name: String, type: MetricType, help: String, factor: Double)] = [
        ("node_disk_reads_completed_total", .counter, "Reads completed on the device.", 1),
        ("node_disk_reads_merged_total", .counter, "Adjacent reads the kernel merged before issuing them.", 1),
        ("node_disk_read_bytes_total", .counter, "Bytes read from the device (512-byte sectors).", sectorSize),
        ("node_disk_read_time_seconds_total", .counter, "Seconds spent on reads, summed over all reads.", secondsPerTick),
        ("node_disk_writes_completed_total", .counter, "Writes completed on the device.", 1),
        ("node_disk_writes_merged_total", .counter, "Adjacent writes the kernel merged before issuing them.", 1),
        ("node_disk_written_bytes_total", .counter, "Bytes written to the device (512-byte sectors).", sectorSize),
        ("node_disk_write_time_seconds_total", .counter, "Seconds spent on writes, summed over all writes.", secondsPerTick),
        ("node_disk_io_now", .gauge, "I/O requests in flight on the device right now.", 1),
        ("node_disk_io_time_seconds_total", .counter, "Seconds during which the device had I/O in flight.", secondsPerTick),
        ("node_disk_io_time_weighted_seconds_total", .counter,
         "Seconds of I/O in flight weighted by the number of requests in flight (queue time).", secondsPerTick),
        ("node_disk_discards_completed_total", .counter, "Discard requests completed on the device.", 1),
        ("node_disk_discards_merged_total", .counter, "Adjacent discards the kernel merged before issuing them.", 1),
        ("node_disk_discarded_sectors_total", .counter, "Sectors discarded on the device.", 1),
        ("node_disk_discard_time_seconds_total", .counter, "Seconds spent on discards, summed over all discards.", secondsPerTick),
        ("node_disk_flush_requests_total", .counter, "Flush requests completed on the device.", 1),
        ("node_disk_flush_requests_time_seconds_total", .counter, "Seconds spent on flush requests, summed over all flushes.", secondsPerTick),
    ]

    /// The kernel's sectors here are always 512 bytes, whatever the device's block size.
    private static let sectorSize = 512.0
    /// Multiplied, not divided, to print the same values as node_exporter.
    private static let secondsPerTick = 0.001

    private static let ataFamilies: [(property: String, name: String, help: String)] = [
        ("ID_ATA_WRITE_CACHE", "node_disk_ata_write_cache", "1 if the ATA disk has a write cache."),
        ("ID_ATA_WRITE_CACHE_ENABLED", "node_disk_ata_write_cache_enabled", "1 if the ATA disk's write cache is enabled."),
        ("ID_ATA_ROTATION_RATE_RPM", "node_disk_ata_rotation_rate_rpm", "Rotation rate of the ATA disk in RPM, 0 for solid-state disks."),
    ]

    /// The families in a fixed order: `node_disk_info`, the counters in the kernel's order, then
    /// the udev-derived `filesystem_info`, `device_mapper_info` and ATA gauges. Families without
    /// series (discards on an old kernel, no udev data) are left out.
    public static func families(_ devices: [(Line, UdevProperties)]) -> [MetricFamily] {
        var info = MetricFamily(name: "node_disk_info", type: .gauge,
                                help: "Identity of a block device from udev (path, wwn, model, serial, revision); value is always 1.")
        var counters = counterFamilies.map { MetricFamily(name: $0.name, type: $0.type, help: $0.help) }
        var filesystemInfo = MetricFamily(name: "node_disk_filesystem_info", type: .gauge,
                                          help: "Filesystem udev found directly on a block device; value is always 1.")
        var deviceMapperInfo = MetricFamily(name: "node_disk_device_mapper_info", type: .gauge,
                                            help: "Device-mapper names of a block device from udev; value is always 1.")
        var ata = ataFamilies.map { MetricFamily(name: $0.name, type: .gauge, help: $0.help) }

        for (line, udev) in devices {
            let device = Label("device", line.device)
            info.add(1, labels: [
                device, Label("major", String(line.major)), Label("minor", String(line.minor)),
                Label("model", udev["ID_MODEL"]), Label("path", udev["ID_PATH"]),
                Label("revision", udev["ID_REVISION"]), Label("serial", udev["ID_SERIAL_SHORT"]),
                Label("wwn", udev["ID_WWN"]),
            ])
            for (index, value) in line.counters.prefix(counterFamilies.count).enumerated() {
                counters[index].add(Double(value) * counterFamilies[index].factor, labels: [device])
            }
            if !udev["ID_FS_TYPE"].isEmpty {
                filesystemInfo.add(1, labels: [
                    device, Label("type", udev["ID_FS_TYPE"]), Label("usage", udev["ID_FS_USAGE"]),
                    Label("uuid", udev["ID_FS_UUID"]), Label("version", udev["ID_FS_VERSION"]),
                ])
            }
            if !udev["DM_NAME"].isEmpty {
                deviceMapperInfo.add(1, labels: [
                    device, Label("name", udev["DM_NAME"]), Label("uuid", udev["DM_UUID"]),
                    Label("vg_name", udev["DM_VG_NAME"]), Label("lv_name", udev["DM_LV_NAME"]),
                    Label("lv_layer", udev["DM_LV_LAYER"]),
                ])
            }
            if !udev["ID_ATA"].isEmpty {
                for (index, attribute) in ataFamilies.enumerated() {
                    if let value = ArraySlice(udev[attribute.property].utf8).parseDouble() {
                        ata[index].add(value, labels: [device])
                    }
                }
            }
        }
        return ([info] + counters + [filesystemInfo, deviceMapperInfo] + ata).filter { !$0.samples.isEmpty }
    }
}
