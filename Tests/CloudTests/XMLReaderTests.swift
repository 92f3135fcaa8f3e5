import Foundation
import Testing
import TestSupport
@testable import AWSCloud

@Suite struct XMLReaderTests {
    // MARK: Well-formed documents

    @Test func readsNestedElementsWithDeclarationCommentsAndProcessingInstructions() throws {
        let root = try XMLReader.parse("""
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- leading comment -->
            <?app-hint keep calm?>
            <root kind="outer">
              <a>one</a>
              <!-- inner comment --><a>two</a>
              <b><c>deep</c></b>
            </root>
            <!-- trailing comment -->

            """)
        #expect(root.name == "root")
        #expect(root.attributes == ["kind": "outer"])
        #expect(root.children.map(\.name) == ["a", "a", "b"])
        #expect(root.children("a").map(\.text) == ["one", "two"])
        #expect(root.child("a")?.text == "one")
        #expect(root.child("missing") == nil)
        #expect(root.path("b", "c")?.text == "deep")
        #expect(root.path("b", "x") == nil)
        #expect(root.path()?.name == "root")
    }

    @Test func decodesPredefinedEntitiesAndCharacterReferences() throws {
        let root = try XMLReader.parse("<v>&lt;a&gt; &amp; &quot;q&quot; &apos;s&apos; &#65;&#x42;&#x63; &#10;&#x1F600;&#233;</v>")
        #expect(root.text == "<a> & \"q\" 's' ABc \n😀é")
    }

    @Test func keepsCDATAVerbatimAndJoinsItWithText() throws {
        let root = try XMLReader.parse("<v>a<![CDATA[<b> & &amp; ]]]]>c</v>")
        #expect(root.text == "a<b> & &amp; ]]c")
    }

    @Test func readsSelfClosingElementsWithAndWithoutAttributes() throws {
        let root = try XMLReader.parse("<r><empty/><spaced /><attr x='1' y = \"2\"/></r>")
        #expect(root.children.map(\.name) == ["empty", "spaced", "attr"])
        #expect(root.children.allSatisfy { $0.children.isEmpty && $0.text.isEmpty })
        #expect(root.child("attr")?.attributes == ["x": "1", "y": "2"])
    }

    @Test func stripsNamespacePrefixesAndDropsNamespaceDeclarations() throws {
        let root = try XMLReader.parse("""
            <ec2:Response xmlns="urn:default" xmlns:ec2="urn:ec2" ec2:lang="en" plain="p">\
            <ec2:item>x</ec2:item><item>y</item></ec2:Response>
            """)
        #expect(root.name == "Response")
        #expect(root.attributes == ["lang": "en", "plain": "p"])
        #expect(root.children("item").map(\.text) == ["x", "y"])
    }

    @Test func normalisesLineEndsInTextAndWhitespaceInAttributes() throws {
        let root = try XMLReader.parse(Array("<r a=\"x\ty\r\nz\">1\r\n2\r3</r>".utf8))
        #expect(root.text == "1\n2\n3")
        #expect(root.attributes["a"] == "x y z")
    }

    @Test func decodesReferencesInAttributeValues() throws {
        let root = try XMLReader.parse("<r a=\"&quot;&amp;&#x41;\" b='it&apos;s'/>")
        #expect(root.attributes == ["a": "\"&A", "b": "it's"])
    }

    @Test func textIsOnlyTheElementsOwnCharacterData() throws {
        let root = try XMLReader.parse("<r>before<child>inner</child>after</r>")
        #expect(root.text == "beforeafter")
        #expect(root.child("child")?.text == "inner")
    }

    @Test func acceptsByteOrderMarkAndNonASCIIText() throws {
        let root = try XMLReader.parse([0xEF, 0xBB, 0xBF] + Array("<r>Zürich 東京 😀</r>".utf8))
        #expect(root.text == "Zürich 東京 😀")
    }

    @Test func nestingUpToTheLimitIsAccepted() throws {
        let document = String(repeating: "<a>", count: 10) + "x" + String(repeating: "</a>", count: 10)
        var element = try XMLReader.parse(document, maxDepth: 10)
        var depth = 1
        while let next = element.child("a") {
            element = next
            depth += 1
        }
        #expect(depth == 10)
        #expect(element.text == "x")
        #expect(throws: XMLReadError(.nestingTooDeep(limit: 9), at: 27)) {
            try XMLReader.parse(document, maxDepth: 9)
        }
    }

    // MARK: Malformed documents, inline

    @Test(arguments: [
        ("<a><b></a>", XMLReadError(.mismatchedClosingTag(expected: "b", found: "a"), at: 6)),
        ("<a></a></b>", XMLReadError(.contentAfterRootElement, at: 7)),
        ("</a>", XMLReadError(.closingTagWithoutOpening("a"), at: 0)),
        ("<a>", XMLReadError(.unclosedElements(["a"]), at: 3)),
        ("<a><b>", XMLReadError(.unclosedElements(["a", "b"]), at: 6)),
        ("<a", XMLReadError(.unexpectedEndOfDocument(expecting: "\">\" to end the tag"), at: 2)),
        ("<a x=\"1></a>", XMLReadError(.unexpectedCharacter(found: "\"<\"", expecting: "an attribute value without \"<\""), at: 8)),
        ("<a x=1/>", XMLReadError(.unexpectedCharacter(found: "\"1\"", expecting: "a quoted attribute value"), at: 5)),
        ("<a x='1'y='2'/>", XMLReadError(.unexpectedCharacter(found: "\"y\"", expecting: "a space before the attribute"), at: 8)),
        ("<a/ >", XMLReadError(.unexpectedCharacter(found: "a space", expecting: "\">\" after \"/\" in <a/>"), at: 3)),
        ("<1a/>", XMLReadError(.invalidName, at: 1)),
        ("<a:/>", XMLReadError(.invalidName, at: 1)),
        ("<>", XMLReadError(.invalidName, at: 1)),
        ("<a>&bogus;</a>", XMLReadError(.undefinedEntity("bogus"), at: 3)),
        ("<a>&amp</a>", XMLReadError(.unterminatedReference, at: 3)),
        ("<a>&#;</a>", XMLReadError(.invalidCharacterReference("#"), at: 3)),
        ("<a>&#x;</a>", XMLReadError(.invalidCharacterReference("#x"), at: 3)),
        ("<a>&#12a;</a>", XMLReadError(.invalidCharacterReference("#12a"), at: 3)),
        ("<a>&#xDFFF;</a>", XMLReadError(.invalidCharacterReference("#xDFFF"), at: 3)),
        ("<a>&#x110000;</a>", XMLReadError(.invalidCharacterReference("#x110000"), at: 3)),
        ("<a>&#99999999999999999999;</a>", XMLReadError(.invalidCharacterReference("#99999999999999999999"), at: 3)),
        ("<a>&#xFFFE;</a>", XMLReadError(.invalidCharacterReference("#xFFFE"), at: 3)),
        ("<a>&#8;</a>", XMLReadError(.invalidCharacterReference("#8"), at: 3)),
        ("text<a/>", XMLReadError(.textOutsideRootElement, at: 0)),
        ("<a/>tail", XMLReadError(.contentAfterRootElement, at: 4)),
        ("<![CDATA[x]]><a/>", XMLReadError(.textOutsideRootElement, at: 0)),
        ("<a><![CDATA[x</a>", XMLReadError(.unexpectedEndOfDocument(expecting: "\"]]>\" to end the CDATA section"), at: 17)),
        ("<a><!ELEMENT a ANY></a>", XMLReadError(.unexpectedCharacter(found: "\"<!\"", expecting: "a comment or CDATA section"), at: 3)),
        ("<?xml version=\"1.0\"", XMLReadError(.unexpectedEndOfDocument(expecting: "\"?>\" to end the processing instruction"), at: 19)),
        ("<?xml version='1.0' encoding='UTF-16'?><a/>", XMLReadError(.unsupportedEncoding("UTF-16"), at: 0)),
        ("", XMLReadError(.emptyDocument, at: 0)),
        ("  \n<!-- only a comment -->\n", XMLReadError(.emptyDocument, at: 27)),
    ])
    func rejectsMalformedInput(document: String, expected: XMLReadError) {
        #expect(throws: expected) { try XMLReader.parse(document) }
    }

    @Test func rejectsBytesThatAreNotXMLCharacters() {
        #expect(throws: XMLReadError(.invalidUTF8, at: 4)) { try XMLReader.parse([0x3C, 0x61, 0x3E, 0x78, 0xC3, 0x28, 0x3C]) }
        #expect(throws: XMLReadError(.invalidUTF8, at: 3)) { try XMLReader.parse([0x3C, 0x61, 0x3E, 0xED, 0xA0, 0x80]) }  // encoded surrogate
        #expect(throws: XMLReadError(.forbiddenCharacter(0), at: 3)) { try XMLReader.parse([0x3C, 0x61, 0x3E, 0x00]) }
        #expect(throws: XMLReadError(.forbiddenCharacter(0xFFFF), at: 3)) { try XMLReader.parse([0x3C, 0x61, 0x3E, 0xEF, 0xBF, 0xBF]) }
    }

    @Test func descriptionsNameTheProblemAndTheOffset() {
        let error = XMLReadError(.mismatchedClosingTag(expected: "item", found: "reservationSet"), at: 42)
        #expect(error.description == "malformed XML at byte 42: closing tag </reservationSet> does not match the open element <item>")
        let unclosed = XMLReadError(.unclosedElements(["a", "b"]), at: 9)
        #expect(unclosed.description == "malformed XML at byte 9: the document ends with <b> not closed (open: <a> <b>)")
        #expect(XMLReadError(.forbiddenCharacter(1), at: 0).description.contains("U+0001"))
    }

    @Test func withoutContentDropsDocumentText() {
        let error = XMLReadError(.undefinedEntity("SECRETPART"), at: 7)
        #expect(!error.withoutContent().description.contains("SECRETPART"))
        #expect(error.withoutContent().offset == 7)
        #expect(error.description.contains("&SECRETPART;"))
    }

    // MARK: Malformed fixture files

    @Test(arguments: [
        ("mismatched-tag.xml", "closing tag </reservationSet> does not match the open element <item>"),
        ("truncated.xml", "the document ends early, expected \">\" to end the closing tag </mem>"),
        ("unclosed.xml", "the document ends with <Credentials> not closed (open: <AssumeRoleResponse> <AssumeRoleResult> <Credentials>)"),
        ("undefined-entity.xml", "undefined entity &eacute;"),
        ("surrogate-reference.xml", "invalid character reference &#xD800;"),
        ("nul-reference.xml", "invalid character reference &#0;"),
        ("bare-ampersand.xml", "\"&\" does not start a reference like &amp; (no \";\" follows)"),
        ("html-cut.xml", "closing tag </body> does not match the open element <hr>"),
        ("garbage.xml", "text outside the root element"),
        ("two-roots.xml", "content after the end of the root element"),
        ("doctype.xml", "DOCTYPE declarations are not supported"),
        ("latin1.xml", "encoding \"ISO-8859-1\" is not supported (only UTF-8)"),
        ("invalid-utf8.xml", "the bytes are not valid UTF-8"),
        ("control-character.xml", "character U+0001 is not allowed in XML"),
        ("unterminated-comment.xml", "the document ends early, expected \"-->\" to end the comment"),
        ("duplicate-attribute.xml", "attribute \"a\" appears twice"),
        ("empty.xml", "the document is empty (no root element)"),
        ("deep-nesting.xml", "elements are nested deeper than 256 levels"),
    ])
    func malformedFixtureThrowsNamingTheProblem(file: String, reason: String) throws {
        let bytes = try AWSResponseFixtures.bytes("malformed/" + file)
        #expect(throws: XMLReadError.self) { try XMLReader.parse(bytes) }
        do {
            _ = try XMLReader.parse(bytes)
        } catch {
            #expect(error.description.hasSuffix(": " + reason), "\(error)")
            #expect(error.offset >= 0 && error.offset <= bytes.count)
        }
    }

    // MARK: Robustness

    /// Every strict prefix of a response that stops before its last `>` is incomplete
    /// and must be reported as such, never crash or hang.
    @Test func everyTruncationOfARealResponseThrows() throws {
        let bytes = try AWSResponseFixtures.bytes("moto-get-metric-data.xml")
        let lastClose = try #require(bytes.lastIndex(of: UInt8(ascii: ">")))
        var failures = 0
        for length in 0...lastClose {
            do {
                _ = try XMLReader.parse(Array(bytes[..<length]))
            } catch {
                #expect(error.offset <= length)
                failures += 1
            }
        }
        #expect(failures == lastClose + 1)
        #expect(try XMLReader.parse(bytes).name == "GetMetricDataResponse")
    }

    /// Random byte damage (seeded, so reproducible) gives either a tree or an error
    /// pointing inside the document.
    @Test func randomCorruptionNeverCrashes() throws {
        let original = try AWSResponseFixtures.bytes("describe-instances-edge.xml")
        var generator = SplitMix64(seed: 0x5EED)
        let alphabet = Array("<>/&;#x!?[]-=\"' \nab0\u{00}".utf8) + [0xC3, 0xFF, 0xE2]
        var errors = 0
        for _ in 0..<500 {
            var bytes = original
            for _ in 0..<Int(generator.next() % 4 + 1) {
                let position = Int(generator.next() % UInt64(bytes.count))
                switch generator.next() % 3 {
                case 0: bytes[position] = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                case 1: bytes.remove(at: position)
                default: bytes.insert(alphabet[Int(generator.next() % UInt64(alphabet.count))], at: position)
                }
            }
            do {
                _ = try XMLReader.parse(bytes)
            } catch {
                #expect(error.offset >= 0 && error.offset <= bytes.count)
                errors += 1
            }
        }
        #expect(errors > 0)
    }

    @Test func deepNestingIsRefusedWithoutRecursion() {
        let depth = 100_000
        let document = Array(String(repeating: "<a>", count: depth).utf8)
        #expect(throws: XMLReadError(.nestingTooDeep(limit: 256), at: 256 * 3)) { try XMLReader.parse(document) }
    }
}

enum AWSResponseFixtures {
    static func bytes(_ name: String) throws -> [UInt8] {
        let path = TestPaths.fixture("aws/responses/" + name)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Missing(path: path)
        }
        return [UInt8](data)
    }

    struct Missing: Error, CustomStringConvertible {
        let path: String
        var description: String { "fixture not found: \(path)" }
    }
}

/// A tiny seeded generator, so corruption tests repeat exactly.
private struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
