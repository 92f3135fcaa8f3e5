import Foundation

/// The shared credentials file (`~/.aws/credentials`, or `AWS_SHARED_CREDENTIALS_FILE`) and
/// config file (`~/.aws/config`, or `AWS_CONFIG_FILE`), read for one profile (`AWS_PROFILE`,
/// then `AWS_DEFAULT_PROFILE`, then `default`). In the config file profiles other than
/// `default` are written `[profile name]`.
public struct SharedConfigFiles: Sendable {
    public let profile: String
    public let credentialsFile: String
    public let configFile: String

    public init(environment: [String: String], profile: String? = nil) {
        let home = environment["HOME"] ?? NSHomeDirectory()
        self.profile = profile ?? environment["AWS_PROFILE"] ?? environment["AWS_DEFAULT_PROFILE"] ?? "default"
        credentialsFile = Self.expand(environment["AWS_SHARED_CREDENTIALS_FILE"] ?? "~/.aws/credentials", home: home)
        configFile = Self.expand(environment["AWS_CONFIG_FILE"] ?? "~/.aws/config", home: home)
    }

    /// Settings of the profile in the credentials file.
    public func credentialsSection() -> [String: String]? {
        Self.sections(file: credentialsFile)?[profile]
    }

    /// Settings of the profile in the config file.
    public func configSection() -> [String: String]? {
        let sections = Self.sections(file: configFile)
        return profile == "default" ? sections?["default"] ?? sections?["profile default"] : sections?["profile \(profile)"]
    }

    private static func expand(_ path: String, home: String) -> String {
        path.hasPrefix("~/") ? home + path.dropFirst(1) : path
    }

    /// INI sections as the AWS CLI writes them: `[name]`, `key = value`, `#` and `;` comments.
    /// Indented lines continue a nested setting (`s3 =`) and are skipped.
    static func sections(file: String) -> [String: [String: String]]? {
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        var sections: [String: [String: String]] = [:]
        var current: String?
        for rawLine in String(decoding: data, as: UTF8.self).split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            if rawLine.first == " " || rawLine.first == "\t" { continue }
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                let name = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                let collapsed = name.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
                current = collapsed
                if sections[collapsed] == nil { sections[collapsed] = [:] }
                continue
            }
            guard let section = current, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            sections[section]?[key] = value
        }
        return sections
    }
}

/// Static keys of the profile, from the credentials file first and then the config file.
public struct SharedFileCredentials: CredentialProvider {
    public let source = "shared-file"
    private let files: SharedConfigFiles

    public init(files: SharedConfigFiles) {
        self.files = files
    }

    public func resolve(now: Double) throws(CredentialError) -> AWSCredentials? {
        for (section, file) in [(files.credentialsSection(), files.credentialsFile), (files.configSection(), files.configFile)] {
            guard let section else { continue }
            let keyId = section["aws_access_key_id"] ?? ""
            let secret = section["aws_secret_access_key"] ?? ""
            if keyId.isEmpty && secret.isEmpty { continue }
            guard !keyId.isEmpty, !secret.isEmpty else {
                throw CredentialError(source: source, "profile '\(files.profile)' in \(file) has only one of aws_access_key_id and aws_secret_access_key")
            }
            let token = section["aws_session_token"] ?? section["aws_security_token"]
            return AWSCredentials(accessKeyId: keyId, secretAccessKey: secret,
                                  sessionToken: token?.isEmpty == false ? token : nil, expiration: nil)
        }
        return nil
    }
}
