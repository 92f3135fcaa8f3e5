import Exposition
import Foundation
import HostMetrics
import Testing

@Suite struct OsCollectorTests {
    static func rootfs(_ name: String) -> HostPaths {
        HostPaths(procfs: Fixtures.path("edge/\(name)/proc"), sysfs: Fixtures.path("edge/\(name)/sys"),
                  rootfs: Fixtures.path("edge/\(name)"))
    }

    static func labels(_ families: [MetricFamily], _ name: String) -> [String: String]? {
        guard let sample = families[family: name]?.samples.first else { return nil }
        var result: [String: String] = [:]
        for label in sample.labels { result[label.name] = label.value }
        return result
    }

    @Test func capturedDebianThroughTheEtcSymlink() throws {
        // etc/os-release -> ../usr/lib/os-release, as Debian ships it.
        let families = try collect(OsCollector(), paths: Self.rootfs("os-debian"))
        #expect(families.map(\.name) == ["node_os_info", "node_os_version"])
        #expect(families.allSatisfy { $0.type == .gauge })
        #expect(Self.labels(families, "node_os_info") == [
            "build_id": "", "id": "debian", "id_like": "", "image_id": "", "image_version": "",
            "name": "Debian GNU/Linux", "pretty_name": "Debian GNU/Linux 12 (bookworm)", "variant": "",
            "variant_id": "", "version": "12 (bookworm)", "version_codename": "bookworm", "version_id": "12",
        ])
        #expect(families.value("node_os_info", Self.labels(families, "node_os_info")!) == 1)
        #expect(families.value("node_os_version", ["id": "debian", "id_like": "", "name": "Debian GNU/Linux"]) == 12)
    }

    @Test func shellQuotingAndTheUsrLibFallback() throws {
        // Only usr/lib/os-release exists in this tree.
        let families = try collect(OsCollector(), paths: Self.rootfs("os-quoting"))
        #expect(Self.labels(families, "node_os_info") == [
            "build_id": "a#b",
            "id": "fedora",
            "id_like": "rhel centos",
            "image_id": "img",
            "image_version": "7",
            "name": "Fedora Linux",
            "pretty_name": "Fedora Linux 38 $HOME `x` back\\slash",
            "variant": "Workstation Edition",
            "variant_id": "workstation-x",
            "version": "38 (Workstation \"Edition\")",
            "version_codename": "",
            "version_id": "38.1.5",
        ])
        // major.minor of 38.1.5
        #expect(families.value("node_os_version", ["id": "fedora", "id_like": "rhel centos", "name": "Fedora Linux"]) == 38.1)
    }

    @Test func noNumericVersionMeansNoVersionFamily() throws {
        let families = try collect(OsCollector(), paths: Self.rootfs("os-rolling"))
        #expect(families.map(\.name) == ["node_os_info"])
        #expect(Self.labels(families, "node_os_info")?["id"] == "arch")
        #expect(Self.labels(families, "node_os_info")?["build_id"] == "rolling")
        #expect(Self.labels(families, "node_os_info")?["version_id"] == "")
    }

    @Test func noFileMeansNoFamilies() throws {
        #expect(try collect(OsCollector(), paths: Self.rootfs("missing")).isEmpty)
        #expect(try collect(OsCollector(files: ["/nonexistent/os-release", "/nonexistent/other"]), paths: Fixtures.host).isEmpty)
    }

    @Test func malformedFilesFailWithTheirPath() {
        for name in ["os-malformed", "os-nokey"] {
            do {
                _ = try collect(OsCollector(), paths: Self.rootfs(name))
                Issue.record("\(name): no error")
            } catch {
                #expect(error is CollectorError, "\(name)")
                #expect("\(error)".contains("edge/\(name)/etc/os-release"), "\(error)")
            }
        }
    }

    @Test func parserRules() throws {
        let text = """
            A=plain
            B="double \\"q\\" \\\\ \\$ \\` \\n"
            C='single "q" \\ $'
            D=un\\ quoted\\"x
            E=value # comment
            F=value#not-a-comment
            G=
            H=#only-a-comment
              export   I = spaced
            _J9=x
            A=again
            """
        let values = try OsRelease.parse(ArraySlice(text.utf8), file: "t")
        #expect(values == [
            "A": "again", "B": "double \"q\" \\ $ ` \\n", "C": "single \"q\" \\ $", "D": "un quoted\"x",
            "E": "value", "F": "value#not-a-comment", "G": "", "H": "", "I": "spaced", "_J9": "x",
        ])
        for bad in ["NAME=\"open\n", "NAME='open\n", "1X=y\n", "=y\n", "NA-ME=y\n", "words without equals\n"] {
            #expect(throws: CollectorError.self, "\(bad)") { try OsRelease.parse(ArraySlice(bad.utf8), file: "t") }
        }
    }

    @Test func majorMinorOfVersionID() {
        #expect(OsRelease.majorMinor("12") == 12)
        #expect(OsRelease.majorMinor("20.04") == 20.04)
        #expect(OsRelease.majorMinor("8.4.2105") == 8.4)
        #expect(OsRelease.majorMinor("2.") == 2)
        #expect(OsRelease.majorMinor("7rc1") == 7)
        #expect(OsRelease.majorMinor("rolling") == nil)
        #expect(OsRelease.majorMinor("") == nil)
        #expect(OsRelease.majorMinor(".5") == nil)
    }

    @Test func parsedAgainOnlyWhenTheFileChanges() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("os-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("os-release").path
        try "ID=aaa\nVERSION_ID=1\n".write(toFile: path, atomically: false, encoding: .utf8)
        var original = stat()
        #expect(stat(path, &original) == 0)

        let collector = OsCollector(files: [path])
        #expect(Self.labels(try collect(collector, paths: Fixtures.host), "node_os_info")?["id"] == "aaa")

        // Same size, same modification time: the cached families are served.
        try "ID=bbb\nVERSION_ID=2\n".write(toFile: path, atomically: false, encoding: .utf8)
        var times = [original.st_atim, original.st_mtim]
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
        let cached = try collect(collector, paths: Fixtures.host)
        #expect(Self.labels(cached, "node_os_info")?["id"] == "aaa")
        #expect(cached.value("node_os_version", ["id": "aaa", "id_like": "", "name": ""]) == 1)

        // A new modification time: parsed again.
        times[1].tv_sec += 10
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
        let fresh = try collect(collector, paths: Fixtures.host)
        #expect(Self.labels(fresh, "node_os_info")?["id"] == "bbb")
        #expect(fresh.value("node_os_version", ["id": "bbb", "id_like": "", "name": ""]) == 2)
    }
}
