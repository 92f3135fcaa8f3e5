/// A path into a JSON document (see docs/rest.md): `$.data.cpu`, `$.instances[*]`,
/// `$['key with spaces'][0]`, or without `$` a path relative to an element (`location.zone`).
public struct JSONPath: Sendable, Equatable, CustomStringConvertible {
    public enum Step: Sendable, Equatable {
        /// `.key` or `['key']`: a member of an object.
        case key(String)
        /// `[N]`: an element of an array.
        case index(Int)
        /// `[*]`: every element of an array, or every value of an object.
        case wildcard
    }

    /// True for paths starting at the document (`$…`), false for paths relative to an element.
    public let isAbsolute: Bool
    public let steps: [Step]
    /// The text as configured, for messages.
    public let text: String

    public init(parsing text: String, relative: Bool = false) throws(JSONPathError) {
        var parser = JSONPathParser(text: text)
        steps = try relative ? parser.parseRelative() : parser.parseAbsolute()
        isAbsolute = !relative
        self.text = text
    }

    public var hasWildcard: Bool { steps.contains(.wildcard) }

    public var description: String { text }
}

/// Why a path expression does not parse; `offset` counts characters from the start.
public struct JSONPathError: Error, Sendable, Equatable, CustomStringConvertible {
    public var offset: Int
    public var message: String

    public var description: String { "\(message) at character \(offset + 1)" }
}
