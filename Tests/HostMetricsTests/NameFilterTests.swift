import HostMetrics
import Testing

@Suite struct NameFilterTests {
    @Test func diskstatsDefaultExcludeWithPerlDigitClass() throws {
        let filter = try NameFilter(exclude: #"^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$"#)
        for excluded in ["loop0", "ram12", "sda1", "vda2", "xvdb3", "nvme0n1p1", "fd0"] {
            #expect(!filter.accepts(excluded), "\(excluded) should be excluded")
        }
        for kept in ["sda", "vda", "nvme0n1", "dm-0", "md127", "zram0", "mmcblk0"] {
            #expect(filter.accepts(kept), "\(kept) should be kept")
        }
    }

    @Test func includeAndExcludeCombine() throws {
        let filter = try NameFilter(include: "^eth", exclude: #"\d{2,}$"#)
        #expect(filter.accepts("eth0"))
        #expect(!filter.accepts("eth10"))
        #expect(!filter.accepts("wlan0"))
        // Asked twice: the remembered answer must be the same.
        #expect(!filter.accepts("wlan0"))
    }

    @Test func unanchoredPatternsMatchAnywhere() throws {
        let filter = try NameFilter(exclude: "veth")
        #expect(!filter.accepts("cali-veth12"))
        #expect(filter.accepts("eth0"))
    }

    @Test func classesInsideBrackets() throws {
        let filter = try NameFilter(include: #"^[\w-]+$"#)
        #expect(filter.accepts("dm-0"))
        #expect(!filter.accepts("a b"))
        let spaces = try NameFilter(exclude: #"\s"#)
        #expect(!spaces.accepts("with space"))
        #expect(!spaces.accepts("with\ttab"))
        #expect(spaces.accepts("nospace"))
    }

    @Test func emptyPatternsAcceptEverything() throws {
        let filter = try NameFilter(include: "", exclude: nil)
        #expect(filter.accepts("anything"))
    }

    @Test func invalidPatternIsAClearError() {
        #expect(throws: CollectorError.self) { try NameFilter(exclude: "(unclosed") }
        do {
            _ = try NameFilter(include: "[z-a]")
            Issue.record("an inverted range must not compile")
        } catch {
            #expect("\(error)".contains("[z-a]"))
        }
    }
}
