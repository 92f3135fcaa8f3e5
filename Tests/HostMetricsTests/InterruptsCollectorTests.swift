import Exposition
import HostMetrics
import Testing

@Suite struct InterruptsCollectorTests {
    @Test func capturedHost() throws {
        let families = try collect(InterruptsCollector(), paths: Fixtures.host)
        let family = try #require(families[family: "node_interrupts_total"])
        #expect(family.type == .counter)
        // 35 rows for 2 CPUs; ERR and MIS (one total each) are left out, as node_exporter 1.5 does: 66 series.
        #expect(family.samples.count == 66)
        #expect(families.value("node_interrupts_total", ["cpu": "0", "devices": "5-edge ACPI:Ged", "info": "IO-APIC", "type": "24"]) == 1)
        #expect(families.value("node_interrupts_total", ["cpu": "0", "devices": "1-edge virtio3-rx", "info": "PCI-MSIX-0000:00:04.0", "type": "41"]) == 6295)
        #expect(families.value("node_interrupts_total", ["cpu": "1", "devices": "2-edge virtio3-tx", "info": "PCI-MSIX-0000:00:04.0", "type": "42"]) == 12345)
        #expect(families.value("node_interrupts_total", ["cpu": "1", "devices": "", "info": "Local timer interrupts", "type": "LOC"]) == 482_825)
        #expect(!family.samples.contains { $0.labels.contains(Label("type", "ERR")) || $0.labels.contains(Label("type", "MIS")) })
    }

    @Test func armStyleAndShortRows() throws {
        let rows = try InterruptsCollector.parse(ArraySlice("""
                       CPU0       CPU1       CPU2       CPU3
             11:     812301     790122     801233     799812     GICv3  30 Level     arch_timer
             47:          0          0          0          0     GICv3  79 Edge      ttyAMA0
            IPI0:      4410       3912       4021       3811       Rescheduling interrupts
            IPI1:        12         40         31         22       Function call interrupts
            Err:          0
            """.utf8))
        #expect(rows == [
            InterruptsCollector.Row(type: "11", info: "GICv3", devices: "30 Level arch_timer", counts: [812_301, 790_122, 801_233, 799_812]),
            InterruptsCollector.Row(type: "47", info: "GICv3", devices: "79 Edge ttyAMA0", counts: [0, 0, 0, 0]),
            InterruptsCollector.Row(type: "IPI0", info: "Rescheduling interrupts", devices: "", counts: [4410, 3912, 4021, 3811]),
            InterruptsCollector.Row(type: "IPI1", info: "Function call interrupts", devices: "", counts: [12, 40, 31, 22]),
        ])
    }

    @Test func rowsWithoutDescriptionAreSkipped() throws {
        // One CPU: `ERR: 0` has as many fields as a counted row without its description would.
        let rows = try InterruptsCollector.parse(ArraySlice("""
                       CPU0
              0:         41   IO-APIC   2-edge      timer
              9:          4
            LOC:      99120   Local timer interrupts
            ERR:          0
            MIS:          0
            """.utf8))
        #expect(rows.map(\.type) == ["0", "LOC"])
        #expect(rows[0].devices == "2-edge timer")
    }

    @Test func missingFileMeansNoFamilies() throws {
        #expect(try collect(InterruptsCollector(), paths: Fixtures.edge("missing")).isEmpty)
    }

    @Test func rejectsMalformedContent() {
        for text in ["", "\n", "  0:  1  2  IO-APIC  2-edge  timer\n", "  CPU0  CPU1\n  0:  1  x  IO-APIC  2-edge  timer\n"] {
            #expect(throws: CollectorError.self, "\(text)") { try InterruptsCollector.parse(ArraySlice(text.utf8)) }
        }
    }

    /// This machine's own files parse, and give series when the kernel has them.
    @Test func liveHost() throws {
        let families = try collect(InterruptsCollector(), paths: HostPaths())
        if FileReader.exists("/proc/interrupts") {
            #expect(!families.isEmpty)
        }
    }
}
