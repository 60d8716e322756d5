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
    /// A start and what it proves.
    public struct Start: Sendable {
        /// One value per variable of the model.
        public var values: [Double]
        /// The start's cost.
        public var cost: Double
        /// The LP relaxation's optimum: a bound on every plan's cost.
        public var relaxationBound: Double

        /// The start's relative gap to the relaxation bound: when it is
        /// within the gap asked, the start alone answers the MIP.
        public var gap: Double { Plan.relativeGap(cost, relaxationBound) ?? .infinity }
    }

    /// The start with its cost and the relaxation bound, or nil (an LP, an
    /// infeasible relaxation, or no rounding that repairs).
    public static func start<S: Solver>(_ built: SourcingModel, solver: S, options: SolveOptions) throws -> Start? {
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
        return best.map { Start(values: $0.values, cost: $0.cost, relaxationBound: rootBound) }
    }
}
