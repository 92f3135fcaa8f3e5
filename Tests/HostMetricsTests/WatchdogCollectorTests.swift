import Exposition
import HostMetrics
import Testing

@Suite struct WatchdogCollectorTests {
    @Test func everyDeviceWithTheAttributesItHas() throws {
        // watchdog0 (softdog) has every attribute; watchdog1 (iTCO) only bootstatus, identity,
        // state, timeout and nowayout. Both are symlinks into /sys/devices.
        let families = try collect(WatchdogCollector(), paths: Fixtures.edge("watchdog"))
        #expect(families.map(\.name) == [
            "node_watchdog_bootstatus", "node_watchdog_fw_version", "node_watchdog_nowayout",
            "node_watchdog_timeleft_seconds", "node_watchdog_timeout_seconds", "node_watchdog_pretimeout_seconds",
            "node_watchdog_access_cs0", "node_watchdog_info",
        ])
        #expect(families.allSatisfy { $0.type == .gauge })
        let w0 = ["name": "watchdog0"], w1 = ["name": "watchdog1"]
        #expect(families.value("node_watchdog_bootstatus", w0) == 1)
        #expect(families.value("node_watchdog_bootstatus", w1) == 0)
        #expect(families.value("node_watchdog_fw_version", w0) == 2)
        #expect(families.value("node_watchdog_fw_version", w1) == nil)
        #expect(families.value("node_watchdog_nowayout", w0) == 0)
        #expect(families.value("node_watchdog_nowayout", w1) == 1)
        #expect(families.value("node_watchdog_timeleft_seconds", w0) == 300)
        #expect(families.value("node_watchdog_timeleft_seconds", w1) == nil)
        #expect(families.value("node_watchdog_timeout_seconds", w0) == 60)
        #expect(families.value("node_watchdog_timeout_seconds", w1) == 30)
        #expect(families.value("node_watchdog_pretimeout_seconds", w0) == 120)
        #expect(families.value("node_watchdog_access_cs0", w0) == 0)
        #expect(families[family: "node_watchdog_access_cs0"]?.samples.count == 1)
        #expect(families.value("node_watchdog_info", [
            "name": "watchdog0", "options": "0x8380", "identity": "Software Watchdog", "state": "active",
            "status": "0x8000", "pretimeout_governor": "noop",
        ]) == 1)
        #expect(families.value("node_watchdog_info", [
            "name": "watchdog1", "options": "", "identity": "iTCO_wdt", "state": "inactive", "status": "",
            "pretimeout_governor": "",
        ]) == 1)
    }

    @Test func noWatchdogsGiveNothing() throws {
        #expect(try collect(WatchdogCollector(), paths: Fixtures.host).isEmpty)
        #expect(try collect(WatchdogCollector(), paths: Fixtures.edge("missing")).isEmpty)
    }

    @Test func malformedNumbersFailNamingTheFile() {
        do {
            _ = try collect(WatchdogCollector(), paths: Fixtures.edge("watchdog-malformed"))
            Issue.record("no error")
        } catch {
            #expect(error is CollectorError)
            #expect("\(error)".contains("watchdog0/timeout"))
        }
    }

    @Test func integersWithBasePrefixes() {
        func parse(_ text: String) -> Int64? { WatchdogCollector.parseInteger(ArraySlice(text.utf8)) }
        #expect(parse("42") == 42)
        #expect(parse("0") == 0)
        #expect(parse("-7") == -7)
        #expect(parse("0x1F") == 31)
        #expect(parse("017") == 15)
        #expect(parse("9223372036854775807") == Int64.max)
        #expect(parse("-9223372036854775808") == Int64.min)
        for bad in ["", "-", "0x", "08", "1.5", "12a", "9223372036854775808", "x"] {
            #expect(parse(bad) == nil, "\(bad)")
        }
    }
}
