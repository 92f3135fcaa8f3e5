/// Where each AWS service is reached: the public regional endpoint, unless overridden the way
/// the AWS SDKs allow (`AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`, both ignored when
/// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`) or by the job's own `endpoints` setting, which wins.
public struct AWSEndpoints: Sendable {
    /// Services this exporter calls, by the id the SDKs use in environment variable names.
    public enum Service: String, Sendable, CaseIterable {
        case ec2 = "EC2"
        case cloudWatch = "CLOUDWATCH"
        case cloudTrail = "CLOUDTRAIL"
        case sts = "STS"

        /// The signing name SigV4 uses.
        public var signingName: String {
            switch self {
            case .ec2: "ec2"
            case .cloudWatch: "monitoring"
            case .cloudTrail: "cloudtrail"
            case .sts: "sts"
            }
        }

        /// The key in a job's `endpoints` setting.
        public var configKey: String {
            switch self {
            case .ec2: "ec2"
            case .cloudWatch: "cloudwatch"
            case .cloudTrail: "cloudtrail"
            case .sts: "sts"
            }
        }
    }

    private let environment: [String: String]
    private let overrides: [String: String]

    public init(environment: [String: String], overrides: [String: String] = [:]) {
        self.environment = environment
        self.overrides = overrides
    }

    public func url(for service: Service, region: String) -> String {
        if let explicit = overrides[service.configKey], !explicit.isEmpty { return Self.trimmed(explicit) }
        if environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]?.lowercased() != "true" {
            if let specific = environment["AWS_ENDPOINT_URL_\(service.rawValue)"], !specific.isEmpty {
                return Self.trimmed(specific)
            }
            if let global = environment["AWS_ENDPOINT_URL"], !global.isEmpty { return Self.trimmed(global) }
        }
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return "https://\(service.signingName).\(region).\(suffix)"
    }

    private static func trimmed(_ url: String) -> String {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}
