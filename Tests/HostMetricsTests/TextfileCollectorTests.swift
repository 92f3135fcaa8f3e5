import Exposition
import Foundation
import HostMetrics
import Testing

@Suite struct TextfileCollectorTests {
    static let directory = Fixtures.path("edge/textfile")

    static func mtime(_ path: String) -> Double {
        var info = stat()
        guard stat(path, &info) == 0 else { return -1 }
        return Double(info.st_mtim.tv_sec)
    }

    static func run(_ directory: String) throws -> [MetricFamily] {
        try collect(TextfileCollector(directory: directory), paths: Fixtures.host)
    }

    @Test func noDirectoryGivesOnlyTheErrorGauge() throws {
        let families = try Self.run("")
        #expect(families.map(\.name) == ["node_textfile_scrape_error"])
        #expect(families[0].type == .gauge)
        #expect(families.value("node_textfile_scrape_error") == 0)
    }

    @Test func missingDirectoryIsAnErrorNotAFailure() throws {
        let families = try Self.run(Self.directory + "/does-not-exist")
        #expect(families.map(\.name) == ["node_textfile_scrape_error"])
        #expect(families.value("node_textfile_scrape_error") == 1)
    }

    @Test func goodFilesAreMergedAndExported() throws {
        let dir = Self.directory + "/good"
        let app = dir + "/app.prom", backup = dir + "/backup.prom"
        let families = try Self.run(dir)
        #expect(families.map(\.name) == [
            "app_jobs_total", "app_last_run_seconds", "app_temperature", "app_untyped_thing",
            "backup_duration_seconds", "rpc_seconds",
            "node_textfile_mtime_seconds", "node_textfile_scrape_error",
        ])
        let jobs = try #require(families[family: "app_jobs_total"])
        #expect(jobs.type == .counter)
        #expect(jobs.help == "Jobs the app ran, by result.")
        #expect(jobs.samples.count == 5)
        #expect(families.value("app_jobs_total", ["result": "ok", "queue": "default"]) == 1027)
        #expect(families.value("app_jobs_total", ["result": "failed", "queue": "default"]) == 3)
        #expect(families.value("app_jobs_total", ["result": "ok", "queue": "a \"quoted\" back\\slash\nnewline"]) == 5)
        #expect(families.value("app_jobs_total", ["result": "ok", "queue": "backup"]) == 12)
        // The series without a queue label gets an empty one, as node_exporter pads them.
        #expect(families.value("app_jobs_total", ["result": "ok", "queue": ""]) == 1)

        #expect(families[family: "app_last_run_seconds"]?.type == .gauge)
        #expect(families[family: "app_last_run_seconds"]?.help == "Time of the last run.\nSecond line with a \\ backslash.")
        #expect(families.value("app_last_run_seconds") == 1.7e9)

        let temperature = try #require(families[family: "app_temperature"])
        #expect(temperature.type == .gauge)   // `# TYPE app_temperature GAUGE`
        #expect(temperature.help == "Read from textfile \(app).")
        #expect(families.value("app_temperature", ["sensor": "a"]) == -12.5)
        #expect(families.value("app_temperature", ["sensor": "b"]) == .infinity)
        #expect(families.value("app_temperature", ["sensor": "c"])?.isNaN == true)
        #expect(families.value("app_temperature", ["sensor": "d"]) == -.infinity)
        #expect(families[family: "app_untyped_thing"]?.type == .untyped)
        #expect(families.value("app_untyped_thing") == 42)

        // Histogram and summary keep their type; their samples keep their names as suffixes.
        let histogram = try #require(families[family: "backup_duration_seconds"])
        #expect(histogram.type == .histogram)
        #expect(histogram.help == "Read from textfile \(backup).")
        #expect(histogram.samples.map(\.suffix) == ["_bucket", "_bucket", "_bucket", "_sum", "_count"])
        #expect(histogram.samples.map(\.value) == [0, 3, 4, 29.5, 4])
        // `le` stays on the buckets only: _sum and _count are not padded with it.
        #expect(histogram.samples.map { $0.labels.map(\.name) } == [["le"], ["le"], ["le"], [], []])
        let summary = try #require(families[family: "rpc_seconds"])
        #expect(summary.type == .summary)
        #expect(summary.samples.map(\.suffix) == ["", "", "_sum", "_count"])
        #expect(summary.samples.map(\.value) == [0.25, 1.5, 40, 100])

        // Rendered, they read as the file wrote them.
        var set = MetricSet([histogram, summary])
        _ = set.normalize()
        let text = String(decoding: TextEncoder.encode(set.families, format: .prometheusText), as: UTF8.self)
        #expect(text.contains("""
            # TYPE backup_duration_seconds histogram
            backup_duration_seconds_bucket{le="1"} 0
            backup_duration_seconds_bucket{le="10"} 3
            backup_duration_seconds_bucket{le="+Inf"} 4
            backup_duration_seconds_sum 29.5
            backup_duration_seconds_count 4
            """))
        #expect(text.contains("""
            # TYPE rpc_seconds summary
            rpc_seconds{quantile="0.5"} 0.25
            rpc_seconds{quantile="0.99"} 1.5
            rpc_seconds_sum 40
            rpc_seconds_count 100
            """))

        // Not *.prom: notes.txt and old.prom.bak. A family with TYPE but no samples is dropped.
        #expect(families[family: "app_should_not_appear"] == nil)
        #expect(families[family: "empty_family"] == nil)

        #expect(families[family: "node_textfile_mtime_seconds"]?.type == .gauge)
        #expect(families[family: "node_textfile_mtime_seconds"]?.samples.count == 2)
        #expect(families.value("node_textfile_mtime_seconds", ["file": app]) == Self.mtime(app))
        #expect(families.value("node_textfile_mtime_seconds", ["file": backup]) == Self.mtime(backup))
        #expect(families.value("node_textfile_scrape_error") == 0)
    }

    @Test func badFilesAreSkippedWholeAndTheRestExported() throws {
        // a_ok, f_ok: fine. b: timestamps. c: syntax error after a good line. d: shared_total as a
        // gauge. dir.prom: a directory. e: a series twice. g: another HELP for shared_total.
        // h: a series a_ok already gave. i: a dangling symlink.
        let dir = Self.directory + "/bad"
        let families = try Self.run(dir)
        #expect(families.map(\.name) == ["shared_total", "node_textfile_mtime_seconds", "node_textfile_scrape_error"])
        let shared = try #require(families[family: "shared_total"])
        #expect(shared.type == .counter)
        #expect(shared.help == "Shared counter.")
        #expect(shared.samples.count == 2)
        #expect(families.value("shared_total", ["source": "a"]) == 1)
        #expect(families.value("shared_total", ["source": "f"]) == 6)
        #expect(families[family: "syntax_good"] == nil)
        #expect(families[family: "conflict_other"] == nil)
        #expect(families[family: "dup_metric"] == nil)
        #expect(families[family: "ts_metric"] == nil)
        let files = families[family: "node_textfile_mtime_seconds"]!.samples.map { $0.labels.first { $0.name == "file" }!.value }
        #expect(files == [dir + "/a_ok.prom", dir + "/f_ok.prom"])
        #expect(families.value("node_textfile_scrape_error") == 1)
    }

    @Test func aGlobReadsEveryMatchingDirectory() throws {
        let families = try Self.run(Self.directory + "/[gm]*")
        #expect(families.value("extra_metric") == 1)
        #expect(families.value("app_untyped_thing") == 42)
        let files = families[family: "node_textfile_mtime_seconds"]!.samples.map { $0.labels.first { $0.name == "file" }!.value }
        #expect(files == [Self.directory + "/good/app.prom", Self.directory + "/good/backup.prom",
                          Self.directory + "/more/extra.prom"])
        #expect(families.value("node_textfile_scrape_error") == 0)
        // A pattern that matches nothing is taken as a directory name, which does not exist.
        #expect(try Self.run(Self.directory + "/nothing*").value("node_textfile_scrape_error") == 1)
    }

    @Test func trailingSlashesDoNotDoubleInFileLabels() throws {
        let families = try Self.run(Self.directory + "/more//")
        #expect(families.value("node_textfile_mtime_seconds", ["file": Self.directory + "/more/extra.prom"]) != nil)
    }

    @Test func filesAreReadAfreshOnEveryScrape() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("textfile-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("job.prom").path
        let collector = TextfileCollector(directory: dir.path)
        #expect(try collect(collector, paths: Fixtures.host).map(\.name) == ["node_textfile_scrape_error"])

        try "job_ok 1\n".write(toFile: file, atomically: true, encoding: .utf8)
        var families = try collect(collector, paths: Fixtures.host)
        #expect(families.value("job_ok") == 1)
        #expect(families.value("node_textfile_scrape_error") == 0)

        try "job_ok{\n".write(toFile: file, atomically: true, encoding: .utf8)
        families = try collect(collector, paths: Fixtures.host)
        #expect(families[family: "job_ok"] == nil)
        #expect(families[family: "node_textfile_mtime_seconds"] == nil)
        #expect(families.value("node_textfile_scrape_error") == 1)

        try "job_ok 2\n".write(toFile: file, atomically: true, encoding: .utf8)
        families = try collect(collector, paths: Fixtures.host)
        #expect(families.value("job_ok") == 2)
        #expect(families.value("node_textfile_scrape_error") == 0)
    }

    @Test func aFifoIsSkippedWithoutBlocking() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("textfile-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        #expect(mkfifo(dir.appendingPathComponent("pipe.prom").path, 0o644) == 0)
        try "after_pipe 1\n".write(toFile: dir.appendingPathComponent("z.prom").path, atomically: true, encoding: .utf8)
        let families = try collect(TextfileCollector(directory: dir.path), paths: Fixtures.host)
        #expect(families.value("after_pipe") == 1)
        #expect(families.value("node_textfile_scrape_error") == 1)
    }

    @Test func encodedOutputKeepsEscapesAndPadding() throws {
        var set = MetricSet(try Self.run(Self.directory + "/good"))
        let report = set.normalize()
        #expect(report == NormalizationReport())
        let text = String(decoding: TextEncoder.encode(set.families, format: .prometheusText), as: UTF8.self)
        #expect(text.contains(#"app_jobs_total{queue="",result="ok"} 1"#))
        #expect(text.contains(#"app_jobs_total{queue="a \"quoted\" back\\slash\nnewline",result="ok"} 5"#))
        #expect(text.contains(#"# HELP app_last_run_seconds Time of the last run.\nSecond line with a \\ backslash."#))
        #expect(text.contains("app_temperature{sensor=\"b\"} +Inf"))
        #expect(text.contains("backup_duration_seconds_bucket{le=\"+Inf\"} 4"))
    }
}
