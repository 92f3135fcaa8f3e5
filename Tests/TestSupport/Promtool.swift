import Foundation

/// `promtool check metrics`, with the lint complaints that node_exporter's own names draw
/// (and that the compatibility contract obliges us to keep) set aside.
public enum Promtool {
    /// Lint messages promtool prints for node_exporter 1.5's own output too; each names why it stays.
    public static let acceptedLint: [(pattern: String, reason: String)] = [
        (#"^node_memory_[A-Za-z0-9_]+ metric names should be written in 'snake_case' not 'camelCase'$"#,
         "meminfo families keep the kernel's field names, as node_exporter does"),
        (#"^node_entropy_(available|pool_size)_bits use base unit "bytes" instead of "bits"$"#,
         "node_exporter's entropy family names"),
        (#"^node_netstat_[A-Za-z0-9_]+ metric names should be written in 'snake_case' not 'camelCase'$"#,
         "netstat families keep the kernel's protocol and counter names (Tcp_InSegs), as node_exporter does"),
    ]

    public struct Result {
        /// promtool's exit status: 0 clean, 3 lint problems only, anything else a format error.
        public var status: Int32
        /// Lint or error lines not covered by `acceptedLint`.
        public var unexpected: [String]
    }

    /// nil when promtool is not installed.
    public static func check(_ text: String) throws -> Result? {
        guard let promtool = TestPaths.tool("promtool") else { return nil }
        let (status, output) = try runTool(promtool, ["check", "metrics"], input: text)
        let accepted = try acceptedLint.map { try NSRegularExpression(pattern: $0.pattern) }
        let unexpected = output.split(separator: "\n").map(String.init).filter { line in
            let range = NSRange(line.startIndex..., in: line)
            return !accepted.contains { $0.firstMatch(in: line, range: range) != nil }
        }
        return Result(status: status, unexpected: unexpected)
    }
}
