internal import CGLPK
internal import CGLPKShim
import Glibc
import LinearModel

/// One `glp_prob`, confined to the OS thread that created it.
///
/// This type is internal: no GLPK pointer leaves the module. A problem is
/// created, used and deleted inside one synchronous call (``GLPKSolver``) or
/// on the dedicated thread of a ``GLPKSession``; every entry point checks the
/// thread, and a problem whose environment GLPK destroyed after a fatal error
/// (see `CGLPKShim`) is never touched again.
final class Problem {
    private(set) var pointer: OpaquePointer?
    private let thread: pthread_t
    private let generation: UInt

    init() {
        thread = pthread_self()
        glpkshim_retain_env()
        generation = glpkshim_generation()
        pointer = glp_create_prob()
    }

    /// Whether GLPK still holds this problem (false after a fatal error).
    var isAlive: Bool { pointer != nil && glpkshim_generation() == generation }

    /// The pointer, for calls on the owning thread; throws if the problem is gone.
    func handle() throws(ModelError) -> OpaquePointer {
        precondition(
            pthread_equal(thread, pthread_self()) != 0,
            "GLPK problem used on a thread other than the one that created it")
        guard let pointer, glpkshim_generation() == generation else {
            throw ModelError(
                .glpkFailure, at: "GLPK", value: "",
                "the problem was destroyed by an earlier fatal GLPK error")
        }
        return pointer
    }

    /// Deletes the problem now (on its own thread).
    func delete() {
        guard let pointer else { return }
        precondition(
            pthread_equal(thread, pthread_self()) != 0,
            "GLPK problem deleted on a thread other than the one that created it")
        if glpkshim_generation() == generation { glp_delete_prob(pointer) }
        self.pointer = nil
        glpkshim_release_env()
    }

    deinit {
        // Deleting on another thread aborts; a problem that escaped its thread
        // is leaked instead (never happens through the public API).
        if pointer != nil, pthread_equal(thread, pthread_self()) != 0 { delete() }
    }

    /// Runs `body` with a fresh problem that is deleted when it returns.
    static func with<T, E: Error>(_ body: (Problem) throws(E) -> T) throws(E) -> T {
        let problem = Problem()
        defer { problem.delete() }
        return try body(problem)
    }
}

/// Failure inside GLPK that the guards did not prevent.
func abortedError(_ call: String, _ output: TerminalCapture) -> ModelError {
    ModelError(
        .glpkFailure, at: "GLPK \(call)", value: "",
        "hit a fatal error (recovered): " + output.lastLines(8))
}
