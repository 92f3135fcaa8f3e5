import Foundation
import Testing
import TestSupport

/// The events-file source through the binary: an exported CloudTrail log (CSV with a header)
/// followed across appends and rotation, counts surviving a restart through the cache.
@Suite struct EventsFileSourceTests {
    static func waitFor(_ exporter: RunningExporter, _ condition: (ParsedExposition) -> Bool) throws -> ParsedExposition {
        let deadline = Date().addingTimeInterval(20)
        var last = ""
        while Date() < deadline {
            last = try exporter.scrape()
            let parsed = ParsedExposition(last)
            if condition(parsed) { return parsed }
            usleep(100_000)
        }
        Issue.record("condition not met; last scrape:\n\(last)\nlog:\n\(exporter.child.log)")
        throw RawHTTPClient.Failure(description: "timed out")
    }

    @Test func countsFollowAppendsRotationAndRestarts() throws {
        let directory = NSTemporaryDirectory() + "nimbus-events-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = directory + "/trail.csv"
        try """
            eventTime,eventName,eventSource,awsRegion
            2026-11-22T10:00:00Z,RunInstances,ec2.amazonaws.com,us-east-1
            2026-11-22T10:01:00Z,"StopInstances",ec2.amazonaws.com,eu-west-1
            2026-11-22T10:02:00Z,RunInstances,ec2.amazonaws.com,us-east-1

            """.write(toFile: log, atomically: true, encoding: .utf8)
        let config = directory + "/config.yml"
        try """
            aws:
              events_files:
                - name: trail-export
                  path: \(log)
                  format: csv
                  fields: [eventName, awsRegion]
                  interval: 200ms
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let arguments = ["--config.file", config, "--cache.directory", directory + "/cache", "--collector.disable-defaults"]
        let runs = ["source": "trail-export", "event_name": "RunInstances", "aws_region": "us-east-1"]
        var exporter: RunningExporter? = try RunningExporter(arguments)
        var page = try Self.waitFor(exporter!) { $0.value("nimbus_events_file_records_total", runs) == 2 }
        #expect(page.value("nimbus_events_file_records_total",
                           ["source": "trail-export", "event_name": "StopInstances", "aws_region": "eu-west-1"]) == 1)

        // An append, including a half-written line that completes later.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        handle.seekToEndOfFile()
        handle.write(Data("2026-11-22T10:03:00Z,RunInstances,ec2.amazonaws.com,us-ea".utf8))
        page = try Self.waitFor(exporter!) { ($0.value("nimbus_cloud_refreshes_total", ["job_name": "trail-export", "provider": "file"]) ?? 0) >= 3 }
        #expect(page.value("nimbus_events_file_records_total", runs) == 2)
        handle.write(Data("st-1\n".utf8))
        try handle.close()
        _ = try Self.waitFor(exporter!) { $0.value("nimbus_events_file_records_total", runs) == 3 }

        // Rotation: the file is renamed and a new one (with its own header) takes its place.
        try FileManager.default.moveItem(atPath: log, toPath: log + ".1")
        try "eventName,awsRegion\nRunInstances,us-east-1\n".write(toFile: log, atomically: false, encoding: .utf8)
        page = try Self.waitFor(exporter!) { $0.value("nimbus_events_file_records_total", runs) == 4 }
        #expect(page.value("nimbus_events_file_rotations_total", ["source": "trail-export"]) == 1)

        // A restart continues from the persisted position and counts: nothing counted twice.
        exporter = nil
        let restarted = try RunningExporter(arguments)
        page = try Self.waitFor(restarted) { ($0.value("nimbus_cloud_refreshes_total", ["job_name": "trail-export", "provider": "file"]) ?? 0) >= 2 }
        #expect(page.value("nimbus_events_file_records_total", runs) == 4)
    }
}
