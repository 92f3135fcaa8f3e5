import AWSCloud
import Foundation
import Testing

/// A directory of its own per test, removed afterwards.
private final class ScratchDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("events-file-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    func path(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }

    func write(_ text: String, to name: String) throws {
        try Data(text.utf8).write(to: url.appendingPathComponent(name))
    }

    func append(_ text: String, to name: String) throws {
        let handle = try #require(FileHandle(forWritingAtPath: path(name)))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    func rename(_ name: String, to newName: String) throws {
        try FileManager.default.moveItem(atPath: path(name), toPath: path(newName))
    }
}

@Suite("EventsFileTests")
struct EventsFileTests {
    // MARK: Following a growing file

    @Test("JSON Lines appended in pieces: a partial last line waits for its end")
    func appendsInPieces() throws {
        let dir = try ScratchDirectory()
        try dir.write(#"{"eventName":"A"}"# + "\n" + #"{"eventName":"#, to: "events.jsonl")
        let tailer = EventsFileTailer(path: dir.path("events.jsonl"), format: .jsonLines,
                                      fields: ["eventName"])

        let first = try tailer.poll()
        #expect(first.records == [["eventName": "A"]])
        #expect(first.state == .reading)
        #expect(tailer.position?.offset == 18)

        try dir.append(#""B"}"#, to: "events.jsonl")
        #expect(try tailer.poll().records.isEmpty)

        try dir.append("\n" + #"{"eventName":"C"}"# + "\n", to: "events.jsonl")
        let third = try tailer.poll()
        #expect(third.records == [["eventName": "B"], ["eventName": "C"]])
        #expect(third.malformedCount == 0)
        #expect(try tailer.poll().records.isEmpty)
    }

    @Test("a poll stops at its byte budget and the next one goes on")
    func byteBudget() throws {
        let dir = try ScratchDirectory()
        let lines = (0..<20).map { #"{"n":\#($0)}"# + "\n" }.joined()
        try dir.write(lines, to: "events.jsonl")
        let tailer = EventsFileTailer(path: dir.path("events.jsonl"), format: .jsonLines,
                                      fields: ["n"], chunkSize: 16, maxBytesPerPoll: 64)
        var numbers: [String] = []
        var polls = 0
        var batch = EventsFileBatch(hasMore: true)
        while batch.hasMore && polls < 100 {
            batch = try tailer.poll()
            numbers += batch.records.compactMap { $0["n"] }
            polls += 1
        }
        #expect(numbers == (0..<20).map(String.init))
        #expect(polls > 2)
    }

    // MARK: JSON Lines

    @Test("JSON Lines fields: keys, dotted paths, scalars as text, missing as empty, BOM dropped")
    func jsonFieldValues() throws {
        let dir = try ScratchDirectory()
        let line = #"{"userIdentity":{"type":"IAMUser","sessionContext":{"mfa":false}},"#
            + #""readOnly":true,"count":3,"ratio":1.5,"gone":null,"list":[1,"a"],"#
            + #""a.b":"direct","a":{"b":"nested"}}"#
        try dir.write("\u{FEFF}" + line + "\r\n", to: "events.jsonl")
        let fields = ["userIdentity.type", "userIdentity.sessionContext.mfa", "readOnly", "count",
                      "ratio", "gone", "list", "a.b", "absent", "userIdentity.absent"]
        let tailer = EventsFileTailer(path: dir.path("events.jsonl"), format: .jsonLines,
                                      fields: fields)
        let record = try #require(try tailer.poll().records.first)
        #expect(record == [
            "userIdentity.type": "IAMUser", "userIdentity.sessionContext.mfa": "false",
            "readOnly": "true", "count": "3", "ratio": "1.5", "gone": "", "list": #"[1,"a"]"#,
            "a.b": "direct", "absent": "", "userIdentity.absent": "",
        ])
    }

    @Test("malformed JSON lines are counted once and skipped; blank lines are not malformed")
    func malformedJSONLines() throws {
        let dir = try ScratchDirectory()
        let text = [#"{"e":"ok1"}"#, "not json", "[1,2]", #"{"e":"#, "", "   ", "42",
                    #"{"e":"ok2"}"#].joined(separator: "\n") + "\n"
        try dir.write(text, to: "events.jsonl")
        let tailer = EventsFileTailer(path: dir.path("events.jsonl"), format: .jsonLines,
                                      fields: ["e"])
        let first = try tailer.poll()
        #expect(first.records == [["e": "ok1"], ["e": "ok2"]])
        #expect(first.malformedCount == 4)

        try dir.append(#"{"e":"ok3"}"# + "\n", to: "events.jsonl")
        let second = try tailer.poll()
        #expect(second.records == [["e": "ok3"]])
        #expect(second.malformedCount == 0)
    }

    @Test("JSON strings and numbers: escapes, surrogate pairs, exponents, huge integers")
    func jsonEscapesAndNumbers() throws {
        let dir = try ScratchDirectory()
        let line = #"{"s":"q\"b\\s\/\u00e9\ud83d\ude00\n\t","neg":-0.5,"exp":1E3,"#
            + #""huge":12345678901234567890,"nested":{"z":"\u0001","a":[true,null]}}"#
        try dir.write(line + "\n", to: "events.jsonl")
        let tailer = EventsFileTailer(path: dir.path("events.jsonl"), format: .jsonLines,
                                      fields: ["s", "neg", "exp", "huge", "nested"])
        let batch = try tailer.poll()
        #expect(batch.malformedCount == 0)
        let record = try #require(batch.records.first)
        #expect(record["s"] == "q\"b\\s/é😀\n\t")
        #expect(record["neg"] == "-0.5")
        #expect(record["exp"] == "1000")
        #expect(record["huge"] == "1.2345678901234567e+19")
        #expect(record["nested"] == #"{"a":[true,null],"z":"\u0001"}"#)
    }

    @Test("JSON that breaks the grammar is malformed, deep nesting included, and nothing crashes")
    func jsonGrammarViolations() throws {
        let dir = try ScratchDirectory()
        let bad = [#"{"a":1,}"#, #"{"a":1} x"#, "{\"a\":\"tab\there\"}", #"{"a":01}"#,
                   "{'a':1}", #"{"a":"\x"}"#, #"{"a":"\u12"}"#, #"{"a":tru}"#, #"{"a":-}"#,
                   #"{"a" 1}"#, #"{"a":1.}"#, #"{"a":"open}"#,
                   String(repeating: #"{"a":"#, count: 300) + "1"
                       + String(repeating: "}", count: 300)]
        try dir.write(bad.joined(separator: "\n") + "\n" + #"{"a":"fine"}"# + "\n",
                      to: "events.jsonl")
        let tailer = EventsFileTailer(path: dir.path("events.jsonl"), format: .jsonLines,
                                      fields: ["a"])
        let batch = try tailer.poll()
        #expect(batch.records == [["a": "fine"]])
        #expect(batch.malformedCount == bad.count)
    }

    @Test("a line longer than the record limit is malformed and the next line is read")
    func oversizedRecord() throws {
        let dir = try ScratchDirectory()
        let long = #"{"e":""# + String(repeating: "x", count: 100) + #""}"#
        try dir.write(long + "\n" + #"{"e":"ok"}"# + "\n", to: "events.jsonl")
        let tailer = EventsFileTailer(path: dir.path("events.jsonl"), format: .jsonLines,
                                      fields: ["e"], chunkSize: 7, maxRecordBytes: 32)
        let batch = try tailer.poll()
        #expect(batch.records == [["e": "ok"]])
        #expect(batch.malformedCount == 1)
    }

    // MARK: CSV

    @Test("CSV quoting: commas, doubled quotes, line breaks in quotes, CRLF, BOM, empty fields")
    func csvQuoting() throws {
        let dir = try ScratchDirectory()
        let text = "\u{FEFF}eventname,useridentity,note\r\n"
            + "ConsoleLogin,\"alice, admin\",\"she said \"\"hi\"\"\"\r\n"
            + "\"PutObject\",bob,\"line one\r\nline two\nline three\"\r\n"
            + "\r\n"
            + "DeleteBucket,,\"\"\n"
        try dir.write(text, to: "events.csv")
        let tailer = EventsFileTailer(path: dir.path("events.csv"), format: .csv,
                                      fields: ["eventname", "useridentity", "note", "missing"])
        let batch = try tailer.poll()
        #expect(batch.malformedCount == 0)
        #expect(batch.records == [
            ["eventname": "ConsoleLogin", "useridentity": "alice, admin",
             "note": "she said \"hi\"", "missing": ""],
            ["eventname": "PutObject", "useridentity": "bob",
             "note": "line one\r\nline two\nline three", "missing": ""],
            ["eventname": "DeleteBucket", "useridentity": "", "note": "", "missing": ""],
        ])
    }

    @Test("CSV records (and a BOM) split across read chunks decode the same at every chunk size")
    func csvAcrossChunkBoundaries() throws {
        let dir = try ScratchDirectory()
        let text = "\u{FEFF}\"a\",b\n\"multi\nline, with comma\",\"\"\"quoted\"\"\"\r\n"
            + "plain,\"x\r\ny\"\r\n"
        try dir.write(text, to: "events.csv")
        let expected: [[String: String]] = [
            ["a": "multi\nline, with comma", "b": "\"quoted\""],
            ["a": "plain", "b": "x\r\ny"],
        ]
        for chunkSize in 1...text.utf8.count {
            let tailer = EventsFileTailer(path: dir.path("events.csv"), format: .csv,
                                          chunkSize: chunkSize)
            let batch = try tailer.poll()
            #expect(batch.records == expected, "chunk size \(chunkSize)")
            #expect(batch.malformedCount == 0, "chunk size \(chunkSize)")
        }
    }

    @Test("a newline inside quotes that arrives in a later append is still inside the field")
    func csvQuotedNewlineAcrossAppends() throws {
        let dir = try ScratchDirectory()
        try dir.write("name,detail\nfirst,\"open\n", to: "events.csv")
        let tailer = EventsFileTailer(path: dir.path("events.csv"), format: .csv)
        #expect(try tailer.poll().records.isEmpty)
        try dir.append("still open\",", to: "events.csv")
        #expect(try tailer.poll().records.isEmpty)
        try dir.append("\n", to: "events.csv")
        let batch = try tailer.poll()
        #expect(batch.malformedCount == 1)  // three fields against a two-field header
        try dir.append("second,\"closed\"\n", to: "events.csv")
        #expect(try tailer.poll().records == [["name": "second", "detail": "closed"]])
    }

    @Test("malformed CSV records: wrong field count, stray quote, text after a closing quote")
    func csvMalformed() throws {
        let dir = try ScratchDirectory()
        let text = "a,b\nok,1\ntoo,many,fields\nfew\nst\"ray,2\n\"closed\"junk,3\nok,2\n"
        try dir.write(text, to: "events.csv")
        let tailer = EventsFileTailer(path: dir.path("events.csv"), format: .csv, fields: ["b"])
        let batch = try tailer.poll()
        #expect(batch.records == [["b": "1"], ["b": "2"]])
        #expect(batch.malformedCount == 4)
    }

    // MARK: Rotation and truncation

    @Test("rotation by rename: the old file is finished, then the new one is read from its start")
    func rotationByRename() throws {
        let dir = try ScratchDirectory()
        try dir.write(#"{"n":1}"# + "\n", to: "events.jsonl")
        let tailer = EventsFileTailer(path: dir.path("events.jsonl"), format: .jsonLines,
                                      fields: ["n"])
        #expect(try tailer.poll().records == [["n": "1"]])

        // A writer keeps the old file open across the rename and finishes its last line late.
        let writer = try #require(FileHandle(forWritingAtPath: dir.path("events.jsonl")))
        defer { try? writer.close() }
        try writer.seekToEnd()
        try writer.write(contentsOf: Data((#"{"n":2}"# + "\n").utf8))
        try dir.rename("events.jsonl", to: "events.jsonl.1")
        let whileMissing = try tailer.poll()
        #expect(whileMissing.state == .fileMissing)
        #expect(whileMissing.records == [["n": "2"]])

        try writer.write(contentsOf: Data(#"{"n":3}"#.utf8))  // no line end: the last record
        try dir.write(#"{"n":4}"# + "\n", to: "events.jsonl")
        let rotated = try tailer.poll()
        #expect(rotated.records == [["n": "3"], ["n": "4"]])
        #expect(rotated.rotations == 1)
        #expect(rotated.state == .reading)

        try dir.append(#"{"n":5}"# + "\n", to: "events.jsonl")
        #expect(try tailer.poll().records == [["n": "5"]])
    }

    @Test("after rotation a CSV file's own header is read again")
    func csvRotationRereadsHeader() throws {
        let dir = try ScratchDirectory()
        try dir.write("user,event\nalice,Login\n", to: "events.csv")
        let tailer = EventsFileTailer(path: dir.path("events.csv"), format: .csv,
                                      fields: ["user", "event"])
        #expect(try tailer.poll().records == [["user": "alice", "event": "Login"]])

        try dir.append("bob,\"unfinished", to: "events.csv")
        try dir.rename("events.csv", to: "events.csv.1")
        try dir.write("event,user\nLogout,carol\n", to: "events.csv")
        let batch = try tailer.poll()
        #expect(batch.rotations == 1)
        #expect(batch.malformedCount == 1)  // the old file ended inside quotes
        #expect(batch.records == [["user": "carol", "event": "Logout"]])
    }

    @Test("truncation: the file is read again from the start, header included")
    func truncation() throws {
        let dir = try ScratchDirectory()
        try dir.write("user\nalice\nbob\ncarol\n", to: "events.csv")
        let tailer = EventsFileTailer(path: dir.path("events.csv"), format: .csv)
        #expect(try tailer.poll().records.count == 3)
        let inode = try #require(tailer.position?.inode)

        let handle = try #require(FileHandle(forWritingAtPath: dir.path("events.csv")))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data("name\ndave\n".utf8))
        try handle.close()

        let batch = try tailer.poll()
        #expect(batch.truncations == 1)
        #expect(batch.rotations == 0)
        #expect(batch.records == [["name": "dave"]])
        #expect(tailer.position?.inode == inode)
        #expect(tailer.position?.offset == 10)
    }

    // MARK: Missing files and restarts

    @Test("a missing file is a state, not an error, until it appears")
    func missingThenAppears() throws {
        let dir = try ScratchDirectory()
        let tailer = EventsFileTailer(path: dir.path("later.jsonl"), format: .jsonLines,
                                      fields: ["e"])
        let missing = try tailer.poll()
        #expect(missing.state == .fileMissing)
        #expect(missing.records.isEmpty)
        #expect(tailer.position == nil)

        try dir.write(#"{"e":"first"}"# + "\n", to: "later.jsonl")
        let found = try tailer.poll()
        #expect(found.state == .reading)
        #expect(found.records == [["e": "first"]])
    }

    @Test("an unreadable path throws an error that names it")
    func unreadablePath() throws {
        let dir = try ScratchDirectory()
        try FileManager.default.createDirectory(atPath: dir.path("a-directory"),
                                                withIntermediateDirectories: false)
        let tailer = EventsFileTailer(path: dir.path("a-directory"), format: .csv)
        let error = #expect(throws: EventsFileError.self) {
            try tailer.poll()
        }
        #expect(error?.description.contains(dir.path("a-directory")) == true)
    }

    @Test("a restart from a saved position continues instead of recounting")
    func restartFromSavedPosition() throws {
        let dir = try ScratchDirectory()
        try dir.write("user,event\nalice,Login\nbob,Lo", to: "events.csv")
        let first = EventsFileTailer(path: dir.path("events.csv"), format: .csv, fields: ["user"])
        #expect(try first.poll().records == [["user": "alice"]])
        let saved = try JSONEncoder().encode(try #require(first.position))

        try dir.append("gout\ncarol,Login\n", to: "events.csv")
        let position = try JSONDecoder().decode(EventsFilePosition.self, from: saved)
        #expect(position.header == ["user", "event"])
        let second = EventsFileTailer(path: dir.path("events.csv"), format: .csv,
                                      fields: ["user"], resumingFrom: position)
        #expect(try second.poll().records == [["user": "bob"], ["user": "carol"]])

        // Saved without its header, the position still works: the header is read again.
        var headerless = position
        headerless.header = nil
        let third = EventsFileTailer(path: dir.path("events.csv"), format: .csv,
                                     fields: ["event"], resumingFrom: headerless)
        #expect(try third.poll().records == [["event": "Logout"], ["event": "Login"]])
    }

    @Test("a saved position from another file (rotated while stopped) starts from the beginning")
    func restartAfterRotationWhileStopped() throws {
        let dir = try ScratchDirectory()
        try dir.write(#"{"n":1}"# + "\n" + #"{"n":2}"# + "\n", to: "events.jsonl")
        let first = EventsFileTailer(path: dir.path("events.jsonl"), format: .jsonLines,
                                     fields: ["n"])
        #expect(try first.poll().records.count == 2)
        let position = try #require(first.position)

        try dir.rename("events.jsonl", to: "events.jsonl.1")
        try dir.write(#"{"n":3}"# + "\n" + #"{"n":4}"# + "\n" + #"{"n":5}"# + "\n",
                      to: "events.jsonl")
        let second = EventsFileTailer(path: dir.path("events.jsonl"), format: .jsonLines,
                                      fields: ["n"], resumingFrom: position)
        #expect(try second.poll().records == [["n": "3"], ["n": "4"], ["n": "5"]])
    }

    // MARK: Counting

    @Test("counts by fields in order, with a cap on distinct keys")
    func counterCap() throws {
        var counter = EventCounter(fields: ["event", "user"], maxKeys: 2)
        counter.add([
            ["event": "Login", "user": "alice"],
            ["event": "Login", "user": "bob"],
            ["event": "Login", "user": "alice"],
            ["event": "Logout", "user": "carol"],
            ["user": "dave"],
            ["event": "Login", "user": "bob"],
        ])
        #expect(counter.counts == [["Login", "alice"]: 2, ["Login", "bob"]: 2])
        #expect(counter.overflow == 2)

        let restored = try JSONDecoder().decode(EventCounter.self,
                                                from: JSONEncoder().encode(counter))
        #expect(restored == counter)
    }

    @Test("a field missing from a record counts under the empty value")
    func counterMissingField() {
        var counter = EventCounter(fields: ["event", "user"])
        counter.add(["event": "Login"])
        #expect(counter.counts == [["Login", ""]: 1])
        #expect(counter.overflow == 0)
    }
}
