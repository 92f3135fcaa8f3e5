import Synchronization

/// An include/exclude filter on names (devices, mount points, fs types, vmstat fields) given as
/// regular expressions in node_exporter's flag syntax. A pattern matches anywhere in the name
/// unless it anchors itself with `^`/`$`, as Go's `MatchString` does.
///
/// Names on a host are few and repeat on every scrape, so each answer is remembered: the regex
/// engine runs once per distinct name, not once per scrape.
public final class NameFilter: Sendable {
    private let include: Pattern?
    private let exclude: Pattern?
    private let answers = Mutex<[String: Bool]>([:])

    /// Empty or nil patterns are ignored. Throws with the offending pattern when it does not compile.
    public init(include: String? = nil, exclude: String? = nil) throws {
        self.include = try Pattern(include)
        self.exclude = try Pattern(exclude)
    }

    /// True when the name passes the include pattern (if any) and not the exclude pattern (if any).
    public func accepts(_ name: String) -> Bool {
        if let known = answers.withLock({ $0[name] }) { return known }
        var accepted = true
        if let include, !include.matches(name) { accepted = false }
        if accepted, let exclude, exclude.matches(name) { accepted = false }
        answers.withLock { cache in
            // Bound the memory a host with churning names (containers' veths) can cost.
            if cache.count > 4096 { cache.removeAll() }
            cache[name] = accepted
        }
        return accepted
    }

    /// A compiled pattern; regexes are only touched under this lock, since the engine's
    /// values are not declared Sendable.
    private final class Pattern: @unchecked Sendable {
        private let regex: Regex<AnyRegexOutput>
        private let lock = Mutex<Void>(())

        init?(_ source: String?) throws {
            guard let source, !source.isEmpty else { return nil }
            do {
                regex = try Regex(source)
            } catch {
                throw CollectorError("invalid regular expression \"\(source)\": \(error)")
            }
        }

        func matches(_ name: String) -> Bool {
            lock.withLock { _ in (try? regex.firstMatch(in: name)) != nil }
        }
    }
}
