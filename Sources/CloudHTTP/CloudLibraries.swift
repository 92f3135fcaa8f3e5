import CCloudLibraries

/// libcurl and libcrypto are opened at run time, only when cloud jobs are configured; a
/// host-only exporter never maps them. Call `load` while setting up, so a missing library is a
/// clear start-up error instead of a failure inside a background refresh.
public enum CloudLibraries {
    public struct LoadError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public static func load() throws(LoadError) {
        var buffer = [CChar](repeating: 0, count: 512)
        guard nimbus_cloud_libraries_load(&buffer, buffer.count) == 0 else {
            let end = buffer.firstIndex(of: 0) ?? buffer.count
            throw LoadError(description: String(decoding: buffer[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
    }
}
