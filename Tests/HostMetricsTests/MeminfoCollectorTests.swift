import Exposition
import HostMetrics
import Testing

@Suite struct MeminfoCollectorTests {
    /// The families node_exporter 1.5 printed on the machine the host fixture was captured from.
    static let nodeExporterFamilies: Set<String> = [
        "node_memory_Active_anon_bytes", "node_memory_Active_bytes", "node_memory_Active_file_bytes",
        "node_memory_AnonHugePages_bytes", "node_memory_AnonPages_bytes", "node_memory_Balloon_bytes",
        "node_memory_Bounce_bytes", "node_memory_Buffers_bytes", "node_memory_Cached_bytes",
        "node_memory_CommitLimit_bytes", "node_memory_Committed_AS_bytes", "node_memory_DirectMap1G_bytes",
        "node_memory_DirectMap2M_bytes", "node_memory_DirectMap4k_bytes", "node_memory_Dirty_bytes",
        "node_memory_FileHugePages_bytes", "node_memory_FilePmdMapped_bytes", "node_memory_HugePages_Free",
        "node_memory_HugePages_Rsvd", "node_memory_HugePages_Surp", "node_memory_HugePages_Total",
        "node_memory_Hugepagesize_bytes", "node_memory_Hugetlb_bytes", "node_memory_Inactive_anon_bytes",
        "node_memory_Inactive_bytes", "node_memory_Inactive_file_bytes", "node_memory_KReclaimable_bytes",
        "node_memory_KernelStack_bytes", "node_memory_Mapped_bytes", "node_memory_MemAvailable_bytes",
        "node_memory_MemFree_bytes", "node_memory_MemTotal_bytes", "node_memory_Mlocked_bytes",
        "node_memory_NFS_Unstable_bytes", "node_memory_PageTables_bytes", "node_memory_Percpu_bytes",
        "node_memory_SReclaimable_bytes", "node_memory_SUnreclaim_bytes", "node_memory_SecPageTables_bytes",
        "node_memory_ShmemHugePages_bytes", "node_memory_ShmemPmdMapped_bytes", "node_memory_Shmem_bytes",
        "node_memory_Slab_bytes", "node_memory_SwapCached_bytes", "node_memory_SwapFree_bytes",
        "node_memory_SwapTotal_bytes", "node_memory_Unevictable_bytes", "node_memory_VmallocChunk_bytes",
        "node_memory_VmallocTotal_bytes", "node_memory_VmallocUsed_bytes", "node_memory_WritebackTmp_bytes",
        "node_memory_Writeback_bytes", "node_memory_Zswap_bytes", "node_memory_Zswapped_bytes",
    ]

    @Test func capturedHostHasNodeExportersFamilySet() throws {
        let families = try collect(MeminfoCollector(), paths: Fixtures.host)
        #expect(families.count == 54)
        #expect(Set(families.map(\.name)) == Self.nodeExporterFamilies)
        #expect(families.allSatisfy { $0.type == .gauge && $0.samples.count == 1 })
        // File order.
        #expect(families.first?.name == "node_memory_MemTotal_bytes")
        #expect(families.last?.name == "node_memory_DirectMap1G_bytes")
    }

    @Test func capturedHostValues() throws {
        let families = try collect(MeminfoCollector(), paths: Fixtures.host)
        #expect(families.value("node_memory_MemTotal_bytes") == 25_276_063_744)  // 24683656 kB
        #expect(families.value("node_memory_MemAvailable_bytes") == 24_845_447_168)  // 24263132 kB
        #expect(families.value("node_memory_Active_anon_bytes") == 1_572_864)  // Active(anon): 1536 kB
        #expect(families.value("node_memory_Inactive_file_bytes") == 470_740_992)  // Inactive(file): 459708 kB
        #expect(families.value("node_memory_Committed_AS_bytes") == 223_862_784)  // 218616 kB
        #expect(families.value("node_memory_VmallocTotal_bytes") == 35_184_372_087_808)  // 34359738367 kB
        #expect(families.value("node_memory_Hugepagesize_bytes") == 2_097_152)
        #expect(families.value("node_memory_HugePages_Total") == 0)
        #expect(families.value("node_memory_HugePages_Total_bytes") == nil)
    }

    @Test func oldKernelWithBlankLineAndUnitlessFields() throws {
        let families = try collect(MeminfoCollector(), paths: Fixtures.edge("linux-2.6.18"))
        #expect(families.count == 30)
        #expect(families.value("node_memory_HighTotal_bytes") == 1_207_894_016)  // 1179584 kB
        #expect(families.value("node_memory_Bounce_bytes") == 0)
        #expect(families.value("node_memory_HugePages_Total") == 8)
        #expect(families.value("node_memory_HugePages_Free") == 3)
        #expect(families.value("node_memory_HugePages_Rsvd") == 1)
        #expect(families[family: "node_memory_Active_anon_bytes"] == nil)
        #expect(families[family: "node_memory_HugePages_Total"]?.help.contains("bytes") == false)
    }

    @Test func parenthesisedPartsFollowNodeExportersRule() throws {
        let fields = try MeminfoCollector.parse(ArraySlice("""
            Active(anon):       1536 kB
            Inactive(file):   459708 kB
            Odd-Key(x.y):          7
            NoUnit:               12
            """.utf8))
        #expect(fields == [
            MeminfoCollector.Field(key: "Active(anon)", name: "Active_anon_bytes", value: 1_572_864, isBytes: true),
            MeminfoCollector.Field(key: "Inactive(file)", name: "Inactive_file_bytes", value: 470_740_992, isBytes: true),
            MeminfoCollector.Field(key: "Odd-Key(x.y)", name: "Odd_Key_x_y", value: 7, isBytes: false),
            MeminfoCollector.Field(key: "NoUnit", name: "NoUnit", value: 12, isBytes: false),
        ])
    }

    @Test func rejectsMalformedLines() {
        for text in ["MemTotal: abc kB\n", "MemTotal 123 kB\n", "MemTotal: 12 MB\n", "MemTotal: 1 kB extra\n",
                     "MemTotal:\n", ": 5 kB\n", "MemTotal: -5 kB\n", "MemTotal: 1 kB\nMemTotal: 2 kB\n", "", "\n\n"] {
            #expect(throws: CollectorError.self, "\(text)") { try MeminfoCollector.parse(ArraySlice(text.utf8)) }
        }
        #expect(throws: CollectorError.self) { try collect(MeminfoCollector(), paths: Fixtures.edge("empty")) }
        #expect(throws: HostFileError.self) { try collect(MeminfoCollector(), paths: Fixtures.edge("missing")) }
    }
}
