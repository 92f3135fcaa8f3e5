#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A small pool of long-lived threads that run collectors, each thread keeping its own
/// `FileReader` buffer. Blocking reads of /proc and /sys never touch Swift's cooperative pool.
///
/// The pool grows when every thread is busy (a hung collector holds its thread) up to
/// `maximumThreads`; it never shrinks, since a hung read cannot be taken back anyway.
public final class WorkerPool: @unchecked Sendable {
    public typealias Job = @Sendable (inout FileReader) -> Void

    private let lock = ConditionLock()
    private var queue: [Job] = []
    private var threads = 0
    private var idle = 0
    private let maximumThreads: Int

    public init(initialThreads: Int, maximumThreads: Int = 64) {
        self.maximumThreads = max(maximumThreads, 1)
        lock.withLock {
            for _ in 0..<max(initialThreads, 1) { startThread() }
        }
    }

    public func submit(_ job: @escaping Job) {
        lock.withLock {
            queue.append(job)
            if idle < queue.count && threads < maximumThreads { startThread() }
            lock.broadcast()
        }
    }

    /// Lock held.
    private func startThread() {
        threads += 1
        let box = Unmanaged.passRetained(self)
        var thread = pthread_t()
        let created = pthread_create(&thread, nil, { argument in
            let pool = Unmanaged<WorkerPool>.fromOpaque(argument!).takeRetainedValue()
            pool.runLoop()
            return nil
        }, box.toOpaque())
        if created == 0 {
            pthread_detach(thread)
        } else {
            threads -= 1
            box.release()
        }
    }

    private func runLoop() {
        var reader = FileReader()
        while true {
            let job: Job = lock.withLock {
                idle += 1
                while queue.isEmpty { lock.wait() }
                idle -= 1
                return queue.removeFirst()
            }
            job(&reader)
        }
    }
}
