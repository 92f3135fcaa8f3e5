#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A small pool of long-lived threads that run collectors, each thread keeping its own
/// `FileReader` buffer. Blocking reads of /proc and /sys never touch Swift's cooperative pool.
///
/// The pool has a fixed number of threads, plus one for each run reported overdue (a hung read
/// holds its thread), up to `maximumThreads`; it never shrinks, since a hung read cannot be taken
/// back anyway.
public final class WorkerPool: @unchecked Sendable {
    public typealias Job = @Sendable (inout FileReader) -> Void

    private let lock = ConditionLock()
    private var queue: [Job] = []
    private var threads = 0
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
            lock.broadcast()
        }
    }

    /// Adds a thread, up to the maximum: called when a job is known to be stuck.
    public func addThread() {
        lock.withLock {
            if threads < maximumThreads { startThread() }
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
                while queue.isEmpty { lock.wait() }
                return queue.removeFirst()
            }
            job(&reader)
        }
    }
}
