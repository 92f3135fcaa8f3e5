/// Reads the path language of docs/rest.md, one character at a time.
struct JSONPathParser {
    private let characters: [Character]
    private var position = 0

    init(text: String) {
        characters = Array(text)
    }

    /// `$` followed by steps.
    mutating func parseAbsolute() throws(JSONPathError) -> [JSONPath.Step] {
        guard peek == "$" else {
            throw fail(characters.isEmpty ? "the path is empty; it must start with $" : "the path must start with $")
        }
        position += 1
        return try parseSteps()
    }

    /// Steps without `$`; the first key may stand bare (`cpu`, `location.zone`) or after a `.`.
    mutating func parseRelative() throws(JSONPathError) -> [JSONPath.Step] {
        guard !characters.isEmpty else { throw fail("the path is empty") }
        if peek == "$" { throw fail("a relative path starts without $ (it is read from the selected element)") }
        if peek != "." && peek != "[" {
            let first = try parseDottedKey()
            return [first] + (try parseSteps())
        }
        return try parseSteps()
    }

    private mutating func parseSteps() throws(JSONPathError) -> [JSONPath.Step] {
        var steps: [JSONPath.Step] = []
        while let character = peek {
            switch character {
            case ".":
                position += 1
                steps.append(try parseDottedKey())
            case "[":
                position += 1
                steps.append(try parseBracket())
            default:
                throw fail("unexpected '\(character)'; expected .key or [...]")
            }
        }
        return steps
    }

    /// Characters a key may use after a dot; anything else needs `['…']`.
    private static func isKeyCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "_" || character == "-")
    }

    private mutating func parseDottedKey() throws(JSONPathError) -> JSONPath.Step {
        let start = position
        while let character = peek, Self.isKeyCharacter(character) { position += 1 }
        guard position > start else {
            if peek == "*" { throw fail("write [*] for every element, not .*") }
            throw fail(peek.map { "'\($0)' cannot start a key; write ['…'] for keys with other characters" }
                       ?? "a key is missing after '.'")
        }
        return .key(String(characters[start..<position]))
    }

    private mutating func parseBracket() throws(JSONPathError) -> JSONPath.Step {
        guard let character = peek else { throw fail("'[' is not closed") }
        let step: JSONPath.Step
        switch character {
        case "*":
            position += 1
            step = .wildcard
        case "'", "\"":
            step = .key(try parseQuoted(character))
        case "0"..."9":
            let start = position
            while let digit = peek, digit.isASCII, digit.isNumber { position += 1 }
            guard let index = Int(String(characters[start..<position])) else { throw fail("the index is too large") }
            step = .index(index)
        case "-":
            throw fail("indexes count from 0; negative indexes are not supported")
        default:
            throw fail("expected an index, * or a quoted key after '['")
        }
        guard peek == "]" else { throw fail(peek == nil ? "'[' is not closed" : "expected ']'") }
        position += 1
        return step
    }

    /// `'…'` or `"…"`; a backslash escapes the next character (the quote or a backslash).
    private mutating func parseQuoted(_ quote: Character) throws(JSONPathError) -> String {
        position += 1
        var key = ""
        while let character = peek {
            position += 1
            if character == quote { return key }
            if character == "\\" {
                guard let escaped = peek else { break }
                position += 1
                key.append(escaped)
            } else {
                key.append(character)
            }
        }
        throw fail("the quoted key is not closed")
    }

    private var peek: Character? { position < characters.count ? characters[position] : nil }

    private func fail(_ message: String) -> JSONPathError {
        JSONPathError(offset: position, message: message)
    }
}
