import Exposition
import Foundation
import HostMetrics
import Testing

/// Builds glibc `struct utmp` records (64-bit layout, little-endian) byte by byte.
private enum Utmp {
    static let empty = 0, runLevel = 1, bootTime = 2, initProcess = 5, loginProcess = 6, userProcess = 7, deadProcess = 8

    static func record(type: Int, pid: Int32 = 0, line: String = "", id: String = "", user: String = "",
                       host: String = "", seconds: UInt32 = 0, microseconds: UInt32 = 0) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 384)
        func put(_ value: UInt32, at offset: Int, size: Int) {
            for index in 0..<size { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
        }
        func put(_ text: String, at offset: Int, size: Int) {
            for (index, byte) in text.utf8.prefix(size).enumerated() { bytes[offset + index] = byte }
        }
        put(UInt32(type), at: 0, size: 2)
        put(UInt32(bitPattern: pid), at: 4, size: 4)
        put(line, at: 8, size: 32)
        put(id, at: 40, size: 4)
        put(user, at: 44, size: 32)
        put(host, at: 76, size: 256)
        put(UInt32(0x1234), at: 336, size: 4)  // ut_session
        put(seconds, at: 340, size: 4)
        put(microseconds, at: 344, size: 4)
        put(0x0100_000A, at: 348, size: 4)  // ut_addr_v6[0]: 10.0.0.1
        return bytes
    }

    /// A utmp as a login system writes it: boot, run level, gettys, three logins, one logout.
    static var sample: [UInt8] {
        var file: [UInt8] = []
        file += record(type: bootTime, line: "~", id: "~~", user: "reboot", host: "6.1.0-18-amd64", seconds: 1_700_000_000)
        file += record(type: runLevel, pid: 53, line: "~", id: "~~", user: "runlevel", seconds: 1_700_000_004)
        file += record(type: loginProcess, pid: 612, line: "tty1", id: "tty1", user: "LOGIN", seconds: 1_700_000_005)
        file += record(type: userProcess, pid: 9001, line: "pts/0", id: "ts/0", user: "alice", host: "192.0.2.10",
                       seconds: 1_700_003_600, microseconds: 250_000)
        file += record(type: userProcess, pid: 9100, line: "tty2", id: "tty2", user: "root", seconds: 1_700_007_200)
        // Fields that fill their whole width have no terminating NUL.
        file += record(type: userProcess, pid: 9200, line: "pts/1", id: "ts/1", user: String(repeating: "u", count: 32),
                       host: "a-very-long-host-name.example.org", seconds: 1_700_010_800)
        file += record(type: deadProcess, pid: 8000, line: "pts/2", id: "ts/2", seconds: 1_700_000_100)
        return file
    }
}

/// A temporary rootfs with `files` (path under the root: content); removed by the caller.
private func rootfs(_ files: [String: [UInt8]]) throws -> String {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("nimbus-users-\(UUID().uuidString)").path
    for (path, content) in files {
        let full = root + path
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(content).write(to: URL(fileURLWithPath: full))
    }
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    return root
}

private func collectUsers(rootfs root: String) throws -> [MetricFamily] {
    try collect(UsersCollector(), paths: HostPaths(procfs: root + "/proc", sysfs: root + "/sys", rootfs: root))
}

@Suite struct UsersCollectorTests {
    @Test func userProcessRecordsOnly() throws {
        let root = try rootfs(["/var/run/utmp": Utmp.sample])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let families = try collectUsers(rootfs: root)
        #expect(families.map(\.name) == ["nimbus_users_logged_in", "nimbus_user_session_start_time_seconds"])
        #expect(families.allSatisfy { $0.type == .gauge })
        #expect(families.value("nimbus_users_logged_in") == 3)
        #expect(families[family: "nimbus_user_session_start_time_seconds"]?.samples.count == 3)
        #expect(families.value("nimbus_user_session_start_time_seconds",
                               ["user": "alice", "terminal": "pts/0", "host": "192.0.2.10"]) == 1_700_003_600)
        #expect(families.value("nimbus_user_session_start_time_seconds",
                               ["user": "root", "terminal": "tty2", "host": ""]) == 1_700_007_200)
        #expect(families.value("nimbus_user_session_start_time_seconds",
                               ["user": String(repeating: "u", count: 32), "terminal": "pts/1",
                                "host": "a-very-long-host-name.example.org"]) == 1_700_010_800)
    }

    @Test func parsedSessions() throws {
        let sessions = try UsersCollector.parse(ArraySlice(Utmp.sample))
        #expect(sessions.map(\.pid) == [9001, 9100, 9200])
        #expect(sessions.first == UsersCollector.Session(user: "alice", terminal: "pts/0", host: "192.0.2.10",
                                                         pid: 9001, started: 1_700_003_600))
        // Seconds past 2038 read as unsigned.
        let late = try UsersCollector.parse(ArraySlice(Utmp.record(type: Utmp.userProcess, user: "bob", seconds: 3_000_000_000)))
        #expect(late.first?.started == 3_000_000_000)
    }

    @Test func fallsBackToRunUtmp() throws {
        let root = try rootfs(["/run/utmp": Utmp.record(type: Utmp.userProcess, pid: 7, line: "pts/9", user: "carol",
                                                         seconds: 1_700_000_009)])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let families = try collectUsers(rootfs: root)
        #expect(families.value("nimbus_users_logged_in") == 1)
        #expect(families.value("nimbus_user_session_start_time_seconds", ["user": "carol", "terminal": "pts/9", "host": ""])
            == 1_700_000_009)
    }

    @Test func emptyUtmpCountsZero() throws {
        let root = try rootfs(["/var/run/utmp": []])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let families = try collectUsers(rootfs: root)
        #expect(families.value("nimbus_users_logged_in") == 0)
        #expect(families[family: "nimbus_user_session_start_time_seconds"]?.samples.isEmpty == true)
    }

    @Test func missingUtmpGivesNoFamilies() throws {
        let root = try rootfs([:])
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(try collectUsers(rootfs: root).isEmpty)
    }

    @Test func partialRecordsNameTheFile() throws {
        let root = try rootfs(["/var/run/utmp": Utmp.sample + [1, 2, 3]])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let error = #expect(throws: CollectorError.self) { try collectUsers(rootfs: root) }
        #expect(error?.description.hasPrefix(root + "/var/run/utmp: ") == true)
    }

    @Test func liveHost() throws {
        // Whatever this machine has (often no utmp at all in a container) must not fail.
        let families = try collect(UsersCollector(), paths: HostPaths())
        if let count = families.value("nimbus_users_logged_in") {
            #expect(Double(families[family: "nimbus_user_session_start_time_seconds"]?.samples.count ?? -1) == count)
        }
    }
}
