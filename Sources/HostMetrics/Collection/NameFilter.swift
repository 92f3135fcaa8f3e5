#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
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
        self.include = try Pattern.make(include)
        self.exclude = try Pattern.make(exclude)
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

    /// A compiled POSIX extended regular expression (glibc's engine: already loaded with libc,
    /// where Swift's Regex would add about 2 MB of resident code). The Perl classes node_exporter's
    /// defaults use (`\d`, `\s`, `\w` and their negations) are rewritten to POSIX classes first.
    private final class Pattern: @unchecked Sendable {
        private let regex: UnsafeMutablePointer<regex_t>

        /// nil for an empty or absent pattern.
        static func make(_ source: String?) throws -> Pattern? {
            guard let source, !source.isEmpty else { return nil }
            return try Pattern(source)
        }

        /// Fails before any stored property is set: a class initializer that fails after that
        /// runs `deinit`, which would free a pattern that was never compiled.
        private init(_ source: String) throws {
            let compiled = UnsafeMutablePointer<regex_t>.allocate(capacity: 1)
            let code = regcomp(compiled, Self.posix(source), REG_EXTENDED | REG_NOSUB)
            guard code == 0 else {
                var message = [UInt8](repeating: 0, count: 256)
                message.withUnsafeMutableBufferPointer { buffer in
                    buffer.withMemoryRebound(to: CChar.self) { _ = regerror(code, compiled, $0.baseAddress, $0.count) }
                }
                compiled.deallocate()
                let reason = String(decoding: message.prefix { $0 != 0 }, as: UTF8.self)
                throw CollectorError("invalid regular expression \"\(source)\": \(reason)")
            }
            regex = compiled
        }

        deinit {
            regfree(regex)
            regex.deallocate()
        }

        /// regexec on a compiled pattern is thread-safe.
        func matches(_ name: String) -> Bool {
            regexec(regex, name, 0, nil, 0) == 0
        }

        /// Rewrites `\d \D \s \S \w \W` into POSIX bracket expressions, inside or outside brackets.
        static func posix(_ source: String) -> String {
            var result = ""
            var inBracket = false
            var escaped = false
            for character in source {
                if escaped {
                    escaped = false
                    let classes: [Character: (plain: String, inside: String)] = [
                        "d": ("[0-9]", "0-9"), "D": ("[^0-9]", ""), "s": ("[[:space:]]", "[:space:]"),
                        "S": ("[^[:space:]]", ""), "w": ("[[:alnum:]_]", "[:alnum:]_"), "W": ("[^[:alnum:]_]", ""),
                    ]
                    if let replacement = classes[character], !(inBracket && replacement.inside.isEmpty) {
                        result += inBracket ? replacement.inside : replacement.plain
                    } else {
                        result += "\\" + String(character)
                    }
                    continue
                }
                switch character {
                case "\\": escaped = true
                case "[" where !inBracket: inBracket = true; result.append(character)
                case "]" where inBracket: inBracket = false; result.append(character)
                default: result.append(character)
                }
            }
            if escaped { result += "\\\\" }
            return result
        }
    }
}
