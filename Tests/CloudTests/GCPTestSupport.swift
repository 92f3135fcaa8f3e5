import Foundation
import TestSupport

/// An RSA key pair made by `openssl genpkey` once per test run, in its own temporary directory,
/// and a service-account key file around it.
struct GCPTestKey: Sendable {
    let directory: String
    let privateKeyPath: String
    let publicKeyPath: String
    let privateKeyPEM: String

    struct SetupError: Error, Sendable, CustomStringConvertible {
        var description: String
    }

    static let shared: Result<GCPTestKey, SetupError> = {
        do { return .success(try GCPTestKey()) } catch {
            return .failure(SetupError(description: "\(error)"))
        }
    }()

    static func get() throws -> GCPTestKey { try shared.get() }

    init() throws {
        guard let openssl = TestPaths.tool("openssl") else { throw RawHTTPClient.Failure(description: "openssl not found") }
        directory = NSTemporaryDirectory() + "nimbus-gcp-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        privateKeyPath = directory + "/key.pem"
        publicKeyPath = directory + "/pub.pem"
        let made = try runTool(openssl, ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", privateKeyPath])
        guard made.status == 0 else { throw RawHTTPClient.Failure(description: "openssl genpkey failed: \(made.output)") }
        let exported = try runTool(openssl, ["pkey", "-in", privateKeyPath, "-pubout", "-out", publicKeyPath])
        guard exported.status == 0 else { throw RawHTTPClient.Failure(description: "openssl pkey failed: \(exported.output)") }
        privateKeyPEM = try String(contentsOfFile: privateKeyPath, encoding: .utf8)
    }

    /// A key file as the Cloud console would download it, with `token_uri` pointing at `tokenURI`.
    func serviceAccountJSON(tokenURI: String, email: String = "exporter@test-project.iam.gserviceaccount.com") throws -> String {
        let object: [String: String] = [
            "type": "service_account", "project_id": "test-project", "private_key_id": "0123456789abcdef",
            "private_key": privateKeyPEM, "client_email": email, "client_id": "1234567890",
            "auth_uri": "https://accounts.google.com/o/oauth2/auth", "token_uri": tokenURI,
        ]
        return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    func writeServiceAccountFile(tokenURI: String) throws -> String {
        let path = directory + "/sa-\(UUID().uuidString).json"
        try serviceAccountJSON(tokenURI: tokenURI).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

/// `Tests/Servers/gcp_server.py` checking JWTs against the shared test key.
func startGCPServer() throws -> PythonServer {
    try PythonServer("gcp_server.py", ["--public-key", try GCPTestKey.get().publicKeyPath], readyPath: "/_control/stats")
}

func gcpStats(_ server: PythonServer) throws -> [String: Any] {
    try server.control("GET", "/_control/stats") as? [String: Any] ?? [:]
}
