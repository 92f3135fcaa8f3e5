/// Why a document could not be read, and the byte offset (from 0) where reading stopped.
public struct XMLReadError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case emptyDocument
        case invalidUTF8
        /// A C0 control character or other byte value XML does not allow.
        case forbiddenCharacter(UInt32)
        case unsupportedEncoding(String)
        case doctypeNotSupported
        case unexpectedEndOfDocument(expecting: String)
        /// The document ended while these elements (outermost first) were still open.
        case unclosedElements([String])
        case unexpectedCharacter(found: String, expecting: String)
        case invalidName
        case mismatchedClosingTag(expected: String, found: String)
        case closingTagWithoutOpening(String)
        case duplicateAttribute(String)
        case undefinedEntity(String)
        /// `&` not followed by a reference closed with `;`.
        case unterminatedReference
        case invalidCharacterReference(String)
        case textOutsideRootElement
        case contentAfterRootElement
        case nestingTooDeep(limit: Int)
    }

    public var kind: Kind
    public var offset: Int

    public init(_ kind: Kind, at offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    public var description: String {
        "malformed XML at byte \(offset): \(reason)"
    }

    /// The same error with document text (entity names, stray characters) removed, for
    /// documents that may carry secrets.
    public func withoutContent() -> XMLReadError {
        switch kind {
        case .unsupportedEncoding: XMLReadError(.unsupportedEncoding("…"), at: offset)
        case .unexpectedCharacter(_, let expecting): XMLReadError(.unexpectedCharacter(found: "…", expecting: expecting), at: offset)
        case .undefinedEntity: XMLReadError(.undefinedEntity("…"), at: offset)
        case .invalidCharacterReference: XMLReadError(.invalidCharacterReference("…"), at: offset)
        default: self
        }
    }

    private var reason: String {
        switch kind {
        case .emptyDocument:
            "the document is empty (no root element)"
        case .invalidUTF8:
            "the bytes are not valid UTF-8"
        case .forbiddenCharacter(let scalar):
            "character U+\(hex(scalar)) is not allowed in XML"
        case .unsupportedEncoding(let name):
            "encoding \"\(name)\" is not supported (only UTF-8)"
        case .doctypeNotSupported:
            "DOCTYPE declarations are not supported"
        case .unexpectedEndOfDocument(let expecting):
            "the document ends early, expected \(expecting)"
        case .unclosedElements(let names):
            "the document ends with <\(names.last ?? "")> not closed (open: \(names.map { "<\($0)>" }.joined(separator: " ")))"
        case .unexpectedCharacter(let found, let expecting):
            "found \(found), expected \(expecting)"
        case .invalidName:
            "expected an element or attribute name"
        case .mismatchedClosingTag(let expected, let found):
            "closing tag </\(found)> does not match the open element <\(expected)>"
        case .closingTagWithoutOpening(let found):
            "closing tag </\(found)> has no open element"
        case .duplicateAttribute(let name):
            "attribute \"\(name)\" appears twice"
        case .undefinedEntity(let name):
            "undefined entity &\(name);"
        case .unterminatedReference:
            "\"&\" does not start a reference like &amp; (no \";\" follows)"
        case .invalidCharacterReference(let reference):
            "invalid character reference &\(reference);"
        case .textOutsideRootElement:
            "text outside the root element"
        case .contentAfterRootElement:
            "content after the end of the root element"
        case .nestingTooDeep(let limit):
            "elements are nested deeper than \(limit) levels"
        }
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
