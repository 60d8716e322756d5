import ArgumentParser
import FileIO
import FoundationEssentials
import GLPK
import Glibc
import LinearModel
import Sourcing
import Synchronization

/// The planner's exit codes (docs/FORMULATION.md section 6) and the one
/// mapping from statuses and errors to them.
enum PlannerExit {
    static let optimal: Int32 = 0
    /// An output (a file, a pipe, standard output) cannot be written.
    static let outputUnwritable: Int32 = 1
    static let invalidInput: Int32 = 2
    static let infeasible: Int32 = 3
    static let limitWithPlan: Int32 = 4
    static let limitWithoutPlan: Int32 = 5
    static let solverFailure: Int32 = 6
    static let unbounded: Int32 = 7
    /// A sweep finished with invalid or failed rows.
    static let someRowsFailed: Int32 = 8
    /// A command-line usage error (BSD's EX_USAGE, as ArgumentParser uses).
    static let usage: Int32 = 64
    /// Interrupted by Ctrl-C (finished work kept).
    static let interrupted: Int32 = 130

    /// The exit code of a termination. Infeasible-or-unbounded counts as
    /// infeasible (no plan exists that could be reported).
    static func code(for reason: TerminationReason) -> Int32 {
        switch reason {
        case .optimal: optimal
        case .feasible: limitWithPlan
        case .noSolutionFound: limitWithoutPlan
        case .infeasible, .infeasibleOrUnbounded: infeasible
        case .unbounded: unbounded
        case .numericalError: solverFailure
        }
    }

    /// The exit code of a plan's status.
    static func code(for status: PlanStatus) -> Int32 {
        switch status {
        case .optimal: optimal
        case .feasible: limitWithPlan
        case .infeasible: infeasible
        case .limit: limitWithoutPlan
        case .error: solverFailure
        }
    }

    /// Whether a solve that ended with `code` has a report to publish: a
    /// plan, an explained infeasibility, a limit's best plan or its absence,
    /// or the solver's failure (never half a report).
    static func hasReport(_ code: Int32) -> Bool {
        [optimal, infeasible, limitWithPlan, limitWithoutPlan, solverFailure].contains(code)
    }

    /// The exit code of an error, by its kind: the planner's own failures
    /// carry theirs; invalid instances, scenarios and files are invalid
    /// input; misused options are usage errors; a frontier the instance
    /// does not support is invalid input and an infeasible one infeasible;
    /// anything else is the solver's failure.
    static func code(for error: any Error) -> Int32 {
        switch error {
        case let error as PlannerError: return error.code
        case is InstanceError: return invalidInput
        case let error as ModelError:
            switch error.kind {
            case .invalidInput: return invalidInput
            case .misuse: return error.guardName == .invalidOption ? usage : solverFailure
            case .solverFailure: return solverFailure
            }
        case let error as FrontierError:
            switch error {
            case .unsupported, .noDemand: return invalidInput
            case .infeasible: return infeasible
            }
        case is AtomicFile.WriteError, is FileBytes.OutputFailure: return outputUnwritable
        default: return solverFailure
        }
    }
}

/// A command's failure: the message for stderr and the exit code. Commands
/// throw it; `Planner.main` prints it and exits, so nothing below the
/// command calls `exit()`.
struct PlannerError: Error, CustomStringConvertible {
    let message: String
    let code: Int32
    var description: String { message }
}

/// Ends the command: throws the message with `code` (printed by `Planner.main`).
func fail(_ message: String, code: Int32) throws(PlannerError) -> Never {
    throw PlannerError(message: message, code: code)
}

/// Where solver output goes: nowhere, stderr, or a file.
final class LogSink: Sendable {
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
