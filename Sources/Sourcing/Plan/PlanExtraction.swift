public import LinearModel

/// Values below this (in t or USD) are printed as zero.
let flowTolerance = 1e-9

/// Snaps solver and summation noise: values are kept to 12 significant
/// digits and tiny ones (|v| < 1e-9) become 0, so reports read `40` and
/// `25588883.2`, not `39.99999999999` and `25588883.19999999`.
public func clean(_ value: Double) -> Double {
    guard value.isFinite else { return value }
    if abs(value) < 1e-9 { return 0 }
    let digits = 12 - Int((abs(value)).log10Floor) - 1
    if digits <= 0 { return value.rounded() }
    let scale = pow10(digits)
    let snapped = (value * scale).rounded() / scale
    return snapped == 0 ? 0 : snapped
}

private func pow10(_ n: Int) -> Double {
    var result = 1.0
    for _ in 0..<min(n, 308) { result *= 10 }
    return result
}

extension Double {
    /// floor(log10(|self|)) for a positive value.
    var log10Floor: Double {
        var exponent = 0.0, v = self
        while v >= 10 { v /= 10; exponent += 1 }
        while v < 1 { v *= 10; exponent -= 1 }
        return exponent
    }
}

extension Plan {
    /// Tonnes by country as shares of `total`, countries sorted by code.
    static func shares(_ tonnes: [String: Double], of total: Double) -> [CountryShare] {
        tonnes.keys.sorted().map { country in
            let t = clean(tonnes[country] ?? 0)
            return CountryShare(country: country, tonnes: t, share: total > 0 ? clean(t / total) : 0)
        }
    }

    /// Reads the plan of `built` out of a solver result.
    public init(_ built: SourcingModel, _ result: SolveResult) {
        let network = built.network
        let instance = network.instance
        let vars = built.variables
        self.status = PlanStatus(result.termination.reason)
        self.detail = result.termination.detail
        self.instanceName = instance.name
        self.instanceVersion = instance.version
        self.kind = built.isMIP ? "mip" : "lp"
        self.variables = built.model.variableCount
        self.constraints = built.model.constraintCount
        self.nonzeros = built.model.nonzeroCount
        self.presolve = built.presolve
        self.coalitionCountries = instance.countries.filter(\.coalition).map(\.code).sorted()
        for mineral in instance.minerals { if let price = mineral.referencePrice { referencePrices[mineral.id] = price } }
        self.timings.solveSeconds = result.statistics.seconds
        if built.isMIP {
            // GLPK reports -DBL_MAX when the search has no bound yet: unknown.
            self.bestBound = result.bestBound.flatMap { abs($0) < 1e300 ? clean($0) : nil }
            self.relaxationBound = result.relaxationBound.flatMap { abs($0) < 1e300 ? clean($0) : nil }
            self.mipStart = result.statistics.mipStart
        }
        guard result.hasSolution else { return }
        let x = result.values
        func v(_ variable: Variable?) -> Double { variable.map { clean(x[$0.index]) } ?? 0 }

        var costs = CostBreakdown()
        var mineOutput = [Double](repeating: 0, count: instance.mines.count)
        var refineryOutput = [Double](repeating: 0, count: instance.refineries.count)
        // What each refinery pays for its input (ore and its transport), for
        // the landed-cost attribution (docs/FORMULATION.md section 13).
        var refineryInputCost = [Double](repeating: 0, count: instance.refineries.count)
        // Each refinery's ore by mine country, for the mining origin of its product.
        var oreByCountry = [[String: Double]](repeating: [:], count: instance.refineries.count)
        for (a, arc) in network.oreArcs.enumerated() {
            let c = v(vars.oreClean[a]), e = v(vars.oreExposed[a])
            let t = c + e
            mineOutput[arc.mine] += t
            refineryInputCost[arc.refinery] += network.cost(of: arc) * t
            if t > flowTolerance { oreByCountry[arc.refinery][instance.mines[arc.mine].country, default: 0] += t }
            costs.mines += network.minePrice[arc.mine] * t
            costs.floorPremium += (network.minePrice[arc.mine] - instance.mines[arc.mine].price) * t
            costs.transport += arc.transport * t
            if t > flowTolerance {
                oreFlows.append(
                    OreFlow(
                        mine: instance.mines[arc.mine].id, refinery: instance.refineries[arc.refinery].id,
                        mineral: instance.mines[arc.mine].mineral, clean: c, exposed: e))
            }
        }
        var delivered = [Double](repeating: 0, count: network.demands.count)
        var exposedIn = [Double](repeating: 0, count: network.demands.count)
        for a in network.productArcs.indices {
            let arc = network.productArcs[a]
            refineryOutput[arc.refinery] += v(vars.productClean[a]) + v(vars.productExposed[a])
        }
        // c_r: the refinery's fee plus its input cost per tonne of output.
        let unitCost = instance.refineries.indices.map { r in
            network.refineryFee[r] + (refineryOutput[r] > 0 ? refineryInputCost[r] / refineryOutput[r] : 0)
        }
        var landed = [Double](repeating: 0, count: network.demands.count)
        for (a, arc) in network.productArcs.enumerated() {
            let c = v(vars.productClean[a]), e = v(vars.productExposed[a])
            let t = c + e
            landed[arc.demand] += (unitCost[arc.refinery] + arc.transport + arc.tariff) * t
            costs.floorLevy += arc.levy * t
            delivered[arc.demand] += t
            exposedIn[arc.demand] += e
            costs.refineries += network.refineryFee[arc.refinery] * t
            costs.floorPremium += (network.refineryFee[arc.refinery] - instance.refineries[arc.refinery].fee) * t
            costs.transport += arc.transport * t
            costs.tariff += arc.tariff * t
            if t > flowTolerance {
                productFlows.append(
                    ProductFlow(
                        refinery: instance.refineries[arc.refinery].id,
                        buyer: instance.buyers[arc.buyer].id,
                        mineral: instance.refineries[arc.refinery].mineral, clean: c, exposed: e))
            }
        }
        func use(
            _ id: String, _ stage: FacilityUse.Stage, _ mineral: String, _ country: String, output: Double,
            capacity: Double, byProduct: ByProduct?, effective: Double,
            fixedCost: Double?, minVolume: Double?, contract: Variable?
        ) -> FacilityUse {
            if let z = contract { costs.contracts += (fixedCost ?? 0) * v(z) }
            // A facility that can never be contracted has no z: report it as not contracted.
            let contracted =
                contract.map { v($0) > 0.5 }
                ?? (Network.contracted(fixedCost: fixedCost, minVolume: minVolume) ? false : nil)
            return FacilityUse(
                id: id, stage: stage, mineral: mineral, country: country, output: clean(output),
                capacity: capacity, hostLimit: byProduct.map { clean($0.limit) },
                effectiveCapacity: clean(effective),
                utilisation: effective > 0 ? clean(output / effective) : nil,
                contracted: contracted)
        }
        for (m, mine) in instance.mines.enumerated() {
            facilities.append(
                use(
                    mine.id, .mine, mine.mineral, mine.country, output: mineOutput[m], capacity: mine.capacity,
                    byProduct: mine.byProduct, effective: network.mineCapacity[m],
                    fixedCost: mine.fixedCost, minVolume: mine.minVolume, contract: vars.mineContract[m]))
        }
        for (r, refinery) in instance.refineries.enumerated() {
            facilities.append(
                use(
                    refinery.id, .refinery, refinery.mineral, refinery.country, output: refineryOutput[r],
                    capacity: refinery.capacity, byProduct: refinery.byProduct, effective: network.refineryCapacity[r],
                    fixedCost: refinery.fixedCost, minVolume: refinery.minVolume,
                    contract: vars.refineryContract[r]))
        }
        let demandDuals = result.rowDuals
        for (d, demand) in network.demands.enumerated() {
            var u = 0.0, shortfallCost = 0.0
            let segments = built.mode == .plan ? demand.penalty?.segments ?? [] : []
            for (j, part) in vars.shortfall[d].enumerated() {
                let t = v(part)
                u += t
                if j < segments.count { shortfallCost += segments[j].penalty * t }
            }
            u = clean(u)
            shortfallCost = clean(shortfallCost)
            costs.shortfall += shortfallCost
            var excessCost = 0.0
            if built.mode == .plan, let penalty = demand.capPenalty, let excess = vars.capExcess[d] {
                excessCost = penalty * v(excess)
                costs.capExcess += excessCost
            }
            var byCountry: [String: Double] = [:], byMining: [String: Double] = [:]
            for a in demand.arcs {
                let t = v(vars.productClean[a]) + v(vars.productExposed[a])
                if t > flowTolerance {
                    let r = network.productArcs[a].refinery
                    byCountry[instance.refineries[r].country, default: 0] += t
                    let ore = oreByCountry[r].values.reduce(0, +)
                    if ore > flowTolerance {
                        for (country, tonnes) in oreByCountry[r] { byMining[country, default: 0] += t * tonnes / ore }
                    } else {
                        byMining[instance.refineries[r].country, default: 0] += t
                    }
                }
            }
            let total = clean(delivered[d])
            let referencePrice = instance.minerals[demand.mineral].referencePrice ?? 0
            let softExcess =
                demand.capPenalty != nil && demand.cap != nil
                ? clean(max(0, exposedIn[d] - (demand.cap ?? 1) * delivered[d])) : 0
            deliveries.append(
                Delivery(
                    buyer: instance.buyers[demand.buyer].id, mineral: network.mineralIDs[demand.mineral],
                    demand: demand.tonnes, delivered: total, shortfall: u,
                    shortfallCost: shortfallCost, shortfallValue: clean(u * referencePrice),
                    exposedShare: total > flowTolerance ? clean(exposedIn[d] / total) : nil,
                    cap: demand.cap, capPenalty: demand.capPenalty, capExcess: softExcess,
                    landedCost: total > flowTolerance ? clean(landed[d] / delivered[d]) : nil,
                    marginalPrice: demandDuals.map { clean($0[built.rows.demand[d].index]) },
                    byCountry: Self.shares(byCountry, of: total),
                    buyerCountry: instance.buyers[demand.buyer].country,
                    byMiningCountry: Self.shares(byMining, of: total)))
        }
        if built.mode == .plan {
            costs.mines = clean(costs.mines)
            costs.refineries = clean(costs.refineries)
            costs.transport = clean(costs.transport)
            costs.tariff = clean(costs.tariff)
            costs.contracts = clean(costs.contracts)
            costs.shortfall = clean(costs.shortfall)
            costs.capExcess = clean(costs.capExcess)
            costs.floorPremium = clean(costs.floorPremium)
            costs.floorLevy = clean(costs.floorLevy)
            breakdown = costs
        }
        objective = result.objective.map(clean)
        // A decomposed MIP whose blocks stopped at a gap can still be
        // proven optimal as a whole: the contract's exit 0 is a gap of 1e-9.
        if built.isMIP, status == .feasible, result.termination.limit == .gap, let gap = mipGap, gap <= 1e-9 {
            status = .optimal
            detail = "integer optimal within relative gap 1e-9 (the whole model's gap)"
        }

        // Shadow prices from the LP (or the LP with the integers fixed).
        if let duals = result.rowDuals {
            func dual(_ row: ConstraintRef?) -> Double { row.map { clean(duals[$0.index]) } ?? 0 }
            for (m, mine) in instance.mines.enumerated() {
                shadowPrices.append(
                    ShadowPrice(
                        kind: .capacity, id: mine.id, mineral: mine.mineral,
                        value: dual(built.rows.mineCapacity[m])))
            }
            for (r, refinery) in instance.refineries.enumerated() {
                shadowPrices.append(
                    ShadowPrice(
                        kind: .capacity, id: refinery.id, mineral: refinery.mineral,
                        value: dual(built.rows.refineryCapacity[r])))
            }
            for (d, demand) in network.demands.enumerated() {
                let buyer = instance.buyers[demand.buyer].id, mineral = network.mineralIDs[demand.mineral]
                if demand.cap != nil {
                    // The row is (1 - cap) q^x - cap q^c <= 0: raising the cap
                    // by one unit of share moves its right-hand side by Q.
                    shadowPrices.append(
                        ShadowPrice(
                            kind: .exposureCap, id: buyer, mineral: mineral,
                            value: clean(dual(built.rows.exposureCap[d]) * delivered[d])))
                }
                shadowPrices.append(
                    ShadowPrice(
                        kind: .demand, id: buyer, mineral: mineral,
                        value: dual(built.rows.demand[d])))
            }
        }
    }
}
