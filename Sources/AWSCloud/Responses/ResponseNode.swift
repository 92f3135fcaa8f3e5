/// An element being decoded, with the path that leads to it, so every decode error can
/// say exactly which element was missing or wrong.
struct ResponseNode {
    let element: XMLElement
    let path: String
    let api: String

    /// Parses `body` and checks its root: an AWS error document becomes `.serviceError`,
    /// anything else unexpected `.unexpectedRoot`. With `hidingContent`, XML errors keep
    /// no document text (for responses that carry secrets).
    static func root(of body: [UInt8], api: String, expecting expected: [String],
                     hidingContent: Bool = false) throws(AWSResponseDecodeError) -> ResponseNode {
        let root: XMLElement
        do {
            root = try XMLReader.parse(body)
        } catch {
            throw AWSResponseDecodeError(api: api, .malformedXML(hidingContent ? error.withoutContent() : error))
        }
        guard expected.contains(root.name) else {
            if let serviceError = AWSErrorBody(errorDocument: root) {
                throw AWSResponseDecodeError(api: api, .serviceError(serviceError))
            }
            throw AWSResponseDecodeError(api: api, .unexpectedRoot(expected: expected, found: root.name))
        }
        return ResponseNode(element: root, path: root.name, api: api)
    }

    func optional(_ name: String) -> ResponseNode? {
        element.child(name).map { ResponseNode(element: $0, path: path + "/" + name, api: api) }
    }

    func required(_ name: String) throws(AWSResponseDecodeError) -> ResponseNode {
        guard let node = optional(name) else {
            throw AWSResponseDecodeError(api: api, .missingElement(path: path + "/" + name))
        }
        return node
    }

    /// Every child called `name` (AWS lists use `item` or `member`), numbered from 1.
    func items(_ name: String) -> [ResponseNode] {
        element.children(name).enumerated().map { position, child in
            ResponseNode(element: child, path: "\(path)/\(name)[\(position + 1)]", api: api)
        }
    }

    /// The text of child `name`, which must be present and not empty.
    func text(_ name: String) throws(AWSResponseDecodeError) -> String {
        let node = try required(name)
        guard !node.element.text.isEmpty else {
            throw AWSResponseDecodeError(api: api, .invalidValue(path: node.path, value: nil, expected: "a non-empty value"))
        }
        return node.element.text
    }

    /// The text of child `name`, or nil when it is absent or empty (`<nextToken/>`).
    func optionalText(_ name: String) -> String? {
        guard let text = element.child(name)?.text, !text.isEmpty else { return nil }
        return text
    }

    func invalid(_ value: String?, expected: String) -> AWSResponseDecodeError {
        AWSResponseDecodeError(api: api, .invalidValue(path: path, value: value, expected: expected))
    }
}
