import CloudCrypto
import Foundation
import Testing
import TestSupport

/// RS256 on libcrypto, checked by an independent verifier (`openssl dgst -verify`).
@Suite struct GCPRSASignerTests {
    @Test func signatureVerifiesWithOpenSSL() throws {
        let key = try GCPTestKey.get()
        let message = Array("eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ0ZXN0In0".utf8)
        let signature = try RSASigner.signSHA256(pemPrivateKey: key.privateKeyPEM, message: message)
        #expect(signature.count == 256)
        #expect(try verify(signature: signature, message: message, key: key))
        // A changed message must not verify: the check can fail.
        #expect(try !verify(signature: signature, message: message + [0x41], key: key))
    }

    @Test func signaturesAreDeterministic() throws {
        // PKCS#1 v1.5 has no random salt (unlike PSS): the same input gives the same bytes.
        let key = try GCPTestKey.get()
        let first = try RSASigner.signSHA256(pemPrivateKey: key.privateKeyPEM, message: Array("abc".utf8))
        let second = try RSASigner.signSHA256(pemPrivateKey: key.privateKeyPEM, message: Array("abc".utf8))
        #expect(first == second)
        #expect(try RSASigner.signSHA256(pemPrivateKey: key.privateKeyPEM, message: []).count == 256)
    }

    @Test func pkcs1KeysAreAcceptedToo() throws {
        let key = try GCPTestKey.get()
        let path = key.directory + "/key-pkcs1-\(UUID().uuidString).pem"
        let converted = try runTool(try #require(TestPaths.tool("openssl")),
                                    ["pkey", "-in", key.privateKeyPath, "-traditional", "-out", path])
        try #require(converted.status == 0, "\(converted.output)")
        let pem = try String(contentsOfFile: path, encoding: .utf8)
        #expect(pem.hasPrefix("-----BEGIN RSA PRIVATE KEY-----"))
        let signature = try RSASigner.signSHA256(pemPrivateKey: pem, message: Array("xyz".utf8))
        #expect(try verify(signature: signature, message: Array("xyz".utf8), key: key))
    }

    @Test(arguments: [
        "",
        "not a key at all",
        "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEAsecretsecretsecret\n-----END PRIVATE KEY-----\n",
    ])
    func badPEMGivesAClearErrorWithoutKeyMaterial(pem: String) throws {
        let error = try #require(throws: CryptoError.self) {
            try RSASigner.signSHA256(pemPrivateKey: pem, message: Array("abc".utf8))
        }
        let text = "\(error)"
        #expect(text.contains("PEM private key"))
        #expect(!text.contains("secretsecret"))
        #expect(!text.contains("MIIB"))
    }

    @Test func nonRSAKeysAreRefused() throws {
        let key = try GCPTestKey.get()
        let path = key.directory + "/ec-\(UUID().uuidString).pem"
        let made = try runTool(try #require(TestPaths.tool("openssl")),
                               ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path])
        try #require(made.status == 0, "\(made.output)")
        let pem = try String(contentsOfFile: path, encoding: .utf8)
        let error = try #require(throws: CryptoError.self) {
            try RSASigner.signSHA256(pemPrivateKey: pem, message: Array("abc".utf8))
        }
        #expect("\(error)".contains("not an RSA key"))
    }

    @Test(arguments: [
        ("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"),
        ("foobar", "Zm9vYmFy"),
    ])
    func base64URLMatchesRFC4648Vectors(input: String, expected: String) {
        #expect(base64URLEncoded(Array(input.utf8)) == expected)
    }

    @Test func base64URLUsesTheURLSafeAlphabet() {
        #expect(base64URLEncoded([0xfb, 0xff, 0xbf]) == "-_-_")
        #expect(base64URLEncoded([0xfb, 0xff]) == "-_8")
    }

    private func verify(signature: [UInt8], message: [UInt8], key: GCPTestKey) throws -> Bool {
        let signaturePath = key.directory + "/sig-\(UUID().uuidString).bin"
        let messagePath = key.directory + "/msg-\(UUID().uuidString).bin"
        try Data(signature).write(to: URL(fileURLWithPath: signaturePath))
        try Data(message).write(to: URL(fileURLWithPath: messagePath))
        defer {
            try? FileManager.default.removeItem(atPath: signaturePath)
            try? FileManager.default.removeItem(atPath: messagePath)
        }
        let result = try runTool(try #require(TestPaths.tool("openssl")),
                                 ["dgst", "-sha256", "-verify", key.publicKeyPath, "-signature", signaturePath, messagePath])
        return result.status == 0 && result.output.contains("Verified OK")
    }
}
