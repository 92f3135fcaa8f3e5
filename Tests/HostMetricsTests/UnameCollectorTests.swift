import Exposition
import Foundation
import HostMetrics
import Testing

@Suite struct UnameCollectorTests {
    /// `uname <flag>` run as a child process: an independent reading of the same syscall.
    static func uname(_ flag: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/uname")
        process.arguments = [flag]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return String(output.dropLast())  // the newline
    }

    @Test func labelsMatchUnameAndProc() throws {
        let domain = try String(contentsOfFile: "/proc/sys/kernel/domainname", encoding: .utf8)
            .trimmingCharacters(in: .newlines)
        let expected = [
            "sysname": try Self.uname("-s"), "nodename": try Self.uname("-n"), "release": try Self.uname("-r"),
            "version": try Self.uname("-v"), "machine": try Self.uname("-m"), "domainname": domain,
        ]
        let families = try collect(UnameCollector(), paths: Fixtures.edge("missing"))
        #expect(families.map(\.name) == ["node_uname_info"])
        #expect(families.first?.type == .gauge)
        #expect(families.first?.samples.count == 1)
        #expect(families.value("node_uname_info", expected) == 1)
        #expect(expected["sysname"] == "Linux")
    }

    @Test func fieldStopsAtTheFirstNUL() {
        var terminated: (CChar, CChar, CChar, CChar) = (76, 105, 0, 120)
        #expect(UnameCollector.field(&terminated) == "Li")
        var full: (CChar, CChar, CChar) = (116, 115, 99)
        #expect(UnameCollector.field(&full) == "tsc")
        var empty: (CChar, CChar) = (0, 0)
        #expect(UnameCollector.field(&empty) == "")
    }
}
