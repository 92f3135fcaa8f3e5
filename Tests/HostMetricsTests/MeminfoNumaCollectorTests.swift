import Exposition
import HostMetrics
import Testing

@Suite struct MeminfoNumaCollectorTests {
    /// The families node_exporter 1.5 printed with --collector.meminfo_numa on the machine the
    /// host fixture was captured from.
    static let nodeExporterFamilies: Set<String> = Set([
        "Active", "Active_anon", "Active_file", "AnonHugePages", "AnonPages", "Bounce", "Dirty", "FileHugePages",
        "FilePages", "FilePmdMapped", "HugePages_Free", "HugePages_Surp", "HugePages_Total", "Inactive", "Inactive_anon",
        "Inactive_file", "KReclaimable", "KernelStack", "Mapped", "MemFree", "MemTotal", "MemUsed", "Mlocked",
        "NFS_Unstable", "PageTables", "SReclaimable", "SUnreclaim", "SecPageTables", "Shmem", "ShmemHugePages",
        "ShmemPmdMapped", "Slab", "SwapCached", "Unevictable", "Writeback", "WritebackTmp", "interleave_hit_total",
        "local_node_total", "numa_foreign_total", "numa_hit_total", "numa_miss_total", "other_node_total",
    ].map { "node_memory_numa_" + $0 })

    @Test func capturedHost() throws {
        let families = try collect(MeminfoNumaCollector(), paths: Fixtures.host)
        #expect(Set(families.map(\.name)) == Self.nodeExporterFamilies)
        #expect(families.allSatisfy { $0.samples.count == 1 && $0.samples[0].labels == [Label("node", "0")] })
        #expect(families.filter { $0.type == .counter }.map(\.name).allSatisfy { $0.hasSuffix("_total") })
        #expect(families.filter { $0.type == .counter }.count == 6)
        #expect(families.value("node_memory_numa_MemTotal", ["node": "0"]) == 6_670_811_136)  // 6514464 kB
        #expect(families.value("node_memory_numa_Active_anon", ["node": "0"]) == 1_753_088)  // Active(anon): 1712 kB
        #expect(families.value("node_memory_numa_FilePmdMapped", ["node": "0"]) == 2_097_152)  // 2048 kB
        #expect(families.value("node_memory_numa_HugePages_Total", ["node": "0"]) == 0)
        #expect(families.value("node_memory_numa_numa_hit_total", ["node": "0"]) == 38_094_257)
        #expect(families.value("node_memory_numa_interleave_hit_total", ["node": "0"]) == 1126)
    }

    @Test func twoNodes() throws {
        let families = try collect(MeminfoNumaCollector(), paths: Fixtures.edge("numa"))
        #expect(families.count == 35 + 6)
        #expect(families.allSatisfy { Set($0.samples.flatMap { $0.labels.map(\.value) }) == ["0", "1"] })
        #expect(families.value("node_memory_numa_MemTotal", ["node": "1"]) == 33_823_129_600)  // 33030400 kB
        #expect(families.value("node_memory_numa_Inactive_file", ["node": "0"]) == 1_824_960_512)  // 1782188 kB
        #expect(families.value("node_memory_numa_HugePages_Total", ["node": "1"]) == 16)  // a page count, no unit
        #expect(families.value("node_memory_numa_HugePages_Free", ["node": "0"]) == 12)
        #expect(families.value("node_memory_numa_numa_miss_total", ["node": "0"]) == 1_220_344)
        #expect(families.value("node_memory_numa_numa_foreign_total", ["node": "1"]) == 1_220_344)
        #expect(families.value("node_memory_numa_other_node_total", ["node": "1"]) == 200_013)
        #expect(families[family: "node_memory_numa_numa_hit_total"]?.type == .counter)
        #expect(families[family: "node_memory_numa_MemFree"]?.type == .gauge)
    }

    @Test func noNodesMeansNoFamilies() throws {
        #expect(try collect(MeminfoNumaCollector(), paths: Fixtures.edge("missing")).isEmpty)
        // Files beside the node directories (online, possible, has_cpu) are not nodes.
        let tree = try StorageScratchTree(["sys/devices/system/node/online": "0\n", "sys/devices/system/node/possible": "0\n"])
        #expect(try collect(MeminfoNumaCollector(), paths: tree.paths).isEmpty)
    }

    @Test func malformedLinesNameTheFile() throws {
        for (file, content) in [
            ("meminfo", "Node 0 MemTotal: lots kB\n"),
            ("meminfo", "Node 0 MemTotal: 12 MB\n"),
            ("meminfo", "MemTotal: 12 kB\n"),
            ("meminfo", "Node x MemTotal: 12 kB\n"),
            ("numastat", "numa_hit\n"),
            ("numastat", "numa_hit 1 2\n"),
        ] {
            let tree = try StorageScratchTree([
                "sys/devices/system/node/node0/meminfo": file == "meminfo" ? content : "Node 0 MemTotal: 4 kB\n",
                "sys/devices/system/node/node0/numastat": file == "numastat" ? content : "numa_hit 1\n",
            ])
            #expect(performing: {
                try collect(MeminfoNumaCollector(), paths: tree.paths)
            }, throws: { error in
                "\(error)".contains("node0/" + file)
            })
        }
    }

    /// This machine's own files parse, and give series when the kernel has them.
    @Test func liveHost() throws {
        let families = try collect(MeminfoNumaCollector(), paths: HostPaths())
        if FileReader.exists("/sys/devices/system/node/node0/meminfo") {
            #expect(!families.isEmpty)
        }
    }
}
