import Exposition
import Foundation
import HostMetrics
import Testing

@Suite struct EntropyCollectorTests {
    @Test func capturedHost() throws {
        let families = try collect(EntropyCollector(), paths: Fixtures.host)
        #expect(families.map(\.name) == ["node_entropy_available_bits", "node_entropy_pool_size_bits"])
        #expect(families.allSatisfy { $0.type == .gauge })
        #expect(families.value("node_entropy_available_bits") == 256)
        #expect(families.value("node_entropy_pool_size_bits") == 256)
    }

    @Test func poolSizeIsReadOncePerTreeAvailableEveryTime() throws {
        let tree = FileManager.default.temporaryDirectory.appendingPathComponent("entropy-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: tree) }
        let random = tree.appendingPathComponent("proc/sys/kernel/random")
        try FileManager.default.createDirectory(at: random, withIntermediateDirectories: true)
        try "3000\n".write(to: random.appendingPathComponent("entropy_avail"), atomically: true, encoding: .utf8)
        try "4096\n".write(to: random.appendingPathComponent("poolsize"), atomically: true, encoding: .utf8)
        let paths = HostPaths(procfs: tree.path + "/proc", sysfs: tree.path + "/sys")

        let collector = EntropyCollector()
        var context = CollectContext(paths: paths)
        let first = try collector.collect(&context)
        #expect(first.value("node_entropy_available_bits") == 3000)
        #expect(first.value("node_entropy_pool_size_bits") == 4096)

        try "17\n".write(to: random.appendingPathComponent("entropy_avail"), atomically: true, encoding: .utf8)
        try "garbage".write(to: random.appendingPathComponent("poolsize"), atomically: true, encoding: .utf8)
        let second = try collector.collect(&context)
        #expect(second.value("node_entropy_available_bits") == 17)
        #expect(second.value("node_entropy_pool_size_bits") == 4096)

        // Another tree is another machine: its pool size is read.
        let other = try collect(collector, paths: Fixtures.host)
        #expect(other.value("node_entropy_pool_size_bits") == 256)
    }

    @Test func rejectsMalformedContent() {
        for text in ["", "\n", "abc\n", "-1\n", "12 13\n", "1.5\n"] {
            #expect(throws: CollectorError.self, "\(text)") {
                try EntropyCollector.parse(ArraySlice(text.utf8), file: "entropy_avail")
            }
        }
        #expect(throws: CollectorError.self) { try collect(EntropyCollector(), paths: Fixtures.edge("empty")) }
        #expect(throws: HostFileError.self) { try collect(EntropyCollector(), paths: Fixtures.edge("missing")) }
    }

    @Test func errorsNameTheFile() {
        do {
            _ = try EntropyCollector.parse(ArraySlice("x".utf8), file: "poolsize")
            Issue.record("no error")
        } catch {
            #expect("\(error)".contains("/proc/sys/kernel/random/poolsize"))
        }
    }
}
