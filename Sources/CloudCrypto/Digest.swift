import CCloudLibraries

/// One-shot SHA-256 and HMAC-SHA256 on libcrypto's EVP layer.
public enum Digest {
    public static let sha256Length = 32

    public static func sha256(_ bytes: some Collection<UInt8>) throws(CryptoError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: sha256Length)
        var written: UInt32 = 0
        let status = withBytes(bytes) { input in
            output.withUnsafeMutableBufferPointer { out in
                nimbus_sha256(input.baseAddress, input.count, out.baseAddress, &written)
            }
        }
        guard status == 1, written == UInt32(sha256Length) else {
            throw CryptoError.fromErrorQueue(operation: "EVP_Digest(SHA-256)")
        }
        return output
    }

    public static func hmacSHA256(key: some Collection<UInt8>, data: some Collection<UInt8>) throws(CryptoError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: sha256Length)
        var written: UInt32 = 0
        let result = withBytes(key) { keyBuffer -> UnsafeMutablePointer<UInt8>? in
            // HMAC takes the key length as an int: refuse what it cannot represent.
            guard let keyLength = Int32(exactly: keyBuffer.count) else { return nil }
            return withBytes(data) { dataBuffer in
                output.withUnsafeMutableBufferPointer { out in
                    nimbus_hmac_sha256(keyBuffer.baseAddress, keyLength,
                                       dataBuffer.baseAddress, dataBuffer.count, out.baseAddress, &written)
                }
            }
        }
        guard result != nil, written == UInt32(sha256Length) else {
            throw CryptoError.fromErrorQueue(operation: "HMAC(SHA-256)")
        }
        return output
    }

    /// Hands C a pointer that is never nil, even for empty input: some libcrypto entry points
    /// treat a nil pointer as "no argument" rather than as zero bytes.
    static func withBytes<R>(_ bytes: some Collection<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if bytes.isEmpty {
            let placeholder: [UInt8] = [0]
            return placeholder.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[0..<0])) }
        }
        if let result = bytes.withContiguousStorageIfAvailable(body) { return result }
        return Array(bytes).withUnsafeBufferPointer(body)
    }
}
