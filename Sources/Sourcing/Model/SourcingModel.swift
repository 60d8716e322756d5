public import LinearModel

/// What the model optimises.
public enum BuildMode: String, Sendable {
    /// The plan: minimise total landed cost (docs/FORMULATION.md section 5).
    case plan
    /// Explanation step 1: a shortfall on every demand, minimise total shortfall (t).
    case minimizeShortfall
    /// Explanation step 2: every demand met, minimise total excess over the caps (t).
    case minimizeCapExcess
}

/// The variables of the sourcing model, by arc, demand and facility.
public struct VariableMap: Sendable {
    /// Per ore arc; nil where the data fixes the tag at zero (domain presolve).
    public var oreClean: [Variable?] = []
    public var oreExposed: [Variable?] = []
    /// Per product arc; nil where the data fixes the tag at zero.
    public var productClean: [Variable?] = []
    public var productExposed: [Variable?] = []
    /// u_j[b,k], per demand, one per segment of its curve (empty: the
    /// demand is hard; one variable in explanation step 1).
    public var shortfall: [[Variable]] = []
    /// z[s] of mines and refineries (nil: no contract).
    public var mineContract: [Variable?] = []
    public var refineryContract: [Variable?] = []
    /// w[r,b], per product arc (nil: no supplier limit).
    public var supplierUse: [Variable?] = []
    /// Tonnes over each exposure cap: the priced excess v[b,k] of a soft
    /// cap in the plan, the slack of a hard cap in explanation step 2.
    public var capExcess: [Variable?] = []
}

/// The rows whose shadow prices a plan reports.
public struct RowMap: Sendable {
    public var mineCapacity: [ConstraintRef?] = []
    public var refineryCapacity: [ConstraintRef?] = []
    public var demand: [ConstraintRef] = []
    public var exposureCap: [ConstraintRef?] = []
}

/// What the domain presolve left out: variables and rows that the data
/// already fixes (never created, rather than removed later).
public struct PresolveReport: Sendable, Equatable {
    /// Exposed ore of mines with chinaExposure 0, clean ore of mines with 1.
    public var mineTagVariables = 0
    /// Clean product of refineries and sources with chinaExposure 1
    /// (exposed product of feed-none sources with 0).
    public var refineryTagVariables = 0
    /// Exposed product to a buyer whose cap for the mineral is 0.
    public var cappedTagVariables = 0
    /// Balance and cap rows left with nothing to balance.
    public var trivialRows = 0
    /// Country-share rows that cannot bind (the country's capacity is below the cap).
    public var countryShareRows = 0
    /// Contract variables of facilities whose minVolume exceeds their capacity
    /// (never contracted: their arcs are fixed at zero).
    public var impossibleContracts = 0

    public var variablesRemoved: Int { mineTagVariables + refineryTagVariables + cappedTagVariables + impossibleContracts }
    public var rowsRemoved: Int { trivialRows + countryShareRows + 2 * impossibleContracts }
}

/// How the contract rows (10) and supplier-limit rows (11) are written.
/// Both have the same integer solutions and the same optimum; they differ
/// in their LP relaxation, which is what branch and bound works from.
public enum ContractFormulation: String, Sendable, CaseIterable {
    /// As section 4 states them: output <= capacity z, flow <= demand w.
    case bigM
    /// Each big-M replaced by the smallest bound the other rows imply, and
    /// a row flow <= bound z on each arc of a contracted facility whose
    /// bound is below the facility's, where the row tightens the relaxation
    /// (docs/FORMULATION.md section 17).
    case tight
    /// Each big-M replaced by the smallest bound, without per-arc rows.
    case bounds
    /// The big-M coefficients of section 4, and a per-arc row on each arc
    /// whose bound is below the facility's capacity.
    case arcs

    /// Whether each big-M is replaced by the smallest implied bound.
    var tightensCoefficients: Bool { self == .bounds || self == .tight }
    /// Whether flow <= bound z is written on the arcs where it tightens.
    var writesArcRows: Bool { self == .tight || self == .arcs }
}

/// The sourcing model of docs/FORMULATION.md built as a ``LinearModel/Model``.
///
/// One function per constraint family, in the order of section 4, so each
/// rule of the spec has one home.
public struct SourcingModel: Sendable {
    public let network: Network
    public let mode: BuildMode
    public private(set) var model: Model
    public private(set) var variables = VariableMap()
    public private(set) var rows = RowMap()
    /// What the domain presolve left out.
    public private(set) var presolve = PresolveReport()

    /// The fixings of the domain presolve the model was built with.
    public let domain: DomainPresolve
    /// How the contract and supplier-limit rows are written.
    public let formulation: ContractFormulation

    /// Builds the model of a validated instance.
    public init(_ network: Network, mode: BuildMode = .plan, formulation: ContractFormulation = .bigM) throws(ModelError) {
        try self.init(network, mode: mode, presolve: DomainPresolve(network, mode: mode), formulation: formulation)
    }

    /// Builds the model with the fixings of a domain presolve already made
    /// for `network` and `mode` (so the two phases can be timed apart).
    public init(
        _ network: Network, mode: BuildMode = .plan, presolve domain: DomainPresolve, formulation: ContractFormulation = .bigM
    ) throws(ModelError) {
        self.network = network
        self.mode = mode
        self.domain = domain
        self.formulation = formulation
        self.presolve = domain.report
        self.model = Model(name: "sourcing")
        let flows = 2 * (network.oreArcs.count + network.productArcs.count)
        model.reserveCapacity(variables: flows + network.demands.count, constraints: 0, nonzeros: 3 * flows)
        try addFlowVariables()
        try addShortfallVariables()
        try addContractVariables()
        try addSupplierVariables()
        try addMineCapacity()  // 1
        try addMineExposure()  // 2
        try addMinedRefineryBalance()  // 3
        try addSourceBalance()  // 4
        try addRefineryCapacity()  // 5
        try addDemand()  // 6
        try addExposureCaps()  // 7
        try addCountryShares()  // 8
        try addCoalitionOfftake()  // 9
        // The bounds of the tight rows, when there are contract or supplier rows to write.
        let hasIntegers =
            variables.mineContract.contains { $0 != nil } || variables.refineryContract.contains { $0 != nil }
            || variables.supplierUse.contains { $0 != nil }
        let bounds = formulation != .bigM && hasIntegers ? ArcBounds(network) : nil
        let coefficients = formulation.tightensCoefficients ? bounds : nil
        try addContracts(coefficients, arcRows: formulation.writesArcRows ? bounds : nil)  // 10
        try addSupplierLimits(coefficients)  // 11
        model.setSense(.minimize)
    }

    /// Whether the model has integer variables (contracts or supplier limits).
    public var isMIP: Bool { model.isMIP }

    private var costs: Bool { mode == .plan }

    // MARK: Variables and their costs (section 5)

    /// Flow variables with their costs (section 5), except the tags the data
    /// fixes at zero (domain presolve).
    private mutating func addFlowVariables() throws(ModelError) {
        let n = network
        // One bulk add: the objective of every present tag in arc order,
        // clean before exposed (the order single adds would give).
        var objectives: [Double] = []
        objectives.reserveCapacity(2 * (n.oreArcs.count + n.productArcs.count))
        for (a, arc) in n.oreArcs.enumerated() {
            let cost = costs ? n.cost(of: arc) : 0
            if domain.oreClean[a] { objectives.append(cost) }
            if domain.oreExposed[a] { objectives.append(cost) }
        }
        for (a, arc) in n.productArcs.enumerated() {
            let cost = costs ? n.cost(of: arc) : 0
            if domain.productClean[a] { objectives.append(cost) }
            if domain.productExposed[a] { objectives.append(cost) }
        }
        var next = try model.addVariables(objectives: objectives)
        func take(_ present: Bool) -> Variable? {
            guard present else { return nil }
            defer { next += 1 }
            return model.variable(unchecked: next)
        }
        variables.oreClean.reserveCapacity(n.oreArcs.count)
        variables.oreExposed.reserveCapacity(n.oreArcs.count)
        for a in n.oreArcs.indices {
            variables.oreClean.append(take(domain.oreClean[a]))
            variables.oreExposed.append(take(domain.oreExposed[a]))
        }
        variables.productClean.reserveCapacity(n.productArcs.count)
        variables.productExposed.reserveCapacity(n.productArcs.count)
        for a in n.productArcs.indices {
            variables.productClean.append(take(domain.productClean[a]))
            variables.productExposed.append(take(domain.productExposed[a]))
        }
    }

    /// u_j[b,k] for each segment j of the demand's curve, bounded by its
    /// width (a_j - a_(j-1)) D and costing p_j (docs/FORMULATION.md section
    /// 9). A one-segment curve (a number) needs no bound: Q >= 0 implies it.
    private mutating func addShortfallVariables() throws(ModelError) {
        variables.shortfall.reserveCapacity(network.demands.count)
        for demand in network.demands {
            switch mode {
            case .plan:
                guard let segments = demand.penalty?.segments else {
                    variables.shortfall.append([])
                    continue
                }
                if segments.count == 1 {
                    variables.shortfall.append([try model.addVariable(objective: segments[0].penalty)])
                    continue
                }
                var previous = 0.0
                var parts: [Variable] = []
                parts.reserveCapacity(segments.count)
                for segment in segments {
                    parts.append(
                        try model.addVariable(
                            upper: (segment.upTo - previous) * demand.tonnes,
                            objective: segment.penalty))
                    previous = segment.upTo
                }
                variables.shortfall.append(parts)
            case .minimizeShortfall:
                variables.shortfall.append([try model.addVariable(objective: 1)])
            case .minimizeCapExcess:
                variables.shortfall.append([])
            }
        }
    }

    private mutating func addContractVariables() throws(ModelError) {
        for (m, mine) in network.instance.mines.enumerated() {
            let contracted = Network.contracted(fixedCost: mine.fixedCost, minVolume: mine.minVolume) && !domain.mineClosed[m]
            variables.mineContract.append(
                contracted
                    ? try model.addVariable(kind: .binary, objective: costs ? mine.fixedCost ?? 0 : 0) : nil)
        }
        for (r, refinery) in network.instance.refineries.enumerated() {
            let contracted = Network.contracted(fixedCost: refinery.fixedCost, minVolume: refinery.minVolume) && !domain.refineryClosed[r]
            variables.refineryContract.append(
                contracted
                    ? try model.addVariable(kind: .binary, objective: costs ? refinery.fixedCost ?? 0 : 0) : nil)
        }
    }

    private mutating func addSupplierVariables() throws(ModelError) {
        variables.supplierUse = Array(repeating: nil, count: network.productArcs.count)
        for demand in network.demands where demand.maxSuppliers != nil {
            for a in demand.arcs { variables.supplierUse[a] = try model.addVariable(kind: .binary) }
        }
    }

    // MARK: Helpers

    /// Sum over ore arcs of (f^c + f^x), scaled.
    private func oreFlow(_ arcs: [Int], _ scale: Double = 1, into e: inout LinearExpression) {
        for a in arcs {
            e.add(scale, variables.oreClean[a])
            e.add(scale, variables.oreExposed[a])
        }
    }

    private func productFlow(_ arcs: [Int], _ scale: Double = 1, into e: inout LinearExpression) {
        for a in arcs {
            e.add(scale, variables.productClean[a])
            e.add(scale, variables.productExposed[a])
        }
    }

    /// `(1 - share) * sum(part) - share * sum(rest)` over the clean and
    /// exposed tags of `arcs`, where `inPart` says which of an arc's two tags
    /// are in the part: with `<= 0` the part is at most `share` of part +
    /// rest, with `.== 0` exactly that share, with `>= 0` at least. One home
    /// for the tag balances (2, 4), the exposure caps (7) and the coalition
    /// offtake (9). Terms go in arc order, clean before exposed, the order
    /// the variables were made in, so the row needs no sorting.
    private func shareOf(
        _ share: Double, arcs: [Int], clean: [Variable?], exposed: [Variable?],
        inPart: (Int) -> (clean: Bool, exposed: Bool)
    ) -> LinearExpression {
        var e = LinearExpression()
        e.reserveCapacity(2 * arcs.count)
        for a in arcs {
            let part = inPart(a)
            e.add(part.clean ? 1 - share : -share, clean[a])
            e.add(part.exposed ? 1 - share : -share, exposed[a])
        }
        return e
    }

    /// Adds `row` unless it has no terms (every variable fixed at zero by
    /// the domain presolve); counts what was left out.
    @discardableResult
    private mutating func addUnlessEmpty(_ constraint: LinearConstraint) throws(ModelError) -> ConstraintRef? {
        if constraint.expression.terms.isEmpty && constraint.lower <= 0 && 0 <= constraint.upper {
            presolve.trivialRows += 1
            return nil
        }
        return try model.addConstraint(constraint)
    }

    // MARK: Constraints (section 4)

    /// 1. P_m <= capacity_m.
    private mutating func addMineCapacity() throws(ModelError) {
        for m in network.instance.mines.indices {
            let arcs = network.arcsOfMine[m]
            guard !arcs.isEmpty else { rows.mineCapacity.append(nil); continue }
            var e = LinearExpression()
            e.reserveCapacity(2 * arcs.count)
            oreFlow(arcs, into: &e)
            rows.mineCapacity.append(try addUnlessEmpty(e <= network.mineCapacity[m]))
        }
    }

    /// 2. sum_r f^x[m,r] = e_m * P_m, i.e. (1 - e) sum f^x - e sum f^c = 0.
    private mutating func addMineExposure() throws(ModelError) {
        for m in network.instance.mines.indices {
            let arcs = network.arcsOfMine[m]
            guard !arcs.isEmpty else { continue }
            let e = shareOf(
                network.mineExposure[m], arcs: arcs, clean: variables.oreClean,
                exposed: variables.oreExposed
            ) { _ in (clean: false, exposed: true) }
            try addUnlessEmpty(e .== 0)
        }
    }

    /// 3. Mined refinery: exposed out = y (I^x + e I^c); clean out = y (1 - e) I^c
    /// (together they give O_r = y (I^c + I^x)).
    private mutating func addMinedRefineryBalance() throws(ModelError) {
        for r in network.instance.refineries.indices where !network.refineryFeedNone[r] {
            let y = network.refineryYield[r], exposure = network.refineryExposure[r]
            let inArcs = network.oreArcsOfRefinery[r], outArcs = network.productArcsOfRefinery[r]
            // Terms in the order the variables were made (ore arcs, clean
            // before exposed, then product arcs), so the rows arrive sorted.
            var exposed = LinearExpression()
            exposed.reserveCapacity(2 * inArcs.count + outArcs.count)
            for a in inArcs {
                exposed.add(-y * exposure, variables.oreClean[a])
                exposed.add(-y, variables.oreExposed[a])
            }
            for a in outArcs { exposed.add(1, variables.productExposed[a]) }
            try addUnlessEmpty(exposed .== 0)
            var clean = LinearExpression()
            clean.reserveCapacity(inArcs.count + outArcs.count)
            if exposure < 1 { for a in inArcs { clean.add(-y * (1 - exposure), variables.oreClean[a]) } }
            for a in outArcs { clean.add(1, variables.productClean[a]) }
            try addUnlessEmpty(clean .== 0)
        }
    }

    /// 4. Feed-none source: sum q^x = e * O_r, i.e. (1 - e) sum q^x - e sum q^c = 0.
    private mutating func addSourceBalance() throws(ModelError) {
        for r in network.instance.refineries.indices where network.refineryFeedNone[r] {
            let outArcs = network.productArcsOfRefinery[r]
            guard !outArcs.isEmpty else { continue }
            let e = shareOf(
                network.refineryExposure[r], arcs: outArcs, clean: variables.productClean,
                exposed: variables.productExposed
            ) { _ in (clean: false, exposed: true) }
            try addUnlessEmpty(e .== 0)
        }
    }

    /// 5. O_r <= capacity_r.
    private mutating func addRefineryCapacity() throws(ModelError) {
        for r in network.instance.refineries.indices {
            let arcs = network.productArcsOfRefinery[r]
            guard !arcs.isEmpty else { rows.refineryCapacity.append(nil); continue }
            var e = LinearExpression()
            e.reserveCapacity(2 * arcs.count)
            productFlow(arcs, into: &e)
            rows.refineryCapacity.append(try addUnlessEmpty(e <= network.refineryCapacity[r]))
        }
    }

    /// 6. Q[b,k] + u[b,k] = D[b,k].
    private mutating func addDemand() throws(ModelError) {
        for (d, demand) in network.demands.enumerated() {
            var e = LinearExpression()
            e.reserveCapacity(2 * demand.arcs.count + 1)
            productFlow(demand.arcs, into: &e)
            for u in variables.shortfall[d] { e.add(1, u) }
            rows.demand.append(try model.addConstraint(e .== demand.tonnes))
        }
    }

    /// 7. sum q^x <= cap * Q, i.e. (1 - cap) sum q^x - cap sum q^c <= 0
    /// (minus a slack in explanation step 2). A cap of 1 cannot bind: no row.
    /// A soft cap (section 11) gets its priced excess v >= 0 in the plan and
    /// no row in the explanation steps (it bends for free there).
    private mutating func addExposureCaps() throws(ModelError) {
        for demand in network.demands {
            let soft = demand.capPenalty
            guard let cap = demand.cap, cap < 1, !demand.arcs.isEmpty, soft == nil || mode == .plan else {
                rows.exposureCap.append(nil)
                variables.capExcess.append(nil)
                continue
            }
            var e = shareOf(
                cap, arcs: demand.arcs, clean: variables.productClean,
                exposed: variables.productExposed
            ) { _ in (clean: false, exposed: true) }
            if let penalty = soft {
                let excess = try model.addVariable(objective: penalty)
                e.add(-1, excess)
                variables.capExcess.append(excess)
            } else if mode == .minimizeCapExcess {
                let slack = try model.addVariable(objective: 1)
                e.add(-1, slack)
                variables.capExcess.append(slack)
            } else {
                variables.capExcess.append(nil)
            }
            rows.exposureCap.append(try addUnlessEmpty(e <= 0))
        }
    }

    /// 8. For every refinery country c: sum over r in c of (q^c + q^x) <= maxCountryShare * D.
    /// With a share of 1 the rows are implied by the demand rows and left out.
    private mutating func addCountryShares() throws(ModelError) {
        let share = network.instance.policy.maxCountryShare ?? 1
        // The groups whose row can bind, by the domain presolve.
        for (d, groups) in domain.countryShareGroups.enumerated() {
            for group in groups {
                var e = LinearExpression()
                e.reserveCapacity(2 * group.count)
                productFlow(group, into: &e)
                try addUnlessEmpty(e <= share * network.demands[d].tonnes)
            }
        }
    }

    /// 9. sum over coalition refineries of (q^c + q^x) >= minCoalitionShare * Q.
    private mutating func addCoalitionOfftake() throws(ModelError) {
        let share = network.instance.policy.minCoalitionShare ?? 0
        guard share > 0 else { return }
        for demand in network.demands where !demand.arcs.isEmpty {
            let e = shareOf(
                share, arcs: demand.arcs, clean: variables.productClean,
                exposed: variables.productExposed
            ) { [network] a in
                let inCoalition = network.refineryInCoalition[network.productArcs[a].refinery]
                return (clean: inCoalition, exposed: inCoalition)
            }
            try model.addConstraint(e >= 0)
        }
    }

    /// 10. output_s <= U_s z_s and output_s >= minVolume_s z_s, with U_s the
    /// capacity (big-M, arcs) or the smallest bound the other rows imply
    /// (bounds, tight), and in the tight and arcs formulations
    /// flow_a <= B_a z_s on each arc of a facility with more than one arc
    /// where B_a < U_s (elsewhere the facility row implies it).
    private mutating func addContracts(_ coefficients: ArcBounds?, arcRows arcBounds: ArcBounds?) throws(ModelError) {
        for (m, mine) in network.instance.mines.enumerated() {
            guard let z = variables.mineContract[m] else { continue }
            let arcs = network.arcsOfMine[m]
            var output = LinearExpression()
            oreFlow(arcs, into: &output)
            let upper = coefficients?.mine[m] ?? network.mineCapacity[m]
            try addContractRows(output, z, capacity: upper, minVolume: mine.minVolume ?? 0)
            if let arcBounds, arcs.count > 1 {
                for a in arcs {
                    var flow = LinearExpression()
                    oreFlow([a], into: &flow)
                    try addArcRow(flow, bound: arcBounds.ore[a], facility: upper, z)
                }
            }
        }
        for (r, refinery) in network.instance.refineries.enumerated() {
            guard let z = variables.refineryContract[r] else { continue }
            let arcs = network.productArcsOfRefinery[r]
            var output = LinearExpression()
            productFlow(arcs, into: &output)
            let upper = coefficients?.refinery[r] ?? network.refineryCapacity[r]
            try addContractRows(output, z, capacity: upper, minVolume: refinery.minVolume ?? 0)
            if let arcBounds, arcs.count > 1 {
                for a in arcs {
                    var flow = LinearExpression()
                    productFlow([a], into: &flow)
                    try addArcRow(flow, bound: arcBounds.product[a], facility: upper, z)
                }
            }
        }
    }

    private mutating func addContractRows(
        _ output: LinearExpression, _ z: Variable, capacity: Double, minVolume: Double
    ) throws(ModelError) {
        var upper = output
        upper.add(-capacity, z)
        try model.addConstraint(upper <= 0)
        var lower = output
        lower.add(-minVolume, z)
        try model.addConstraint(lower >= 0)
    }

    /// `flow <= bound z` for one arc's flow (left out when the domain
    /// presolve fixed that flow at zero, or when the facility's own row,
    /// output <= facility z, already implies it: bound >= facility).
    private mutating func addArcRow(_ flow: LinearExpression, bound: Double, facility: Double, _ z: Variable) throws(ModelError) {
        guard !flow.terms.isEmpty, bound < facility * (1 - 1e-9) else { return }
        var e = flow
        e.add(-bound, z)
        try model.addConstraint(e <= 0)
    }

    /// 11. q^c + q^x <= B w[r,b] on each arc (B = D in the big-M formulation,
    /// the arc's bound in the tight one), and sum_r w[r,b] <= K.
    private mutating func addSupplierLimits(_ bounds: ArcBounds?) throws(ModelError) {
        for demand in network.demands {
            guard let limit = demand.maxSuppliers else { continue }
            var count = LinearExpression()
            for a in demand.arcs {
                guard let w = variables.supplierUse[a] else { continue }
                var e = LinearExpression()
                productFlow([a], into: &e)
                e.add(-(bounds?.product[a] ?? demand.tonnes), w)
                try addUnlessEmpty(e <= 0)
                count.add(1, w)
            }
            try model.addConstraint(count <= Double(limit))
        }
    }
}
