import CCloudLibraries

/// RS256 signatures (RSASSA-PKCS1-v1_5 with SHA-256), as JSON Web Tokens for Google's OAuth
/// token endpoint need them. The key is parsed for each signature and freed at once, so no
/// parsed key outlives the call; a service-account token is signed about once an hour.
public enum RSASigner {
    /// Signatures of keys up to 8192 bits fit.
    static let maxSignatureLength = 1024

    /// `pemPrivateKey` is a PEM `PRIVATE KEY` (PKCS#8, as in service-account key files) or
    /// `RSA PRIVATE KEY` (PKCS#1). Encrypted keys are refused. Errors never quote the key.
    public static func signSHA256(pemPrivateKey: String, message: [UInt8]) throws(CryptoError) -> [UInt8] {
        var signature = [UInt8](repeating: 0, count: maxSignatureLength)
        var written = 0
        let pem = Array(pemPrivateKey.utf8)
        let status = pem.withUnsafeBufferPointer { pemBuffer in
            Digest.withBytes(message) { input in
                signature.withUnsafeMutableBufferPointer { out in
                    pemBuffer.withMemoryRebound(to: CChar.self) { pemChars in
                        nimbus_rsa_sha256_sign(pemChars.baseAddress, pemChars.count, input.baseAddress, input.count,
                                               out.baseAddress, out.count, &written)
                    }
                }
            }
        }
        switch status {
        case NIMBUS_SIGN_OK:
            return Array(signature[..<min(written, signature.count)])
        case NIMBUS_SIGN_BAD_KEY:
            // OpenSSL's queue says only which decoder gave up; it never echoes the input.
            let detail = CryptoError.fromErrorQueue(operation: "PEM_read_bio_PrivateKey")
            throw .openSSL(operation: "PEM_read_bio_PrivateKey",
                           reason: "no readable unencrypted PEM private key (\(detail.reason))")
        case NIMBUS_SIGN_NOT_RSA:
            _ = CryptoError.fromErrorQueue(operation: "RS256")
            throw .openSSL(operation: "RS256 signing", reason: "the private key is not an RSA key")
        case NIMBUS_SIGN_BUFFER_TOO_SMALL:
            throw .openSSL(operation: "RS256 signing", reason: "the RSA key is larger than 8192 bits")
        default:
            throw CryptoError.fromErrorQueue(operation: "EVP_DigestSign(RS256)")
        }
    }
}

extension CryptoError {
    /// The OpenSSL reason alone, for wrapping in a clearer message.
    var reason: String {
        switch self {
        case .openSSL(_, let reason): reason
        }
    }
}
