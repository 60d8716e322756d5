/// How to solve a model. Every field has a sensible default; out-of-range
/// values are refused with ``ModelError`` (guard ``Guard/invalidOption``).
public struct SolveOptions: Sendable {
    /// LP algorithm.
    public enum Method: String, Sendable, CaseIterable, Codable {
        /// Primal simplex (GLPK's default).
        case primal
        /// Dual simplex.
        case dual
        /// Dual simplex, falling back to primal if it fails.
        case dualPrimal = "dual-primal"
        /// Interior point (no basis: no ranging, no warm start).
        case interior
    }

    /// Scaling applied before the simplex method.
    public enum Scaling: String, Sendable, CaseIterable, Codable {
        case none
        /// GLPK chooses (`GLP_SF_AUTO`).
        case automatic = "auto"
        /// Geometric mean scaling.
        case geometric
        /// Equilibration scaling.
        case equilibrate
    }

    /// Branching rule for branch-and-cut.
    public enum Branching: String, Sendable, CaseIterable, Codable {
        case firstFractional = "first"
        case lastFractional = "last"
        case mostFractional = "most"
        case driebeckTomlin = "dth"
        /// Hybrid pseudo-cost (default: MIPLIB gt2 in 0.1 s instead of 60 s).
        case pseudoCost = "pcost"
    }

    /// Amount of solver output sent to ``log``.
    public enum MessageLevel: String, Sendable, CaseIterable, Codable {
        case off, errors, normal, all
    }

    /// Cutting planes for branch-and-cut.
    public struct Cuts: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let gomory = Cuts(rawValue: 1)
        public static let mir = Cuts(rawValue: 2)
        /// Cover cuts; never used while solves run on several threads
        /// (GLPK's cover-cut generator has static state).
        public static let cover = Cuts(rawValue: 4)
        public static let clique = Cuts(rawValue: 8)
    }

    /// LP algorithm (default primal simplex).
    public var method: Method = .primal
    /// Use GLPK's LP presolver (default on). Off is needed to reuse a basis.
    public var presolve: Bool = true
    /// Scaling (default automatic).
    public var scaling: Scaling = .automatic
    /// Wall-clock limit in seconds for the whole solve (nil: none).
    public var timeLimit: Double?
    /// Simplex iteration limit (nil: none).
    public var iterationLimit: Int?
    /// Branch-and-cut node limit (nil: none); reproducible, unlike time.
    public var nodeLimit: Int?
    /// Relative MIP gap at which branch-and-cut stops (default 1e-9: proven optimal).
    public var relativeGap: Double = 1e-9
    /// Branching rule (default pseudo-cost).
    public var branching: Branching = .pseudoCost
    /// Cutting planes (default none).
    public var cuts: Cuts = []
    /// Use GLPK's MIP presolver. Only used when every integer variable has
    /// finite bounds (the presolver hangs or aborts otherwise).
    public var mipPresolve: Bool = false
    /// Solver output level (default off).
    public var messageLevel: MessageLevel = .off
    /// Receives the solver's output line by line (nil: output is dropped).
    /// Nothing is ever written to stdout by the library.
    public var log: (@Sendable (String) -> Void)?
    /// Compute cost and bound ranging for an LP (default off; costs a ratio
    /// test per variable).
    public var sensitivity: Bool = false
    /// For a MIP: re-solve the LP with the integer variables fixed at their
    /// values and report its duals (default off).
    public var mipDuals: Bool = false
    /// Check the KKT conditions of the solution (default on).
    public var checkKKT: Bool = true
    /// Start the simplex from this basis (from an earlier result of a model
    /// with the same shape); turns presolve off.
    public var startingBasis: Basis?
    /// Set to stop a running solve from another thread.
    public var interrupt: InterruptFlag?

    /// Default options.
    public init() {}

    /// Throws if an option is out of range.
    public func validate() throws(ModelError) {
        if let limit = timeLimit, !(limit.isFinite && limit >= 0) {
            throw ModelError(.invalidOption, at: "timeLimit", value: "\(limit)", "must be finite and >= 0")
        }
        if let limit = iterationLimit, !(0...Int(Int32.max)).contains(limit) {
            throw ModelError(.invalidOption, at: "iterationLimit", value: "\(limit)",
                             "must be in 0...\(Int32.max)")
        }
        if let limit = nodeLimit, limit < 0 {
            throw ModelError(.invalidOption, at: "nodeLimit", value: "\(limit)", "must be >= 0")
        }
        if !(relativeGap.isFinite && relativeGap >= 0) {
            throw ModelError(.invalidOption, at: "relativeGap", value: "\(relativeGap)", "must be finite and >= 0")
        }
    }
}

/// A flag that asks a running solve to stop (checked between simplex
/// iterations of branch-and-cut and between phases).
public final class InterruptFlag: @unchecked Sendable {
    /// Storage read by the solver's C callback; written atomically enough for a flag.
    public let pointer: UnsafeMutablePointer<Int32>

    /// A flag that is not set.
    public init() {
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: 0)
    }

    deinit { pointer.deallocate() }

    /// Asks the solve to stop.
    public func set() { pointer.pointee = 1 }
    /// Whether a stop was asked for.
    public var isSet: Bool { pointer.pointee != 0 }
}
