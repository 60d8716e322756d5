/// One mineral over every buyer: what the plan's summary shows first.
///
/// Unique at the optimum: demand, delivered and shortfall tonnes and their
/// value (each mineral is a block of its own; barring exact ties of cost
/// and penalty). One optimal plan of possibly several: the landed cost
/// average, the marginal prices and every country split and index.
public struct MineralSummary: Sendable, Equatable {
    public var mineral: String
    /// Buyers with a demand for it.
    public var buyers: Int
    public var demand: Double
    public var delivered: Double
    public var shortfall: Double
    /// The shortfall at the reference price, USD.
    public var shortfallValue: Double
    /// Average landed cost per delivered tonne, USD/t (nil when nothing is delivered).
    public var landedCost: Double?
    /// Lowest and highest marginal price over its buyers, USD/t (nil without duals).
    public var marginalPrice: (low: Double, high: Double)?
    /// Lowest and highest exposure cap over its buyers (nil: no buyer has one).
    public var cap: (low: Double, high: Double)?
    /// Exposed share of what the buyers with a cap receive (nil: no such
    /// buyer receives anything): the figure to read against ``cap``.
    public var cappedExposedShare: Double?
    /// The supply's concentration and exposure.
    public var risk: SupplyRisk

    public static func == (a: MineralSummary, b: MineralSummary) -> Bool {
        a.mineral == b.mineral && a.buyers == b.buyers && a.demand == b.demand && a.delivered == b.delivered
            && a.shortfall == b.shortfall && a.shortfallValue == b.shortfallValue && a.landedCost == b.landedCost
            && a.marginalPrice?.low == b.marginalPrice?.low && a.marginalPrice?.high == b.marginalPrice?.high
            && a.cap?.low == b.cap?.low && a.cap?.high == b.cap?.high
            && a.cappedExposedShare == b.cappedExposedShare && a.risk == b.risk
    }
}

extension Plan {
    /// The risk metrics of one delivery (a buyer's mineral).
    public func risk(of delivery: Delivery) -> SupplyRisk {
        SupplyRisk(
            refining: Dictionary(delivery.byCountry.map { ($0.country, $0.tonnes) }, uniquingKeysWith: +),
            mining: Dictionary(delivery.byMiningCountry.map { ($0.country, $0.tonnes) }, uniquingKeysWith: +),
            exposed: (delivery.exposedShare ?? 0) * delivery.delivered, coalition: Set(coalitionCountries))
    }

    /// Each mineral over its buyers, minerals sorted by id.
    public func mineralSummaries() -> [MineralSummary] {
        var groups: [String: [Delivery]] = [:]
        for d in deliveries { groups[d.mineral, default: []].append(d) }
        let coalition = Set(coalitionCountries)
        return groups.keys.sorted().map { mineral in
            let list = groups[mineral] ?? []
            var refining: [String: Double] = [:], mining: [String: Double] = [:]
            var delivered = 0.0, exposed = 0.0, landed = 0.0, cappedDelivered = 0.0, cappedExposed = 0.0
            for d in list {
                for c in d.byCountry { refining[c.country, default: 0] += c.tonnes }
                for c in d.byMiningCountry { mining[c.country, default: 0] += c.tonnes }
                delivered += d.delivered
                exposed += (d.exposedShare ?? 0) * d.delivered
                landed += (d.landedCost ?? 0) * d.delivered
                if d.cap != nil {
                    cappedDelivered += d.delivered
                    cappedExposed += (d.exposedShare ?? 0) * d.delivered
                }
            }
            let prices = list.compactMap(\.marginalPrice)
            let caps = list.compactMap(\.cap)
            return MineralSummary(
                mineral: mineral, buyers: list.count,
                demand: clean(list.reduce(0) { $0 + $1.demand }), delivered: clean(delivered),
                shortfall: clean(list.reduce(0) { $0 + $1.shortfall }),
                shortfallValue: clean(list.reduce(0) { $0 + $1.shortfallValue }),
                landedCost: delivered > flowTolerance ? clean(landed / delivered) : nil,
                marginalPrice: prices.isEmpty ? nil : (prices.min() ?? 0, prices.max() ?? 0),
                cap: caps.isEmpty ? nil : (caps.min() ?? 0, caps.max() ?? 0),
                cappedExposedShare: cappedDelivered > flowTolerance ? clean(cappedExposed / cappedDelivered) : nil,
                risk: SupplyRisk(refining: refining, mining: mining, exposed: exposed, coalition: coalition))
        }
    }

}
