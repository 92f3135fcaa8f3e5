import Exposition
import HostMetrics
import Testing

/// Every `device` label of a family, in output order.
private func devices(_ families: [MetricFamily], _ name: String) -> [String] {
    families[family: name]?.samples.map { sample in
        sample.labels.first { $0.name == "device" }?.value ?? "?"
    } ?? []
}

private let counterNames = [
    "node_disk_reads_completed_total", "node_disk_reads_merged_total", "node_disk_read_bytes_total",
    "node_disk_read_time_seconds_total", "node_disk_writes_completed_total", "node_disk_writes_merged_total",
    "node_disk_written_bytes_total", "node_disk_write_time_seconds_total", "node_disk_io_now",
    "node_disk_io_time_seconds_total", "node_disk_io_time_weighted_seconds_total",
]
private let discardNames = [
    "node_disk_discards_completed_total", "node_disk_discards_merged_total", "node_disk_discarded_sectors_total",
    "node_disk_discard_time_seconds_total",
]
private let flushNames = ["node_disk_flush_requests_total", "node_disk_flush_requests_time_seconds_total"]

@Suite struct DiskstatsCollectorTests {
    @Test func capturedHostWithTwentyFields() throws {
        let families = try collect(DiskstatsCollector(), paths: Fixtures.host)
        // Kernel 6.x: every family, in a fixed order; the udev fixture adds filesystem_info for vda.
        #expect(families.map(\.name) == ["node_disk_info"] + counterNames + discardNames + flushNames
            + ["node_disk_filesystem_info"])
        // loop0..7 are excluded by the default pattern.
        #expect(devices(families, "node_disk_info") == ["vda", "zram0"])
        #expect(devices(families, "node_disk_flush_requests_total") == ["vda", "zram0"])

        // 254 0 vda 39626 6888 5336138 89659 12999 17212 2012880 8098 0 29616 99328 1876 0 279384 406 2025 1163
        let vda = ["device": "vda"]
        #expect(families.value("node_disk_reads_completed_total", vda) == 39626)
        #expect(families.value("node_disk_reads_merged_total", vda) == 6888)
        #expect(families.value("node_disk_read_bytes_total", vda) == 2_732_102_656)  // 5336138 sectors * 512
        #expect(families.value("node_disk_read_time_seconds_total", vda) == 89.659)
        #expect(families.value("node_disk_writes_completed_total", vda) == 12999)
        #expect(families.value("node_disk_writes_merged_total", vda) == 17212)
        #expect(families.value("node_disk_written_bytes_total", vda) == 1_030_594_560)  // 2012880 * 512
        #expect(families.value("node_disk_write_time_seconds_total", vda) == 8.098)
        #expect(families.value("node_disk_io_now", vda) == 0)
        #expect(families.value("node_disk_io_time_seconds_total", vda) == 29.616)
        #expect(families.value("node_disk_io_time_weighted_seconds_total", vda) == 99.328)
        #expect(families.value("node_disk_discards_completed_total", vda) == 1876)
        #expect(families.value("node_disk_discards_merged_total", vda) == 0)
        #expect(families.value("node_disk_discarded_sectors_total", vda) == 279_384)  // sectors, not bytes
        #expect(families.value("node_disk_discard_time_seconds_total", vda) == 0.406)
        #expect(families.value("node_disk_flush_requests_total", vda) == 2025)
        #expect(families.value("node_disk_flush_requests_time_seconds_total", vda) == 1.163)

        #expect(families[family: "node_disk_io_now"]?.type == .gauge)
        #expect(families[family: "node_disk_info"]?.type == .gauge)
        #expect(families.filter { $0.name != "node_disk_io_now" && !$0.name.hasSuffix("_info") }
            .allSatisfy { $0.type == .counter })
    }

    @Test func infoLabelsComeFromUdevOrAreEmpty() throws {
        let families = try collect(DiskstatsCollector(), paths: Fixtures.host)
        #expect(families.value("node_disk_info", [
            "device": "vda", "major": "254", "minor": "0", "model": "Nimbus Virtual Disk",
            "path": "pci-0000:00:05.0", "revision": "1.0=rc2", "serial": "NIMBUS-VDA-0001",
            "wwn": "0x5000c500a1b2c3d4",
        ]) == 1)
        // No b253:0 in the fixture's udev directory.
        #expect(families.value("node_disk_info", [
            "device": "zram0", "major": "253", "minor": "0", "model": "", "path": "", "revision": "",
            "serial": "", "wwn": "",
        ]) == 1)
        #expect(families.value("node_disk_filesystem_info", [
            "device": "vda", "type": "ext4", "usage": "filesystem",
            "uuid": "6f1c2a8e-3b4d-4e5f-9a6b-7c8d9e0f1a2b", "version": "1.0",
        ]) == 1)
    }

    @Test func oldKernelsFourteenFieldsHaveNoDiscardsOrFlushes() throws {
        let families = try collect(DiskstatsCollector(), paths: Fixtures.edge("diskstats-4.17"))
        #expect(families.map(\.name) == ["node_disk_info"] + counterNames)
        // ram0 and the partition sda1 are excluded.
        #expect(devices(families, "node_disk_reads_completed_total") == ["sda", "sr0"])
        // 8 0 sda 1000 20 30000 400 500 60 7000 800 2 900 1200
        let sda = ["device": "sda"]
        #expect(families.value("node_disk_reads_completed_total", sda) == 1000)
        #expect(families.value("node_disk_read_bytes_total", sda) == 15_360_000)
        #expect(families.value("node_disk_read_time_seconds_total", sda) == 0.4)
        #expect(families.value("node_disk_written_bytes_total", sda) == 3_584_000)
        #expect(families.value("node_disk_write_time_seconds_total", sda) == 0.8)
        #expect(families.value("node_disk_io_now", sda) == 2)
        #expect(families.value("node_disk_io_time_seconds_total", sda) == 0.9)
        #expect(families.value("node_disk_io_time_weighted_seconds_total", sda) == 1.2)
    }

    @Test func eighteenFieldsHaveDiscardsButNoFlushes() throws {
        let families = try collect(DiskstatsCollector(), paths: Fixtures.edge("diskstats-4.18"))
        #expect(families.map(\.name) == ["node_disk_info"] + counterNames + discardNames
            + ["node_disk_filesystem_info", "node_disk_device_mapper_info",
               "node_disk_ata_write_cache", "node_disk_ata_write_cache_enabled", "node_disk_ata_rotation_rate_rpm"])
        // nvme0n1p1 is a partition: excluded by default.
        #expect(devices(families, "node_disk_info") == ["nvme0n1", "dm-0", "sda"])
        // 259 0 nvme0n1 5000 100 400000 2500 6000 700 900000 3500 1 4000 6100 30 0 81920 15
        let nvme = ["device": "nvme0n1"]
        #expect(families.value("node_disk_discards_completed_total", nvme) == 30)
        #expect(families.value("node_disk_discards_merged_total", nvme) == 0)
        #expect(families.value("node_disk_discarded_sectors_total", nvme) == 81920)
        #expect(families.value("node_disk_discard_time_seconds_total", nvme) == 0.015)
        #expect(families.value("node_disk_written_bytes_total", nvme) == 460_800_000)

        #expect(families.value("node_disk_device_mapper_info", [
            "device": "dm-0", "name": "vg0-root", "uuid": "LVM-abcdefabcdefabcdefabcdefabcdefab0123456789",
            "vg_name": "vg0", "lv_name": "root", "lv_layer": "",
        ]) == 1)
        #expect(families.value("node_disk_filesystem_info", [
            "device": "dm-0", "type": "xfs", "usage": "filesystem", "uuid": "1b2c3d4e-0000-4000-8000-123456789abc",
            "version": "",
        ]) == 1)
        #expect(families.value("node_disk_ata_write_cache", ["device": "sda"]) == 1)
        #expect(families.value("node_disk_ata_write_cache_enabled", ["device": "sda"]) == 0)
        #expect(families.value("node_disk_ata_rotation_rate_rpm", ["device": "sda"]) == 5400)
        #expect(families.value("node_disk_info", [
            "device": "sda", "major": "8", "minor": "0", "model": "WDC_WD40EFRX-68N32N0",
            "path": "pci-0000:00:17.0-ata-1", "revision": "82.00A82", "serial": "WD-WCC7K1234567",
            "wwn": "0x50014ee2b1234567",
        ]) == 1)
    }

    @Test func defaultExcludePattern() throws {
        #expect(DiskstatsCollector.defaultDeviceExclude == #"^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$"#)
        let names = ["ram0", "ram15", "loop0", "loop12", "fd0", "hda1", "sda1", "sdb12", "vda1", "xvda1",
                     "nvme0n1p1", "nvme10n2p3", "sda", "vda", "xvda", "nvme0n1", "dm-0", "md0", "zram0", "sr0",
                     "mmcblk0", "mmcblk0p1", "sdaa1", "rbd0"]
        // The pattern as the collector compiles it (NameFilter: Go's MatchString semantics).
        let filter = try NameFilter(exclude: DiskstatsCollector.defaultDeviceExclude)
        #expect(names.filter(filter.accepts) == ["sda", "vda", "xvda", "nvme0n1", "dm-0", "md0", "zram0", "sr0",
                                                  "mmcblk0", "mmcblk0p1", "sdaa1", "rbd0"])
    }

    @Test func includeAndExcludeOptions() throws {
        // An include pattern replaces the default exclude.
        let included = try collect(DiskstatsCollector(deviceInclude: "^(loop0|zram0)$"), paths: Fixtures.host)
        #expect(devices(included, "node_disk_info") == ["loop0", "zram0"])
        // An empty exclude pattern keeps everything.
        let all = try collect(DiskstatsCollector(deviceExclude: ""), paths: Fixtures.host)
        #expect(devices(all, "node_disk_info").count == 10)
        let custom = try collect(DiskstatsCollector(deviceExclude: "^(loop|zram)"), paths: Fixtures.host)
        #expect(devices(custom, "node_disk_info") == ["vda"])
        #expect(throws: CollectorError.self) { try DiskstatsCollector(deviceExclude: "^loop", deviceInclude: "^vd") }
        #expect(throws: CollectorError.self) { try DiskstatsCollector(deviceExclude: "[") }
    }

    @Test func parsesLinesOfEveryLength() throws {
        let lines = try DiskstatsCollector.parse(ArraySlice("""
               8       0 sda 1 2 3 4 5 6 7 8 9 10 11

             259       0 nvme0n1 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
             254       0 vda 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17
             254      16 vdb 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19
            """.utf8))
        #expect(lines.map(\.device) == ["sda", "nvme0n1", "vda", "vdb"])
        #expect(lines.map(\.counters.count) == [11, 15, 17, 17])
        #expect(lines[3] == DiskstatsCollector.Line(major: 254, minor: 16, device: "vdb", counters: Array(1...17)))
    }

    @Test func malformedLinesNameTheFile() {
        for bad in ["8 0 sda 1 2 3 4 5 6 7 8 9 10",          // 13 fields
                    "8 0 sda 1 2 3 x 5 6 7 8 9 10 11",        // not a number
                    "8 0 sda 1 2 3 -4 5 6 7 8 9 10 11",       // negative
                    "a 0 sda 1 2 3 4 5 6 7 8 9 10 11",        // bad major
                    "8 99999999999 sda 1 2 3 4 5 6 7 8 9 10 11"] {
            let error = #expect(throws: CollectorError.self, "\(bad)") {
                try DiskstatsCollector.parse(ArraySlice(bad.utf8), file: "/host/proc/diskstats")
            }
            #expect(error?.description.hasPrefix("/host/proc/diskstats: ") == true)
        }
    }

    @Test func emptyAndMissingFiles() throws {
        #expect(try collect(DiskstatsCollector(), paths: Fixtures.edge("io-empty")).isEmpty)
        let error = #expect(throws: HostFileError.self) { try collect(DiskstatsCollector(), paths: Fixtures.edge("missing")) }
        #expect(error?.isMissing == true)
    }

    @Test func udevFileParsing() {
        let properties = UdevProperties.parse(ArraySlice("""
            S:disk/by-id/x
            E:ID_MODEL=Disk=Model
            E:NO_EQUALS
            E:EMPTY=
            I:12345
            E:ID_SERIAL_SHORT=abc
            """.utf8))
        #expect(properties.values == ["ID_MODEL": "Disk=Model", "EMPTY": "", "ID_SERIAL_SHORT": "abc"])
        #expect(properties["ID_WWN"] == "")
        var reader = FileReader()
        #expect(UdevProperties.read(major: 1, minor: 2, udevData: Fixtures.path("edge/missing/udev"), reader: &reader)
            == UdevProperties())
        #expect(UdevProperties.read(major: 254, minor: 0, udevData: Fixtures.host.udevData, reader: &reader)["ID_WWN"]
            == "0x5000c500a1b2c3d4")
    }
}
