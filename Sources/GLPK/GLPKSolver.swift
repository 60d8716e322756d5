internal import CGLPK
public import LinearModel

/// Solves models with GLPK in the calling thread.
///
/// Each call creates a GLPK problem, loads the model, solves it, reads the
/// result and deletes the problem before returning, all on the calling
/// thread and synchronously: no GLPK object outlives the call or crosses a
/// thread, so calls from many threads or tasks at once are safe.
public struct GLPKSolver: Solver {
    /// A solver with no state of its own.
    public init() {}

    /// The GLPK library version, such as "5.0".
    public static var version: String { String(cString: glp_version()) }

    /// Solves `model`. Infeasible, unbounded and limited runs are results;
    /// invalid options throw ``ModelError``.
    public func solve(_ model: Model, options: SolveOptions = SolveOptions()) throws -> SolveResult {
        try options.validate()
        let capture = TerminalCapture(log: options.messageLevel == .off ? nil : options.log)
        return try Problem.with { problem throws(ModelError) in
            try capture.installed { () throws(ModelError) in
                if let empty = try problem.load(model) {
                    let name = model.variableNames[empty]
                    return SolveResult(
                        termination: Termination(
                            reason: .infeasible,
                            detail: "integer variable \(name.isEmpty ? "#\(empty)" : "'\(name)'") has no integer value within its bounds"))
                }
                let driver = Driver(problem: problem, options: options, capture: capture)
                return try driver.solve()
            }
        }
    }

    /// Loads `model` into GLPK on the calling thread and deletes it again:
    /// checks that GLPK accepts the model without solving it (and lets a
    /// benchmark time the loading alone).
    public func load(_ model: Model) throws {
        let capture = TerminalCapture(log: nil)
        try Problem.with { problem throws(ModelError) in
            try capture.installed { () throws(ModelError) in _ = try problem.load(model) }
        }
    }
}
