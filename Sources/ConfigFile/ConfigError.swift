/// A configuration problem, located for the person who has to fix it:
/// `aws.yml:12:7: aws.jobs[0].cloudwatch.metrics[1].period: must be a positive duration`.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    /// Dotted path of the field (`aws.jobs[0].regions`); empty for the document itself.
    public var field: String
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, field: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.message = message
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if let column { text += ":\(column)" }
        text += ": "
        if !field.isEmpty { text += field + ": " }
        return text + message
    }
}
