import HostMetrics
import Testing

@Suite struct FileReaderTests {
    @Test func readIfPresentTellsMissingFromPresent() throws {
        var reader = FileReader()
        #expect(try reader.readIfPresent(Fixtures.path("host/proc/loadavg"))?.isEmpty == false)
        #expect(try reader.readIfPresent(Fixtures.path("host/proc/no-such-file")) == nil)
        // A missing directory on the path is "missing" too.
        #expect(try reader.readIfPresent(Fixtures.path("no-such-dir/file")) == nil)
        // Any other failure still throws: reading a directory is EISDIR.
        #expect(throws: HostFileError.self) { try reader.readIfPresent(Fixtures.path("host/proc")) }
    }

    @Test func listDirectoryIfPresentAndIsDirectory() throws {
        let names = try #require(try FileReader.listDirectoryIfPresent(Fixtures.path("host/proc/pressure")))
        #expect(names == ["cpu", "io", "memory"])
        #expect(try FileReader.listDirectoryIfPresent(Fixtures.path("host/proc/absent")) == nil)
        // A file where a directory was expected (ENOTDIR) counts as absent, like a vanished device.
        #expect(try FileReader.listDirectoryIfPresent(Fixtures.path("host/proc/loadavg")) == nil)
        #expect(FileReader.isDirectory(Fixtures.path("host/proc")))
        #expect(!FileReader.isDirectory(Fixtures.path("host/proc/loadavg")))
        // Followed through the captured sysfs symlinks.
        #expect(FileReader.isDirectory(Fixtures.path("host/sys/class/net/eth0")))
    }
}
