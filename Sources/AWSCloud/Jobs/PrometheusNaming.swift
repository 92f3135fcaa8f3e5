import Foundation

/// Names as yet-another-cloudwatch-exporter writes them, so its dashboards and rules carry over:
/// `aws_ec2_cpuutilization_average`, `dimension_instance_id`, `tag_name`.
enum PrometheusNaming {
    /// YACE's metric-name form: an underscore before an upper-case letter that follows a lower-case
    /// letter or digit, punctuation to `_`, `%` to `_percent`, all lower case. Not yet a valid
    /// name on its own (it may start with a digit); callers prefix it.
    static func snakeCase(_ text: String) -> String {
        var out = ""
        var previous: Character?
        for character in text {
            switch character {
            case " ", ",", "\t", "/", "\\", ".", "-", ":", "=", "@", "<", ">", "(", ")", "“":
                out.append("_")
            case "%":
                out.append("_percent")
            default:
                if character.isUppercase, let previous, previous.isLowercase || previous.isNumber {
                    out.append("_")
                }
                out.append(contentsOf: character.lowercased())
            }
            previous = character
        }
        return out
    }

    /// The namespace as YACE writes it, lower-cased before snake-casing: `AWS/EC2` → `aws_ec2`,
    /// `AWS/ApplicationELB` → `aws_applicationelb`, `MyApp/Orders` → `aws_myapp_orders`,
    /// `/aws/sagemaker/TrainingJobs` → `aws_sagemaker_trainingjobs`.
    static func namespacePrefix(_ namespace: String) -> String {
        var name = Substring(snakeCase(namespace.lowercased()))
        if name.hasPrefix("_") { name = name.dropFirst() }
        return name.hasPrefix("aws") ? String(name) : "aws_" + name
    }

    /// `AWS/EC2` → `ec2`: the namespace prefix without its leading `aws_`.
    static func namespacePart(_ namespace: String) -> String {
        let prefix = namespacePrefix(namespace)
        return prefix.hasPrefix("aws_") ? String(prefix.dropFirst(4)) : prefix
    }

    /// `aws_<namespace>_<metric>_<statistic>`. As in YACE, a metric name that repeats a part of
    /// the namespace loses it (`AWS/Glue` `glue.driver.ExecutorCount` → `aws_glue_driver_executor_count`).
    static func cloudWatchMetricName(namespace: String, metric: String, statistic: String) -> String {
        let prefix = namespacePrefix(namespace)
        var metricPart = Substring(snakeCase(metric))
        for part in prefix.split(separator: "_", omittingEmptySubsequences: false) where metricPart.hasPrefix(part) {
            metricPart = metricPart.dropFirst(part.count)
        }
        if metricPart.hasPrefix("_") { metricPart = metricPart.dropFirst() }
        return validName("\(prefix)_\(metricPart)_\(snakeCase(statistic))")
    }

    /// A label name in YACE's `labelsSnakeCase` form (`dimension_instance_id`, `tag_cost_center`),
    /// which `promtool check metrics` accepts; YACE's default keeps the AWS spelling
    /// (`dimension_InstanceId`), which promtool rejects as camelCase.
    static func labelName(prefix: String, _ text: String) -> String {
        var out = prefix
        for scalar in snakeCase(text).unicodeScalars {
            let isValid = (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z")
                || (scalar >= "0" && scalar <= "9") || scalar == "_"
            out.unicodeScalars.append(isValid ? scalar : "_")
        }
        // Only reachable with an empty prefix (events-file fields): a label may not start with a digit.
        if let first = out.unicodeScalars.first, first >= "0" && first <= "9" { out = "_" + out }
        return out
    }

    /// Replaces characters a metric name cannot hold and keeps it from starting with a digit.
    private static func validName(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            let isValid = (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z")
                || (scalar >= "0" && scalar <= "9") || scalar == "_" || scalar == ":"
            out.unicodeScalars.append(isValid ? scalar : "_")
        }
        if let first = out.unicodeScalars.first, first >= "0" && first <= "9" { out = "_" + out }
        return out
    }
}
