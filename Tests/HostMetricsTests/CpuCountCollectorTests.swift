import Exposition
import HostMetrics
import Testing

@Suite struct CpuCountCollectorTests {
    @Test func capturedHost() throws {
        // online "0-1"; cpu0 and cpu1 are cores 0 and 1 of package 0.
        let families = try collect(CpuCountCollector(), paths: Fixtures.host)
        #expect(families.map(\.name) == ["nimbus_cpus"])
        #expect(families.first?.type == .gauge)
        #expect(families.value("nimbus_cpus", ["type": "logical"]) == 2)
        #expect(families.value("nimbus_cpus", ["type": "physical"]) == 2)
    }

    @Test func hyperthreadsAndOfflineCPUs() throws {
        // online "0-3,6-7"; cpu4 and cpu5 are offline (no topology). Cores: (0,0) (0,1) twice
        // each, and (1,0) twice.
        let families = try collect(CpuCountCollector(), paths: Fixtures.edge("cpucount-smt"))
        #expect(families.value("nimbus_cpus", ["type": "logical"]) == 6)
        #expect(families.value("nimbus_cpus", ["type": "physical"]) == 3)
    }

    @Test func cpuinfoWhenSysfsIsMissing() throws {
        // Four processors, core ids 0 1 0 1 of package 0.
        let families = try collect(CpuCountCollector(), paths: Fixtures.edge("cpucount-cpuinfo"))
        #expect(families.value("nimbus_cpus", ["type": "logical"]) == 4)
        #expect(families.value("nimbus_cpus", ["type": "physical"]) == 2)
    }

    @Test func noCoreIdsMeansNoPhysicalCount() throws {
        let families = try collect(CpuCountCollector(), paths: Fixtures.edge("cpucount-arm"))
        #expect(families.value("nimbus_cpus", ["type": "logical"]) == 2)
        #expect(families.value("nimbus_cpus", ["type": "physical"]) == nil)
        #expect(families.first?.samples.count == 1)
    }

    @Test func nothingToReadGivesNoFamilies() throws {
        #expect(try collect(CpuCountCollector(), paths: Fixtures.edge("missing")).isEmpty)
    }

    @Test func malformedOnlineListNamesTheFile() {
        let error = #expect(throws: CollectorError.self) {
            try collect(CpuCountCollector(), paths: Fixtures.edge("cpucount-malformed"))
        }
        #expect(error?.description.contains("edge/cpucount-malformed/sys/devices/system/cpu/online") == true)
    }

    @Test func cpuLists() {
        func count(_ text: String) -> Int? { CpuCountCollector.countRanges(ArraySlice(text.utf8)) }
        #expect(count("0") == 1)
        #expect(count("0-63") == 64)
        #expect(count("0-3,8,10-11") == 7)
        #expect(count("") == 0)
        for bad in ["3-1", "a", "1-2-3", "0,,1", "-1", "0-"] {
            #expect(count(bad) == nil, "\(bad)")
        }
    }

    @Test func cpuinfoParsing() {
        let twoPackages = "processor\t: 0\nphysical id\t: 0\ncore id\t\t: 0\n\nprocessor\t: 1\nphysical id\t: 1\ncore id\t\t: 0\n"
        #expect(CpuCountCollector.cpuinfoProcessors(ArraySlice(twoPackages.utf8)) == 2)
        #expect(CpuCountCollector.cpuinfoCores(ArraySlice(twoPackages.utf8)) == 2)
        #expect(CpuCountCollector.cpuinfoCores(ArraySlice("processor\t: 0\n".utf8)) == nil)
    }

    @Test func liveHost() throws {
        let families = try collect(CpuCountCollector(), paths: HostPaths())
        let logical = try #require(families.value("nimbus_cpus", ["type": "logical"]))
        #expect(logical >= 1)
        if let physical = families.value("nimbus_cpus", ["type": "physical"]) {
            #expect(physical >= 1 && physical <= logical)
        }
    }
}
