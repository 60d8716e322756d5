/// Generates valid sourcing instances of any size, deterministic by seed,
/// that exercise every feature of the spec: coalition and outside
/// countries, CHN exposure defaults and explicit exposures, yields,
/// feed-none sources, price floors, reference prices and a tariff,
/// per-mineral and policy shortfall penalties (so instances are feasible),
/// exposure caps by mineral and "*", country and coalition shares,
/// forward and reverse transport entries, export bans and blocks, and with
/// `mip` contracts (fixed costs, minimum volumes) and supplier limits.
///
/// With `v2` the instance is a `sourcing-instance/2` with every version 2
/// feature: shortfall curves on minerals, the policy and buyers (a defence
/// buyer with a higher curve), buyers outside the coalition competing for
/// the same tonnes, border floors with and without a reference price, soft
/// exposure caps and by-product facilities limited by a host stream. The v2
/// features draw from their own random stream, so the v1 part of the
/// instance is the same as without `v2`.
public struct InstanceGenerator: Sendable {
    /// Sizes are totals across minerals.
    public var seed: UInt64
    public var minerals: Int
    public var mines: Int
    public var refineries: Int
    public var buyers: Int
    public var mip: Bool
    /// A `/2` instance with every version 2 feature.
    public var v2: Bool

    public init(seed: UInt64, minerals: Int, mines: Int, refineries: Int, buyers: Int, mip: Bool = false, v2: Bool = false) {
        self.v2 = v2
        self.seed = seed
        self.minerals = max(1, minerals)
        self.mines = max(0, mines)
        self.refineries = max(0, refineries)
        self.buyers = max(0, buyers)
        self.mip = mip
    }

    /// The country pool: code and coalition membership.
    static let countryPool: [(String, Bool)] = [
        ("AUS", true), ("CAN", true), ("CHN", false), ("COD", false), ("CHL", true), ("IDN", false),
        ("JPN", true), ("USA", true), ("DEU", true), ("KOR", true), ("BRA", false), ("ZAF", false),
        ("ARG", true), ("GBR", true), ("IND", true), ("RUS", false), ("PHL", false), ("NOR", true)
    ]

    /// SplitMix64: small, fast, the same on every platform.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        /// Uniform in [0, 1).
        mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
        mutating func int(_ range: Range<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
        /// A value in [low, high) rounded to `step`.
        mutating func value(_ low: Double, _ high: Double, step: Double = 1) -> Double {
            ((low + unit() * (high - low)) / step).rounded() * step
        }
        mutating func chance(_ p: Double) -> Bool { unit() < p }
    }

    /// The instance.
    public func generate() -> Instance {
        var rng = Random(state: seed &* 0x2545_F491_4F6C_DD1D &+ 1)
        var instance = Instance(
            name:
                "generated seed \(seed): \(minerals) minerals, \(mines) mines, \(refineries) refineries, \(buyers) buyers\(mip ? ", mip" : "")\(v2 ? ", v2" : "")"
        )
        let countryCount = min(Self.countryPool.count, max(4, 4 + minerals))
        instance.countries = Self.countryPool.prefix(countryCount).map { Country(code: $0.0, coalition: $0.1) }
        let codes = instance.countries.map(\.code)

        // Minerals: a base price each; floors on half, reference prices on all.
        var basePrice: [Double] = []
        for k in 0..<minerals {
            let price = rng.value(2_000, 60_000, step: 100)
            basePrice.append(price)
            instance.minerals.append(
                Mineral(
                    id: "m\(k)", name: "mineral \(k)",
                    priceFloor: k % 2 == 0 ? (price * 0.8).rounded() : nil,
                    referencePrice: price,
                    shortfallPenalty: k % 3 == 0 ? .flat((price * 4).rounded()) : nil))
        }
        func share(_ total: Int, _ k: Int) -> Int { total / minerals + (k < total % minerals ? 1 : 0) }

        // Mines: spread over countries; CHN mines default to exposed, a few explicit exposures.
        var mineCapacity = [Double](repeating: 0, count: minerals)
        for k in 0..<minerals {
            for i in 0..<share(mines, k) {
                let country = codes[rng.int(0..<codes.count)]
                let capacity = rng.value(50, 1_000, step: 10)
                mineCapacity[k] += capacity
                var mine = Mine(
                    id: "mine-\(k)-\(i)", mineral: "m\(k)", country: country, capacity: capacity,
                    price: (basePrice[k] * rng.value(0.4, 0.7, step: 0.01)).rounded())
                if rng.chance(0.15) { mine.chinaExposure = rng.value(0, 1, step: 0.05) }
                if mip && rng.chance(0.2) {
                    mine.fixedCost = rng.value(1_000, 50_000, step: 500)
                    mine.minVolume = (capacity * rng.value(0.1, 0.5, step: 0.05)).rounded()
                }
                instance.mines.append(mine)
            }
        }
        // Refineries: mostly mined, some feed-none sources (recyclers).
        var refineryCapacity = [Double](repeating: 0, count: minerals)
        for k in 0..<minerals {
            let count = share(refineries, k)
            for i in 0..<count {
                let country = codes[rng.int(0..<codes.count)]
                // Every fifth refinery is a feed-none source, and the last of
                // a mineral with 2 to 4 refineries, so small instances have one.
                let feedNone = i % 5 == 4 || (count >= 2 && count < 5 && i == count - 1)
                let capacity = rng.value(100, 1_500, step: 10)
                refineryCapacity[k] += capacity
                var refinery = Refinery(
                    id: "ref-\(k)-\(i)", mineral: "m\(k)", country: country, capacity: capacity,
                    fee: feedNone
                        ? (basePrice[k] * rng.value(0.8, 1.3, step: 0.01)).rounded()
                        : (basePrice[k] * rng.value(0.1, 0.3, step: 0.01)).rounded(),
                    yield: feedNone ? nil : rng.value(0.8, 1, step: 0.01),
                    feed: feedNone ? Feed.none : (rng.chance(0.5) ? .mined : nil))
                if rng.chance(0.15) { refinery.chinaExposure = rng.value(0, 0.6, step: 0.05) }
                if mip && rng.chance(0.2) {
                    refinery.fixedCost = rng.value(1_000, 80_000, step: 500)
                    refinery.minVolume = (capacity * rng.value(0.05, 0.3, step: 0.05)).rounded()
                }
                instance.refineries.append(refinery)
            }
        }
        // Buyers in coalition countries mostly; each demands a few minerals.
        let coalitionCodes = instance.countries.filter(\.coalition).map(\.code)
        let perBuyer = max(1, min(minerals, 3))
        var demandCount = [Int](repeating: 0, count: minerals)
        var buyerMinerals: [[Int]] = []
        for b in 0..<buyers {
            var chosen: [Int] = []
            for j in 0..<perBuyer { chosen.append((b + j * max(1, minerals / perBuyer)) % minerals) }
            chosen = Array(Set(chosen)).sorted()
            for k in chosen { demandCount[k] += 1 }
            buyerMinerals.append(chosen)
        }
        for b in 0..<buyers {
            let country = rng.chance(0.85) ? coalitionCodes[rng.int(0..<coalitionCodes.count)] : codes[rng.int(0..<codes.count)]
            var buyer = Buyer(id: "buyer-\(b)", country: country)
            for k in buyerMinerals[b] {
                // Demand sized so that the market is tight but mostly servable.
                let available = min(mineCapacity[k], refineryCapacity[k])
                let fair = available / Double(max(1, demandCount[k]))
                buyer.demand["m\(k)"] = max(1, (fair * rng.value(0.5, 0.9, step: 0.01)).rounded())
                if rng.chance(0.3) { buyer.exposureCap["m\(k)"] = ExposureCap(share: rng.value(0.2, 0.8, step: 0.05)) }
                if mip && rng.chance(0.4) { buyer.maxSuppliers["m\(k)"] = rng.int(2..<5) }
            }
            if rng.chance(0.3) { buyer.exposureCap["*"] = ExposureCap(share: rng.value(0.3, 0.9, step: 0.05)) }
            if mip && rng.chance(0.2) { buyer.maxSuppliers["*"] = rng.int(3..<6) }
            instance.buyers.append(buyer)
        }
        // Transport: some ordered pairs given (a reverse lookup covers the others).
        for (i, a) in codes.enumerated() {
            for b in codes[i...] where rng.chance(0.4) {
                let entry =
                    rng.chance(0.5)
                    ? TransportEntry(from: a, to: b, cost: a == b ? rng.value(5, 30) : rng.value(40, 400))
                    : TransportEntry(from: b, to: a, cost: a == b ? rng.value(5, 30) : rng.value(40, 400))
                instance.transport.append(entry)
            }
        }
        // Policy: every lever of the spec.
        var blocked = [Block(from: "CHN", mineral: "m0")]
        if codes.count > 4 { blocked.append(Block(from: codes[3], to: codes[0])) }
        instance.policy = Policy(
            defaultTransportCost: 150, externalTariff: 0.1, maxCountryShare: 0.7,
            minCoalitionShare: 0.2, shortfallPenalty: 200_000, blocked: blocked)
        if v2 { addVersion2(&instance, basePrice: basePrice, mineCapacity: mineCapacity) }
        return instance
    }

    /// The version 2 features, from a random stream of their own.
    func addVersion2(_ instance: inout Instance, basePrice: [Double], mineCapacity: [Double]) {
        var rng = Random(state: seed &* 0x9E37_79B9_7F4A_7C15 &+ 0x5632)
        instance.version = .v2
        // Curves on a third of the minerals; a floor without a reference
        // price on every fourth floored one (a valid instance, with a warning).
        for k in instance.minerals.indices {
            let price = basePrice[k]
            if k % 3 == 1 {
                instance.minerals[k].shortfallPenalty = .curve([
                    PenaltySegment(upTo: Double(rng.int(2..<9) * 5) / 100, penalty: (price * 1.5).rounded()),
                    PenaltySegment(upTo: 1, penalty: (price * 3).rounded())
                ])
            }
            if k % 4 == 2, instance.minerals[k].priceFloor != nil { instance.minerals[k].referencePrice = nil }
            if k % 4 == 0, instance.minerals[k].priceFloor != nil {
                // A floor well above the reference price: a levy, not the plain tariff, applies.
                instance.minerals[k].priceFloor = (price * 1.3).rounded()
            }
        }
        instance.policy.shortfallPenalty = .curve([
            PenaltySegment(upTo: 0.5, penalty: 150_000), PenaltySegment(upTo: 1, penalty: 300_000)
        ])
        // By-product facilities: a host stream that limits a fifth of the mines
        // and a tenth of the refineries, often below their capacity.
        let hosts = ["alumina", "zinc", "copper", "nickel"]
        for m in instance.mines.indices where rng.chance(0.2) {
            let ratio = Double(rng.int(2..<41)) / 2000
            let limit = instance.mines[m].capacity * rng.value(0.4, 1.3, step: 0.05)
            instance.mines[m].byProduct = ByProduct(
                host: hosts[rng.int(0..<hosts.count)],
                hostThroughput: (limit / ratio).rounded(), ratio: ratio)
        }
        for r in instance.refineries.indices where rng.chance(0.1) {
            let ratio = Double(rng.int(2..<41)) / 2000
            let limit = instance.refineries[r].capacity * rng.value(0.4, 1.3, step: 0.05)
            instance.refineries[r].byProduct = ByProduct(
                host: hosts[rng.int(0..<hosts.count)],
                hostThroughput: (limit / ratio).rounded(), ratio: ratio)
        }
        // Soft caps: half of the caps bend at a price; a defence buyer in
        // every tenth buyer with a higher curve than the rest.
        for b in instance.buyers.indices {
            for key in instance.buyers[b].exposureCap.keys.sorted() where rng.chance(0.5) {
                let k = key == "*" ? 0 : Int(key.dropFirst()) ?? 0
                instance.buyers[b].exposureCap[key]?.penalty = (basePrice[min(k, basePrice.count - 1)] * Double(rng.int(0..<11)) / 1000)
                    .rounded()
            }
            if b % 10 == 3 {
                instance.buyers[b].shortfallPenalty["*"] = .curve([
                    PenaltySegment(upTo: 0.05, penalty: 400_000), PenaltySegment(upTo: 1, penalty: 2_000_000)
                ])
            } else if rng.chance(0.2), let k = instance.buyers[b].demand.keys.sorted().first {
                instance.buyers[b].shortfallPenalty[k] = .flat((basePrice[Int(k.dropFirst()) ?? 0] * 2).rounded())
            }
        }
        // The rest of the world: a buyer outside the coalition per mineral,
        // demanding a share of world mine capacity at its own curve.
        let outside = instance.countries.filter { !$0.coalition }.map(\.code)
        for k in instance.minerals.indices where !outside.isEmpty {
            let price = basePrice[k]
            let tonnes = max(1, (mineCapacity[k] * rng.value(0.2, 0.4, step: 0.01)).rounded())
            instance.buyers.append(
                Buyer(
                    id: "world-\(k)", country: outside[k % outside.count], demand: ["m\(k)": tonnes],
                    shortfallPenalty: [
                        "m\(k)": .curve([
                            PenaltySegment(upTo: 0.3, penalty: (price * 1.2).rounded()),
                            PenaltySegment(upTo: 1, penalty: (price * 2.5).rounded())
                        ])
                    ]))
        }
    }
}
