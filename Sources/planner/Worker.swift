import FileIO
import FoundationEssentials
import Glibc
import Sourcing

/// Runs the solve in a forked worker process that can be stopped from
/// outside: the hard wall-clock limit of `--time-limit`, and a crash inside
/// GLPK that ends as exit code 6 instead of taking the command down.
///
/// The worker is a `fork()` of the planner right after its arguments are
/// parsed, not a new program, so nothing is started twice (BENCHMARKS.md,
/// "The fixed cost"); it reads, decodes and validates the instance itself.
/// The planner is single-threaded until it forks (no thread is started
/// before a solve), which is what makes a plain fork safe; the worker starts
/// its own solver threads. The worker sends its rendered report through a
/// pipe (no scratch files) and the planner publishes it only after a normal
/// exit, so a killed or crashed worker never leaves half an output behind.
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
    /// worker's exit code and may pass bytes to its `send` argument, which
    /// come back as the second result (everything sent before the worker
    /// ended). Throws only when the worker cannot be started.
    ///
    /// `whileWaiting` runs in the parent once the worker is forked (a
    /// progress heartbeat): starting threads before the fork would leave the
    /// worker with whatever locks they held at that instant.
    static func run(
        timeLimit: Double?, whileWaiting: () -> Void = {},
        _ work: (_ send: (Data) -> Void) throws -> Int32
    ) throws -> (Outcome, Data) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            throw WorkerError(message: "cannot start the solver process: \(String(cString: strerror(errno)))")
        }
        let (readEnd, writeEnd) = (ends[0], ends[1])
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

        let parent = getpid()
        let pid = fork()
        if pid < 0 {
            let reason = String(cString: strerror(errno))
            close(readEnd)
            close(writeEnd)
            throw WorkerError(message: "cannot start the solver process: \(reason)")
        }
        if pid == 0 {
            pthread_sigmask(SIG_SETMASK, &previousMask, nil)
            close(readEnd)
            watchParent(parent)
            // The worker's failures end it with their exit code, printed
            // here as the planner prints them.
            let code: Int32
            do {
                code = try work { FileBytes.write($0, to: writeEnd) }
            } catch {
                FileBytes.writeError("planner: \(error)\n")
                code = PlannerExit.code(for: error)
            }
            fflush(nil)
            _exit(code)
        }
        // The reader drains the pipe while the worker runs (a report larger
        // than the pipe's buffer would otherwise block the worker); it sees
        // the end when the worker exits or is killed.
        close(writeEnd)
        let received = Background {
            defer { close(readEnd) }
            return (try? FileBytes.read(descriptor: readEnd, limit: Int.max / 2)) ?? Data()
        }
        whileWaiting()
        let outcome = wait(for: pid, timeLimit: timeLimit, childSignal: &childSignal)
        return (outcome, received.value)
    }

    /// Ends the worker when its parent is gone (killed by SIGKILL or
    /// SIGTERM, say): a thread of the worker checks every 50 ms that its
    /// parent is still `parent` (an orphan is re-parented to init or a
    /// subreaper) and exits with code 1 otherwise, so no solve outlives the
    /// command that started it.
    private static func watchParent(_ parent: pid_t) {
        let argument = UnsafeMutablePointer<pid_t>.allocate(capacity: 1)
        argument.initialize(to: parent)
        var thread = pthread_t()
        let started = pthread_create(
            &thread, nil,
            { raw in
                guard let parent = raw?.assumingMemoryBound(to: pid_t.self).pointee else { return nil }
                while getppid() == parent { usleep(50_000) }
                _exit(1)
            }, argument)
        if started == 0 {
            pthread_detach(thread)
        } else if getppid() != parent {
            _exit(1)
        }
    }

    /// Waits for the worker, killing it after `timeLimit` plus ``grace``.
    private static func wait(for pid: pid_t, timeLimit: Double?, childSignal: inout sigset_t) -> Outcome {
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
