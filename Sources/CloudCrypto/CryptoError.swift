import CCloudLibraries

/// A libcrypto call reported failure. The reason comes from OpenSSL's error queue and never
/// contains key material or the data being hashed or signed.
public enum CryptoError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `operation` names the OpenSSL function that failed; `reason` is OpenSSL's own text.
    case openSSL(operation: String, reason: String)

    public var description: String {
        switch self {
        case .openSSL(let operation, let reason): "\(operation) failed: \(reason)"
        }
    }

    /// Builds the error for a failed call and empties the thread's OpenSSL error queue, so a
    /// stale entry cannot be blamed on a later, unrelated failure.
    static func fromErrorQueue(operation: String) -> CryptoError {
        var reasons: [String] = []
        while true {
            let code = nimbus_err_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            nimbus_err_error_string_n(code, &buffer, buffer.count)
            let end = buffer.firstIndex(of: 0) ?? buffer.count
            reasons.append(String(decoding: buffer[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return .openSSL(operation: operation, reason: reasons.isEmpty ? "no reason given" : reasons.joined(separator: "; "))
    }
}
