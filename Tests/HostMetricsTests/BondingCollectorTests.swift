import Exposition
@testable import HostMetrics
import Testing

@Suite struct BondingCollectorTests {
    @Test func countsConfiguredAndMIIUpMembersPerBond() throws {
        let families = try collect(BondingCollector(), paths: Fixtures.edge("bonding"))
        // bond0: lower_eth1 up, lower_eth2 up, eth9 listed but gone → 2 configured, 2 up.
        #expect(families.value("node_bonding_slaves", ["master": "bond0"]) == 2)
        #expect(families.value("node_bonding_active", ["master": "bond0"]) == 2)
        // bond1 (older kernel): slave_eth3 up, slave_eth4 "going back" → 2 configured, 1 up.
        #expect(families.value("node_bonding_slaves", ["master": "bond1"]) == 2)
        #expect(families.value("node_bonding_active", ["master": "bond1"]) == 1)
        // idle: an empty slaves file.
        #expect(families.value("node_bonding_slaves", ["master": "idle"]) == 0)
        #expect(families.value("node_bonding_active", ["master": "idle"]) == 0)
    }

    @Test func aBondListedButRemovedIsLeftOut() throws {
        let families = try collect(BondingCollector(), paths: Fixtures.edge("bonding"))
        let masters = Set(families[family: "node_bonding_slaves"]!.samples.flatMap { $0.labels.map(\.value) })
        #expect(masters == ["bond0", "bond1", "idle"])
    }

    @Test func namesTypesAndLabels() throws {
        let families = try collect(BondingCollector(), paths: Fixtures.edge("bonding"))
        #expect(families.map(\.name).sorted() == ["node_bonding_active", "node_bonding_slaves"])
        for family in families {
            #expect(family.type == .gauge)
            #expect(family.samples.allSatisfy { $0.labels.map(\.name) == ["master"] })
        }
    }

    @Test func noBondingDriverMeansNoFamilies() throws {
        // The captured host has /sys/class/net but no bonding_masters.
        #expect(try collect(BondingCollector(), paths: Fixtures.host).isEmpty)
        #expect(try collect(BondingCollector(), paths: Fixtures.edge("missing")).isEmpty)
    }

    @Test func catalogEntryIsOnByDefault() throws {
        let entry = try #require(CollectorCatalog.entry("bonding"))
        #expect(entry.enabledByDefault)
        #expect(entry.settings.isEmpty)
    }
}
