import Exposition
import HostMetrics
import Testing

@Suite struct NetdevNoHandlerTests {
    @Test func readsRxNoHandlerFromSysfsForEachListedInterface() throws {
        let families = try collect(NetdevCollector(), paths: Fixtures.host)
        let family = try #require(families[family: "node_network_receive_nohandler_total"])
        #expect(family.type == .counter)
        let devices = Set(family.samples.flatMap { $0.labels.map(\.value) })
        // Every interface of the fixture's /proc/net/dev has the sysfs attribute; eth0's was set to 7 by hand.
        let listed = Set(families[family: "node_network_receive_bytes_total"]!.samples.flatMap { $0.labels.map(\.value) })
        #expect(devices == listed)
        #expect(families.value("node_network_receive_nohandler_total", ["device": "eth0"]) == 7)
        #expect(families.value("node_network_receive_nohandler_total", ["device": "lo"]) == 0)
    }

    @Test func interfacesWithoutTheAttributeAreLeftOut() throws {
        let families = try collect(NetdevCollector(), paths: Fixtures.edge("netdev-names"))
        #expect(families[family: "node_network_receive_nohandler_total"]?.samples.isEmpty == true)
        #expect(families[family: "node_network_receive_bytes_total"]?.samples.isEmpty == false)
    }
}
