/// A model kept loaded in a solver, re-solved as its data changes: the
/// capability next to ``Solver`` that what-ifs and sweeps need (the shape of
/// OR-Tools MathOpt's incremental solver: an update is applied warm when the
/// solver can take it, `canUpdate`, and the model is solved cold otherwise).
///
/// A session's result depends only on the model it is given, never on the
/// models solved before it, so sweeps in shards, resumed sweeps and
/// different thread counts give the same rows.
public protocol SolveSession: AnyObject, Sendable {
    /// Whether `model` is an update the session can take warm (same rows,
    /// columns, sparsity and variable kinds as the model it was opened on).
    func canUpdate(to model: Model) -> Bool

    /// Solves `model`: warm from the loaded state when ``canUpdate(to:)``,
    /// cold otherwise. Infeasibility and limits are results; invalid input throws.
    func solve(_ model: Model) throws -> SolveResult
}

/// A ``Solver`` that can also open a ``SolveSession`` on a model.
public protocol ResolvingSolver: Solver {
    /// The session type this solver opens.
    associatedtype Session: SolveSession

    /// Loads and solves `model` (its result is the session's first), ready
    /// to take updates of it.
    func session(_ model: Model, options: SolveOptions) throws -> Session
}

/// The session of a solver without warm state: every model is solved cold
/// by the solver, with the options the session was opened with. Solvers
/// whose re-solves would not be faster use it, as do tests.
public final class ColdSession<S: Solver>: SolveSession {
    /// The solver every model goes to.
    public let solver: S
    /// The options of every solve.
    public let options: SolveOptions
    private let shape: ModelShape

    /// Opens a session on `model` (which it does not solve until asked).
    public init(_ solver: S, model: Model, options: SolveOptions) {
        self.solver = solver
        self.options = options
        self.shape = ModelShape(model)
    }

    public func canUpdate(to model: Model) -> Bool { ModelShape(model) == shape }

    public func solve(_ model: Model) throws -> SolveResult { try solver.solve(model, options: options) }
}

/// What must stay equal for a model to be an update of another: its rows,
/// columns, sparsity pattern, variable kinds, sense and objective constant.
/// Bounds, costs and coefficient values may change.
public struct ModelShape: Equatable, Sendable {
    let variables: Int, constraints: Int
    let rowStarts: [Int], columnIndices: [Int32], kinds: [VariableKind]
    let sense: ObjectiveSense, constant: Double

    /// The shape of `model`.
    public init(_ model: Model) {
        variables = model.variableCount
        constraints = model.constraintCount
        sense = model.sense
        constant = model.objectiveConstant
        rowStarts = model.rowStarts
        columnIndices = model.columnIndices
        kinds = model.variableKinds
    }
}
