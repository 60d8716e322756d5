/// The largest flow each arc and each facility can carry in any solution,
/// implied by the capacity, balance and demand rows (docs/FORMULATION.md
/// section 17): the coefficients of the tight contract and supplier-limit
/// rows.
///
/// - product arc r -> d: min(capacity_r, maxCountryShare * D_d) (the
///   refinery's effective capacity row 5, the demand row 6: delivered +
///   shortfall = D, and the country row 8, whose sum over the refinery's
///   country includes the arc; a share of 1 without a maxCountryShare);
/// - refinery r: min(capacity_r, the sum of its product arcs' bounds);
/// - ore arc m -> r: min(capacity_m, reach_r / yield_r) (row 1, and row 3:
///   the refinery's output is its yield times its ore);
/// - mine m: min(capacity_m, the sum of its ore arcs' bounds).
struct ArcBounds {
    var product: [Double]
    var ore: [Double]
    var refinery: [Double]
    var mine: [Double]

    init(_ network: Network) {
        let share = network.instance.policy.maxCountryShare ?? 1  // validated in [0, 1]
        let product = network.productArcs.map {
            min(network.refineryCapacity[$0.refinery], share * network.demands[$0.demand].tonnes)
        }
        var reach = [Double](repeating: 0, count: network.refineryCapacity.count)
        for (a, arc) in network.productArcs.enumerated() { reach[arc.refinery] += product[a] }
        let refinery = zip(network.refineryCapacity, reach).map { min($0, $1) }
        let ore = network.oreArcs.map { arc in
            min(network.mineCapacity[arc.mine], refinery[arc.refinery] / network.refineryYield[arc.refinery])
        }
        var supply = [Double](repeating: 0, count: network.mineCapacity.count)
        for (a, arc) in network.oreArcs.enumerated() { supply[arc.mine] += ore[a] }
        self.product = product
        self.refinery = refinery
        self.ore = ore
        self.mine = zip(network.mineCapacity, supply).map { min($0, $1) }
    }
}
