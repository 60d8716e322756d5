/// Why the solver stopped.
public enum TerminationReason: String, Sendable, Hashable, Codable {
    /// A proven optimal solution.
    case optimal
    /// Stopped by a limit with a feasible solution.
    case feasible
    /// No feasible solution exists (proven).
    case infeasible
    /// The objective is unbounded (proven: a feasible basis and an unbounded ray).
    case unbounded
    /// Infeasible or unbounded, not told apart.
    case infeasibleOrUnbounded
    /// Stopped by a limit before any feasible solution was found.
    case noSolutionFound
    /// The solver failed numerically or internally.
    case numericalError
}

/// The limit that stopped the solve, if one did.
public enum Limit: String, Sendable, Hashable, Codable {
    case time, iteration, node, gap
}

/// What kind of primal solution the result carries.
public enum SolutionStatus: String, Sendable, Hashable, Codable {
    case none, feasible, optimal
}

/// Termination reason, limit and a free-text detail.
public struct Termination: Sendable, Hashable {
    /// Why the solve stopped.
    public var reason: TerminationReason
    /// Which limit stopped it (for ``TerminationReason/feasible`` and
    /// ``TerminationReason/noSolutionFound``; `.gap` when a MIP gap above
    /// zero was reached).
    public var limit: Limit?
    /// Solver detail (GLPK's return code and statuses).
    public var detail: String

    public init(reason: TerminationReason, limit: Limit? = nil, detail: String = "") {
        self.reason = reason
        self.limit = limit
        self.detail = detail
    }
}

/// Status of each variable and row in a simplex basis.
public enum BasisStatus: UInt8, Sendable, Hashable, Codable {
    case basic = 1, atLower = 2, atUpper = 3, free = 4, fixed = 5
}

/// A simplex basis, to start a later solve from.
public struct Basis: Sendable, Hashable {
    /// Status of each row.
    public var rows: [BasisStatus]
    /// Status of each column.
    public var columns: [BasisStatus]
    public init(rows: [BasisStatus], columns: [BasisStatus]) {
        self.rows = rows
        self.columns = columns
    }
}

/// Ranges over which a basis stays optimal (LP only, on request).
public struct Ranging: Sendable {
    /// For each variable: objective coefficient range keeping the basis optimal.
    public var costLower: [Double]
    public var costUpper: [Double]
    /// For each row (non-basic rows only, else nil): activity range
    /// over which the row's bound can move while its dual stays valid.
    public var rowActivityLower: [Double?]
    public var rowActivityUpper: [Double?]
    /// For each variable (non-basic only, else nil): the range of its value
    /// over which its reduced cost stays valid.
    public var variableValueLower: [Double?]
    public var variableValueUpper: [Double?]

    public init(
        costLower: [Double] = [], costUpper: [Double] = [],
        rowActivityLower: [Double?] = [], rowActivityUpper: [Double?] = [],
        variableValueLower: [Double?] = [], variableValueUpper: [Double?] = []
    ) {
        self.costLower = costLower
        self.costUpper = costUpper
        self.rowActivityLower = rowActivityLower
        self.rowActivityUpper = rowActivityUpper
        self.variableValueLower = variableValueLower
        self.variableValueUpper = variableValueUpper
    }
}

/// The largest violations of the KKT conditions found in a solution.
public struct KKTReport: Sendable, Hashable {
    /// Largest absolute / relative residual of the row equalities (primal).
    public var primalEqualityAbsolute: Double
    public var primalEqualityRelative: Double
    /// Largest absolute / relative bound violation (primal).
    public var primalBoundAbsolute: Double
    public var primalBoundRelative: Double
    /// Dual equalities and dual bounds (LP basic solutions only; 0 otherwise).
    public var dualEqualityAbsolute: Double
    public var dualEqualityRelative: Double
    public var dualBoundAbsolute: Double
    public var dualBoundRelative: Double

    public init(
        primalEqualityAbsolute: Double = 0, primalEqualityRelative: Double = 0,
        primalBoundAbsolute: Double = 0, primalBoundRelative: Double = 0,
        dualEqualityAbsolute: Double = 0, dualEqualityRelative: Double = 0,
        dualBoundAbsolute: Double = 0, dualBoundRelative: Double = 0
    ) {
        self.primalEqualityAbsolute = primalEqualityAbsolute
        self.primalEqualityRelative = primalEqualityRelative
        self.primalBoundAbsolute = primalBoundAbsolute
        self.primalBoundRelative = primalBoundRelative
        self.dualEqualityAbsolute = dualEqualityAbsolute
        self.dualEqualityRelative = dualEqualityRelative
        self.dualBoundAbsolute = dualBoundAbsolute
        self.dualBoundRelative = dualBoundRelative
    }

    /// The largest relative residual of any kind.
    public var worstRelative: Double {
        max(primalEqualityRelative, primalBoundRelative, dualEqualityRelative, dualBoundRelative)
    }
}

/// Time and effort spent.
public struct SolveStatistics: Sendable, Hashable {
    /// Wall-clock seconds inside the solver calls.
    public var seconds: Double = 0
    /// Simplex iterations (all phases, including a MIP's LPs).
    public var iterations: Int = 0
    /// Branch-and-cut nodes.
    public var nodes: Int = 0
    /// What became of ``SolveOptions/mipStart`` (nil: none was given).
    public var mipStart: MIPStartOutcome?
    /// Branch-and-cut nodes of a second search that raced this MIP's on
    /// another thread (``SearchRace``; nil: none joined), counted in ``nodes`` too.
    public var helperNodes: Int?
    public init() {}
}

/// What a MIP solve did with the solution given as ``SolveOptions/mipStart``.
public enum MIPStartOutcome: String, Sendable, Hashable {
    /// Taken as the search's first incumbent.
    case accepted
    /// Not taken: the search had an incumbent of its own, at least as good
    /// or found before the start's time came (``SolveOptions/mipStartDelay``),
    /// or it never reached a heuristic point.
    case notBetter = "not-better"
    /// Not a solution of the model (a row, a bound or integrality fails, or
    /// its length is not the variable count): dropped.
    case infeasible
}

/// The outcome of a solve: termination, solution, duals and statistics.
public struct SolveResult: Sendable {
    /// Why the solve stopped.
    public var termination: Termination
    /// What kind of primal solution ``values`` holds.
    public var primalStatus: SolutionStatus
    /// Objective value of the solution, constant included (nil: no solution).
    public var objective: Double?
    /// Best bound on the objective (MIP): the objective itself when proven
    /// optimal, else the best local bound of the nodes left when the search
    /// stopped (nil when GLPK's search never reported one).
    public var bestBound: Double?
    /// The optimum of a MIP's LP relaxation (its root bound before any cut),
    /// when it was solved: how far it lies from the objective measures the
    /// formulation's strength.
    public var relaxationBound: Double?
    /// Value of each variable (empty: no solution).
    public var values: [Double]
    /// Activity of each row (empty: no solution).
    public var rowActivities: [Double]
    /// Dual value of each row (LP, or the fixed LP of a MIP on request).
    public var rowDuals: [Double]?
    /// Reduced cost of each variable (same condition as ``rowDuals``).
    public var reducedCosts: [Double]?
    /// Cost and bound ranging (LP, on request).
    public var ranging: Ranging?
    /// The final simplex basis (LP solved by simplex).
    public var basis: Basis?
    /// KKT check of the solution.
    public var kkt: KKTReport?
    /// Effort spent.
    public var statistics: SolveStatistics

    public init(termination: Termination, primalStatus: SolutionStatus = .none) {
        self.termination = termination
        self.primalStatus = primalStatus
        self.values = []
        self.rowActivities = []
        self.statistics = SolveStatistics()
    }

    /// Whether a primal solution is available.
    public var hasSolution: Bool { primalStatus != .none }

    /// The value of `variable` in the solution (nil when there is none).
    public func value(_ variable: Variable) -> Double? {
        variable.index < values.count ? values[variable.index] : nil
    }

    /// The value of an expression in the solution (nil when there is none).
    public func value(_ expression: LinearExpression) -> Double? {
        guard hasSolution else { return nil }
        var total = expression.constant
        for term in expression.terms {
            let index = Int(term.index)
            guard index < values.count else { return nil }
            total += term.coefficient * values[index]
        }
        return total
    }

    /// The dual value of `constraint` (nil when not computed).
    public func dual(_ constraint: ConstraintRef) -> Double? {
        guard let duals = rowDuals, constraint.index < duals.count else { return nil }
        return duals[constraint.index]
    }

    /// The reduced cost of `variable` (nil when not computed).
    public func reducedCost(_ variable: Variable) -> Double? {
        guard let costs = reducedCosts, variable.index < costs.count else { return nil }
        return costs[variable.index]
    }
}

/// Something that solves a ``Model``.
public protocol Solver: Sendable {
    /// Solves `model`; infeasibility and limits are results, invalid input throws.
    func solve(_ model: Model, options: SolveOptions) throws -> SolveResult
}
