public import LinearModel
public import StrictJSON

/// Why a frontier cannot be traced: outcomes of the instance, not solver
/// failures (``ModelError`` stays for those).
public enum FrontierError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The instance is not one the frontier supports (a MIP: the cost
    /// against the cap is not convex).
    case unsupported(String)
    /// Nothing is demanded of the mineral (or of it by the buyer).
    case noDemand(String)
    /// No plan is feasible, even at the largest share.
    case infeasible(String)

    public var description: String {
        switch self {
        case .unsupported(let text), .noDemand(let text), .infeasible(let text): return text
        }
    }
}

/// The cost-of-independence frontier: least total cost against the share of
/// a mineral's demand that may be China-exposed.
///
/// The share is of demand (exposed tonnes delivered / tonnes demanded), so it
/// is the right-hand side of one extra row, `sum of exposed deliveries <= s D`,
/// and the least cost is a convex piecewise-linear function of s. The
/// breakpoints are exact: at each one the row's dual gives the slope and its
/// right-hand-side ranging (GLPK `glp_analyze_bound`) where the basis changes
/// next, from the unconstrained optimum down to the least exposure that is
/// feasible. Other minerals' costs do not depend on s (their blocks share no
/// row) and are added as a constant.
public struct Frontier: Sendable {
    /// One breakpoint.
    public struct Point: Sendable, Equatable {
        /// Exposed share of demand.
        public var share: Double
        public var exposedTonnes: Double
        /// Least total cost (USD) at this share.
        public var cost: Double
        /// Total shortfall (t) in the plan at this share.
        public var shortfall: Double
        /// USD per percentage point of share on the segment from the previous
        /// (larger-share) breakpoint to this one (nil for the first point).
        public var marginalCostPerPoint: Double?
    }

    public let mineral: String
    public let buyer: String?
    /// Tonnes demanded (the share's denominator).
    public let demand: Double
    /// From the unconstrained optimum (largest share) down to the least share.
    public let points: [Point]
    /// Where the frontier came from (nil: not stamped).
    public var stamp: Stamp?

    /// The instance restricted to one mineral: its facilities, the buyers'
    /// entries for it, and the blocks that can apply to it.
    public static func restrict(_ instance: Instance, to mineral: String) -> Instance {
        var copy = instance
        copy.minerals = instance.minerals.filter { $0.id == mineral }
        copy.mines = instance.mines.filter { $0.mineral == mineral }
        copy.refineries = instance.refineries.filter { $0.mineral == mineral }
        copy.buyers = instance.buyers.compactMap { buyer in
            guard let d = buyer.demand[mineral] else { return nil }
            var b = buyer
            b.demand = [mineral: d]
            b.exposureCap = buyer.exposureCap.filter { $0.key == mineral || $0.key == "*" }
            b.maxSuppliers = buyer.maxSuppliers.filter { $0.key == mineral || $0.key == "*" }
            b.shortfallPenalty = buyer.shortfallPenalty.filter { $0.key == mineral || $0.key == "*" }
            return b
        }
        copy.policy.blocked = instance.policy.blocked?.filter { $0.mineral == nil || $0.mineral == mineral }
        return copy
    }

    /// Traces the frontier with `solver` (an LP: contracts and supplier
    /// limits make the cost non-convex and are refused).
    public static func trace<S: Solver>(
        _ instance: Instance, mineral: String, buyer: String? = nil, solver: S, options: SolveOptions = .sourcing,
        progress: (@Sendable (_ breakpoints: Int, _ share: Double) -> Void)? = nil
    ) throws -> Frontier {
        let full = try SourcingModel(Network(instance))
        let fullResult = try solver.solve(full.model, options: options)
        let restricted = restrict(instance, to: mineral)
        let network = Network(restricted)
        let built = try SourcingModel(network)
        if built.isMIP {
            throw FrontierError.unsupported(
                "\(mineral) has contracts or supplier limits: the cost against the cap is not convex, so there is no exact frontier (the frontier needs an LP)"
            )
        }
        var exposed = LinearExpression(), demand = 0.0
        for demandEntry in network.demands where buyer == nil || restricted.buyers[demandEntry.buyer].id == buyer {
            demand += demandEntry.tonnes
            for a in demandEntry.arcs { exposed.add(1, built.variables.productExposed[a]) }
        }
        guard demand > 0 else {
            throw FrontierError.noDemand("\(mineral)\(buyer.map { " for " + $0 } ?? "") has no demand to take a share of")
        }
        var model = built.model
        let row = try model.addConstraint(exposed <= .infinity, name: "exposure_frontier")
        // The least exposure that any plan can reach.
        var least = model
        try least.setObjective(exposed, sense: .minimize)
        var plain = options
        plain.sensitivity = false
        let minimum = try solver.solve(least, options: plain)
        guard minimum.termination.reason == .optimal, let minimumExposure = minimum.objective else {
            throw FrontierError.infeasible("\(mineral) has no feasible plan: \(minimum.termination.detail)")
        }
        let blockResult = try solver.solve(model, options: plain)
        guard let blockCost = blockResult.objective, let fullCost = fullResult.objective else {
            throw FrontierError.infeasible("\(mineral) has no optimal plan")
        }
        let offset = fullCost - blockCost
        var ranged = options
        ranged.sensitivity = true
        ranged.presolve = false
        func shortfall(_ r: SolveResult) -> Double {
            built.variables.shortfall.reduce(0) { $0 + $1.reduce(0) { $0 + r.values[$1.index] } }
        }
        let tolerance = 1e-9 * max(1, demand)
        var points: [Point] = []
        /// Solves with the row's right-hand side at `rhs`; records the point
        /// when asked; returns where the basis stops being optimal below rhs.
        func step(_ rhs: Double, record: Bool) throws -> Double? {
            try model.setBounds(of: row, lower: -.infinity, upper: rhs)
            let r = try solver.solve(model, options: ranged)
            guard r.termination.reason == .optimal, let cost = r.objective else { return nil }
            if record {
                points.append(
                    Point(
                        share: clean(rhs / demand), exposedTonnes: clean(rhs), cost: clean(cost + offset),
                        shortfall: clean(shortfall(r)), marginalCostPerPoint: nil))
                progress?(points.count, rhs / demand)
            }
            // The row's range when it binds; else the exposure this plan has.
            return r.ranging?.rowActivityLower[row.index] ?? r.rowActivities[row.index]
        }
        var rhs = blockResult.value(exposed) ?? 0
        var lower = try step(rhs, record: true)
        var steps = 0
        while let found = lower, rhs > minimumExposure + tolerance, steps < 10_000 {
            steps += 1
            var next = found
            if next >= rhs - tolerance {
                // Degenerate: the basis at rhs does not range below it. Probe
                // just below and take the range of the basis found there.
                next = try step(rhs - 1e-7 * max(1, demand), record: false) ?? minimumExposure
            }
            next = max(next, minimumExposure)
            if next >= rhs - tolerance { next = max(minimumExposure, rhs - 1e-6 * max(1, demand)) }
            rhs = next
            lower = try step(rhs, record: true)
        }
        return Frontier(mineral: mineral, buyer: buyer, demand: demand, points: mergeCollinear(points))
    }

    /// Keeps only the points where the slope changes (degenerate pivots can
    /// report a basis change that leaves the slope as it was), and
    /// recomputes each segment's marginal cost.
    static func mergeCollinear(_ points: [Point]) -> [Point] {
        guard points.count > 2 else { return points }
        func slope(_ a: Point, _ b: Point) -> Double { (b.cost - a.cost) / ((a.share - b.share) * 100) }
        func same(_ s: Double, _ t: Double) -> Bool { abs(s - t) <= 1e-6 * max(1, abs(s), abs(t)) + 1e-3 }
        var kept = [points[0]]
        for k in 1..<(points.count - 1) {
            guard let last = kept.last else { continue }
            if !same(slope(last, points[k]), slope(points[k], points[k + 1])) { kept.append(points[k]) }
        }
        if let final = points.last { kept.append(final) }
        for k in kept.indices {
            kept[k].marginalCostPerPoint = k == 0 ? nil : clean(slope(kept[k - 1], kept[k]))
        }
        return kept
    }

    /// The frontier as JSON (`"format": "sourcing-frontier/1"`, docs/REPORTS.md).
    public func jsonValue() -> JSONValue {
        func number(_ x: Double?) -> JSONValue { x.map { .number($0) } ?? .null }
        return .object([
            ("format", .string("sourcing-frontier/1")),
            ("mineral", .string(mineral)),
            ("buyer", buyer.map { .string($0) } ?? .null),
            ("demand", .number(demand)),
            (
                "points",
                .array(
                    points.map { p in
                        .object([
                            ("share", .number(p.share)), ("exposedTonnes", .number(p.exposedTonnes)), ("cost", .number(p.cost)),
                            ("shortfall", .number(p.shortfall)), ("marginalCostPerPoint", number(p.marginalCostPerPoint))
                        ])
                    })
            ),
            ("stamp", stamp?.jsonValue() ?? .null)
        ])
    }

    /// The frontier's table.
    public func table() -> Table {
        Table(
            name: "frontier", header: ["share", "exposed", "cost", "shortfall", "marginal_cost"],
            rows: points.map {
                [
                    formatNumber($0.share), formatNumber($0.exposedTonnes), formatNumber($0.cost),
                    formatNumber($0.shortfall), formatNumber($0.marginalCostPerPoint)
                ]
            },
            units: [nil, .tonnes, .usd, .tonnes, .usdPerPoint])
    }

    /// An SVG line chart of cost against share: ticked, labelled axes and
    /// every breakpoint marked (its tooltip gives share, cost and the
    /// segment's marginal cost).
    public func svg(width: Double = 720, height: Double = 400) -> String {
        let who = buyer.map { " for " + $0 } ?? ""
        return Charts.line(
            title: "Least total cost against the China-exposed share of \(mineral)\(who) demand",
            points: points.map { p in
                Charts.Point(
                    x: 100 * p.share, y: p.cost,
                    note: "exposed \(Readable.share(p.share)) (\(Readable.tonnes(p.exposedTonnes))): \(Readable.usd(p.cost))"
                        + (p.marginalCostPerPoint.map { "; \(Readable.usd($0)) per point on the segment ending here" } ?? ""))
            },
            xAxis: "China-exposed share of demand (%)", yAxis: "least total cost (USD)",
            xFormat: { Readable.significant($0, digits: 3) + "%" }, yFormat: SVG.compactUSD, width: width, height: height)
    }
}
