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

    /// Scaling of the problem GLPK solves.
    ///
    /// GLPK's LP presolver scales the problem it builds itself (always
    /// `GLP_SF_AUTO`), so with ``presolve`` on this choice acts only on the
    /// branch-and-cut of a MIP (its node LPs run on the scaled original
    /// problem); with presolve off it acts on every simplex run.
    public enum Scaling: String, Sendable, CaseIterable, Codable {
        case none
        /// GLPK chooses (`GLP_SF_AUTO`).
        case automatic = "auto"
        /// Geometric mean scaling, factors rounded to powers of 2.
        case geometric
        /// Equilibration scaling, factors rounded to powers of 2.
        case equilibrate
    }

    /// The basis a cold simplex run starts from.
    ///
    /// Used only when the simplex runs without GLPK's LP presolver (presolve
    /// off, or a given ``startingBasis`` that does not fit): the presolver
    /// always builds an advanced basis for the problem it makes.
    public enum InitialBasis: String, Sendable, CaseIterable, Codable {
        /// Every row basic, every column non-basic (`glp_std_basis`).
        case standard
        /// Triangular, with as few fixed variables as possible (`glp_adv_basis`).
        case advanced
        /// Bixby's crash basis (`glp_cpx_basis`).
        case bixby
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

    /// Which open node branch-and-cut takes next (GLPK's `bt_tech`).
    public enum Backtracking: String, Sendable, CaseIterable, Codable {
        /// Depth-first search.
        case depthFirst = "dfs"
        /// Breadth-first search.
        case breadthFirst = "bfs"
        /// The node with the best local bound (GLPK's default).
        case bestBound = "best-bound"
        /// Best projection heuristic.
        case bestProjection = "best-projection"
    }

    /// Bound preprocessing inside branch-and-cut (GLPK's `pp_tech`; not the
    /// MIP presolver, see ``mipPresolve``).
    public enum Preprocessing: String, Sendable, CaseIterable, Codable {
        case none
        /// At the root node only.
        case root
        /// At every node (GLPK's default).
        case all
    }

    /// Amount of solver output sent to ``log``.
    public enum MessageLevel: String, Sendable, CaseIterable, Codable {
        case off, errors, normal, all
    }

    /// Cutting planes for branch-and-cut.
    public struct Cuts: NamedOptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let gomory = Cuts(rawValue: 1)
        public static let mir = Cuts(rawValue: 2)
        /// Cover cuts; never used while solves run on several threads
        /// (GLPK's cover-cut generator has static state).
        public static let cover = Cuts(rawValue: 4)
        public static let clique = Cuts(rawValue: 8)

        /// The kinds by name, in a fixed order: gomory, mir, cover, clique.
        public static let names: [(name: String, value: Cuts)] = [
            ("gomory", .gomory), ("mir", .mir), ("cover", .cover), ("clique", .clique)
        ]
        public static let setName = "cuts"
    }

    /// Primal heuristics of branch-and-cut.
    public struct Heuristics: NamedOptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// Simple rounding (GLPK's `sr_heur`, on by default).
        public static let rounding = Heuristics(rawValue: 1)
        /// Feasibility pump at the root (`fp_heur`).
        public static let feasibilityPump = Heuristics(rawValue: 2)
        /// Fischetti-Monaci proximity search at the root (`ps_heur`), at most
        /// ``SolveOptions/proximityTimeLimit`` seconds.
        public static let proximitySearch = Heuristics(rawValue: 4)

        /// The kinds by name, in a fixed order: rounding, fpump, proxy.
        public static let names: [(name: String, value: Heuristics)] = [
            ("rounding", .rounding), ("fpump", .feasibilityPump), ("proxy", .proximitySearch)
        ]
        public static let setName = "heuristics"
    }

    /// LP algorithm (default primal simplex).
    public var method: Method = .primal
    /// Use GLPK's LP presolver (default on). Off is needed to reuse a basis.
    public var presolve: Bool = true
    /// Scaling (default automatic; see ``Scaling`` for when it acts).
    public var scaling: Scaling = .automatic
    /// Initial basis of a cold simplex run without the LP presolver
    /// (default advanced).
    public var initialBasis: InitialBasis = .advanced
    /// Wall-clock limit in seconds for the whole solve (nil: none).
    public var timeLimit: Double?
    /// An instant by which every solve made with these options must end
    /// (nil: none): one wall-clock limit for a whole command (the blocks of
    /// a decomposed solve, the baseline and the scenario of a what-if, every
    /// case of a stress run), however many solves it makes. Each solve's
    /// limit is the smaller of ``timeLimit`` and the time left.
    public var deadline: ContinuousClock.Instant?

    /// ``timeLimit`` narrowed to what is left before ``deadline`` (at least
    /// a millisecond, so a late solve stops at once).
    public var effectiveTimeLimit: Double? {
        guard let deadline else { return timeLimit }
        let left = max(0.001, (deadline - .now).inSecondsValue)
        return timeLimit.map { min($0, left) } ?? left
    }
    /// Simplex iteration limit (nil: none).
    public var iterationLimit: Int?
    /// Branch-and-cut node limit (nil: none); reproducible, unlike time.
    public var nodeLimit: Int?
    /// Relative MIP gap at which branch-and-cut stops (default 1e-9: proven optimal).
    public var relativeGap: Double = 1e-9
    /// Branching rule (default pseudo-cost).
    public var branching: Branching = .pseudoCost
    /// Node selection of branch-and-cut (default best local bound).
    public var backtracking: Backtracking = .bestBound
    /// Bound preprocessing inside branch-and-cut (default at every node).
    public var preprocessing: Preprocessing = .all
    /// Cutting planes (default none). Cover cuts are left out while other
    /// solves run in the process.
    public var cuts: Cuts = []
    /// Primal heuristics (default simple rounding only, as in GLPK).
    public var heuristics: Heuristics = [.rounding]
    /// Seconds the proximity search may take (default 60, GLPK's; never
    /// more than what is left of ``timeLimit``).
    public var proximityTimeLimit: Double = 60
    /// Use GLPK's MIP presolver. Only used when every integer variable has
    /// finite bounds (the presolver hangs or aborts otherwise).
    public var mipPresolve: Bool = false
    /// For a MIP split into independent blocks (``DecomposingSolver``): solve
    /// the LP relaxation of every block before any branch-and-cut. An
    /// infeasible relaxation ends the solve at once, blocks without integer
    /// variables keep their relaxation's result, and the others go to
    /// branch-and-cut most fractional first, each from its relaxation's
    /// basis (default off). A single model ignores it: GLPK always solves
    /// the relaxation first.
    public var relaxationFirst: Bool = false
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
    /// with the same shape); turns presolve off. In a warm `GLPKSession` it
    /// replaces the session's last basis.
    public var startingBasis: Basis?
    /// For a MIP: a known solution (one value per variable) to start the
    /// search from as its first incumbent, so that a limit always leaves at
    /// least this plan. The solver checks it (integrality, bounds, rows)
    /// and drops it when it is not feasible (``SolveStatistics/mipStart``
    /// says which); it turns the MIP presolver off (GLPK takes an incumbent
    /// only in the model's own columns). ``DecomposingSolver`` hands each
    /// block its part.
    public var mipStart: [Double]?
    /// Seconds into the search after which ``mipStart`` is offered (default
    /// 0: at the first heuristic point); GLPK keeps it only if it is better
    /// than the search's own incumbent by then. An incumbent at the root was
    /// measured to slow GLPK's proof at tight gaps (docs/FORMULATION.md
    /// section 18), so a start is best offered late there.
    public var mipStartDelay: Double = 0
    /// The whole model's gap, shared by the blocks of a decomposed MIP
    /// (set by ``DecomposingSolver``; nil: each solve stops at
    /// ``relativeGap`` on its own).
    public var gapBudget: GapBudgetShare?
    /// The threads shared between the blocks of a decomposed MIP (set by
    /// ``DecomposingSolver``; nil: the search runs without giving way).
    public var gate: SearchGateEntry?
    /// For a MIP that ``DecomposingSolver`` splits into blocks: every
    /// block's search starts on a thread of its own and the threads pass
    /// between them in equal shares, a block giving way after holding one
    /// this many seconds (``SearchGate``, docs/FORMULATION.md section 23). nil:
    /// blocks run one after the other on the threads, each to its end.
    public var sliceQuantum: Double? = 0.2
    /// For a MIP solved by ``DecomposingSolver`` on more than one thread: a
    /// thread left without a block joins a block's search that has run this
    /// many seconds with a second search of its own strategy
    /// (``raceBranching``, ``raceBacktracking``, ``raceCuts``), the two sharing incumbents
    /// and bounds (``SearchRace``, docs/FORMULATION.md section 20); a MIP
    /// that does not split gets its second search the same way. nil: never.
    public var raceDelay: Double? = 0.5
    /// The second search's branching rule (default pseudo-cost).
    public var raceBranching: Branching = .pseudoCost
    /// The second search's node selection (default best bound).
    public var raceBacktracking: Backtracking = .bestBound
    /// The second search's cutting planes (default MIR cuts: measured to
    /// end most of the searches that stall without cuts, and to stall some
    /// that end without them; BENCHMARKS.md, issue 17).
    public var raceCuts: Cuts = [.mir]
    /// Helper threads beyond ``DecomposingSolver/threads`` that probe
    /// races while blocks still run on every thread: once every block has
    /// started and a race has run ``raceExtraDelay`` seconds, a probe runs
    /// the second search for ``raceExtraBudget`` seconds (docs/FORMULATION.md
    /// section 22). Default 1; 0: a helper only on a thread left without a
    /// block.
    public var raceExtraThreads: Int = 1
    /// Seconds a race's first search runs before a probe
    /// (``raceExtraThreads``) joins it (default 0.5).
    public var raceExtraDelay: Double = 0.5
    /// Seconds a probe searches before it gives up (default 0.4): it shares
    /// a core with the blocks' own searches, so its cost is bounded; a race
    /// gets one probe, and a thread that falls free lifts the budget. nil:
    /// to the race's end.
    public var raceExtraBudget: Double? = 0.4
    /// Builds the model the second search of a race solves instead of the
    /// solved one: the same variables, bounds, kinds and objective and the
    /// same integer solutions, with rows written another way (a tighter
    /// formulation, docs/FORMULATION.md section 21). Called once per solve,
    /// and only when a race can run (a MIP on more than one thread). Plans
    /// pass between the two searches unchanged; a plan the second search
    /// wins with is solved again on the solved model with its integers
    /// fixed, so values, row activities, duals and basis are always the
    /// solved model's. nil: the second search solves the same model.
    public var raceModel: (@Sendable () throws -> Model)?
    /// Builds the model each block's own (first) search solves instead of
    /// the solved one: the same columns and integer solutions, rows written
    /// another way (docs/FORMULATION.md section 24), checked as
    /// ``raceModel`` is. Its plan is solved again on the solved model with
    /// its integers fixed, so values, row activities, duals and basis are
    /// the solved model's; the termination, bounds (the LP relaxation bound
    /// is this model's root) and statistics are the search's. Called once
    /// per MIP solve. nil: the first search solves the solved model.
    public var searchModel: (@Sendable () throws -> Model)?
    /// The race this solve's search is part of (set by ``DecomposingSolver``).
    public var race: SearchRaceEntry?

    /// Default options.
    public init() {}

    /// Throws if an option is out of range.
    public func validate() throws(ModelError) {
        if let limit = timeLimit, !(limit.isFinite && limit >= 0) {
            throw ModelError(.invalidOption, at: "timeLimit", value: "\(limit)", "must be finite and >= 0")
        }
        if let limit = iterationLimit, !(0...Int(Int32.max)).contains(limit) {
            throw ModelError(
                .invalidOption, at: "iterationLimit", value: "\(limit)",
                "must be in 0...\(Int32.max)")
        }
        if let limit = nodeLimit, limit < 0 {
            throw ModelError(.invalidOption, at: "nodeLimit", value: "\(limit)", "must be >= 0")
        }
        if !(relativeGap.isFinite && relativeGap >= 0) {
            throw ModelError(.invalidOption, at: "relativeGap", value: "\(relativeGap)", "must be finite and >= 0")
        }
        try cuts.validate()
        try heuristics.validate()
        if !(0...16).contains(raceExtraThreads) {
            throw ModelError(.invalidOption, at: "raceExtraThreads", value: "\(raceExtraThreads)", "must be in 0...16")
        }
        if let budget = raceExtraBudget, !(budget.isFinite && budget > 0) {
            throw ModelError(.invalidOption, at: "raceExtraBudget", value: "\(budget)", "must be finite and > 0")
        }
        if !(raceExtraDelay.isFinite && raceExtraDelay >= 0) {
            throw ModelError(.invalidOption, at: "raceExtraDelay", value: "\(raceExtraDelay)", "must be finite and >= 0")
        }
        if let quantum = sliceQuantum, !(quantum.isFinite && quantum >= 0) {
            throw ModelError(.invalidOption, at: "sliceQuantum", value: "\(quantum)", "must be finite and >= 0")
        }
        if let delay = raceDelay, !(delay.isFinite && delay >= 0) {
            throw ModelError(.invalidOption, at: "raceDelay", value: "\(delay)", "must be finite and >= 0")
        }
        if !(mipStartDelay >= 0) {
            throw ModelError(.invalidOption, at: "mipStartDelay", value: "\(mipStartDelay)", "must be >= 0")
        }
        if let start = mipStart, let k = start.firstIndex(where: { !$0.isFinite }) {
            throw ModelError(.invalidOption, at: "mipStart[\(k)]", value: "\(start[k])", "must be finite")
        }
        if !(proximityTimeLimit.isFinite && proximityTimeLimit >= 0 && proximityTimeLimit <= Double(Int32.max) / 1000) {
            throw ModelError(
                .invalidOption, at: "proximityTimeLimit", value: "\(proximityTimeLimit)",
                "must be finite, >= 0 and <= \(Int32.max / 1000) s")
        }
    }
}

/// An option set whose members have names: written `none`, `all` or the
/// names joined by commas (the solver choices ``SolveOptions/Cuts`` and
/// ``SolveOptions/Heuristics``).
public protocol NamedOptionSet: OptionSet where Element == Self, RawValue: CustomStringConvertible {
    /// The members by name, in a fixed order (every member is named).
    static var names: [(name: String, value: Self)] { get }
    /// What the set is called in error messages.
    static var setName: String { get }
}

extension NamedOptionSet {
    /// Every member: the union of ``names``.
    public static var all: Self { Self(names.map(\.value)) }

    /// Throws when the set holds a bit that names no member.
    public func validate() throws(ModelError) {
        if !Self.all.isSuperset(of: self) {
            throw ModelError(.invalidOption, at: Self.setName, value: "\(rawValue)", "has unknown bits")
        }
    }

    /// Parses `none`, `all` or a comma-separated list of ``names``
    /// (case and blanks ignored).
    public init(parsing text: String) throws(ModelError) {
        let trimmed = String(text.lowercased().filter { !$0.isWhitespace })
        if trimmed == "none" { self = []; return }
        if trimmed == "all" { self = Self.all; return }
        var set: Self = []
        for part in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            guard let entry = Self.names.first(where: { $0.name == part }) else {
                throw ModelError(
                    .invalidOption, at: Self.setName, value: "'\(text)'",
                    "is not none, all or a comma-separated list of \(Self.names.map(\.name).joined(separator: ", "))")
            }
            set.insert(entry.value)
        }
        self = set
    }

    /// `none`, `all` or the names of the members joined by commas.
    public var name: String {
        if isEmpty { return "none" }
        if self == Self.all { return "all" }
        return Self.names.filter { contains($0.value) }.map(\.name).joined(separator: ",")
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    var inSecondsValue: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
