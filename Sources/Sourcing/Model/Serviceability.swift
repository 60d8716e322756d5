/// Warnings about a valid instance that cannot be served as it stands
/// (`planner validate`): demand nobody can deliver, demand above the
/// capacity that can reach it, and exposure caps that need more China-free
/// capacity than exists. Each names the buyer's demand entry or the
/// mineral, with the numbers. Capacities are effective ones (by-product
/// hosts included); ore is counted through the refineries it can reach.
public enum Serviceability {
    /// The warnings, in buyer and mineral order.
    public static func warnings(_ network: Network, file: String) -> [Diagnostic] {
        let instance = network.instance
        var result: [Diagnostic] = []
        func t(_ x: Double) -> String { formatNumber(clean(x)) + " t" }
        let yield = network.refineryYield
        // What each refinery can put out: its capacity, and for a mined one
        // at most yield x the ore of the mines that can ship to it.
        let refineryOutput = instance.refineries.indices.map { r -> Double in
            guard !network.refineryFeedNone[r] else { return network.refineryCapacity[r] }
            let ore = network.oreArcsOfRefinery[r].reduce(0.0) { $0 + network.mineCapacity[network.oreArcs[$1].mine] }
            return min(network.refineryCapacity[r], yield[r] * ore)
        }
        // Clean output: a refinery's clean share of what it can make.
        let cleanOutput = instance.refineries.indices.map { r -> Double in
            let e = network.refineryExposure[r]
            guard !network.refineryFeedNone[r] else { return (1 - e) * network.refineryCapacity[r] }
            let cleanOre = network.oreArcsOfRefinery[r].reduce(0.0) {
                let m = network.oreArcs[$1].mine
                return $0 + (1 - network.mineExposure[m]) * network.mineCapacity[m]
            }
            return min(network.refineryCapacity[r], yield[r] * (1 - e) * cleanOre)
        }
        var demandByMineral = [Double](repeating: 0, count: network.mineralIDs.count)
        var cleanNeedByMineral = [Double](repeating: 0, count: network.mineralIDs.count)
        for demand in network.demands where demand.tonnes > 0 {
            let buyer = instance.buyers[demand.buyer]
            let mineral = network.mineralIDs[demand.mineral]
            let path = FieldLocation("buyers", index: demand.buyer, sub: "demand").field(mineral)
            demandByMineral[demand.mineral] += demand.tonnes
            let refineries = Set(demand.arcs.map { network.productArcs[$0].refinery })
            let reachable = refineries.reduce(0.0) { $0 + refineryOutput[$1] }
            if refineries.isEmpty {
                result.append(
                    .warning(
                        file: file, path: path,
                        "no refinery can deliver \(mineral) to \(buyer.id) (none makes it, or every arc is blocked): all \(t(demand.tonnes)) go short"
                            + (demand.penalty == nil ? ", and the demand is hard: the instance is infeasible" : "")))
            } else if reachable < demand.tonnes * (1 - 1e-9) {
                result.append(
                    .warning(
                        file: file, path: path,
                        "\(t(demand.tonnes)) demanded, but the refineries that can reach \(buyer.id) make at most \(t(reachable)): at least \(t(demand.tonnes - reachable)) go short"
                    ))
            }
            if let cap = demand.cap, demand.capPenalty == nil, cap < 1 {
                cleanNeedByMineral[demand.mineral] += (1 - cap) * demand.tonnes
            }
        }
        for (k, mineral) in network.mineralIDs.enumerated() where demandByMineral[k] > 0 {
            let at = FieldLocation("minerals", index: k).path
            let supply = instance.refineries.indices.filter { network.refineryMineral[$0] == k }.reduce(0.0) { $0 + refineryOutput[$1] }
            if supply > 0, demandByMineral[k] > supply * (1 + 1e-9) {
                result.append(
                    .warning(
                        file: file, path: at,
                        "\(mineral): \(t(demandByMineral[k])) demanded in all, \(formatNumber((demandByMineral[k] / supply * 100).rounded() / 100))x what every facility together can make (\(t(supply)))"
                    ))
            }
            let clean = instance.refineries.indices.filter { network.refineryMineral[$0] == k }.reduce(0.0) { $0 + cleanOutput[$1] }
            if cleanNeedByMineral[k] > clean * (1 + 1e-9) {
                result.append(
                    .warning(
                        file: file, path: at,
                        "\(mineral): the hard exposure caps need at least \(t(cleanNeedByMineral[k])) of China-free product if every demand is met, but China-free capacity is at most \(t(clean)): some capped demand must go short"
                    ))
            }
        }
        return result
    }
}
