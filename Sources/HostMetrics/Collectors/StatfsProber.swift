#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CShims

/// What statfs(2) says about one filesystem.
public struct FilesystemUsage: Sendable, Equatable {
    /// `f_bsize`, the unit node_exporter multiplies block counts by.
    public var blockSize: UInt64
    public var blocks: UInt64
    public var freeBlocks: UInt64
    /// Blocks available to unprivileged users.
    public var availableBlocks: UInt64
    public var files: UInt64
    public var freeFiles: UInt64

    public init(blockSize: UInt64, blocks: UInt64, freeBlocks: UInt64, availableBlocks: UInt64,
                files: UInt64, freeFiles: UInt64) {
        self.blockSize = blockSize
        self.blocks = blocks
        self.freeBlocks = freeBlocks
        self.availableBlocks = availableBlocks
        self.files = files
        self.freeFiles = freeFiles
    }
}

/// The answer of one statfs call: the usage, or the errno it failed with.
public enum StatfsOutcome: Sendable, Equatable {
    case usage(FilesystemUsage)
    case failed(errno: Int32)
}

/// A statfs implementation; the collector uses `systemStatfs`, tests inject slow or failing ones.
public typealias StatfsFunction = @Sendable (String) -> StatfsOutcome

/// statfs(2) on `path` (through a C shim: Swift's Glibc module does not export statfs, and
/// glibc's statvfs re-reads /proc/mounts on every call).
public let systemStatfs: StatfsFunction = { path in
    var result = nimbus_statfs_result()
    guard nimbus_statfs(path, &result) == 0 else { return .failed(errno: errno) }
    return .usage(FilesystemUsage(
        blockSize: result.block_size, blocks: result.blocks, freeBlocks: result.free_blocks,
        availableBlocks: result.available_blocks, files: result.files, freeFiles: result.free_files))
}

/// The result of a probe with a deadline.
public enum ProbeResult: Sendable, Equatable {
    case usage(FilesystemUsage)
    case failed(errno: Int32)
    /// The call did not return in time; the path is now stuck.
    case timedOut
    /// An earlier call on this path has not returned yet, so it was not called again.
    case stuck
}

/// Runs statfs on dedicated helper threads so that a hung mount (a dead NFS server) costs the
/// caller at most the deadline.
///
/// A prober thread is reused from call to call. When a call misses its deadline the thread is
/// left behind, blocked in the kernel, and the path is remembered as stuck: later probes of it
/// answer `.stuck` at once instead of blocking another thread. When the hung call finally
/// returns, its thread forgets the path (so the next probe retries it) and exits; the next probe
/// of any path starts a fresh thread.
public final class StatfsProber: Sendable {
    private let shared: Shared

    public init(statfs: @escaping StatfsFunction = systemStatfs) {
        shared = Shared(statfs: statfs)
    }

    deinit {
        shared.close()
    }

    /// statfs on `path`, waiting at most `timeoutNanoseconds`.
    public func probe(_ path: String, timeoutNanoseconds: UInt64) -> ProbeResult {
        shared.probe(path, timeoutNanoseconds: timeoutNanoseconds)
    }

    /// The paths whose statfs call has not returned yet.
    public var stuckPaths: Set<String> {
        shared.lock.withLock { Set(shared.stuck.keys) }
    }

    /// How many prober threads exist (idle, busy or stuck); for tests.
    public var threadCount: Int {
        shared.lock.withLock { shared.threads }
    }

    /// State shared by the prober and its threads; every field is guarded by `lock`.
    private final class Shared: @unchecked Sendable {
        let lock = ConditionLock()
        let statfs: StatfsFunction
        var idle: [Worker] = []
        /// Hung calls per path (more than one only if concurrent scrapes probed it at once).
        var stuck: [String: Int] = [:]
        var threads = 0
        var closed = false

        init(statfs: @escaping StatfsFunction) {
            self.statfs = statfs
        }

        func probe(_ path: String, timeoutNanoseconds: UInt64) -> ProbeResult {
            lock.withLock {
                if stuck[path] != nil { return .stuck }
                let worker: Worker
                if let reused = idle.popLast() {
                    worker = reused
                } else {
                    worker = Worker()
                    guard startThread(worker) else { return .failed(errno: EAGAIN) }
                }
                worker.result = nil
                worker.request = path
                lock.broadcast()
                let deadline = Clock.monotonicNanoseconds() &+ timeoutNanoseconds
                while worker.result == nil {
                    if !lock.wait(until: deadline) && worker.result == nil {
                        // Leave the thread to its hung call; it cleans up when the call returns.
                        worker.abandoned = true
                        stuck[path, default: 0] += 1
                        return .timedOut
                    }
                }
                let outcome = worker.result!
                worker.result = nil
                idle.append(worker)
                switch outcome {
                case .usage(let usage): return .usage(usage)
                case .failed(let code): return .failed(errno: code)
                }
            }
        }

        /// Lets idle threads exit; busy ones exit when their call returns.
        func close() {
            lock.withLock {
                closed = true
                for worker in idle { worker.exit = true }
                idle.removeAll()
                lock.broadcast()
            }
        }

        /// Lock held.
        private func startThread(_ worker: Worker) -> Bool {
            let context = Unmanaged.passRetained(ThreadContext(shared: self, worker: worker))
            var thread = pthread_t()
            let created = pthread_create(&thread, nil, { argument in
                let context = Unmanaged<ThreadContext>.fromOpaque(argument!).takeRetainedValue()
                context.shared.run(context.worker)
                return nil
            }, context.toOpaque())
            guard created == 0 else {
                context.release()
                return false
            }
            pthread_detach(thread)
            threads += 1
            return true
        }

        /// A prober thread's loop: wait for a path, call statfs without the lock, hand back.
        private func run(_ worker: Worker) {
            while true {
                let next: String? = lock.withLock {
                    while worker.request == nil && !worker.exit { lock.wait() }
                    return worker.exit ? nil : worker.request
                }
                guard let path = next else { break }
                let outcome = statfs(path)
                let keepGoing: Bool = lock.withLock {
                    worker.request = nil
                    if worker.abandoned {
                        if let count = stuck[path], count > 1 { stuck[path] = count - 1 } else { stuck[path] = nil }
                        return false
                    }
                    worker.result = outcome
                    lock.broadcast()
                    return true
                }
                if !keepGoing { break }
            }
            lock.withLock { threads -= 1 }
        }
    }

    /// One prober thread's mailbox; guarded by `Shared.lock`.
    private final class Worker: @unchecked Sendable {
        var request: String?
        var result: StatfsOutcome?
        var abandoned = false
        var exit = false
    }

    private final class ThreadContext: @unchecked Sendable {
        let shared: Shared
        let worker: Worker

        init(shared: Shared, worker: Worker) {
            self.shared = shared
            self.worker = worker
        }
    }
}
