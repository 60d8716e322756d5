/// The instance resolved for model building: defaults applied, ids turned
/// into indices, and the arcs of FORMULATION.md section 2 enumerated in a
/// fixed order (mines, refineries and buyers in file order; a buyer's
/// minerals sorted by id).
public struct Network: Sendable {
    public let instance: Instance

    /// An ore arc mine -> refinery.
    public struct OreArc: Sendable {
        public let mine: Int
        public let refinery: Int
        /// Transport cost per t.
        public let transport: Double
    }

    /// A product arc refinery -> buyer.
    public struct ProductArc: Sendable {
        public let refinery: Int
        public let buyer: Int
        /// Index into ``Network/demands``.
        public let demand: Int
        public let transport: Double
        /// Tariff per t (externalTariff x referencePrice, or 0).
        public let tariff: Double
    }

    /// A buyer's demand for one mineral.
    public struct Demand: Sendable {
        public let buyer: Int
        public let mineral: Int
        public let tonnes: Double
        /// USD/t of shortfall, nil when demand is hard.
        public let penalty: Double?
        /// The exposure cap, nil when none applies.
        public let cap: Double?
        /// The supplier limit, nil when none applies.
        public let maxSuppliers: Int?
        /// Product arcs into this demand, in refinery order.
        public internal(set) var arcs: [Int]
    }

    public let mineralIDs: [String]
    public let mineralIndex: [String: Int]
    /// Whether a country code is in the coalition (unknown codes: false).
    public let coalition: [String: Bool]

    public let mineMineral: [Int]
    public let refineryMineral: [Int]
    /// Resolved chinaExposure of each mine and refinery.
    public let mineExposure: [Double]
    public let refineryExposure: [Double]
    /// Price after the floor (coalition mines).
    public let minePrice: [Double]
    /// Fee after the floor (coalition feed-none sources).
    public let refineryFee: [Double]
    public let refineryYield: [Double]
    public let refineryFeedNone: [Bool]

    public private(set) var oreArcs: [OreArc] = []
    public private(set) var productArcs: [ProductArc] = []
    public private(set) var demands: [Demand] = []
    /// Ore arcs out of each mine / into each refinery; product arcs out of each refinery.
    public private(set) var arcsOfMine: [[Int]]
    public private(set) var oreArcsOfRefinery: [[Int]]
    public private(set) var productArcsOfRefinery: [[Int]]

    /// Resolves a validated instance.
    public init(_ instance: Instance) {
        self.instance = instance
        let ids = instance.minerals.map(\.id)
        mineralIDs = ids
        var index: [String: Int] = [:]
        for (k, id) in ids.enumerated() where index[id] == nil { index[id] = k }
        mineralIndex = index
        var coalition: [String: Bool] = [:]
        for country in instance.countries { coalition[country.code] = country.coalition }
        self.coalition = coalition
        let policy = instance.policy

        func defaultExposure(_ country: String) -> Double { country == "CHN" ? 1 : 0 }
        func floor(_ mineral: Int) -> Double { instance.minerals[mineral].priceFloor ?? 0 }

        mineMineral = instance.mines.map { index[$0.mineral] ?? 0 }
        refineryMineral = instance.refineries.map { index[$0.mineral] ?? 0 }
        mineExposure = instance.mines.map { $0.chinaExposure ?? defaultExposure($0.country) }
        refineryExposure = instance.refineries.map { $0.chinaExposure ?? defaultExposure($0.country) }
        minePrice = instance.mines.enumerated().map { k, mine in
            coalition[mine.country] == true ? max(mine.price, floor(index[mine.mineral] ?? 0)) : mine.price
        }
        refineryFeedNone = instance.refineries.map { $0.feed == Feed.none }
        refineryFee = instance.refineries.enumerated().map { k, refinery in
            refinery.feed == Feed.none && coalition[refinery.country] == true
                ? max(refinery.fee, floor(index[refinery.mineral] ?? 0)) : refinery.fee
        }
        refineryYield = instance.refineries.map { $0.yield ?? 1 }

        // Transport lookup: (a, b), else (b, a), else 0 inside a country, else the default.
        var transport: [String: Double] = [:]
        for entry in instance.transport { transport[entry.from + "\u{0}" + entry.to] = entry.cost }
        let defaultCost = policy.defaultTransportCost ?? 0
        func cost(_ a: String, _ b: String) -> Double {
            if let c = transport[a + "\u{0}" + b] { return c }
            if let c = transport[b + "\u{0}" + a] { return c }
            return a == b ? 0 : defaultCost
        }
        let blocks = policy.blocked ?? []
        func blocked(_ from: String, _ to: String, _ mineral: String) -> Bool {
            guard from != to else { return false }  // blocks are trade measures
            return blocks.contains { block in
                (block.from == nil || block.from == from) && (block.to == nil || block.to == to)
                    && (block.mineral == nil || block.mineral == mineral)
            }
        }

        // Ore arcs, mine by mine.
        var refineriesByMineral = [[Int]](repeating: [], count: ids.count)
        for (r, refinery) in instance.refineries.enumerated() where refinery.feed != Feed.none {
            refineriesByMineral[refineryMineral[r]].append(r)
        }
        arcsOfMine = Array(repeating: [], count: instance.mines.count)
        oreArcsOfRefinery = Array(repeating: [], count: instance.refineries.count)
        productArcsOfRefinery = Array(repeating: [], count: instance.refineries.count)
        for (m, mine) in instance.mines.enumerated() where !ids.isEmpty {
            for r in refineriesByMineral[mineMineral[m]] {
                let refinery = instance.refineries[r]
                if blocked(mine.country, refinery.country, mine.mineral) { continue }
                arcsOfMine[m].append(oreArcs.count)
                oreArcsOfRefinery[r].append(oreArcs.count)
                oreArcs.append(OreArc(mine: m, refinery: r, transport: cost(mine.country, refinery.country)))
            }
        }

        // Demands, buyer by buyer, minerals sorted by id; then product arcs.
        var allRefineriesByMineral = [[Int]](repeating: [], count: ids.count)
        for r in instance.refineries.indices { allRefineriesByMineral[refineryMineral[r]].append(r) }
        let tariffRate = policy.externalTariff ?? 0
        for (b, buyer) in instance.buyers.enumerated() {
            for mineralID in buyer.demand.keys.sorted() {
                guard let k = index[mineralID], let tonnes = buyer.demand[mineralID] else { continue }
                let mineral = instance.minerals[k]
                var demand = Demand(
                    buyer: b, mineral: k, tonnes: tonnes,
                    penalty: mineral.shortfallPenalty ?? policy.shortfallPenalty,
                    cap: buyer.exposureCap[mineralID] ?? buyer.exposureCap["*"],
                    maxSuppliers: buyer.maxSuppliers[mineralID] ?? buyer.maxSuppliers["*"],
                    arcs: [])
                let buyerInCoalition = coalition[buyer.country] == true
                for r in allRefineriesByMineral[k] {
                    let refinery = instance.refineries[r]
                    if blocked(refinery.country, buyer.country, mineralID) { continue }
                    let tariff = buyerInCoalition && coalition[refinery.country] != true
                        ? tariffRate * (mineral.referencePrice ?? 0) : 0
                    demand.arcs.append(productArcs.count)
                    productArcsOfRefinery[r].append(productArcs.count)
                    productArcs.append(ProductArc(refinery: r, buyer: b, demand: demands.count,
                                                  transport: cost(refinery.country, buyer.country), tariff: tariff))
                }
                demands.append(demand)
            }
        }
    }

    /// Whether a facility has a contract binary (fixedCost > 0 or minVolume > 0).
    static func contracted(fixedCost: Double?, minVolume: Double?) -> Bool {
        (fixedCost ?? 0) > 0 || (minVolume ?? 0) > 0
    }
}
