import FoundationEssentials
import Glibc

/// Runs the solve in a forked worker process that can be stopped from
/// outside: the hard wall-clock limit of `--time-limit`, and a crash inside
/// GLPK that ends as exit code 6 instead of taking the command down.
///
/// The worker is a `fork()` of the planner right after its arguments are
/// parsed, not a new program, so nothing is started twice (BENCHMARKS.md,
/// "The fixed cost"); it reads, decodes and validates the instance itself.
/// The planner is single-threaded until it forks (no thread is started
/// before a solve), which is what makes a plain fork safe; the worker starts
/// its own solver threads. The worker leaves its rendered report in a scratch
/// folder and the planner publishes it only after a normal exit, so a
/// killed or crashed worker never leaves half an output behind.
enum Worker {
    /// Seconds granted beyond --time-limit before the worker is killed.
    static let grace = 2.0

    /// How a worker ended.
    enum Outcome: Equatable {
        /// It exited with this code.
        case exited(Int32)
        /// A signal ended it (a crash: abort, segmentation fault).
        case signalled(Int32)
        /// It outlived the time limit and was killed.
        case timedOut
    }

    /// Runs `work` in a forked worker and waits for it, at most `timeLimit`
    /// plus ``grace`` seconds when a limit is given. `work` returns the
    /// worker's exit code. Throws only when the worker cannot be started.
    static func run(timeLimit: Double?, _ work: () -> Int32) throws -> Outcome {
        // Nothing buffered may be written twice, by parent and worker.
        fflush(nil)
        // An ignored SIGCHLD, inherited from whoever started us (`trap ''
        // CHLD` in a shell), would reap the worker unseen: waitpid would fail
        // and the worker's exit code would be lost. The default disposition
        // is restored for the wait and put back after it.
        let previousHandler = signal(SIGCHLD, SIG_DFL)
        defer { signal(SIGCHLD, previousHandler) }
        // SIGCHLD is blocked so that it stays pending for sigtimedwait.
        var childSignal = sigset_t()
        sigemptyset(&childSignal)
        sigaddset(&childSignal, SIGCHLD)
        var previousMask = sigset_t()
        pthread_sigmask(SIG_BLOCK, &childSignal, &previousMask)
        defer { pthread_sigmask(SIG_SETMASK, &previousMask, nil) }

        let pid = fork()
        if pid < 0 {
            throw WorkerError(message: "cannot start the solver process: \(String(cString: strerror(errno)))")
        }
        if pid == 0 {
            pthread_sigmask(SIG_SETMASK, &previousMask, nil)
            let code = work()
            fflush(nil)
            _exit(code)
        }
        guard let timeLimit else { return outcome(of: waitBlocking(pid)) }

        let deadline = ContinuousClock.now + .milliseconds(Int64(((timeLimit + grace) * 1000).rounded(.up)))
        while true {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { return outcome(of: status) }
            let remaining = ContinuousClock.now.duration(to: deadline)
            if remaining <= .zero { break }
            let parts = remaining.components
            var timeout = timespec(tv_sec: Int(parts.seconds), tv_nsec: Int(parts.attoseconds / 1_000_000_000))
            _ = sigtimedwait(&childSignal, nil, &timeout)  // a SIGCHLD, the timeout, or EINTR
        }
        // Over the limit: ask, then insist.
        kill(pid, SIGTERM)
        let askedAt = ContinuousClock.now
        while ContinuousClock.now - askedAt < .seconds(1) {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { return .timedOut }
            var pause = timespec(tv_sec: 0, tv_nsec: 10_000_000)
            _ = sigtimedwait(&childSignal, nil, &pause)
        }
        kill(pid, SIGKILL)
        _ = waitBlocking(pid)
        return .timedOut
    }

    /// `waitpid` without a timeout, retried when a signal interrupts it.
    private static func waitBlocking(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status
    }

    /// Decodes a wait status (the `WIFEXITED` family are C macros, not
    /// imported into Swift).
    private static func outcome(of status: Int32) -> Outcome {
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
    }
}

/// The worker process could not be started.
struct WorkerError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
