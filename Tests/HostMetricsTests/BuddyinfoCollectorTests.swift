import Exposition
import HostMetrics
import Testing

@Suite struct BuddyinfoCollectorTests {
    @Test func capturedHost() throws {
        let families = try collect(BuddyinfoCollector(), paths: Fixtures.host)
        let family = try #require(families[family: "node_buddyinfo_blocks"])
        #expect(families.count == 1)
        #expect(family.type == .gauge)
        #expect(family.samples.count == 3 * 11)  // DMA, DMA32, Normal; orders 0...10
        #expect(families.value("node_buddyinfo_blocks", ["node": "0", "size": "0", "zone": "DMA"]) == 0)
        #expect(families.value("node_buddyinfo_blocks", ["node": "0", "size": "10", "zone": "DMA"]) == 3)
        #expect(families.value("node_buddyinfo_blocks", ["node": "0", "size": "10", "zone": "DMA32"]) == 752)
        #expect(families.value("node_buddyinfo_blocks", ["node": "0", "size": "0", "zone": "Normal"]) == 4325)
        #expect(families.value("node_buddyinfo_blocks", ["node": "0", "size": "7", "zone": "Normal"]) == 126)
    }

    @Test func twoNodesAndOddZoneNames() throws {
        let zones = try BuddyinfoCollector.parse(ArraySlice("""
            Node 0, zone      DMA      1      1      1      0      2      1      1      0      1      1      3
            Node 0, zone    DMA32      6      4      3      5      4      4      2      3      4      4    433
            Node 0, zone   Normal  20392   8312   2011    540    130     50     21     12      8      3   1902
            Node 1, zone   Normal  41201  10233   3102    811    207     88     31      9      4      1   3921
            Node 1, zone  Movable      0      0      0      0      0      0      0      0      0      0     12
            """.utf8))
        #expect(zones.count == 5)
        #expect(zones[3] == BuddyinfoCollector.Zone(node: "1", zone: "Normal",
                                                    blocks: [41201, 10233, 3102, 811, 207, 88, 31, 9, 4, 1, 3921]))
        #expect(zones[4].zone == "Movable")
        #expect(zones[4].blocks.last == 12)
    }

    @Test func missingFileMeansNoFamilies() throws {
        #expect(try collect(BuddyinfoCollector(), paths: Fixtures.edge("missing")).isEmpty)
    }

    @Test func rejectsMalformedLines() {
        for text in [
            "Node 0, zone DMA 1 2 3\nNode 0, zone Normal 1 2\n",  // order counts differ
            "Node 0, zone DMA 1 x 3\n",
            "Node 0, zone DMA\n",
            "Nodes 0, zone DMA 1 2\n",
            "Node 0, area DMA 1 2\n",
        ] {
            #expect(throws: CollectorError.self, "\(text)") { try BuddyinfoCollector.parse(ArraySlice(text.utf8)) }
        }
    }

    /// This machine's own files parse, and give series when the kernel has them.
    @Test func liveHost() throws {
        let families = try collect(BuddyinfoCollector(), paths: HostPaths())
        if FileReader.exists("/proc/buddyinfo") {
            #expect(!families.isEmpty)
        }
    }
}
