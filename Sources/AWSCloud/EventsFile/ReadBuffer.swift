/// One fixed chunk of memory reused for every read, so a huge file is never held whole.
final class ReadBuffer {
    let bytes: UnsafeMutableRawBufferPointer

    init(size: Int) {
        bytes = .allocate(byteCount: max(1, size), alignment: 16)
    }

    deinit {
        bytes.deallocate()
    }

    /// The first `count` bytes, as read.
    func prefix(_ count: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
                            count: count)
    }

    /// Room for at most `limit` bytes.
    func room(upTo limit: Int) -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(rebasing: bytes[0..<min(bytes.count, limit)])
    }
}
