#if canImport(Glibc)
import Glibc
#endif
import Exposition
import HostMetrics
import Testing

@Suite struct ProcessesCollectorTests {
    /// A /proc as a hidepid=2 mount shows it: only this user's processes (412 with three threads,
    /// one of which exits mid-scan, and its zombie child 500); 601 exits between listing and
    /// reading; 777 is not a directory; `self` and `meminfo` are not processes.
    @Test func hidepidProc() throws {
        let families = try collect(ProcessesCollector(), paths: Fixtures.edge("processes-hidepid"))
        #expect(families.map(\.name) == [
            "node_processes_threads", "node_processes_max_threads", "node_processes_state", "node_processes_threads_state",
            "node_processes_pids", "node_processes_max_processes",
        ])
        #expect(families.allSatisfy { $0.type == .gauge })
        #expect(families.value("node_processes_pids") == 2)
        #expect(families.value("node_processes_threads") == 4)  // num_threads 3 + 1
        #expect(families.value("node_processes_state", ["state": "S"]) == 1)
        #expect(families.value("node_processes_state", ["state": "Z"]) == 1)
        #expect(families[family: "node_processes_state"]?.samples.count == 2)
        // 412's main thread counts with the process state (S); 413 is R, 415 S; 416 has exited.
        #expect(families.value("node_processes_threads_state", ["thread_state": "S"]) == 2)
        #expect(families.value("node_processes_threads_state", ["thread_state": "R"]) == 1)
        #expect(families[family: "node_processes_threads_state"]?.samples.count == 2)
        #expect(families.value("node_processes_max_threads") == 63432)
        #expect(families.value("node_processes_max_processes") == 4_194_304)
    }

    @Test func statParsingCountsFromTheLastParenthesis() throws {
        let stat = try ProcessesCollector.parseStat(ArraySlice(
            "77 (a) b) (c) D 1 77 77 0 -1 4194560 10 0 0 0 5 3 0 0 20 0 12 0 100 1000 10 0\n".utf8), file: "stat")
        #expect(stat == ProcessesCollector.Stat(state: "D", threads: 12))
        for text in ["77 no parenthesis S 1", "77 (x) S 1 2 3", "77 (x) SS 1 77 77 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1 1 1",
                     "77 (x) S 1 77 77 0 -1 0 0 0 0 0 0 0 0 0 20 0 many 0"] {
            #expect(throws: CollectorError.self, "\(text)") {
                try ProcessesCollector.parseStat(ArraySlice(text.utf8), file: "stat")
            }
        }
    }

    @Test func hiddenAndVanishedAreNotErrors() {
        for code in [ENOENT, ENOTDIR, ESRCH, EACCES, EPERM] {
            #expect(ProcessesCollector.isInvisible(HostFileError(path: "/proc/1/stat", errno: code)))
        }
        #expect(!ProcessesCollector.isInvisible(HostFileError(path: "/proc/1/stat", errno: EIO)))
    }

    @Test func malformedStatNamesTheFile() throws {
        let tree = try StorageScratchTree(["proc/31/stat": "31 (x) S\n"])
        #expect(performing: {
            try collect(ProcessesCollector(), paths: tree.paths)
        }, throws: { error in
            "\(error)".contains("/proc/31/stat")
        })
    }

    @Test func withoutLimitFilesTheCountsRemain() throws {
        let families = try collect(ProcessesCollector(), paths: Fixtures.edge("missing"))
        #expect(families.map(\.name) == ["node_processes_threads", "node_processes_pids"])
        #expect(families.value("node_processes_pids") == 0)
    }

    @Test func liveHost() throws {
        let families = try collect(ProcessesCollector(), paths: HostPaths())
        let pids = try #require(families.value("node_processes_pids"))
        let threads = try #require(families.value("node_processes_threads"))
        #expect(pids >= 1)
        #expect(threads >= pids)
        // Every counted process has exactly one state (processes may come and go between reads
        // of different files, but the state family is built from the same scan).
        let states = try #require(families[family: "node_processes_state"])
        #expect(states.samples.reduce(0) { $0 + $1.value } == pids)
        #expect(families.value("node_processes_max_processes") ?? 0 > 0)
    }
}
