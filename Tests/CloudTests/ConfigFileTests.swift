import ConfigFile
import Foundation
import Testing

/// The YAML layer every provider's reader stands on: durations, typed lookups, and errors that
/// name the file, the line, the column and the field.
@Suite struct ConfigFileTests {
    private static func parse(_ text: String) throws -> ConfigNode {
        try ConfigNode.parse(text, file: "test.yml")
    }

    /// The error `body` throws; a test failure when it throws nothing.
    private static func configError(_ body: () throws -> Void) -> ConfigError? {
        do {
            try body()
            Issue.record("expected a ConfigError")
            return nil
        } catch let error as ConfigError {
            return error
        } catch {
            Issue.record("expected a ConfigError, got \(error)")
            return nil
        }
    }

    // MARK: Durations

    @Test(arguments: [
        ("90s", 90.0), ("5m", 300.0), ("1h", 3600.0), ("1h30m", 5400.0), ("2d", 172_800.0),
        ("1w", 604_800.0), ("1y", 31_536_000.0), ("500ms", 0.5), ("1m500ms", 60.5), ("0s", 0.0),
        ("60", 60.0), ("1.5", 1.5), ("0", 0.0), (" 5m ", 300.0), ("1d2h3m4s", 93_784.0),
    ])
    func validDurations(text: String, seconds: Double) {
        #expect(DurationText.seconds(text) == seconds)
    }

    @Test(arguments: ["", " ", "m", "5x", "m5", "-5", "-5s", "1.5h", "5 m", "5M", "inf", "nan", "s5", "5mm", "h1"])
    func invalidDurations(text: String) {
        #expect(DurationText.seconds(text) == nil, "\(text)")
    }

    @Test func durationNodesReportTheirLocation() throws {
        let root = try Self.parse("interval: 1h30m\ntimeout: soon\nzero: 0s\n").mapping()
        #expect(try root.required("interval").duration() == 5400)
        #expect(try root.required("zero").duration() == 0)

        let bad = Self.configError { _ = try root.required("timeout").duration() }
        #expect(bad?.line == 2)
        #expect(bad?.column == 10)
        #expect(bad?.field == "timeout")
        #expect(bad?.message.contains("'soon'") == true)

        let zero = Self.configError { _ = try root.required("zero").positiveDuration() }
        #expect(zero?.field == "zero")
        #expect(zero?.line == 3)
        #expect(zero?.message == "must be greater than zero")
    }

    // MARK: Typed values

    @Test func scalarsOfEachType() throws {
        let root = try Self.parse("""
            name: web
            count: 42
            ratio: 0.25
            on: yes
            off: false
            list: [a, b]
            single: c
            empty:
            """).mapping()
        #expect(try root.required("name").string() == "web")
        #expect(try root.required("count").int() == 42)
        #expect(try root.required("ratio").double() == 0.25)
        #expect(try root.required("on").bool() == true)
        #expect(try root.required("off").bool() == false)
        #expect(try root.required("list").stringList() == ["a", "b"])
        #expect(try root.required("single").stringList() == ["c"])
        #expect(root.optional("empty") == nil)
        #expect(root.optional("absent") == nil)
        #expect(root["empty"]?.isNull == true)
    }

    @Test func wrongTypesAreErrorsAtTheValue() throws {
        let root = try Self.parse("""
            count: many
            ratio: .inf
            flag: maybe
            list: {a: 1}
            name: [x]
            text: ""
            """).mapping()
        let count = Self.configError { _ = try root.required("count").int() }
        #expect(count?.message == "must be an integer")
        #expect(count?.line == 1)
        let ratio = Self.configError { _ = try root.required("ratio").double() }
        #expect(ratio?.message == "must be a number")
        #expect(ratio?.line == 2)
        let flag = Self.configError { _ = try root.required("flag").bool() }
        #expect(flag?.message == "must be true or false")
        let list = Self.configError { _ = try root.required("list").list() }
        #expect(list?.message == "must be a list")
        #expect(list?.line == 4)
        let name = Self.configError { _ = try root.required("name").string() }
        #expect(name?.message == "must be a string")
        #expect(name?.field == "name")
        let text = Self.configError { _ = try root.required("text").nonEmptyString() }
        #expect(text?.message == "must not be empty")
        let notMapping = Self.configError { _ = try root.required("count").mapping() }
        #expect(notMapping?.message.contains("mapping") == true)
    }

    // MARK: Required and unknown keys

    @Test func missingRequiredKeyNamesTheFieldAndItsParent() throws {
        let root = try Self.parse("""
            aws:
              jobs:
                - regions: [us-east-1]
                  interval: 60s
            """).mapping()
        let jobs = try root.required("aws").mapping().required("jobs").list()
        let job = try #require(jobs.first).mapping()
        let error = Self.configError { _ = try job.required("name") }
        #expect(error?.field == "aws.jobs[0].name")
        #expect(error?.message == "is required")
        // The mapping that lacks the key: the job's first line.
        #expect(error?.line == 3)
        #expect(error?.column == 7)
        #expect(error?.file == "test.yml")
    }

    @Test func nullCountsAsMissing() throws {
        let root = try Self.parse("name: ~\nother: null\n").mapping()
        #expect(Self.configError { _ = try root.required("name") }?.message == "is required")
        #expect(Self.configError { _ = try root.required("other") }?.field == "other")
    }

    @Test(arguments: [
        ("max-age", "did you mean 'max_age'?"),
        ("Interval", "did you mean 'interval'?"),
        ("MAX_AGE", "did you mean 'max_age'?"),
    ])
    func unknownKeyWithASpellingHint(key: String, hint: String) throws {
        let root = try Self.parse("name: a\n\(key): 5m\n").mapping()
        let error = Self.configError { try root.rejectUnknownKeys(["name", "interval", "max_age"]) }
        #expect(error?.message == "unknown field '\(key)' (\(hint))")
        #expect(error?.field == key)
        #expect(error?.line == 2)
    }

    @Test func unknownKeyWithoutACloseMatchListsTheKnownOnes() throws {
        let root = try Self.parse("jobs:\n  - name: a\n    colour: blue\n").mapping()
        let job = try #require(try root.required("jobs").list().first).mapping()
        let error = Self.configError { try job.rejectUnknownKeys(["name", "regions"]) }
        #expect(error?.message == "unknown field 'colour' (known: name, regions)")
        #expect(error?.field == "jobs[0].colour")
        #expect(error?.line == 3)
        // The key itself, not its value.
        #expect(error?.column == 5)
        #expect(error?.description == "test.yml:3:5: jobs[0].colour: unknown field 'colour' (known: name, regions)")
    }

    @Test func knownKeysPass() throws {
        let root = try Self.parse("name: a\nregions: [x]\n").mapping()
        try root.rejectUnknownKeys(["name", "regions", "interval"])
        #expect(root.entries.map(\.key) == ["name", "regions"])
    }

    @Test func stringDictionaryKeepsOrder() throws {
        let root = try Self.parse("tags:\n  Name: web\n  team: payments\n  env: prod\n").mapping()
        let tags = try root.required("tags").mapping().stringDictionary()
        #expect(tags.map(\.key) == ["Name", "team", "env"])
        #expect(tags.map(\.value) == ["web", "payments", "prod"])
    }

    // MARK: Malformed documents

    @Test func malformedYAMLGivesTheLine() {
        let error = Self.configError {
            _ = try ConfigNode.parse("aws:\n  jobs:\n    - name: a\n      regions: [us-east-1\n    - name: b\n", file: "bad.yml")
        }
        #expect(error?.file == "bad.yml")
        #expect(error?.field == "")
        #expect(error?.message.hasPrefix("invalid YAML") == true)
        let line = error?.line ?? 0
        #expect((4...5).contains(line), "line \(line)")
        #expect(error?.description.hasPrefix("bad.yml:\(line):") == true)
    }

    @Test func badIndentationGivesTheLine() {
        let error = Self.configError {
            _ = try ConfigNode.parse("a: 1\nb:\n  c: 2\n d: 3\n", file: "indent.yml")
        }
        #expect(error?.line == 4)
        #expect(error?.message.hasPrefix("invalid YAML") == true)
    }

    @Test func tabIndentationIsAnError() {
        let error = Self.configError { _ = try ConfigNode.parse("a:\n\tb: 1\n", file: "tabs.yml") }
        #expect(error?.line == 2)
    }

    @Test func duplicateKeysAreRejected() {
        let error = Self.configError {
            _ = try ConfigNode.parse("aws:\n  jobs: []\n  events_files: []\n  jobs: []\n", file: "dup.yml")
        }
        #expect(error?.message == "duplicate key 'jobs'")
        #expect(error?.line == 2 || error?.line == 4)
    }

    @Test func emptyDocumentIsAnEmptyMapping() throws {
        let root = try ConfigNode.parse("", file: "empty.yml").mapping()
        #expect(root.entries.isEmpty)
        let comments = try ConfigNode.parse("# nothing here\n", file: "c.yml").mapping()
        #expect(comments.entries.isEmpty)
    }

    @Test func loadReadsFilesAndReportsMissingOnes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("config-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("good.yml").path
        try Data("aws:\n  jobs: []\n".utf8).write(to: URL(fileURLWithPath: good))
        let node = try ConfigNode.load(file: good)
        #expect(node.file == good)
        #expect(try node.mapping().required("aws").mapping().required("jobs").list().isEmpty)

        let missing = directory.appendingPathComponent("missing.yml").path
        let error = Self.configError { _ = try ConfigNode.load(file: missing) }
        #expect(error?.file == missing)
        #expect(error?.message == "cannot read the file")

        let latin1 = directory.appendingPathComponent("latin1.yml").path
        try Data([0x61, 0x3A, 0x20, 0xE9, 0x0A]).write(to: URL(fileURLWithPath: latin1))
        #expect(Self.configError { _ = try ConfigNode.load(file: latin1) }?.message == "not UTF-8 text")
    }

    @Test func descriptionLeavesOutWhatIsUnknown() {
        #expect(ConfigError(file: "f.yml", field: "", message: "cannot read the file").description
                == "f.yml: cannot read the file")
        #expect(ConfigError(file: "f.yml", line: 3, field: "a.b", message: "bad").description == "f.yml:3: a.b: bad")
        #expect(ConfigError(file: "f.yml", line: 3, column: 9, field: "a", message: "bad").description == "f.yml:3:9: a: bad")
    }
}
