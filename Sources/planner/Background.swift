import Dispatch
import Synchronization

/// A value computed on a thread of its own while the caller goes on;
/// ``value`` waits for it (the input's digest during a solve, the worker's
/// report drained from its pipe).
final class Background<Value: Sendable>: Sendable {
    private let result = Mutex<Value?>(nil)
    private let done = DispatchSemaphore(value: 0)

    init(_ compute: @escaping @Sendable () -> Value) {
        DispatchQueue.global().async { [self] in
            let value = compute()
            result.withLock { $0 = value }
            done.signal()
        }
    }

    /// The value, once computed (the write happens before the signal that
    /// the wait passes; the signal is passed on for the next reader).
    var value: Value {
        done.wait()
        done.signal()
        guard let value = result.withLock({ $0 }) else { preconditionFailure("Background: signalled before the value was stored") }
        return value
    }
}
