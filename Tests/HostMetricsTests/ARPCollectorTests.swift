import Exposition
import HostMetrics
import Testing

@Suite struct ARPCollectorTests {
    @Test func capturedHost() throws {
        let families = try collect(ARPCollector(), paths: Fixtures.host)
        #expect(families.map(\.name) == ["node_arp_entries"])
        #expect(families[0].type == .gauge)
        #expect(families[0].samples.count == 1)
        #expect(families.value("node_arp_entries", ["device": "eth0"]) == 1)
    }

    @Test func entriesPerDevice() throws {
        // Three entries on eth0 (one incomplete, still counted), one each on virbr0 and docker0.
        let families = try collect(ARPCollector(), paths: Fixtures.edge("net-ipv4-only"))
        #expect(families[0].samples.count == 3)
        #expect(families.value("node_arp_entries", ["device": "eth0"]) == 3)
        #expect(families.value("node_arp_entries", ["device": "virbr0"]) == 1)
        #expect(families.value("node_arp_entries", ["device": "docker0"]) == 1)
    }

    @Test func includeAndExclude() throws {
        let tree = Fixtures.edge("net-ipv4-only")
        let excluded = try collect(ARPCollector(deviceExclude: "^(docker|virbr)"), paths: tree)
        #expect(excluded[0].samples.count == 1)
        #expect(excluded.value("node_arp_entries", ["device": "eth0"]) == 3)
        let included = try collect(ARPCollector(deviceInclude: "br"), paths: tree)
        #expect(included[0].samples.count == 1)
        #expect(included.value("node_arp_entries", ["device": "virbr0"]) == 1)
        // node_exporter 1.5 accepts both at once: included and not excluded.
        let both = try collect(ARPCollector(deviceInclude: "0$", deviceExclude: "^eth"), paths: tree)
        #expect(both[0].samples.count == 2)
        #expect(both.value("node_arp_entries", ["device": "docker0"]) == 1)
        #expect(throws: CollectorError.self) { try ARPCollector(deviceInclude: "(") }
    }

    @Test func parse() throws {
        let entries = try ARPCollector.parse(ArraySlice("IP address HW type Flags HW address Mask Device\n\n10.0.0.1 0x1 0x2 aa:bb:cc:dd:ee:ff * br-a1\n10.0.0.2 0x1 0x2 aa:bb:cc:dd:ee:00 * br-a1\n10.0.0.3 0x1 0x2 aa:bb:cc:dd:ee:01 * extra br-a1\n".utf8))
        #expect(entries.map(\.device) == ["br-a1"])
        // The device is the last column, whatever comes before it.
        #expect(entries.map(\.count) == [3])
        #expect(try ARPCollector.parse(ArraySlice("".utf8)).isEmpty)
    }

    @Test func malformedInput() {
        #expect(throws: CollectorError.self) { try ARPCollector.parse(ArraySlice("10.0.0.1 0x1 0x2 eth0\n".utf8)) }
        let error = #expect(throws: CollectorError.self) { try collect(ARPCollector(), paths: Fixtures.edge("net-malformed")) }
        #expect(error?.description.contains("/proc/net/arp") == true)
    }

    @Test func missingFileMeansNoFamilies() throws {
        #expect(try collect(ARPCollector(), paths: Fixtures.edge("missing")).isEmpty)
    }
}
