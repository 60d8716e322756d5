import ArgumentParser
import FoundationEssentials
import Glibc
import Sourcing
import LinearModel
import Synchronization

/// The planner's exit codes (FORMULATION.md section 6).
enum PlannerExit {
    static let optimal: Int32 = 0
    static let invalidInput: Int32 = 2
    static let infeasible: Int32 = 3
    static let limitWithPlan: Int32 = 4
    static let limitWithoutPlan: Int32 = 5
    static let solverFailure: Int32 = 6
    static let unbounded: Int32 = 7
    /// An output (a file, a pipe, standard output) cannot be written.
    static let outputUnwritable: Int32 = 1

    /// The exit code of a termination. Infeasible-or-unbounded counts as
    /// infeasible (no plan exists that could be reported).
    static func code(for reason: TerminationReason) -> Int32 {
        switch reason {
        case .optimal: return optimal
        case .feasible: return limitWithPlan
        case .noSolutionFound: return limitWithoutPlan
        case .infeasible, .infeasibleOrUnbounded: return infeasible
        case .unbounded: return unbounded
        case .numericalError: return solverFailure
        }
    }
}

/// Prints an error to stderr and exits with `code`.
func fail(_ message: String, code: Int32) -> Never {
    FileBytes.writeError("planner: " + message + "\n")
    exit(code)
}

/// Where solver output goes: nowhere, stderr, or a file.
final class LogSink: @unchecked Sendable {
    private let handle: DescriptorFile?
    private let lock = Mutex(())

    init(verbose: Bool, path: String?) throws {
        if let path {
            guard let handle = DescriptorFile(path: path, append: false) else {
                throw ValidationError("cannot write the log file '\(path)'")
            }
            self.handle = handle
        } else {
            self.handle = verbose ? DescriptorFile.standardError : nil
        }
    }

    var isActive: Bool { handle != nil }

    func write(_ line: String) {
        guard let handle else { return }
        lock.withLock { _ in handle.write(line + "\n") }
    }

    /// A closure for ``SolveOptions/log``, or nil when inactive.
    var closure: (@Sendable (String) -> Void)? {
        isActive ? { @Sendable [self] line in self.write(line) } : nil
    }
}
