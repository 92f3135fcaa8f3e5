import Foundation
@testable import RESTCloud
import Testing

/// The path language of docs/rest.md: what parses into which steps, what is rejected and where,
/// and what a path selects in a document.
@Suite struct RESTPathTests {
    private static func document(_ json: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
    }

    private static func parseError(_ text: String, relative: Bool = false) -> JSONPathError? {
        do {
            _ = try JSONPath(parsing: text, relative: relative)
            Issue.record("expected '\(text)' to be rejected")
            return nil
        } catch {
            return error
        }
    }

    @Test func parsesEveryStepKind() throws {
        let path = try JSONPath(parsing: "$.data['key with spaces'][2][*].cpu_usage-x")
        #expect(path.steps == [.key("data"), .key("key with spaces"), .index(2), .wildcard, .key("cpu_usage-x")])
        #expect(path.isAbsolute)
        #expect(try JSONPath(parsing: "$").steps.isEmpty)
    }

    @Test func quotedKeysKeepDotsBracketsAndEscapedQuotes() throws {
        #expect(try JSONPath(parsing: "$['a.b']").steps == [.key("a.b")])
        #expect(try JSONPath(parsing: #"$["x]['y"]"#).steps == [.key("x]['y")])
        #expect(try JSONPath(parsing: #"$['it\'s']"#).steps == [.key("it's")])
        #expect(try JSONPath(parsing: #"$['back\\slash']"#).steps == [.key(#"back\slash"#)])
        #expect(try JSONPath(parsing: "$['']").steps == [.key("")])
    }

    @Test func relativePathsStartBare() throws {
        #expect(try JSONPath(parsing: "location.zone", relative: true).steps == [.key("location"), .key("zone")])
        #expect(try JSONPath(parsing: "['a b'].c", relative: true).steps == [.key("a b"), .key("c")])
        #expect(try JSONPath(parsing: ".cpu", relative: true).steps == [.key("cpu")])
        #expect(try JSONPath(parsing: "[0]", relative: true).steps == [.index(0)])
    }

    @Test(arguments: [
        ("", "empty"), ("data.cpu", "must start with $"), ("$.", "missing after '.'"), ("$..a", "cannot start a key"),
        ("$.a b", "unexpected ' '"), ("$[", "not closed"), ("$['abc", "not closed"), ("$[1", "not closed"),
        ("$[-1]", "negative"), ("$[x]", "expected an index"), ("$.*", "[*]"), ("$[99999999999999999999]", "too large"),
        ("$.a.b c", "unexpected"), ("$['a'x]", "expected ']'"),
    ])
    func rejectsBadSyntax(text: String, fragment: String) throws {
        let error = try #require(Self.parseError(text))
        #expect(error.description.contains(fragment), "\(error)")
    }

    @Test func relativePathsMustNotStartWithDollar() throws {
        let error = try #require(Self.parseError("$.cpu", relative: true))
        #expect(error.description.contains("without $"))
        #expect(Self.parseError("", relative: true) != nil)
    }

    @Test func errorsNameThePosition() throws {
        let error = try #require(Self.parseError("$.data[x]"))
        #expect(error.offset == 7)
        #expect(error.description.hasSuffix("at character 8"))
    }

    @Test func selectsKeysIndexesAndWildcards() throws {
        let document = try Self.document("""
            {"a.b": 1, "list": [10, 20, 30], "map": {"z": 3, "y": 2}, "nested": {"deep": [{"v": true}]}}
            """)
        #expect(try JSONPath(parsing: "$['a.b']").select(in: document).matches == [.number(1)])
        #expect(try JSONPath(parsing: "$.list[1]").select(in: document).matches == [.number(20)])
        #expect(try JSONPath(parsing: "$.list[*]").select(in: document).matches == [.number(10), .number(20), .number(30)])
        // `[*]` on an object: its values, in key order.
        #expect(try JSONPath(parsing: "$.map[*]").select(in: document).matches == [.number(2), .number(3)])
        #expect(try JSONPath(parsing: "$.nested.deep[0].v").select(in: document).matches == [.bool(true)])
        #expect(try JSONPath(parsing: "$").select(in: document).matches == [document])
    }

    @Test func outOfRangeIndexAndMissingKeysFindNothing() throws {
        let document = try Self.document(#"{"list": [1, 2], "n": 5, "a": {"b": null}}"#)
        for text in ["$.list[2]", "$.absent", "$.n.x", "$.n[0]", "$.list.x", "$['a.b']", "$.n[*]", "$.a.b.c"] {
            let selection = try JSONPath(parsing: text).select(in: document)
            #expect(selection.foundNothing, "\(text)")
        }
        // A null found is something found: the series is skipped later, not the document refused.
        #expect(try JSONPath(parsing: "$.a.b").select(in: document).matches == [.null])
    }

    @Test func emptyArrayUnderWildcardIsNotAMissingPath() throws {
        let document = try Self.document(#"{"items": [], "mixed": [{"v": 1}, {"w": 2}, 7]}"#)
        let empty = try JSONPath(parsing: "$.items[*].v").select(in: document)
        #expect(empty.matches.isEmpty)
        #expect(!empty.foundNothing)
        let mixed = try JSONPath(parsing: "$.mixed[*].v").select(in: document)
        #expect(mixed.matches == [.number(1)])
        #expect(mixed.missing == 2)
        #expect(!mixed.foundNothing)
    }

    @Test(arguments: [
        ("12.5", 12.5), (" 7 ", 7.0), ("-3e2", -300.0), ("0", 0.0), (".5", 0.5),
        ("0x10", nil), ("nan", nil), ("inf", nil), ("", nil), ("12abc", nil), ("1e", nil), ("-", nil), ("1e999", nil),
    ] as [(String, Double?)])
    func numericStrings(text: String, expected: Double?) {
        #expect(NumericText.value(text) == expected)
    }
}
