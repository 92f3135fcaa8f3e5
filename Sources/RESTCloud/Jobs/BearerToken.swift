import Foundation

/// Reads a target's bearer token at refresh time: a file is read again every time, so a rotated
/// token is used from the next refresh on. Errors say what is wrong, never what the token is.
enum BearerToken {
    static func read(_ source: RESTTargetConfig.TokenSource, environment: [String: String]) throws(TokenProblem) -> String {
        let raw: String
        switch source {
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw TokenProblem("cannot read bearer_token_file \(path)")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw TokenProblem("bearer_token_file \(path) is not UTF-8 text")
            }
            raw = text
        case .environment(let variable):
            guard let value = environment[variable] else {
                throw TokenProblem("the environment variable \(variable) is not set")
            }
            raw = value
        }
        // Files usually end with a newline; the token is what is between.
        let token = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw TokenProblem("\(source.origin) is empty") }
        guard token.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw TokenProblem("\(source.origin) holds characters not allowed in an HTTP header (spaces, control or non-ASCII)")
        }
        return token
    }

    struct TokenProblem: Error {
        var reason: String
        init(_ reason: String) { self.reason = reason }
    }
}

extension RESTTargetConfig.TokenSource {
    /// Where the token comes from, for messages.
    var origin: String {
        switch self {
        case .file(let path): "bearer_token_file \(path)"
        case .environment(let variable): "the environment variable \(variable)"
        }
    }
}
