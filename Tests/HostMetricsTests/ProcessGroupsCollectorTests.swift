import Exposition
import HostMetrics
import Testing

/// The fixture tree `edge/process-groups/proc` (CLK_TCK 100, 4 KiB pages, btime 1700000000):
///
///     pid  comm       state  notes
///       1  systemd    S      4 fds, limit 524288, exe /usr/lib/systemd/systemd
///       2  kthreadd   S      kernel thread (PF_KTHREAD)
///     100  a) (b      R      3 threads, 3 fds, argv[0] /opt/tools/paren-tool, no exe link
///     200  nginx      S      6 fds, exe /usr/sbin/nginx
///     201  nginx      R      10 fds of a soft limit of 16, exe "/usr/sbin/nginx (deleted)"
///     300  job        Z      zombie: no Vm lines, no io, no fd directory
///     400  -          -      stat unreadable (a directory)
///     500  -          -      vanished: no stat, no status
///     600  bash       S      fd is not a directory, no io, argv[0] "-bash"
///     700  systemd    S      2 fds, user instance
private let paths = Fixtures.edge("process-groups")

private func groups(_ families: [MetricFamily]) -> [String] {
    (families[family: "namedprocess_namegroup_num_procs"]?.samples ?? [])
        .compactMap { $0.labels.first { $0.name == "groupname" }?.value }.sorted()
}

private func make(_ groupBy: String = "comm", patterns: [String] = [], maxGroups: Int = 200,
                  kernelThreads: Bool = false, smaps: Bool = false) throws -> ProcessGroupsCollector {
    try ProcessGroupsCollector(groupBy: groupBy, namePatterns: patterns, maxGroups: maxGroups,
                               includeKernelThreads: kernelThreads, gatherSmaps: smaps, ticksPerSecond: 100, pageSize: 4096)
}

@Suite struct ProcessGroupsCollectorTests {
    @Test func familiesMatchProcessExporter() throws {
        let families = try collect(make(), paths: paths)
        #expect(families.map(\.name) == [
            "namedprocess_namegroup_num_procs", "namedprocess_namegroup_cpu_seconds_total",
            "namedprocess_namegroup_read_bytes_total", "namedprocess_namegroup_write_bytes_total",
            "namedprocess_namegroup_major_page_faults_total", "namedprocess_namegroup_minor_page_faults_total",
            "namedprocess_namegroup_context_switches_total", "namedprocess_namegroup_memory_bytes",
            "namedprocess_namegroup_open_filedesc", "namedprocess_namegroup_worst_fd_ratio",
            "namedprocess_namegroup_oldest_start_time_seconds", "namedprocess_namegroup_num_threads",
            "namedprocess_namegroup_states", "nimbus_process_groups_folded",
        ])
        let counters = families.filter { $0.name.hasSuffix("_total") }
        #expect(counters.count == 6 && counters.allSatisfy { $0.type == .counter })
        #expect(families.filter { !$0.name.hasSuffix("_total") }.allSatisfy { $0.type == .gauge })
    }

    @Test func groupsByCommSkippingKernelThreadsAndUnreadableProcesses() throws {
        let families = try collect(make(), paths: paths)
        // kthreadd (kernel thread), 400 (stat unreadable) and 500 (vanished) are not reported.
        #expect(groups(families) == ["a) (b", "bash", "job", "nginx", "systemd"])
        #expect(families.value("nimbus_process_groups_folded") == 0)
    }

    @Test func systemdGroupSumsBothProcesses() throws {
        let families = try collect(make(), paths: paths)
        let group = ["groupname": "systemd"]
        #expect(families.value("namedprocess_namegroup_num_procs", group) == 2)
        // utime 250 + 30 ticks, stime 180 + 20 ticks.
        #expect(families.value("namedprocess_namegroup_cpu_seconds_total", ["groupname": "systemd", "mode": "user"]) == 2.8)
        #expect(families.value("namedprocess_namegroup_cpu_seconds_total", ["groupname": "systemd", "mode": "system"]) == 2.0)
        #expect(families.value("namedprocess_namegroup_read_bytes_total", group) == Double(123_456_512 + 8192))
        #expect(families.value("namedprocess_namegroup_write_bytes_total", group) == 987_654_144)
        #expect(families.value("namedprocess_namegroup_major_page_faults_total", group) == 125)
        #expect(families.value("namedprocess_namegroup_minor_page_faults_total", group) == 52_234)
        #expect(families.value("namedprocess_namegroup_context_switches_total",
                               ["groupname": "systemd", "ctxswitchtype": "voluntary"]) == 8223)
        #expect(families.value("namedprocess_namegroup_context_switches_total",
                               ["groupname": "systemd", "ctxswitchtype": "nonvoluntary"]) == 466)
        // rss 3210 + 2000 pages; vsize 171966464 + 20971520; VmSwap 0 + 16 kB.
        #expect(families.value("namedprocess_namegroup_memory_bytes", ["groupname": "systemd", "memtype": "resident"]) == Double(5210 * 4096))
        #expect(families.value("namedprocess_namegroup_memory_bytes", ["groupname": "systemd", "memtype": "virtual"]) == 192_937_984)
        #expect(families.value("namedprocess_namegroup_memory_bytes", ["groupname": "systemd", "memtype": "swapped"]) == 16384)
        #expect(families.value("namedprocess_namegroup_open_filedesc", group) == 6)
        // max(4 / 524288, 2 / 1024)
        #expect(families.value("namedprocess_namegroup_worst_fd_ratio", group) == 2.0 / 1024)
        // btime + starttime 5 ticks.
        #expect(families.value("namedprocess_namegroup_oldest_start_time_seconds", group) == 1_700_000_000.05)
        #expect(families.value("namedprocess_namegroup_num_threads", group) == 2)
        #expect(families.value("namedprocess_namegroup_states", ["groupname": "systemd", "state": "Sleeping"]) == 2)
        #expect(families.value("namedprocess_namegroup_states", ["groupname": "systemd", "state": "Running"]) == 0)
    }

    @Test func nginxWorkerDrivesTheWorstFileRatio() throws {
        let families = try collect(make(), paths: paths)
        let group = ["groupname": "nginx"]
        #expect(families.value("namedprocess_namegroup_cpu_seconds_total", ["groupname": "nginx", "mode": "user"]) == 10)
        #expect(families.value("namedprocess_namegroup_cpu_seconds_total", ["groupname": "nginx", "mode": "system"]) == 3.5)
        #expect(families.value("namedprocess_namegroup_write_bytes_total", group) == 2_101_248)
        #expect(families.value("namedprocess_namegroup_open_filedesc", group) == 16)
        #expect(families.value("namedprocess_namegroup_worst_fd_ratio", group) == 0.625)
        #expect(families.value("namedprocess_namegroup_memory_bytes", ["groupname": "nginx", "memtype": "swapped"]) == 102_400)
        #expect(families.value("namedprocess_namegroup_oldest_start_time_seconds", group) == 1_700_000_020)
        #expect(families.value("namedprocess_namegroup_states", ["groupname": "nginx", "state": "Running"]) == 1)
        #expect(families.value("namedprocess_namegroup_states", ["groupname": "nginx", "state": "Sleeping"]) == 1)
    }

    @Test func parenthesesInTheNameZombieAndUnreadableFiles() throws {
        let families = try collect(make(), paths: paths)
        // "100 (a) (b) R ...": fields are counted from the last ')'.
        let paren = ["groupname": "a) (b"]
        #expect(families.value("namedprocess_namegroup_num_threads", paren) == 3)
        #expect(families.value("namedprocess_namegroup_cpu_seconds_total", ["groupname": "a) (b", "mode": "user"]) == 0.4)
        #expect(families.value("namedprocess_namegroup_states", ["groupname": "a) (b", "state": "Running"]) == 1)
        #expect(families.value("namedprocess_namegroup_memory_bytes", ["groupname": "a) (b", "memtype": "resident"]) == 1_048_576)
        // The zombie: state Z, no memory, no io, no fd directory.
        let job = ["groupname": "job"]
        #expect(families.value("namedprocess_namegroup_states", ["groupname": "job", "state": "Zombie"]) == 1)
        #expect(families.value("namedprocess_namegroup_memory_bytes", ["groupname": "job", "memtype": "swapped"]) == 0)
        #expect(families.value("namedprocess_namegroup_memory_bytes", ["groupname": "job", "memtype": "virtual"]) == 0)
        #expect(families.value("namedprocess_namegroup_read_bytes_total", job) == 0)
        #expect(families.value("namedprocess_namegroup_open_filedesc", job) == 0)
        #expect(families.value("namedprocess_namegroup_cpu_seconds_total", ["groupname": "job", "mode": "system"]) == 0.03)
        // bash: fd and io unreadable count as nothing, the rest is still reported.
        let bash = ["groupname": "bash"]
        #expect(families.value("namedprocess_namegroup_open_filedesc", bash) == 0)
        #expect(families.value("namedprocess_namegroup_worst_fd_ratio", bash) == 0)
        #expect(families.value("namedprocess_namegroup_write_bytes_total", bash) == 0)
        #expect(families.value("namedprocess_namegroup_minor_page_faults_total", bash) == 900)
        #expect(families.value("namedprocess_namegroup_states", ["groupname": "bash", "state": "Other"]) == 0)
    }

    @Test func proportionalMemoryOnRequest() throws {
        let plain = try collect(make(), paths: paths)
        #expect(plain.value("namedprocess_namegroup_memory_bytes", ["groupname": "systemd", "memtype": "proportionalResident"]) == nil)
        let families = try collect(make(smaps: true), paths: paths)
        // smaps_rollup Pss 9000 + 1500 kB, SwapPss 0 + 12 kB; nginx 2000 + 6000 kB and 80 + 0 kB.
        #expect(families.value("namedprocess_namegroup_memory_bytes",
                               ["groupname": "systemd", "memtype": "proportionalResident"]) == Double(10500 * 1024))
        #expect(families.value("namedprocess_namegroup_memory_bytes",
                               ["groupname": "systemd", "memtype": "proportionalSwapped"]) == Double(12 * 1024))
        #expect(families.value("namedprocess_namegroup_memory_bytes",
                               ["groupname": "nginx", "memtype": "proportionalResident"]) == Double(8000 * 1024))
        #expect(families.value("namedprocess_namegroup_memory_bytes",
                               ["groupname": "nginx", "memtype": "proportionalSwapped"]) == Double(80 * 1024))
        // No smaps_rollup (the zombie): zero.
        #expect(families.value("namedprocess_namegroup_memory_bytes",
                               ["groupname": "job", "memtype": "proportionalResident"]) == 0)
    }

    @Test func kernelThreadsOnRequest() throws {
        let families = try collect(make(kernelThreads: true), paths: paths)
        #expect(groups(families) == ["a) (b", "bash", "job", "kthreadd", "nginx", "systemd"])
        #expect(families.value("namedprocess_namegroup_cpu_seconds_total", ["groupname": "kthreadd", "mode": "system"]) == 0.12)
    }

    @Test func groupByExecutable() throws {
        let families = try collect(make("exe"), paths: paths)
        // exe link (" (deleted)" removed), else argv[0]'s last component, else comm (the zombie).
        #expect(groups(families) == ["-bash", "job", "nginx", "paren-tool", "systemd"])
        #expect(families.value("namedprocess_namegroup_num_procs", ["groupname": "nginx"]) == 2)
        #expect(families.value("namedprocess_namegroup_num_procs", ["groupname": "systemd"]) == 2)
    }

    @Test func namePatternsFirstMatchWinsOthersDropped() throws {
        let families = try collect(make(patterns: ["web=^nginx$", "init=^systemd", "web=ba", "never=^nginx$"]), paths: paths)
        #expect(groups(families) == ["init", "web"])
        #expect(families.value("namedprocess_namegroup_num_procs", ["groupname": "web"]) == 3)
        #expect(families.value("namedprocess_namegroup_num_procs", ["groupname": "init"]) == 2)
        // nginx 10 + 3.5, bash 0.2 + 0.1 seconds.
        #expect(families.value("namedprocess_namegroup_cpu_seconds_total", ["groupname": "web", "mode": "user"]) == 10.2)
        // Patterns are matched unanchored against the exe name with group-by exe.
        let byExe = try collect(make("exe", patterns: ["tools=paren", "shells=^-"]), paths: paths)
        #expect(groups(byExe) == ["shells", "tools"])
    }

    @Test func groupsBeyondTheCapFoldIntoOther() throws {
        let families = try collect(make(maxGroups: 2), paths: paths)
        // nginx and systemd have 2 processes each; "a) (b", bash and job are folded.
        #expect(groups(families) == ["nginx", "other", "systemd"])
        #expect(families.value("nimbus_process_groups_folded") == 3)
        #expect(families.value("namedprocess_namegroup_num_procs", ["groupname": "other"]) == 3)
        #expect(families.value("namedprocess_namegroup_num_threads", ["groupname": "other"]) == 5)
        #expect(families.value("namedprocess_namegroup_states", ["groupname": "other", "state": "Zombie"]) == 1)
        #expect(families.value("namedprocess_namegroup_states", ["groupname": "other", "state": "Running"]) == 1)
        // Ties rank by name: with a cap of 1, nginx stays.
        #expect(groups(try collect(make(maxGroups: 1), paths: paths)) == ["nginx", "other"])
        // 0 means no cap.
        #expect(groups(try collect(make(maxGroups: 0), paths: paths)).count == 5)
    }

    @Test func settingsAreChecked() {
        #expect(throws: CollectorError.self) { try make("cmdline") }
        #expect(throws: CollectorError.self) { try make(maxGroups: -1) }
        #expect(throws: CollectorError.self) { try make(patterns: ["no-equals-sign"]) }
        #expect(throws: CollectorError.self) { try make(patterns: ["=^x"]) }
        #expect(throws: CollectorError.self) { try make(patterns: ["name="]) }
        #expect(throws: CollectorError.self) { try make(patterns: ["x=(unclosed"]) }
        // The regex may hold '=' itself.
        #expect((try? make(patterns: ["eq=a=b"])) != nil)
    }

    @Test func missingOrEmptyProcfs() throws {
        // No procfs at all: nothing to report.
        #expect(try collect(make(), paths: Fixtures.edge("process-groups-absent")).isEmpty)
        // A procfs without processes: the families, without series, and nothing folded.
        let empty = try collect(make(), paths: Fixtures.edge("missing"))
        #expect(empty.filter { !$0.samples.isEmpty }.map(\.name) == ["nimbus_process_groups_folded"])
        #expect(empty.value("nimbus_process_groups_folded") == 0)
    }

    @Test func liveHost() throws {
        let collector = try ProcessGroupsCollector(maxGroups: 1000)
        var context = CollectContext(paths: HostPaths())
        let first = try collector.collect(&context)
        // This test's own process is in the group named after its comm.
        let ownComm = try #require(try? context.reader.readString("/proc/self/comm"))
        #expect((first.value("namedprocess_namegroup_num_procs", ["groupname": ownComm]) ?? 0) >= 1)
        #expect((first.value("namedprocess_namegroup_num_threads", ["groupname": ownComm]) ?? 0) >= 1)
        #expect((first.value("namedprocess_namegroup_memory_bytes", ["groupname": ownComm, "memtype": "resident"]) ?? 0) > 0)
        #expect((first.value("namedprocess_namegroup_open_filedesc", ["groupname": ownComm]) ?? 0) >= 3)
        // Kernel threads are left out by default.
        #expect(first.value("namedprocess_namegroup_num_procs", ["groupname": "kthreadd"]) == nil)
        // Counters never go backwards from one scrape to the next, though processes come and go.
        let second = try collector.collect(&context)
        for name in ["namedprocess_namegroup_cpu_seconds_total", "namedprocess_namegroup_minor_page_faults_total",
                     "namedprocess_namegroup_context_switches_total"] {
            for sample in second[family: name]?.samples ?? [] {
                var labels: [String: String] = [:]
                for label in sample.labels { labels[label.name] = label.value }
                if let before = first.value(name, labels) {
                    #expect(sample.value >= before, "\(name) \(labels)")
                }
            }
        }
    }
}

@Suite struct ProcessGroupLedgerTests {
    typealias Counts = ProcessGroupLedger.Counts
    typealias Key = ProcessGroupLedger.ProcessKey

    @Test func exitedProcessesStayInTheirGroupsCounters() {
        let ledger = ProcessGroupLedger()
        let a = Key(pid: 10, startTicks: 1), b = Key(pid: 11, startTicks: 2)
        var totals = ledger.update([(a, "web", Counts(userTicks: 100, readBytes: 5)), (b, "web", Counts(userTicks: 50))])
        #expect(totals["web"] == Counts(userTicks: 150, readBytes: 5))
        // b exits: web keeps its 50 ticks.
        totals = ledger.update([(a, "web", Counts(userTicks: 120, readBytes: 5))])
        #expect(totals["web"] == Counts(userTicks: 170, readBytes: 5))
        #expect(ledger.trackedCount == 1)
        // A new process brings everything it used since it started.
        let c = Key(pid: 12, startTicks: 900)
        totals = ledger.update([(a, "web", Counts(userTicks: 130, readBytes: 5)), (c, "web", Counts(userTicks: 7))])
        #expect(totals["web"] == Counts(userTicks: 187, readBytes: 5))
    }

    @Test func aReusedPidIsANewProcess() {
        let ledger = ProcessGroupLedger()
        _ = ledger.update([(Key(pid: 10, startTicks: 1), "job", Counts(userTicks: 100))])
        // Same pid, later start: the old process's 100 stay, the new one's 3 add.
        let totals = ledger.update([(Key(pid: 10, startTicks: 500), "job", Counts(userTicks: 3))])
        #expect(totals["job"] == Counts(userTicks: 103))
    }

    @Test func failedReadsDoNotLowerAProcessCounters() {
        let ledger = ProcessGroupLedger()
        let a = Key(pid: 10, startTicks: 1)
        _ = ledger.update([(a, "db", Counts(readBytes: 4096, writeBytes: 8192))])
        // /proc/<pid>/io refused this time: zeros read, the last values stand.
        let totals = ledger.update([(a, "db", Counts(userTicks: 1))])
        #expect(totals["db"] == Counts(userTicks: 1, readBytes: 4096, writeBytes: 8192))
    }

    @Test func movingGroupsAndEmptyGroupsAreForgotten() {
        let ledger = ProcessGroupLedger()
        let a = Key(pid: 10, startTicks: 1), b = Key(pid: 11, startTicks: 1)
        _ = ledger.update([(a, "bash", Counts(userTicks: 10)), (b, "bash", Counts(userTicks: 20))])
        // a execs into another program: bash keeps a's 10, make starts with a's full count.
        var totals = ledger.update([(a, "make", Counts(userTicks: 15)), (b, "bash", Counts(userTicks: 25))])
        #expect(totals["bash"] == Counts(userTicks: 35))
        #expect(totals["make"] == Counts(userTicks: 15))
        #expect(ledger.retiredGroups == ["bash"])
        // Every bash process gone: the group and its retired counts are dropped.
        totals = ledger.update([(a, "make", Counts(userTicks: 16))])
        #expect(totals.keys.sorted() == ["make"])
        #expect(ledger.retiredGroups.isEmpty)
    }
}

@Suite struct ProcessFilesTests {
    @Test func statFromTheLastParenthesis() throws {
        let line = "4242 (x) (y z) D 1 2 3 0 -1 4194560 11 0 12 0 13 14 0 0 20 0 5 0 77 1000 -3 18446744073709551615\n"
        let stat = try #require(ProcessFiles.parseStat(ArraySlice(line.utf8)))
        #expect(stat == ProcessFiles.Stat(comm: "x) (y z", state: UInt8(ascii: "D"), flags: 4_194_560, minorFaults: 11,
                                          majorFaults: 12, userTicks: 13, systemTicks: 14, threads: 5, startTicks: 77,
                                          virtualBytes: 1000, residentPages: 0))
        #expect(!stat.isKernelThread)
        for bad in ["4242 x) S 1", "4242 (x S 1 2 3", "4242 (x) S 1 2 3 0 -1 4194560 11 0 12 0 13 14 0 0 20 0 5 0 77 1000",
                    "4242 (x) S 1 2 3 0 -1 flags 11 0 12 0 13 14 0 0 20 0 5 0 77 1000 5 0",
                    "4242 (x) SS 1 2 3 0 -1 0 11 0 12 0 13 14 0 0 20 0 5 0 77 1000 5 0"] {
            #expect(ProcessFiles.parseStat(ArraySlice(bad.utf8)) == nil, "\(bad)")
        }
    }

    @Test func statusLimitsAndIO() {
        let status = "Name:\tx\nVmSwap:\t      12 kB\nvoluntary_ctxt_switches:\t7\nnonvoluntary_ctxt_switches:\t9\n"
        #expect(ProcessFiles.parseStatus(ArraySlice(status.utf8))
            == ProcessFiles.Status(swapBytes: 12288, voluntarySwitches: 7, involuntarySwitches: 9))
        #expect(ProcessFiles.parseStatus(ArraySlice("Name:\tx\n".utf8)) == ProcessFiles.Status())
        #expect(ProcessFiles.parseStatus(ArraySlice("VmSwap:\tmany kB\n".utf8)) == nil)
        let io = ProcessFiles.parseIO(ArraySlice("rchar: 1\nread_bytes: 4096\nwrite_bytes: 512\n".utf8))
        #expect(io?.read == 4096 && io?.written == 512)
        #expect(ProcessFiles.parseIO(ArraySlice("read_bytes: 4096\n".utf8)) == nil)
        let limits = "Limit                     Soft Limit           Hard Limit           Units     \n"
            + "Max open files            1024                 524288               files     \n"
        #expect(ProcessFiles.parseOpenFilesLimit(ArraySlice(limits.utf8)) == 1024)
        let unlimited = "Max open files            unlimited            unlimited            files     \n"
        #expect(ProcessFiles.parseOpenFilesLimit(ArraySlice(unlimited.utf8)) == nil)
    }

    @Test func smapsRollup() {
        let rollup = "55d0c8a2b000-7ffd5b9f4000 ---p 00000000 00:00 0    [rollup]\nRss:  100 kB\nPss:   40 kB\n"
            + "Pss_Dirty:   10 kB\nSwap:   8 kB\nSwapPss:    3 kB\n"
        let parsed = ProcessFiles.parseSmapsRollup(ArraySlice(rollup.utf8))
        #expect(parsed?.resident == 40 * 1024 && parsed?.swapped == 3 * 1024)
        #expect(ProcessFiles.parseSmapsRollup(ArraySlice("Rss:  100 kB\n".utf8)) == nil)
        #expect(ProcessFiles.parseSmapsRollup(ArraySlice("Pss:  many kB\n".utf8)) == nil)
    }

    @Test func executableNames() {
        #expect(ProcessFiles.exeBase("/usr/sbin/nginx (deleted)") == "nginx")
        #expect(ProcessFiles.exeBase("/usr/bin/python3.11") == "python3.11")
        #expect(ProcessFiles.argv0Base(ArraySlice("/usr/bin/java\0-jar\0app.jar\0".utf8)) == "java")
        #expect(ProcessFiles.argv0Base(ArraySlice("nginx: worker process\0".utf8)) == "nginx: worker process")
        #expect(ProcessFiles.argv0Base(ArraySlice("".utf8)) == "")
        #expect(ProcessFiles.argv0Base(ArraySlice("/\0".utf8)) == "/")
    }
}
