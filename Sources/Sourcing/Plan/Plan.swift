public import LinearModel

/// Status of a plan, as named in JSON (docs/FORMULATION.md section 6).
public enum PlanStatus: String, Sendable, Equatable {
    case optimal
    /// Stopped by a limit with a plan.
    case feasible
    case infeasible
    /// Stopped by a limit without a plan.
    case limit
    case error

    /// The plan status of a solver termination.
    public init(_ reason: TerminationReason) {
        switch reason {
        case .optimal: self = .optimal
        case .feasible: self = .feasible
        case .infeasible, .infeasibleOrUnbounded: self = .infeasible
        case .noSolutionFound: self = .limit
        case .unbounded, .numericalError: self = .error
        }
    }
}

/// The objective split by the lines of section 5.
public struct CostBreakdown: Sendable, Equatable {
    public var mines = 0.0
    public var refineries = 0.0
    public var transport = 0.0
    public var tariff = 0.0
    public var contracts = 0.0
    public var shortfall = 0.0
    /// USD paid for exposed tonnes above soft caps (version 2).
    public var capExcess = 0.0
    /// Part of the mines and refineries lines paid because of version 1's
    /// price floors (0 for a `/2` instance).
    public var floorPremium = 0.0
    /// Part of the tariff line above the plain tariff: version 2's border
    /// floor (0 for a `/1` instance).
    public var floorLevy = 0.0

    /// The sum of the lines (the objective).
    public var total: Double { mines + refineries + transport + tariff + contracts + shortfall + capExcess }
}

/// Ore on an arc mine -> refinery, by tag.
public struct OreFlow: Sendable, Equatable {
    public var mine: String
    public var refinery: String
    public var mineral: String
    public var clean: Double
    public var exposed: Double
}

/// Product on an arc refinery -> buyer, by tag.
public struct ProductFlow: Sendable, Equatable {
    public var refinery: String
    public var buyer: String
    public var mineral: String
    public var clean: Double
    public var exposed: Double
}

/// Tonnes from one refinery country to one buyer and mineral.
public struct CountryShare: Sendable, Equatable {
    public var country: String
    public var tonnes: Double
    /// Share of what is delivered.
    public var share: Double
}

/// What a buyer gets of one mineral.
public struct Delivery: Sendable, Equatable {
    public var buyer: String
    public var mineral: String
    public var demand: Double
    public var delivered: Double
    public var shortfall: Double
    /// USD of penalty paid for the shortfall (sum of p_j u_j).
    public var shortfallCost: Double = 0
    /// The shortfall valued at the mineral's reference price, USD (0 without one).
    public var shortfallValue: Double = 0
    /// Exposed share of what is delivered (nil when nothing is delivered).
    public var exposedShare: Double?
    /// The cap that applies (nil: none).
    public var cap: Double?
    /// USD per exposed tonne above a soft cap (nil: hard cap or none).
    public var capPenalty: Double?
    /// Exposed tonnes above a soft cap: max(0, exposed - share x delivered).
    public var capExcess: Double = 0
    /// Average USD per delivered tonne along the chain (nil when nothing is delivered).
    public var landedCost: Double?
    /// Dual of the demand row, USD/t (nil without duals); one valid dual at
    /// a degenerate optimum.
    public var marginalPrice: Double?
    /// By refinery country, countries sorted by code.
    public var byCountry: [CountryShare]
    /// The buyer's country.
    public var buyerCountry: String = ""
    /// By mining country, traced through the ore flows: each refinery's
    /// product counts as its ore input's mix of mine countries (a source,
    /// feed `none`, as its own country); countries sorted by code.
    public var byMiningCountry: [CountryShare] = []
}

/// Output of one facility.
public struct FacilityUse: Sendable, Equatable {
    public enum Stage: String, Sendable { case mine, refinery }
    public var id: String
    public var stage: Stage
    public var mineral: String
    public var country: String
    public var output: Double
    /// As in the file.
    public var capacity: Double
    /// ratio x hostThroughput of a by-product facility (nil otherwise).
    public var hostLimit: Double? = nil
    /// min(capacity, hostLimit): what the model allows.
    public var effectiveCapacity: Double
    /// output / effectiveCapacity (nil when it is 0).
    public var utilisation: Double?
    /// Contract decision z (nil when the facility has none).
    public var contracted: Bool?
}

/// A shadow price: change of the total cost per unit of the right-hand side.
public struct ShadowPrice: Sendable, Equatable {
    public enum Kind: String, Sendable { case capacity, exposureCap, demand }
    public var kind: Kind
    /// Facility id, or buyer id.
    public var id: String
    /// The mineral (caps and demands) or the facility's mineral.
    public var mineral: String
    public var value: Double
}

/// Why an instance is infeasible (section 6, two steps).
public struct Explanation: Sendable, Equatable {
    public struct Shortfall: Sendable, Equatable {
        public var buyer: String
        public var mineral: String
        public var tonnes: Double
    }
    public struct CapNeed: Sendable, Equatable {
        public var buyer: String
        public var mineral: String
        public var cap: Double
        /// The share the cap would have to allow.
        public var needed: Double
        public var excess: Double
    }
    /// Step 1: least total shortfall (t), or nil when step 1 found no plan.
    public var totalShortfall: Double?
    public var shortfalls: [Shortfall]
    /// Step 2: least total excess over the caps (t), nil when step 2 alone
    /// cannot restore feasibility.
    public var totalCapExcess: Double?
    public var capNeeds: [CapNeed]
}

/// Where a plan came from: enough to reproduce it.
public struct Stamp: Sendable, Equatable {
    /// SHA-256 of the instance file's bytes.
    public var inputSHA256: String
    public var glpkVersion: String
    /// The options used, as name and value in a fixed order.
    public var options: [Setting]
    /// The planner's version ("" when not set).
    public var plannerVersion: String = ""

    /// One option of the stamp.
    public struct Setting: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(inputSHA256: String, glpkVersion: String, options: [Setting], plannerVersion: String = "") {
        self.inputSHA256 = inputSHA256
        self.glpkVersion = glpkVersion
        self.options = options
        self.plannerVersion = plannerVersion
    }

    /// One line for the end of a text report: enough to tell two runs apart.
    public var textLine: String {
        "stamp: input SHA-256 \(inputSHA256.prefix(16))..., GLPK \(glpkVersion), planner \(plannerVersion.isEmpty ? "?" : plannerVersion)"
            + (options.isEmpty ? "" : " (every option in --format json)")
    }
}

/// Wall-clock seconds of a solve and of its phases: never part of what a
/// plan is (two plans that differ only in timing are equal), and never
/// written to JSON or CSV, whose bytes must not depend on timing.
public struct PlanTimings: Sendable, Equatable {
    /// Seconds inside the solver.
    public var solveSeconds = 0.0
    /// Seconds per phase (presolve, build, solve, extract, explain), in order.
    public var phases: [(phase: String, seconds: Double)] = []

    public init() {}

    public static func == (_: PlanTimings, _: PlanTimings) -> Bool { true }
}

/// A sourcing plan: everything section 6 of docs/FORMULATION.md reports.
public struct Plan: Sendable, Equatable {
    public var status: PlanStatus
    /// Solver detail of the termination.
    public var detail: String
    public var instanceName: String?
    /// The format version the instance was solved with.
    public var instanceVersion: InstanceVersion = .v1
    public var kind: String  // "lp" or "mip"
    public var objective: Double?
    public var breakdown: CostBreakdown?
    public var oreFlows: [OreFlow] = []
    public var productFlows: [ProductFlow] = []
    public var deliveries: [Delivery] = []
    public var facilities: [FacilityUse] = []
    public var shadowPrices: [ShadowPrice] = []
    public var explanation: Explanation?
    public var stamp: Stamp?
    /// Sizes of the model.
    public var variables = 0
    public var constraints = 0
    public var nonzeros = 0
    /// What the domain presolve left out of the model.
    public var presolve = PresolveReport()
    /// The instance's coalition countries, sorted (for the risk metrics'
    /// coalition shares and the what-if's coalition split).
    public var coalitionCountries: [String] = []
    /// Each mineral's reference price, USD/t (minerals without one absent),
    /// to value demand and shortfall across minerals.
    public var referencePrices: [String: Double] = [:]
    /// A MIP's best bound on the cost: the cost itself when proven optimal,
    /// else the best bound of the search when it stopped (nil: an LP, or none known).
    public var bestBound: Double?
    /// A MIP's LP relaxation optimum (its root bound): the gap from it to
    /// the cost measures the formulation (nil for an LP).
    public var relaxationBound: Double?
    /// What the search did with the rounding start (``RoundingStart``; nil:
    /// an LP, or none was built).
    public var mipStart: MIPStartOutcome?
    /// The rounding start's cost (nil: none built, or none repaired),
    /// offered or not; with ``relaxationBound`` it is the start's own gap.
    public var startCost: Double?
    /// Which heuristic built the start (nil: none).
    public var startSource: RoundingStart.Start.Source?
    /// How long the solve and its phases took (equal in every plan).
    public var timings = PlanTimings()

    /// A MIP's relative gap between its cost and ``bestBound``,
    /// |cost - bound| / (|cost| + 2.2e-16) as GLPK measures it: 0 when
    /// proven optimal, the gap left when a limit or `--mip-gap` stopped the
    /// search (nil for an LP or without a plan or bound).
    public var mipGap: Double? { Self.relativeGap(objective, bestBound) }

    /// The same gap measured from the LP relaxation: how much of the
    /// relaxation's gap the formulation leaves to the search (nil for an LP).
    public var relaxationGap: Double? { Self.relativeGap(objective, relaxationBound) }

    /// The rounding start's gap to the relaxation bound (nil: no start).
    public var startGap: Double? { Self.relativeGap(startCost, relaxationBound) }

    static func relativeGap(_ cost: Double?, _ bound: Double?) -> Double? {
        guard let cost, let bound else { return nil }
        return clean(abs(cost - bound) / (abs(cost) + Double.ulpOfOne))
    }
}
