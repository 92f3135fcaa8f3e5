import HostMetrics
import Testing

@Suite struct CollectorCatalogTests {
    @Test func namesAreUniqueAndValid() {
        let names = CollectorCatalog.names
        #expect(Set(names).count == names.count, "duplicate collector names: \(names)")
        for name in names {
            #expect(name.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" }, "\(name) is not a flag-friendly name")
        }
    }

    @Test func everyCollectorBuildsWithItsDefaults() throws {
        let collectors = try CollectorCatalog.build(isEnabled: { _ in true })
        #expect(collectors.map(\.name) == CollectorCatalog.names)
    }

    @Test func settingsReachTheCollector() throws {
        #expect(throws: (any Error).self) {
            try CollectorCatalog.build(given: ["diskstats": ["device-exclude": ["(unclosed"]]], isEnabled: { $0.name == "diskstats" })
        }
        let built = try CollectorCatalog.build(given: ["vmstat": ["fields": ["^pgfault$"]]], isEnabled: { $0.name == "vmstat" })
        #expect(built.map(\.name) == ["vmstat"])
    }

    @Test func durationsAndBooleans() throws {
        #expect(CollectorSettings.parseDuration("500ms") == 0.5)
        #expect(CollectorSettings.parseDuration("5s") == 5)
        #expect(CollectorSettings.parseDuration("2m") == 120)
        #expect(CollectorSettings.parseDuration("1h") == 3600)
        #expect(CollectorSettings.parseDuration("7") == 7)
        #expect(CollectorSettings.parseDuration("-1s") == nil)
        #expect(CollectorSettings.parseDuration("soon") == nil)
        let settings = CollectorSettings(collector: "x", declared: [CollectorSetting("flag", .bool, help: "")],
                                         given: ["flag": ["maybe"]])
        #expect(throws: CollectorError.self) { try settings.bool("flag") }
        let list = CollectorSettings(collector: "x", declared: [CollectorSetting("names", .list, default: "a,b", help: "")])
        #expect(list.list("names") == ["a", "b"])
    }
}

@Suite struct CollectorDocsTests {
    /// docs/collectors.md has one row per collector, with its default as the catalog has it.
    @Test func collectorsDocListsEveryCollectorWithItsDefault() throws {
        let path = Fixtures.root + "/../../docs/collectors.md"
        var reader = FileReader()
        let text = try reader.read(path).string
        for entry in CollectorCatalog.entries {
            let row = "| `\(entry.name)` | \(entry.enabledByDefault ? "on" : "off") |"
            #expect(text.contains(row), "docs/collectors.md lacks the row \(row)")
        }
    }
}
