import Synchronization

/// A mutex for the few shared counters of the solver drivers.
final class NSLockLike: Sendable {
    private let mutex = Mutex<Void>(())
    func run<T>(_ body: () throws -> T) rethrows -> T {
        try mutex.withLock { _ in try body() }
    }
}
