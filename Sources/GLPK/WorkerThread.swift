internal import CGLPKShim
import Glibc

/// One OS thread that runs submitted jobs in order, so that GLPK objects
/// created by a job live and die on that thread (GLPK's environment is per
/// thread; a problem touched from another thread aborts the process).
///
/// When stopped, the thread frees its GLPK environment before it exits.
// @unchecked: its mutable state (jobs, flags, owner) is touched only under
// `condition`; GLPK's per-thread environment is why the thread exists.
final class WorkerThread: @unchecked Sendable {
    private let condition = ConditionLock()
    private var jobs: [() -> Void] = []
    private var stopping = false
    private var finished = false
    /// The worker's own thread, once it runs.
    private var owner: pthread_t?

    init(name: String) {
        startThread(name: name, stackSize: 16 << 20) { [self] in self.loop() }
    }

    private func loop() {
        condition.lock()
        owner = pthread_self()
        condition.unlock()
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty && stopping {
                condition.unlock()
                break
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
        glpkshim_free_env()
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Whether the caller is the worker's own thread.
    private var isCurrent: Bool {
        condition.lock()
        defer { condition.unlock() }
        guard let owner else { return false }
        return pthread_equal(owner, pthread_self()) != 0
    }

    /// Runs `body` on the worker thread and waits for its result; called on
    /// the worker itself (a session whose last reference a finished job
    /// dropped, deinitialised there), runs `body` at once.
    func sync<T, E: Error>(_ body: @escaping () throws(E) -> T) throws(E) -> T {
        if isCurrent { return try body() }
        let slot = WorkerSlot<T, E>()
        // The job runs on the worker while this thread waits for it: never concurrently.
        nonisolated(unsafe) let job = body
        condition.lock()
        precondition(!stopping, "job submitted to a stopped GLPK worker thread")
        jobs.append {
            let value = Result { () throws(E) -> T in try job() }
            slot.done.lock()
            slot.outcome = value
            slot.done.signal()
            slot.done.unlock()
        }
        condition.signal()
        condition.unlock()
        slot.done.lock()
        while slot.outcome == nil { slot.done.wait() }
        let outcome = slot.outcome
        slot.done.unlock()
        switch outcome {
        case .success(let value): return value
        case .failure(let error): throw error
        case nil: preconditionFailure("unreachable: the loop waits for an outcome")
        }
    }

    /// Lets the queued jobs finish, frees GLPK's environment and ends the thread.
    /// Called on the worker itself, it only marks the stop: the thread ends
    /// once the job it is running returns.
    func stop() {
        let fromWorker = isCurrent
        condition.lock()
        stopping = true
        condition.broadcast()
        while !finished && !fromWorker { condition.wait() }
        condition.unlock()
    }
}

/// Where a job leaves its result for the waiting caller.
// @unchecked: `outcome` is written and read only under `done`.
private final class WorkerSlot<T, E: Error>: @unchecked Sendable {
    var outcome: Result<T, E>?
    let done = ConditionLock()
}

/// Starts a detached POSIX thread named `name` with a stack of `stackSize`
/// bytes that runs `body` (GLPK's simplex and its MathProg translator
/// recurse deeply: the worker asks for 16 MB, as it did of Foundation's
/// `Thread`).
private func startThread(name: String, stackSize: Int, _ body: @escaping @Sendable () -> Void) {
    final class Box { let body: @Sendable () -> Void; init(_ body: @escaping @Sendable () -> Void) { self.body = body } }
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    pthread_attr_setstacksize(&attributes, stackSize)
    pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
    let context = Unmanaged.passRetained(
        Box({
            glpkshim_name_thread(name); body()
        })
    ).toOpaque()
    var thread = pthread_t()
    let created = pthread_create(
        &thread, &attributes,
        { raw in
            guard let raw else { return nil }
            let box = Unmanaged<Box>.fromOpaque(raw).takeRetainedValue()
            box.body()
            return nil
        }, context)
    precondition(created == 0, "cannot start a thread: error \(created)")
}
