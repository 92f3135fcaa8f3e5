/// One element of a parsed XML document.
///
/// Names are local names: a namespace prefix (`ec2:item`) is stripped, and `xmlns`
/// declarations are not kept, because AWS responses are read by element name alone.
public struct XMLElement: Sendable, Equatable {
    /// Local name, without any namespace prefix.
    public var name: String
    /// Attributes by local name; `xmlns` and `xmlns:*` are left out.
    public var attributes: [String: String]
    public var children: [XMLElement]
    /// The element's own character data (text and CDATA, entities decoded), concatenated
    /// in document order. Text inside child elements is not included.
    public var text: String

    public init(name: String, attributes: [String: String] = [:], children: [XMLElement] = [], text: String = "") {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    /// The first child element called `name`.
    public func child(_ name: String) -> XMLElement? {
        children.first { $0.name == name }
    }

    /// Every child element called `name`, in document order.
    public func children(_ name: String) -> [XMLElement] {
        children.filter { $0.name == name }
    }

    /// Follows first children by name: `path("a", "b")` is `child("a")?.child("b")`.
    /// An empty path is the element itself.
    public func path(_ names: String...) -> XMLElement? {
        path(names)
    }

    public func path(_ names: [String]) -> XMLElement? {
        var current = self
        for name in names {
            guard let next = current.child(name) else { return nil }
            current = next
        }
        return current
    }
}
