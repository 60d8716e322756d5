/// The instance resolved for model building: defaults applied, ids turned
/// into indices, and the arcs of docs/FORMULATION.md section 2 enumerated in a
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
        /// Tariff per t: externalTariff x referencePrice in version 1; the
        /// border charge beta_k = max(t ref_k, F_k - ref_k) in version 2;
        /// 0 where no charge applies.
        public let tariff: Double
        /// The part of ``tariff`` above the plain tariff (version 2's floor levy).
        public let levy: Double
    }

    /// A buyer's demand for one mineral.
    public struct Demand: Sendable {
        public let buyer: Int
        public let mineral: Int
        public let tonnes: Double
        /// The shortfall penalty that applies (buyer's key, buyer's `"*"`,
        /// mineral's, policy's), nil when demand is hard.
        public let penalty: ShortfallPenalty?
        /// The exposure cap's share, nil when none applies.
        public let cap: Double?
        /// USD per exposed tonne above a soft cap; nil for a hard cap (or none).
        public let capPenalty: Double?
        /// The supplier limit, nil when none applies.
        public let maxSuppliers: Int?
        /// Product arcs into this demand, in refinery order.
        public internal(set) var arcs: [Int]
    }

    public let mineralIDs: [String]
    public let mineralIndex: [String: Int]

    public let mineMineral: [Int]
    public let refineryMineral: [Int]
    /// Resolved chinaExposure of each mine and refinery.
    public let mineExposure: [Double]
    public let refineryExposure: [Double]
    /// Price after the version 1 floor (coalition mines).
    public let minePrice: [Double]
    /// Fee after the version 1 floor (coalition feed-none sources).
    public let refineryFee: [Double]
    /// min(capacity, ratio x hostThroughput) of each mine and refinery.
    public let mineCapacity: [Double]
    public let refineryCapacity: [Double]
    public let refineryYield: [Double]
    public let refineryFeedNone: [Bool]
    /// Every country code the instance names (countries, facilities, buyers,
    /// transport), sorted; `refineryCountry` indexes into it, so the order of
    /// country indices is the order of the codes.
    public let countryCodes: [String]
    /// Index of each refinery's country in ``countryCodes``.
    public let refineryCountry: [Int]
    /// Whether each refinery's country is in the coalition.
    public let refineryInCoalition: [Bool]

    public private(set) var oreArcs: [OreArc] = []
    public private(set) var productArcs: [ProductArc] = []
    public private(set) var demands: [Demand] = []
    /// Ore arcs out of each mine / into each refinery; product arcs out of each refinery.
    public private(set) var arcsOfMine: [[Int]]
    /// USD per tonne of ore on an ore arc (docs/FORMULATION.md section 5):
    /// the mine's price after the floor and the transport. The one
    /// definition the objective and the plan's cost lines share.
    public func cost(of arc: OreArc) -> Double { minePrice[arc.mine] + arc.transport }

    /// USD per tonne of product on a product arc (section 5): the
    /// refinery's fee after the floor (feed-none sources), the transport and
    /// the tariff or border charge.
    public func cost(of arc: ProductArc) -> Double { refineryFee[arc.refinery] + arc.transport + arc.tariff }

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
        // Whether a country code is in the coalition (unknown codes: false).
        var coalition: [String: Bool] = [:]
        for country in instance.countries { coalition[country.code] = country.coalition }
        let policy = instance.policy

        func defaultExposure(_ country: String) -> Double { country == "CHN" ? 1 : 0 }
        // Version 1 raises coalition producers' prices to the floor; version 2
        // charges imports at the border instead (below).
        let raises = instance.version == .v1
        func floor(_ mineral: Int) -> Double { raises ? instance.minerals[mineral].priceFloor ?? 0 : 0 }

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
        mineCapacity = instance.mines.map(\.effectiveCapacity)
        refineryCapacity = instance.refineries.map(\.effectiveCapacity)

        // Country codes as indices: every per-arc lookup below is by index.
        var codes = Set(instance.countries.map(\.code))
        for mine in instance.mines { codes.insert(mine.country) }
        for refinery in instance.refineries { codes.insert(refinery.country) }
        for buyer in instance.buyers { codes.insert(buyer.country) }
        for entry in instance.transport { codes.insert(entry.from); codes.insert(entry.to) }
        countryCodes = codes.sorted()
        var countryIndex: [String: Int] = [:]
        for (k, code) in countryCodes.enumerated() { countryIndex[code] = k }
        let mineCountry = instance.mines.map { countryIndex[$0.country] ?? 0 }
        refineryCountry = instance.refineries.map { countryIndex[$0.country] ?? 0 }
        let buyerCountry = instance.buyers.map { countryIndex[$0.country] ?? 0 }
        refineryInCoalition = instance.refineries.map { coalition[$0.country] == true }

        // Transport lookup: (a, b), else (b, a), else 0 inside a country, else the default.
        let transport = TransportTable(
            instance.transport, countryIndex: countryIndex,
            defaultCost: policy.defaultTransportCost ?? 0)
        let cost = transport.cost
        // Blocks by index: -1 matches anything (the field is absent), -2
        // nothing (a code or mineral the instance does not otherwise name).
        func blockIndex(_ text: String?, _ table: [String: Int]) -> Int { text.map { table[$0] ?? -2 } ?? -1 }
        let blocks = (policy.blocked ?? []).map {
            (from: blockIndex($0.from, countryIndex), to: blockIndex($0.to, countryIndex), mineral: blockIndex($0.mineral, index))
        }
        func blocked(_ from: Int, _ to: Int, _ mineral: Int) -> Bool {
            guard from != to else { return false }  // blocks are trade measures
            return blocks.contains { block in
                (block.from == -1 || block.from == from) && (block.to == -1 || block.to == to)
                    && (block.mineral == -1 || block.mineral == mineral)
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
        // Room for every arc the blocks leave (at most one per pair), so the
        // adjacency lists are not regrown arc by arc.
        var minesByMineral = [Int](repeating: 0, count: ids.count)
        for m in instance.mines.indices { minesByMineral[mineMineral[m]] += 1 }
        oreArcs.reserveCapacity(instance.mines.indices.reduce(0) { $0 + refineriesByMineral[mineMineral[$1]].count })
        for r in instance.refineries.indices where refineryFeedNone[r] == false {
            oreArcsOfRefinery[r].reserveCapacity(minesByMineral[refineryMineral[r]])
        }
        for m in instance.mines.indices where !ids.isEmpty {
            arcsOfMine[m].reserveCapacity(refineriesByMineral[mineMineral[m]].count)
            for r in refineriesByMineral[mineMineral[m]] {
                if blocked(mineCountry[m], refineryCountry[r], mineMineral[m]) { continue }
                arcsOfMine[m].append(oreArcs.count)
                oreArcsOfRefinery[r].append(oreArcs.count)
                oreArcs.append(OreArc(mine: m, refinery: r, transport: cost(mineCountry[m], refineryCountry[r])))
            }
        }

        // Demands, buyer by buyer, minerals sorted by id; then product arcs.
        var allRefineriesByMineral = [[Int]](repeating: [], count: ids.count)
        for r in instance.refineries.indices { allRefineriesByMineral[refineryMineral[r]].append(r) }
        var demandsByMineral = [Int](repeating: 0, count: ids.count)
        for buyer in instance.buyers {
            for mineralID in buyer.demand.keys { if let k = index[mineralID] { demandsByMineral[k] += 1 } }
        }
        for r in instance.refineries.indices { productArcsOfRefinery[r].reserveCapacity(demandsByMineral[refineryMineral[r]]) }
        productArcs.reserveCapacity(demandsByMineral.indices.reduce(0) { $0 + demandsByMineral[$1] * allRefineriesByMineral[$1].count })
        let tariffRate = policy.externalTariff ?? 0
        // Per mineral: the plain tariff t x ref and the border charge on an
        // import into the zone (version 2: max(t ref, F - ref) with a floor).
        let plainTariff = instance.minerals.map { tariffRate * ($0.referencePrice ?? 0) }
        let borderCharge = instance.minerals.enumerated().map { k, mineral in
            guard !raises, let floor = mineral.priceFloor else { return plainTariff[k] }
            return max(plainTariff[k], floor - (mineral.referencePrice ?? 0))
        }
        for (b, buyer) in instance.buyers.enumerated() {
            for mineralID in buyer.demand.keys.sorted() {
                guard let k = index[mineralID], let tonnes = buyer.demand[mineralID] else { continue }
                let mineral = instance.minerals[k]
                let cap = buyer.exposureCap[mineralID] ?? buyer.exposureCap["*"]
                var demand = Demand(
                    buyer: b, mineral: k, tonnes: tonnes,
                    penalty: buyer.shortfallPenalty[mineralID] ?? buyer.shortfallPenalty["*"]
                        ?? mineral.shortfallPenalty ?? policy.shortfallPenalty,
                    cap: cap?.share, capPenalty: cap?.penalty,
                    maxSuppliers: buyer.maxSuppliers[mineralID] ?? buyer.maxSuppliers["*"],
                    arcs: [])
                demand.arcs.reserveCapacity(allRefineriesByMineral[k].count)
                let buyerInCoalition = coalition[buyer.country] == true
                for r in allRefineriesByMineral[k] {
                    if blocked(refineryCountry[r], buyerCountry[b], k) { continue }
                    let charged = buyerInCoalition && !refineryInCoalition[r]
                    demand.arcs.append(productArcs.count)
                    productArcsOfRefinery[r].append(productArcs.count)
                    productArcs.append(
                        ProductArc(
                            refinery: r, buyer: b, demand: demands.count,
                            transport: cost(refineryCountry[r], buyerCountry[b]),
                            tariff: charged ? borderCharge[k] : 0,
                            levy: charged ? borderCharge[k] - plainTariff[k] : 0))
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

/// Transport cost per tonne between two countries by index: the entry
/// (a, b), else (b, a), else 0 inside a country, else the default. A dense
/// table for up to 1,024 countries (8 MB at most), a dictionary beyond.
struct TransportTable {
    private let count: Int
    private let dense: [Double]
    private let sparse: [Int: Double]
    private let defaultCost: Double

    init(_ entries: [TransportEntry], countryIndex: [String: Int], defaultCost: Double) {
        let n = countryIndex.count
        count = n
        self.defaultCost = defaultCost
        // Later entries of the same pair win, as in the file's order.
        var direct: [Int: Double] = [:]
        for entry in entries {
            guard let a = countryIndex[entry.from], let b = countryIndex[entry.to] else { continue }
            direct[a * n + b] = entry.cost
        }
        if n <= 1024 {
            var table = [Double](repeating: defaultCost, count: n * n)
            for a in 0..<n { table[a * n + a] = 0 }
            // Reverse entries first, so a direct entry overrides them.
            for (key, cost) in direct { let (a, b) = key.quotientAndRemainder(dividingBy: max(n, 1)); table[b * n + a] = cost }
            for (key, cost) in direct { table[key] = cost }
            dense = table
            sparse = [:]
        } else {
            dense = []
            sparse = direct
        }
    }

    func cost(_ a: Int, _ b: Int) -> Double {
        if !dense.isEmpty { return dense[a * count + b] }
        if let c = sparse[a * count + b] { return c }
        if let c = sparse[b * count + a] { return c }
        return a == b ? 0 : defaultCost
    }
}
