import FileIO
import FoundationEssentials
import Glibc
import Sourcing
import Synchronization

/// A sign of life on stderr for work that runs past a second (a long solve,
/// a frontier): the elapsed time, as a live line on a terminal or a plain
/// line every 5 seconds otherwise; nothing when quiet or when the work ends
/// within the first second.
final class Heartbeat: Sendable {
    private let stopped = Atomic<Bool>(false)
    private let done = Mutex<Bool>(false)
    private let label: String
    private let quiet: Bool
    /// What the work has done so far ("4 breakpoints"), shown after the time.
    private let detail = Mutex<String>("")

    /// Sets what the work has done so far.
    func report(_ text: String) { detail.withLock { $0 = text } }

    init(_ label: String, quiet: Bool) {
        self.label = label
        self.quiet = quiet
        guard !quiet else { return }
        // A plain thread, not Dispatch: `solve` forks its worker while the
        // heartbeat runs, and the child must not inherit a Dispatch pool.
        var thread = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        let started = pthread_create(
            &thread, nil,
            { raw in
                guard let raw else { return nil }
                let heartbeat = Unmanaged<Heartbeat>.fromOpaque(raw).takeRetainedValue()
                heartbeat.beat()
                return nil
            }, context)
        if started == 0 {
            pthread_detach(thread)
        } else {
            Unmanaged<Heartbeat>.fromOpaque(context).release()
            done.withLock { $0 = true }
        }
    }

    private func beat() {
        let terminal = isatty(2) != 0
        let start = ContinuousClock.now
        var printed = false
        var next = 1.0
        while !stopped.load(ordering: .relaxed) {
            usleep(100_000)
            let elapsed = (ContinuousClock.now - start).inSeconds
            guard elapsed >= next, !stopped.load(ordering: .relaxed) else { continue }
            let done = detail.withLock { $0 }
            let suffix = done.isEmpty ? "" : ", " + done
            if terminal {
                FileBytes.writeError("\r\(label)... \(Int(elapsed)) s\(suffix)   ")
                next = elapsed.rounded(.down) + 1
            } else {
                FileBytes.writeError("planner: \(label)... \(Int(elapsed)) s\(suffix)\n")
                next = elapsed.rounded(.down) + 5
            }
            printed = true
        }
        if printed && terminal { FileBytes.writeError("\r\u{1B}[K") }
        done.withLock { $0 = true }
    }

    /// Stops the beat (and clears a live line) before the caller prints.
    func stop() {
        stopped.store(true, ordering: .relaxed)
        guard !quiet else { return }
        while !done.withLock({ $0 }) { usleep(10_000) }
    }
}
