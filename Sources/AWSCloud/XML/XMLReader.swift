/// Reads a UTF-8 XML document into an `XMLElement` tree.
///
/// Plain Swift on bytes (no libxml2): enough XML for AWS responses — declaration,
/// comments, processing instructions, CDATA, the predefined entities and character
/// references, namespaces by prefix stripping. DOCTYPE is refused, so no entity
/// expansion can be smuggled in. Elements are built with an explicit stack, never by
/// recursion, and nesting is capped.
public enum XMLReader {
    public static let defaultMaxDepth = 256

    public static func parse(_ text: String, maxDepth: Int = defaultMaxDepth) throws(XMLReadError) -> XMLElement {
        try parse(Array(text.utf8), maxDepth: maxDepth)
    }

    public static func parse(_ bytes: [UInt8], maxDepth: Int = defaultMaxDepth) throws(XMLReadError) -> XMLElement {
        try XMLDeclaration.checkEncoding(bytes)
        try XMLCharacterCheck.validate(bytes)
        var reader = TreeBuilder(bytes: bytes, maxDepth: maxDepth)
        return try reader.run()
    }
}

private struct OpenElement {
    var qualifiedName: String
    var element: XMLElement
    var text: [UInt8] = []
}

private struct TreeBuilder {
    var cursor: XMLByteCursor
    let maxDepth: Int
    var stack: [OpenElement] = []
    var root: XMLElement?

    init(bytes: [UInt8], maxDepth: Int) {
        let hasByteOrderMark = bytes.starts(with: [0xEF, 0xBB, 0xBF])
        cursor = XMLByteCursor(bytes, at: hasByteOrderMark ? 3 : 0)
        self.maxDepth = maxDepth
    }

    mutating func run() throws(XMLReadError) -> XMLElement {
        while !cursor.isAtEnd {
            if cursor.current == UInt8(ascii: "<") {
                try readMarkup()
            } else {
                try readCharacterData()
            }
        }
        if !stack.isEmpty {
            throw XMLReadError(.unclosedElements(stack.map(\.qualifiedName)), at: cursor.index)
        }
        guard let root else { throw XMLReadError(.emptyDocument, at: cursor.index) }
        return root
    }

    private mutating func readMarkup() throws(XMLReadError) {
        let start = cursor.index
        if cursor.hasPrefix("<?") {
            try readProcessingInstruction()
        } else if cursor.hasPrefix("<!--") {
            cursor.advance(by: 4)
            _ = try cursor.read(until: "-->", "\"-->\" to end the comment")
        } else if cursor.hasPrefix("<![CDATA[") {
            guard !stack.isEmpty else { throw outsideRoot(at: start) }
            cursor.advance(by: 9)
            let content = try cursor.read(until: "]]>", "\"]]>\" to end the CDATA section")
            XMLByteCursor.appendRaw(content, to: &stack[stack.count - 1].text)
        } else if cursor.hasPrefix("<!DOCTYPE") {
            throw XMLReadError(.doctypeNotSupported, at: start)
        } else if cursor.hasPrefix("<!") {
            throw XMLReadError(.unexpectedCharacter(found: "\"<!\"", expecting: "a comment or CDATA section"), at: start)
        } else if cursor.hasPrefix("</") {
            try readClosingTag()
        } else {
            try readOpeningTag()
        }
    }

    /// `<?target ...?>`, the XML declaration included: skipped (its encoding was checked
    /// before reading began).
    private mutating func readProcessingInstruction() throws(XMLReadError) {
        cursor.advance(by: 2)
        _ = try cursor.readName()
        _ = try cursor.read(until: "?>", "\"?>\" to end the processing instruction")
    }

    private mutating func readOpeningTag() throws(XMLReadError) {
        let start = cursor.index
        if root != nil { throw XMLReadError(.contentAfterRootElement, at: start) }
        cursor.advance()
        let name = try cursor.readName()
        let qualifiedName = name.qualified
        let attributes = try readAttributes()
        if stack.count >= maxDepth { throw XMLReadError(.nestingTooDeep(limit: maxDepth), at: start) }
        let open = OpenElement(qualifiedName: qualifiedName,
                               element: XMLElement(name: name.local, attributes: attributes))
        if cursor.current == UInt8(ascii: "/") {
            cursor.advance()
            try cursor.expect(UInt8(ascii: ">"), "\">\" after \"/\" in <\(qualifiedName)/>")
            finish(open)
        } else {
            try cursor.expect(UInt8(ascii: ">"), "\">\" to end the tag <\(qualifiedName)>")
            stack.append(open)
        }
    }

    private mutating func readAttributes() throws(XMLReadError) -> [String: String] {
        var attributes: [String: String] = [:]
        var seen: Set<String> = []
        while true {
            let spaced = cursor.skipWhitespace()
            guard let byte = cursor.current else {
                throw XMLReadError(.unexpectedEndOfDocument(expecting: "\">\" to end the tag"), at: cursor.index)
            }
            if byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/") { return attributes }
            guard spaced else {
                throw XMLReadError(.unexpectedCharacter(found: cursor.describe(byte), expecting: "a space before the attribute"), at: cursor.index)
            }
            let nameOffset = cursor.index
            let name = try cursor.readName()
            cursor.skipWhitespace()
            try cursor.expect(UInt8(ascii: "="), "\"=\" after attribute \(name.qualified)")
            cursor.skipWhitespace()
            let value = try cursor.readAttributeValue()
            guard seen.insert(name.qualified).inserted else {
                throw XMLReadError(.duplicateAttribute(name.qualified), at: nameOffset)
            }
            if name.qualified == "xmlns" || name.qualified.hasPrefix("xmlns:") { continue }
            if attributes[name.local] == nil { attributes[name.local] = value }
        }
    }

    private mutating func readClosingTag() throws(XMLReadError) {
        let start = cursor.index
        cursor.advance(by: 2)
        let name = try cursor.readName().qualified
        cursor.skipWhitespace()
        try cursor.expect(UInt8(ascii: ">"), "\">\" to end the closing tag </\(name)>")
        guard let open = stack.popLast() else {
            throw XMLReadError(root == nil ? .closingTagWithoutOpening(name) : .contentAfterRootElement, at: start)
        }
        guard open.qualifiedName == name else {
            throw XMLReadError(.mismatchedClosingTag(expected: open.qualifiedName, found: name), at: start)
        }
        finish(open)
    }

    private mutating func readCharacterData() throws(XMLReadError) {
        guard !stack.isEmpty else {
            // Between top-level markup only whitespace may appear.
            cursor.skipWhitespace()
            if cursor.isAtEnd || cursor.current == UInt8(ascii: "<") { return }
            throw outsideRoot(at: cursor.index)
        }
        try cursor.readText(into: &stack[stack.count - 1].text)
    }

    private mutating func finish(_ open: OpenElement) {
        var element = open.element
        element.text = String(decoding: open.text, as: UTF8.self)
        if stack.isEmpty {
            root = element
        } else {
            stack[stack.count - 1].element.children.append(element)
        }
    }

    private func outsideRoot(at offset: Int) -> XMLReadError {
        XMLReadError(root == nil ? .textOutsideRootElement : .contentAfterRootElement, at: offset)
    }
}
