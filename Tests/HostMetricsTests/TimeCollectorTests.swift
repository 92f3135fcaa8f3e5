import Exposition
import Foundation
import HostMetrics
import Testing

@Suite struct TimeCollectorTests {
    @Test func capturedHostClocksources() throws {
        // available_clocksource "tsc kvm-clock ", current_clocksource "tsc".
        let families = try collect(TimeCollector(), paths: Fixtures.host)
        #expect(families.map(\.name) == [
            "node_time_seconds", "node_time_zone_offset_seconds",
            "node_time_clocksource_available_info", "node_time_clocksource_current_info",
        ])
        #expect(families.allSatisfy { $0.type == .gauge })
        #expect(families[family: "node_time_clocksource_available_info"]?.samples.count == 2)
        #expect(families.value("node_time_clocksource_available_info", ["clocksource": "tsc", "device": "0"]) == 1)
        #expect(families.value("node_time_clocksource_available_info", ["clocksource": "kvm-clock", "device": "0"]) == 1)
        #expect(families[family: "node_time_clocksource_current_info"]?.samples.count == 1)
        #expect(families.value("node_time_clocksource_current_info", ["clocksource": "tsc", "device": "0"]) == 1)
    }

    @Test func severalDevicesAndStrayEntries() throws {
        let families = try collect(TimeCollector(), paths: Fixtures.edge("clocksources"))
        #expect(families[family: "node_time_clocksource_available_info"]?.samples.count == 4)
        for source in ["tsc", "hpet", "acpi_pm"] {
            #expect(families.value("node_time_clocksource_available_info", ["clocksource": source, "device": "0"]) == 1)
        }
        #expect(families.value("node_time_clocksource_available_info", ["clocksource": "jiffies", "device": "1"]) == 1)
        #expect(families[family: "node_time_clocksource_current_info"]?.samples.count == 2)
        #expect(families.value("node_time_clocksource_current_info", ["clocksource": "hpet", "device": "0"]) == 1)
        #expect(families.value("node_time_clocksource_current_info", ["clocksource": "jiffies", "device": "1"]) == 1)
    }

    @Test func missingClocksourceDirectoryGivesOnlyTheClock() throws {
        let families = try collect(TimeCollector(), paths: Fixtures.edge("missing"))
        #expect(families.map(\.name) == ["node_time_seconds", "node_time_zone_offset_seconds"])
    }

    @Test func emptyCurrentClocksourceFails() {
        #expect(throws: CollectorError.self) { try collect(TimeCollector(), paths: Fixtures.edge("empty")) }
    }

    @Test func wallClockIsNow() throws {
        let before = Date().timeIntervalSince1970
        let families = try collect(TimeCollector(), paths: Fixtures.host)
        let after = Date().timeIntervalSince1970
        let now = try #require(families.value("node_time_seconds"))
        #expect(now >= before - 0.001 && now <= after + 0.001)
        #expect(now.rounded() != now)  // sub-second precision (fails once in ~10^9 runs at most)
    }

    @Test func zoneMatchesDate() throws {
        // date(1) in a child process, with this process's TZ setting, is the independent reference.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/date")
        process.arguments = ["+%Z %z"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let parts = output.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        try #require(parts.count == 2)
        let sign: Double = parts[1].hasPrefix("-") ? -1 : 1
        let digits = Array(parts[1].dropFirst())
        let hours = Double(String(digits[0..<2]))!
        let minutes = Double(String(digits[2..<4]))!
        let expectedOffset = sign * (hours * 3600 + minutes * 60)

        let families = try collect(TimeCollector(), paths: Fixtures.host)
        let family = try #require(families[family: "node_time_zone_offset_seconds"])
        #expect(family.samples.count == 1)
        #expect(family.samples.first?.labels.map(\.name) == ["time_zone"])
        #expect(families.value("node_time_zone_offset_seconds", ["time_zone": parts[0]]) == expectedOffset)
    }

    @Test func zoneAtAKnownInstant() {
        // 2001-09-09T01:46:40Z; compared with Foundation's view of the same local zone.
        let zone = TimeCollector.zone(at: 1_000_000_000)
        let instant = Date(timeIntervalSince1970: 1_000_000_000)
        #expect(zone.offset == Double(TimeZone.current.secondsFromGMT(for: instant)))
        #expect(!zone.name.isEmpty)
    }

    @Test func parsingHelpers() throws {
        #expect(TimeCollector.deviceNumber("clocksource0") == "0")
        #expect(TimeCollector.deviceNumber("clocksource12") == "12")
        for entry in ["clocksource", "clocksourcex", "power", "uevent", "clocksource1a"] {
            #expect(TimeCollector.deviceNumber(entry) == nil, "\(entry)")
        }
        #expect(TimeCollector.parseAvailable(ArraySlice("tsc kvm-clock \n".utf8)) == ["tsc", "kvm-clock"])
        #expect(TimeCollector.parseAvailable(ArraySlice("\n".utf8)) == [])
        #expect(try TimeCollector.parseCurrent(ArraySlice("tsc\n".utf8)) == "tsc")
        #expect(throws: CollectorError.self) { try TimeCollector.parseCurrent(ArraySlice("\n".utf8)) }
        #expect(throws: CollectorError.self) { try TimeCollector.parseCurrent(ArraySlice("tsc hpet\n".utf8)) }
    }
}
