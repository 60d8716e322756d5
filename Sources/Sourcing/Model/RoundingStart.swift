public import LinearModel

/// A first plan for a contract MIP, built from its LP relaxation and the
/// model's structure (docs/FORMULATION.md section 18), handed to the search
/// as its first incumbent so that a time limit always leaves a plan.
///
/// Rounding: every contracted facility the relaxation uses (z > 0) is
/// opened, the rest closed; for each supplier-limited buyer and mineral,
/// the K arcs carrying the most relaxed flow are allowed, the rest shut.
/// Repair: the LP with those choices fixed gives the flows; since it can be
/// infeasible (a minimum volume with nowhere to go, a hard demand the K
/// busiest arcs cannot cover), the stricter rounding (z >= 0.5) and the
/// rounding by reach (the K arcs of largest bound) are tried too. The
/// cheapest feasible one is the start.
public enum RoundingStart {
    /// Branch-and-cut nodes of the neighbourhood search, per block.
    public static let defaultNeighbourhoodNodes = 1000

    /// The smallest relative gap asked at which a neighbourhood start is
    /// handed to the search at once (and at which a solve without a limit
    /// builds a start). At tighter gaps the proof is the work, and a start
    /// at the root was measured to slow it: a generated 4-mineral MIP at
    /// 1e-9 27.0 s against 0.63 s, mip-36k at 1e-6 129 s against 9.6 s;
    /// at 1e-5 mip-36k is faster with it (4.4 s against 7.6 s).
    public static let looseGap = 1e-5

    /// A start and what it proves.
    public struct Start: Sendable {
        /// One value per variable of the model.
        public var values: [Double]
        /// The start's cost.
        public var cost: Double
        /// The LP relaxation's optimum: a bound on every plan's cost.
        public var relaxationBound: Double
        /// Which heuristic found it.
        public var source: Source

        /// Where a start comes from.
        public enum Source: String, Sendable {
            /// A rounding of the relaxation, repaired by an LP.
            case rounding
            /// The search over the integers the relaxation leaves fractional (RENS).
            case neighbourhood
        }

        /// The start's relative gap to the relaxation bound: when it is
        /// within the gap asked, the start alone answers the MIP.
        public var gap: Double { Plan.relativeGap(cost, relaxationBound) ?? .infinity }
    }

    /// The start with its cost and the relaxation bound, or nil (an LP, an
    /// infeasible relaxation, or no rounding that repairs).
    public static func start<S: Solver>(
        _ built: SourcingModel, solver: S, options: SolveOptions, neighbourhoodNodes: Int = defaultNeighbourhoodNodes
    ) throws -> Start? {
        guard built.isMIP else { return nil }
        var relaxed = built.model
        let integers = relaxed.variableKinds.indices.filter { relaxed.variableKinds[$0] != .continuous }
        for j in integers { try relaxed.setKind(of: relaxed.variable(unchecked: j), .continuous) }
        var lp = options
        lp.mipStart = nil
        lp.mipDuals = false
        lp.sensitivity = false
        let root = try solver.solve(relaxed, options: lp)
        guard root.termination.reason == .optimal, let rootBound = root.objective, root.values.count == relaxed.variableCount
        else { return nil }
        let v = root.values
        let bounds = ArcBounds(built.network)
        var best: (cost: Double, values: [Double])?
        var source = Start.Source.rounding
        // Roundings, loosest first: open what the relaxation uses, or only
        // what it uses at least half; allow the arcs with the most relaxed
        // flow, or the largest reach (the arc's bound, then its flow: a hard
        // demand the K busiest arcs cannot cover may need a bigger supplier).
        let roundings: [(threshold: Double, byReach: Bool)] = [(1e-6, false), (0.5, false), (1e-6, true)]
        // One copy: each rounding sets the bounds of every integer variable.
        // Each repair starts from the relaxation's optimal basis: only bounds
        // changed, so it is dual feasible and the dual simplex ends it in a
        // few pivots.
        var fixed = relaxed
        var repair = lp
        repair.startingBasis = root.basis
        repair.method = .dualPrimal
        for (threshold, byReach) in roundings {
            var choice = [Double](repeating: 0, count: relaxed.variableCount)
            for z in (built.variables.mineContract + built.variables.refineryContract).compactMap({ $0 }) {
                choice[z.index] = v[z.index] >= threshold ? 1 : 0
            }
            for demand in built.network.demands {
                let arcs = demand.arcs.filter { built.variables.supplierUse[$0] != nil }
                guard !arcs.isEmpty else { continue }
                func flow(_ a: Int) -> Double {
                    [built.variables.productClean[a], built.variables.productExposed[a]].reduce(0) { $0 + ($1.map { v[$0.index] } ?? 0) }
                }
                let limit = demand.maxSuppliers ?? arcs.count
                // Ties by arc order, so the start is deterministic.
                func key(_ a: Int, _ offset: Int) -> (Double, Double, Int) {
                    byReach ? (bounds.product[a], flow(a), -offset) : (flow(a), bounds.product[a], -offset)
                }
                let ranked = arcs.enumerated().sorted { key($0.element, $0.offset) > key($1.element, $1.offset) }
                for (rank, entry) in ranked.enumerated() {
                    guard let w = built.variables.supplierUse[entry.element] else { continue }
                    choice[w.index] = rank < limit && (byReach || flow(entry.element) > 1e-9) ? 1 : 0
                }
            }
            for j in integers { try fixed.setBounds(of: fixed.variable(unchecked: j), lower: choice[j], upper: choice[j]) }
            let repaired = try solver.solve(fixed, options: repair)
            guard repaired.termination.reason == .optimal, let cost = repaired.objective,
                repaired.values.count == relaxed.variableCount
            else { continue }
            if best == nil || cost < (best?.cost ?? .infinity) {
                var values = repaired.values
                for j in integers { values[j] = choice[j] }
                best = (cost, values)
            }
        }
        // The relaxation's neighbourhood (RENS): every integer the
        // relaxation leaves integral fixed there, the search run on the
        // rest, briefly. The fractional integers are few (measured on
        // mip-1e5: 49 to 76 of 650 to 1,011 per block) and their sub-MIP
        // ends in a few hundred nodes at or near the block's optimum.
        if neighbourhoodNodes > 0 {
            var sub = built.model
            var free = 0
            for j in integers {
                let r = v[j].rounded()
                if abs(v[j] - r) <= 1e-9 {
                    try sub.setBounds(of: sub.variable(unchecked: j), lower: r, upper: r)
                } else {
                    free += 1
                }
            }
            if free > 0 {
                var search = lp
                search.nodeLimit = neighbourhoodNodes
                // Under a time limit, at most a quarter of it.
                search.timeLimit = options.effectiveTimeLimit.map { $0 / 4 }
                search.raceDelay = nil
                search.raceExtraThreads = 0
                search.startingBasis = nil
                // Without an incumbent (`lp` has none), and by best projection: GLPK dives
                // (deepest node first) until it has a plan, then follows its
                // node selection; best bound stops diving there, so a first
                // plan far from the optimum stays (measured on mip-1e5: one
                // block kept 899.8 million USD for 1,000 nodes by best bound;
                // by best projection 872.86 million within 200 nodes, the
                // optimum being 872.85 million).
                search.backtracking = .bestProjection
                let found = try solver.solve(sub, options: search)
                if found.hasSolution, let cost = found.objective, found.values.count == relaxed.variableCount,
                    cost < (best?.cost ?? .infinity)
                {
                    var values = found.values
                    for j in integers { values[j] = values[j].rounded() }
                    best = (cost, values)
                    source = .neighbourhood
                }
            }
        }
        return best.map { Start(values: $0.values, cost: $0.cost, relaxationBound: rootBound, source: source) }
    }
}
