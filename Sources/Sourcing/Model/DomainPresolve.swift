/// The domain presolve: what the data alone fixes, decided before the model
/// is built, so that the builder never creates it (rather than GLPK removing
/// it later).
///
/// The rules (docs/FORMULATION.md, section "Domain presolve"):
/// - a mine with chinaExposure 0 has no exposed ore, one with 1 no clean ore;
/// - a refinery or source with chinaExposure 1 has no clean product, a
///   feed-none source with 0 no exposed product;
/// - exposed product to a buyer whose hard cap for the mineral is 0 is fixed
///   at 0 (not for a soft cap, which may bend, nor in explanation step 2,
///   where caps may be exceeded);
/// - a facility whose minVolume exceeds its (effective) capacity is never contracted:
///   its arcs carry nothing and it gets no contract variable or rows;
/// - a country-share row whose country's whole capacity is below the cap
///   cannot bind and is left out.
/// Blocked arcs and arcs of a mineral the receiver does not take are never
/// enumerated by ``Network``; rows left with no variable at all are counted
/// by the builder (``PresolveReport/trivialRows``).
public struct DomainPresolve: Sendable {
    /// Per ore arc: whether the clean and the exposed tag exist.
    public private(set) var oreClean: [Bool] = []
    public private(set) var oreExposed: [Bool] = []
    /// Per product arc: whether the clean and the exposed tag exist.
    public private(set) var productClean: [Bool] = []
    public private(set) var productExposed: [Bool] = []
    /// Facilities that can never be contracted (minVolume above capacity).
    public let mineClosed: [Bool]
    public let refineryClosed: [Bool]
    /// Per demand, the product arcs of each refinery country whose share row
    /// can bind, countries in code order, arcs in demand order (empty when
    /// maxCountryShare is 1 or absent).
    public private(set) var countryShareGroups: [[[Int]]] = []
    /// What was left out (the builder adds the trivial rows).
    public private(set) var report = PresolveReport()

    /// Decides the fixings of `network` for a model built in `mode`.
    public init(_ network: Network, mode: BuildMode) {
        let instance = network.instance
        func closed(fixedCost: Double?, minVolume: Double?, capacity: Double) -> Bool {
            Network.contracted(fixedCost: fixedCost, minVolume: minVolume) && (minVolume ?? 0) > capacity
        }
        mineClosed = instance.mines.map { closed(fixedCost: $0.fixedCost, minVolume: $0.minVolume, capacity: $0.effectiveCapacity) }
        refineryClosed = instance.refineries.map {
            closed(fixedCost: $0.fixedCost, minVolume: $0.minVolume, capacity: $0.effectiveCapacity)
        }
        report.impossibleContracts = mineClosed.count { $0 } + refineryClosed.count { $0 }

        oreClean.reserveCapacity(network.oreArcs.count)
        oreExposed.reserveCapacity(network.oreArcs.count)
        for arc in network.oreArcs {
            let closed = mineClosed[arc.mine] || refineryClosed[arc.refinery]
            let e = network.mineExposure[arc.mine]
            let clean = !closed && e < 1, exposed = !closed && e > 0
            if !closed { report.mineTagVariables += (clean ? 0 : 1) + (exposed ? 0 : 1) }
            oreClean.append(clean)
            oreExposed.append(exposed)
        }
        productClean.reserveCapacity(network.productArcs.count)
        productExposed.reserveCapacity(network.productArcs.count)
        for arc in network.productArcs {
            let closed = refineryClosed[arc.refinery]
            let e = network.refineryExposure[arc.refinery]
            let feedNone = network.refineryFeedNone[arc.refinery]
            // Clean product needs clean input kept clean: none when e = 1.
            let clean = !closed && e < 1
            // Exposed product: a feed-none source with e = 0 has none; a
            // mined refinery with e = 0 passes on exposed ore only.
            var exposed = !closed && !(feedNone && e == 0)
            if !closed {
                report.refineryTagVariables += (clean ? 0 : 1) + (exposed ? 0 : 1)
                if exposed && mode != .minimizeCapExcess && network.demands[arc.demand].cap == 0
                    && network.demands[arc.demand].capPenalty == nil
                {
                    exposed = false
                    report.cappedTagVariables += 1
                }
            }
            productClean.append(clean)
            productExposed.append(exposed)
        }

        let share = instance.policy.maxCountryShare ?? 1
        guard share < 1 else { return }
        countryShareGroups.reserveCapacity(network.demands.count)
        for demand in network.demands {
            // Arcs grouped by country: country indices are in code order.
            let arcs = demand.arcs.map { (country: network.refineryCountry[network.productArcs[$0].refinery], arc: $0) }
                .sorted { $0.country != $1.country ? $0.country < $1.country : $0.arc < $1.arc }
            var groups: [[Int]] = []
            var start = 0
            while start < arcs.count {
                var end = start + 1
                while end < arcs.count && arcs[end].country == arcs[start].country { end += 1 }
                let group = arcs[start..<end].map(\.arc)
                start = end
                // Cannot bind: the country's refineries cannot deliver more
                // than the cap (a demand has one arc per refinery).
                let capacity = group.reduce(0.0) { $0 + network.refineryCapacity[network.productArcs[$1].refinery] }
                if capacity <= share * demand.tonnes {
                    report.countryShareRows += 1
                } else {
                    groups.append(group)
                }
            }
            countryShareGroups.append(groups)
        }
    }
}
