import CShims
import CZlib

/// gzip compression of a rendered scrape, through zlib.
public enum Gzip {
    public enum Failure: Error, Equatable {
        case zlib(code: Int32)
    }

    /// Compresses `input` into `out` (replacing its contents). Level 1 favours scrape latency;
    /// text exposition compresses well even so.
    public static func compress(_ input: [UInt8], into out: inout [UInt8], level: Int32 = 1) throws(Failure) {
        var stream = z_stream()
        let initCode = nimbus_deflate_init_gzip(&stream, level)
        guard initCode == Z_OK else { throw .zlib(code: initCode) }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, UInt(input.count))) + 32
        out.removeAll(keepingCapacity: true)
        out.reserveCapacity(bound)
        var produced = 0
        let code: Int32 = input.withUnsafeBufferPointer { source in
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = UInt32(source.count)
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bound) { target in
                stream.next_out = target.baseAddress
                stream.avail_out = UInt32(target.count)
                let result = deflate(&stream, Z_FINISH)
                produced = target.count - Int(stream.avail_out)
                out.append(contentsOf: target[0..<produced])
                return result
            }
        }
        guard code == Z_STREAM_END else { throw .zlib(code: code) }
    }

    /// Decompresses a gzip stream; used by tests and tools to check what was served.
    public static func decompress(_ input: [UInt8]) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        let initCode = inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard initCode == Z_OK else { throw .zlib(code: initCode) }
        defer { inflateEnd(&stream) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var code: Int32 = Z_OK
        input.withUnsafeBufferPointer { source in
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = UInt32(source.count)
            while code == Z_OK {
                chunk.withUnsafeMutableBufferPointer { target in
                    stream.next_out = target.baseAddress
                    stream.avail_out = UInt32(target.count)
                    code = inflate(&stream, Z_NO_FLUSH)
                    out.append(contentsOf: target[0..<(target.count - Int(stream.avail_out))])
                }
            }
        }
        guard code == Z_STREAM_END else { throw .zlib(code: code) }
        return out
    }
}
