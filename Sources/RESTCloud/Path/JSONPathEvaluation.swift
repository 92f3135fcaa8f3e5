/// What a path found in a document.
struct JSONPathSelection {
    /// The values found, in document order (object values under `[*]` in key order).
    var matches: [JSONValue] = []
    /// Branches that ended early: a key absent, an index out of range, a step that does not apply
    /// to the kind of value it met (`.key` on a number).
    var missing = 0

    /// Nothing found, and not because an array was empty: the document is not shaped as expected.
    var foundNothing: Bool { matches.isEmpty && missing > 0 }
}

extension JSONPath {
    func select(in value: JSONValue) -> JSONPathSelection {
        var selection = JSONPathSelection()
        var current = [value]
        for step in steps {
            var next: [JSONValue] = []
            for candidate in current {
                switch (step, candidate) {
                case (.key(let key), .object(let members)):
                    if let member = members[key] { next.append(member) } else { selection.missing += 1 }
                case (.index(let index), .array(let elements)):
                    if index < elements.count { next.append(elements[index]) } else { selection.missing += 1 }
                case (.wildcard, .array(let elements)):
                    next.append(contentsOf: elements)
                case (.wildcard, .object(let members)):
                    next.append(contentsOf: members.sorted { $0.key < $1.key }.map(\.value))
                default:
                    selection.missing += 1
                }
            }
            current = next
        }
        selection.matches = current
        return selection
    }

    /// The one value a path without wildcards leads to, nil when it leads nowhere.
    func single(in value: JSONValue) -> JSONValue? {
        select(in: value).matches.first
    }
}
