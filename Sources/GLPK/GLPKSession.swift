internal import CGLPK
public import LinearModel

/// A model kept loaded in GLPK for a series of what-if re-solves.
///
/// The GLPK problem lives on a thread of its own from creation to deletion;
/// every call hops to that thread and waits, so a session may be used from
/// any thread or task (calls are serialised). After the first solve, each
/// change (bounds, objective, coefficients) is applied to the loaded problem
/// and the next ``solve(options:)`` starts from the previous basis: the dual
/// simplex after bound changes, the primal simplex after cost changes,
/// without presolve. ``SolveResult/statistics`` reports the iterations.
// @unchecked: the GLPK problem and the model copy are touched only on
// `worker`'s thread (every access goes through `worker.sync`).
public final class GLPKSession: @unchecked Sendable {
    private let worker: WorkerThread
    /// Whether this session started `worker` (and stops it when it ends);
    /// sessions of one ``IncrementalSolver`` share the solver's thread.
    private let ownsWorker: Bool
    // Touched only on the worker thread.
    private var problem: Problem?
    private var model: Model
    private var solved = false
    private var costsChanged = false
    private var isMIP: Bool

    /// Loads `model` into GLPK on the session's thread.
    public convenience init(_ model: Model) throws {
        try self.init(model, on: nil)
    }

    /// Loads `model` on `worker`'s thread (shared with other sessions and
    /// stopped by its owner), or on a thread of its own when nil.
    init(_ model: Model, on worker: WorkerThread?) throws {
        self.worker = worker ?? WorkerThread(name: "glpk-session")
        self.ownsWorker = worker == nil
        self.model = model
        self.isMIP = model.isMIP
        try self.worker.sync { [self] () throws(ModelError) in
            let problem = Problem()
            self.problem = problem
            let capture = TerminalCapture(log: nil)
            try capture.installed { () throws(ModelError) in _ = try problem.load(model) }
        }
    }

    deinit {
        let problem = self.problem
        worker.sync { problem?.delete() }
        if ownsWorker { worker.stop() }
    }

    /// Handles of the loaded model's variables and constraints.
    public var variables: [Variable] { worker.sync { [self] in model.variables } }
    public var constraints: [ConstraintRef] { worker.sync { [self] in model.constraints } }

    /// The model as changed so far.
    public var currentModel: Model { worker.sync { [self] in model } }

    /// Solves the model: cold the first time, warm after: from the last
    /// basis, or from ``SolveOptions/startingBasis`` when one is given.
    public func solve(options: SolveOptions = SolveOptions()) throws -> SolveResult {
        try options.validate()
        return try worker.sync { [self] () throws(ModelError) -> SolveResult in
            guard let problem else { throw ModelError(.precondition, at: "session", value: "", "is closed") }
            let capture = TerminalCapture(log: options.messageLevel == .off ? nil : options.log)
            return try capture.installed { () throws(ModelError) -> SolveResult in
                for j in 0..<model.variableCount where model.variableKinds[j] != .continuous {
                    if integerBounds(model.variableLower[j], model.variableUpper[j]) == nil {
                        return SolveResult(
                            termination: Termination(
                                reason: .infeasible,
                                detail: "integer variable \(model.describe(model.variables[j])) has no integer value within its bounds"))
                    }
                }
                var effective = options
                if solved && !isMIP {
                    effective.presolve = false
                    effective.method = costsChanged ? .primal : .dualPrimal
                }
                let driver = Driver(problem: problem, options: effective, capture: capture, warm: solved && !isMIP)
                let result = try driver.solve()
                solved = result.basis != nil
                costsChanged = false
                return result
            }
        }
    }

    /// Changes a variable's bounds (validated like ``Model/setBounds(of:lower:upper:)``).
    public func setBounds(of variable: Variable, lower: Double, upper: Double) throws {
        try worker.sync { [self] () throws(ModelError) in
            try model.setBounds(of: variable, lower: lower, upper: upper)
            let P = try handle()
            var lo = model.variableLower[variable.index], hi = model.variableUpper[variable.index]
            if model.variableKinds[variable.index] != .continuous, let rounded = integerBounds(lo, hi) { (lo, hi) = rounded }
            if lo <= hi {
                glp_set_col_bnds(P, Int32(variable.index + 1), boundType(lo, hi), lo.isFinite ? lo : 0, hi.isFinite ? hi : 0)
            }
        }
    }

    /// Changes a constraint's bounds.
    public func setBounds(of constraint: ConstraintRef, lower: Double, upper: Double) throws {
        try worker.sync { [self] () throws(ModelError) in
            try model.setBounds(of: constraint, lower: lower, upper: upper)
            let P = try handle()
            let lo = model.constraintLower[constraint.index], hi = model.constraintUpper[constraint.index]
            glp_set_row_bnds(P, Int32(constraint.index + 1), boundType(lo, hi), lo.isFinite ? lo : 0, hi.isFinite ? hi : 0)
        }
    }

    /// Changes an objective coefficient.
    public func setObjectiveCoefficient(_ value: Double, of variable: Variable) throws {
        try worker.sync { [self] () throws(ModelError) in
            try model.setObjectiveCoefficient(value, of: variable)
            glp_set_obj_coef(try handle(), Int32(variable.index + 1), value)
            costsChanged = true
        }
    }

    /// Changes a constraint coefficient (0 removes it).
    public func setCoefficient(_ value: Double, of variable: Variable, in constraint: ConstraintRef) throws {
        try worker.sync { [self] () throws(ModelError) in
            try model.setCoefficient(value, of: variable, in: constraint)
            let P = try handle()
            let row = model.row(constraint)
            let count = row.indices.count
            var indices = [Int32](repeating: 0, count: count + 1)
            var values = [Double](repeating: 0, count: count + 1)
            for (k, (index, coefficient)) in zip(row.indices, row.values).enumerated() {
                indices[k + 1] = index + 1
                values[k + 1] = coefficient
            }
            glp_set_mat_row(P, Int32(constraint.index + 1), Int32(count), indices, values)
            costsChanged = true
        }
    }

    private func handle() throws(ModelError) -> OpaquePointer {
        guard let problem else { throw ModelError(.precondition, at: "session", value: "", "is closed") }
        return try problem.handle()
    }
}
