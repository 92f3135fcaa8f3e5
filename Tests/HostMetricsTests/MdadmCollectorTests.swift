import Exposition
import HostMetrics
import Testing

@Suite struct MdadmCollectorTests {
    typealias MDArray = MdadmCollector.MDArray

    static func array(_ device: String, _ state: String, active: UInt64, required: UInt64, failed: UInt64 = 0,
                      spare: UInt64 = 0, blocks: UInt64, synced: UInt64? = nil) -> MDArray {
        MDArray(device: device, state: state, disksActive: active, disksRequired: required, disksFailed: failed,
                disksSpare: spare, blocks: blocks, blocksSynced: synced ?? blocks)
    }

    @Test func everyVariantOfTheFixture() throws {
        var reader = FileReader()
        let arrays = try MdadmCollector.parse(reader.read(Fixtures.path("edge/mdstat/proc/mdstat")))
        #expect(arrays == [
            Self.array("md0", "active", active: 2, required: 2, blocks: 976_630_464),  // raid1 with bitmap
            Self.array("md1", "recovering", active: 3, required: 4, failed: 1, spare: 1, blocks: 5_860_147_200, synced: 418_203_648),
            Self.array("md2", "active", active: 6, required: 6, blocks: 7_813_529_600),  // raid6, bitmap line is not a sync line
            Self.array("md3", "checking", active: 4, required: 4, blocks: 3_906_762_752, synced: 1_848_239_104),  // raid10
            Self.array("md4", "resyncing", active: 2, required: 2, blocks: 1_048_512, synced: 41280),
            Self.array("md5", "active", active: 2, required: 2, blocks: 2_097_148),  // raid0: members counted by [
            Self.array("md6", "active", active: 3, required: 3, blocks: 3_144_704),  // linear
            Self.array("md7", "inactive", active: 0, required: 0, spare: 2, blocks: 2_095_080),
            Self.array("md8", "resyncing", active: 2, required: 2, blocks: 1_046_528, synced: 0),  // resync=PENDING
            Self.array("md9", "resyncing", active: 2, required: 2, blocks: 1_046_528, synced: 0),  // resync=DELAYED
            Self.array("md10", "active", active: 3, required: 3, blocks: 2_093_056),  // reshape: not a 1.5 state
            Self.array("md11", "inactive", active: 0, required: 0, blocks: 0),  // no members, no size line
            Self.array("md126", "active", active: 2, required: 2, blocks: 488_383_488),  // external metadata container member
            Self.array("md127", "inactive", active: 0, required: 0, spare: 2, blocks: 10402),
        ])
    }

    @Test func familiesAndStateSeries() throws {
        let families = try collect(MdadmCollector(), paths: Fixtures.edge("mdstat"))
        #expect(families.map(\.name) == ["node_md_disks_required", "node_md_disks", "node_md_state", "node_md_blocks",
                                         "node_md_blocks_synced"])
        #expect(families.allSatisfy { $0.type == .gauge })
        #expect(families[family: "node_md_state"]?.samples.count == 14 * 5)
        #expect(families[family: "node_md_disks"]?.samples.count == 14 * 3)

        #expect(families.value("node_md_state", ["device": "md1", "state": "recovering"]) == 1)
        #expect(families.value("node_md_state", ["device": "md1", "state": "active"]) == 0)
        #expect(families.value("node_md_state", ["device": "md3", "state": "check"]) == 1)
        #expect(families.value("node_md_state", ["device": "md4", "state": "resync"]) == 1)
        #expect(families.value("node_md_state", ["device": "md7", "state": "inactive"]) == 1)
        #expect(families.value("node_md_state", ["device": "md10", "state": "active"]) == 1)
        #expect(families.value("node_md_state", ["device": "md10", "state": "resync"]) == 0)
        #expect(families.value("node_md_disks", ["device": "md1", "state": "failed"]) == 1)
        #expect(families.value("node_md_disks", ["device": "md1", "state": "spare"]) == 1)
        #expect(families.value("node_md_disks", ["device": "md1", "state": "active"]) == 3)
        #expect(families.value("node_md_disks_required", ["device": "md1"]) == 4)
        #expect(families.value("node_md_blocks", ["device": "md2"]) == 7_813_529_600)
        #expect(families.value("node_md_blocks_synced", ["device": "md1"]) == 418_203_648)
        #expect(families.value("node_md_blocks_synced", ["device": "md9"]) == 0)
    }

    @Test func noMdstatMeansNoFamilies() throws {
        #expect(try collect(MdadmCollector(), paths: Fixtures.edge("missing")).isEmpty)
        #expect(try collect(MdadmCollector(), paths: Fixtures.host).isEmpty)
        #expect(try MdadmCollector.parse(ArraySlice("Personalities : \nunused devices: <none>\n".utf8)).isEmpty)
    }

    /// The counting rules node_exporter 1.5 applies: an inactive array has no required or active
    /// disks even when its status line shows [2/2]; failed and spare members are counted by their
    /// (F) and (S) marks; a raid0 line counts every bracket.
    @Test func nodeExporterCountingRules() throws {
        let arrays = try MdadmCollector.parse(ArraySlice("""
            Personalities : [raid1] [raid0]
            md4 : inactive raid1 sda3[0](F) sdb3[1](S)
                  4883648 blocks [2/2] [UU]

            md9 : active raid1 sdc2[2] sdd2[3] sdb2[1] sda2[0] sde[4](F) sdf[5](F) sdg[6](S)
                  523968 blocks super 1.2 [4/4] [UUUU]

            md12 : active raid0 sdc2[0] sdd2[1] sde2[2]
                  3886394368 blocks super 1.2 512k chunks
            unused devices: <none>
            """.utf8))
        #expect(arrays == [
            Self.array("md4", "inactive", active: 0, required: 0, failed: 1, spare: 1, blocks: 4_883_648),
            Self.array("md9", "active", active: 4, required: 4, failed: 2, spare: 1, blocks: 523_968),
            Self.array("md12", "active", active: 3, required: 3, blocks: 3_886_394_368),
        ])
    }

    @Test func malformedContentNamesTheFile() {
        let cases = [
            // An active array whose status line is separated from it by a blank line.
            "md12 : active raid1 sdc2[0] sdd2[1]\n\n      3886394368 blocks super 1.2 [2/2] [UU]\n",
            // No [required/active] [U_] pair for a redundant level.
            "md3 : active raid5 sda[0] sdb[1]\n      314159265 blocks 64k chunks\n",
            // Size that is not a number.
            "md0 : active raid1 sda[0] sdb[1]\n      many blocks [2/2] [UU]\n",
            // A progress line without (done/total).
            "md0 : active raid1 sda[0] sdb[1]\n      1024 blocks [2/2] [UU]\n      [=>...]  resync = 8.5% finish=1.0min\n",
            // Not an array line.
            "md0 active raid1 sda[0]\n      1024 blocks [2/2] [UU]\n",
            "md0 :\n      1024 blocks [2/2] [UU]\n",
        ]
        for text in cases {
            #expect(throws: CollectorError.self, "\(text)") {
                try MdadmCollector.parse(ArraySlice(text.utf8), file: "/x/mdstat")
            }
            do {
                _ = try MdadmCollector.parse(ArraySlice(text.utf8), file: "/x/mdstat")
            } catch {
                #expect("\(error)".contains("/x/mdstat"))
            }
        }
    }

    /// This machine's own files (usually none for this collector) never fail the collector.
    @Test func liveHost() throws {
        _ = try collect(MdadmCollector(), paths: HostPaths())
    }
}
