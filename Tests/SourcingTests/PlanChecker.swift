import Sourcing

/// The cost lines of docs/FORMULATION.md section 5, recomputed from a plan.
struct RecomputedCosts: Sendable {
    var mines = 0.0
    var refineries = 0.0
    var transport = 0.0
    var tariff = 0.0
    var contracts = 0.0
    var shortfall = 0.0
    var capExcess = 0.0
    var floorPremium = 0.0
    var floorLevy = 0.0
    var total: Double { mines + refineries + transport + tariff + contracts + shortfall + capExcess }
}

/// What ``checkPlan(_:_:tolerance:)`` found.
struct PlanCheck: Sendable {
    /// One line per broken rule; empty when the plan is feasible and its
    /// figures agree with the recomputation.
    var violations: [String] = []
    var costs = RecomputedCosts()
    /// Sums over the flows: product delivered, shortfall, mine output.
    var totalDelivered = 0.0
    var totalShortfall = 0.0
    var totalMined = 0.0
    var isValid: Bool { violations.isEmpty }
    /// The first few violations, for a test message.
    var summary: String {
        violations.prefix(8).joined(separator: "\n") + (violations.count > 8 ? "\n... (\(violations.count) in all)" : "")
    }
}

/// An independent checker of a plan, written from docs/FORMULATION.md alone
/// (sections 1, 2, 4 and 5, and 9 to 12 for a `/2` instance: curves
/// filled cheapest segment first, the border floor, soft caps, by-product
/// capacity and the landed-cost identity): it does not use ``Network`` or
/// ``SourcingModel``, only the instance and the numbers the plan reports
/// (ore and product flows with their tags, deliveries, facility outputs and
/// contract decisions, objective and breakdown).
///
/// Every comparison allows `tolerance` relative to max(1, |a|, |b|, scale).
func checkPlan(_ instance: Instance, _ plan: Plan, tolerance tol: Double = 1e-6) -> PlanCheck {
    var check = PlanCheck()
    func fail(_ message: String) { check.violations.append(message) }
    func slack(_ a: Double, _ b: Double, _ scale: Double) -> Double { tol * max(1, abs(a), abs(b), abs(scale)) }
    /// a = b.
    func equal(_ a: Double, _ b: Double, scale: Double = 0, _ what: @autoclosure () -> String) {
        if !(abs(a - b) <= slack(a, b, scale)) { fail("\(what()): \(a) != \(b)") }
    }
    /// a <= b.
    func atMost(_ a: Double, _ b: Double, scale: Double = 0, _ what: @autoclosure () -> String) {
        if !(a - b <= slack(a, b, scale)) { fail("\(what()): \(a) > \(b)") }
    }

    // Section 1: lookups and defaults.
    var coalition: [String: Bool] = [:]
    for country in instance.countries { coalition[country.code] = country.coalition }
    func inCoalition(_ code: String) -> Bool { coalition[code] ?? false }
    var minerals: [String: Mineral] = [:]
    for mineral in instance.minerals { minerals[mineral.id] = mineral }
    var mineIndex: [String: Int] = [:], refineryIndex: [String: Int] = [:], buyerIndex: [String: Int] = [:]
    for (i, mine) in instance.mines.enumerated() { mineIndex[mine.id] = i }
    for (i, refinery) in instance.refineries.enumerated() { refineryIndex[refinery.id] = i }
    for (i, buyer) in instance.buyers.enumerated() { buyerIndex[buyer.id] = i }
    let policy = instance.policy
    let maxCountryShare = policy.maxCountryShare ?? 1
    let minCoalitionShare = policy.minCoalitionShare ?? 0
    let tariffRate = policy.externalTariff ?? 0

    /// chinaExposure: explicit, else 1 in exactly "CHN", else 0.
    func exposure(_ explicit: Double?, _ country: String) -> Double { explicit ?? (country == "CHN" ? 1 : 0) }
    let v1 = instance.version == .v1
    /// Version 1's floor raises prices; version 2's is charged at the border.
    func floor(_ mineral: String) -> Double { v1 ? minerals[mineral]?.priceFloor ?? 0 : 0 }
    /// Per tonne on an import into the zone: t ref (v1), max(t ref, F - ref) (v2 with a floor).
    func borderCharge(_ mineral: String) -> (charge: Double, levy: Double) {
        let reference = minerals[mineral]?.referencePrice ?? 0
        let plain = tariffRate * reference
        guard !v1, let floor = minerals[mineral]?.priceFloor else { return (plain, 0) }
        let charge = max(plain, floor - reference)
        return (charge, charge - plain)
    }
    /// Capacity after the host limit (version 2 section 5).
    func capacity(_ capacity: Double, _ byProduct: ByProduct?) -> Double {
        byProduct.map { min(capacity, $0.ratio * $0.hostThroughput) } ?? capacity
    }
    /// Section 5: price' of a mine, fee' of a refinery.
    func priceAfterFloor(_ mine: Mine) -> Double {
        inCoalition(mine.country) ? max(mine.price, floor(mine.mineral)) : mine.price
    }
    func feeAfterFloor(_ refinery: Refinery) -> Double {
        refinery.feed == Feed.none && inCoalition(refinery.country) ? max(refinery.fee, floor(refinery.mineral)) : refinery.fee
    }
    /// Section 2: (a, b), else (b, a), else 0 inside a country, else the default.
    func transportCost(_ a: String, _ b: String) -> Double {
        if let entry = instance.transport.first(where: { $0.from == a && $0.to == b }) { return entry.cost }
        if let entry = instance.transport.first(where: { $0.from == b && $0.to == a }) { return entry.cost }
        return a == b ? 0 : policy.defaultTransportCost ?? 0
    }
    /// Section 2: a block applies to a cross-border arc when each present field matches.
    func isBlocked(from: String, to: String, mineral: String) -> Bool {
        guard from != to else { return false }
        for block in policy.blocked ?? [] {
            if let f = block.from, f != from { continue }
            if let t = block.to, t != to { continue }
            if let k = block.mineral, k != mineral { continue }
            return true
        }
        return false
    }
    /// The shortfall penalty of buyer and mineral: the buyer's key, its "*",
    /// the mineral's own, else the policy's; as segments (a number is one).
    func penalty(_ buyer: Buyer, _ mineral: String) -> [PenaltySegment]? {
        let chosen =
            buyer.shortfallPenalty[mineral] ?? buyer.shortfallPenalty["*"]
            ?? minerals[mineral]?.shortfallPenalty ?? policy.shortfallPenalty
        switch chosen {
        case nil: return nil
        case .flat(let p)?: return [PenaltySegment(upTo: 1, penalty: p)]
        case .curve(let segments)?: return segments
        }
    }
    /// The least cost of `u` tonnes short of `demand` on a convex curve:
    /// the cheapest segments first, each as wide as its share of demand.
    func curveCost(_ segments: [PenaltySegment], _ u: Double, _ demand: Double) -> Double {
        var left = max(0, u), cost = 0.0, previous = 0.0
        for (j, segment) in segments.enumerated() {
            let width = j == segments.count - 1 ? left : min(left, (segment.upTo - previous) * demand)
            cost += segment.penalty * width
            left -= width
            previous = segment.upTo
        }
        return cost
    }
    var refineryInputCost = [Double](repeating: 0, count: instance.refineries.count)

    // Flows: arcs must exist (section 2), tags non-negative (section 3).
    var mineOut = [Double](repeating: 0, count: instance.mines.count)
    var mineExposed = [Double](repeating: 0, count: instance.mines.count)
    var inClean = [Double](repeating: 0, count: instance.refineries.count)
    var inExposed = [Double](repeating: 0, count: instance.refineries.count)
    var outClean = [Double](repeating: 0, count: instance.refineries.count)
    var outExposed = [Double](repeating: 0, count: instance.refineries.count)
    struct Key: Hashable { let buyer: Int; let mineral: String }
    var delivered: [Key: Double] = [:], deliveredExposed: [Key: Double] = [:], fromCoalition: [Key: Double] = [:]
    var byCountry: [Key: [String: Double]] = [:]
    var suppliers: [Key: [(refinery: Int, tonnes: Double)]] = [:]
    var seenOre = Set<String>(), seenProduct = Set<String>()

    for flow in plan.oreFlows {
        let label = "ore \(flow.mine) -> \(flow.refinery)"
        guard let m = mineIndex[flow.mine], let r = refineryIndex[flow.refinery] else {
            fail("\(label): unknown facility"); continue
        }
        let mine = instance.mines[m], refinery = instance.refineries[r]
        if !seenOre.insert(flow.mine + "\u{0}" + flow.refinery).inserted { fail("\(label): listed twice") }
        if flow.mineral != mine.mineral || refinery.mineral != mine.mineral { fail("\(label): mineral mismatch") }
        if refinery.feed == Feed.none { fail("\(label): ore into a feed-none source") }
        if isBlocked(from: mine.country, to: refinery.country, mineral: mine.mineral) { fail("\(label): blocked arc used") }
        if !(flow.clean.isFinite && flow.exposed.isFinite) || flow.clean < -tol || flow.exposed < -tol {
            fail("\(label): bad tags \(flow.clean), \(flow.exposed)")
        }
        let t = flow.clean + flow.exposed
        mineOut[m] += t
        mineExposed[m] += flow.exposed
        inClean[r] += flow.clean
        inExposed[r] += flow.exposed
        let price = priceAfterFloor(mine)
        check.costs.mines += price * t
        check.costs.floorPremium += (price - mine.price) * t
        check.costs.transport += transportCost(mine.country, refinery.country) * t
        refineryInputCost[r] += (price + transportCost(mine.country, refinery.country)) * t
    }
    // Landed cost (v2 section 6): each refinery's unit cost c_r, then per delivery.
    var refineryOutput = [Double](repeating: 0, count: instance.refineries.count)
    for flow in plan.productFlows {
        if let r = refineryIndex[flow.refinery] { refineryOutput[r] += flow.clean + flow.exposed }
    }
    var landedTotal = 0.0
    for flow in plan.productFlows {
        let label = "product \(flow.refinery) -> \(flow.buyer)"
        guard let r = refineryIndex[flow.refinery], let b = buyerIndex[flow.buyer] else {
            fail("\(label): unknown facility or buyer"); continue
        }
        let refinery = instance.refineries[r], buyer = instance.buyers[b]
        if !seenProduct.insert(flow.refinery + "\u{0}" + flow.buyer).inserted { fail("\(label): listed twice") }
        if flow.mineral != refinery.mineral { fail("\(label): mineral mismatch") }
        if buyer.demand[refinery.mineral] == nil { fail("\(label): buyer has no demand for \(refinery.mineral)") }
        if isBlocked(from: refinery.country, to: buyer.country, mineral: refinery.mineral) { fail("\(label): blocked arc used") }
        if !(flow.clean.isFinite && flow.exposed.isFinite) || flow.clean < -tol || flow.exposed < -tol {
            fail("\(label): bad tags \(flow.clean), \(flow.exposed)")
        }
        let t = flow.clean + flow.exposed
        outClean[r] += flow.clean
        outExposed[r] += flow.exposed
        let key = Key(buyer: b, mineral: refinery.mineral)
        delivered[key, default: 0] += t
        deliveredExposed[key, default: 0] += flow.exposed
        if inCoalition(refinery.country) { fromCoalition[key, default: 0] += t }
        byCountry[key, default: [:]][refinery.country, default: 0] += t
        suppliers[key, default: []].append((r, t))
        let fee = feeAfterFloor(refinery)
        check.costs.refineries += fee * t
        check.costs.floorPremium += (fee - refinery.fee) * t
        check.costs.transport += transportCost(refinery.country, buyer.country) * t
        var charge = 0.0
        if inCoalition(buyer.country) && !inCoalition(refinery.country) {
            let border = borderCharge(refinery.mineral)
            charge = border.charge
            check.costs.tariff += border.charge * t
            check.costs.floorLevy += border.levy * t
        }
        let unit = fee + (refineryOutput[r] > 0 ? refineryInputCost[r] / refineryOutput[r] : 0)
        landedTotal += (unit + transportCost(refinery.country, buyer.country) + charge) * t
    }

    // The facility table: one row per facility.
    var facilityRows: [String: [FacilityUse]] = [:]
    for row in plan.facilities { facilityRows[row.stage.rawValue + ":" + row.id, default: []].append(row) }
    func facilityRow(_ stage: FacilityUse.Stage, _ id: String) -> FacilityUse? {
        let rows = facilityRows[stage.rawValue + ":" + id] ?? []
        if rows.count != 1 { fail("\(stage.rawValue) \(id): \(rows.count) facility rows"); return nil }
        return rows[0]
    }
    /// Constraint 10 and the contracts line.
    func checkContract(
        _ id: String, _ stage: FacilityUse.Stage, output: Double, capacity: Double,
        fixedCost: Double?, minVolume: Double?
    ) {
        guard let row = facilityRow(stage, id) else { return }
        equal(row.output, output, "\(id): reported output")
        equal(row.effectiveCapacity, capacity, "\(id): reported effective capacity")
        let hasContract = (fixedCost ?? 0) > 0 || (minVolume ?? 0) > 0
        guard hasContract else {
            if row.contracted != nil { fail("\(id): contract reported without fixedCost or minVolume") }
            return
        }
        guard let contracted = row.contracted else { fail("\(id): no contract decision reported"); return }
        if contracted {
            atMost(minVolume ?? 0, output, "\(id): contracted output below minVolume")
            atMost(output, capacity, "\(id): contracted output above capacity")
            check.costs.contracts += fixedCost ?? 0
        } else {
            atMost(output, 0, scale: capacity, "\(id): output without a contract")
        }
    }

    // 1, 2 and 10 for mines.
    for (m, mine) in instance.mines.enumerated() {
        let p = mineOut[m]
        let limit = capacity(mine.capacity, mine.byProduct)
        atMost(p, limit, "1 mine capacity \(mine.id)")
        equal(mineExposed[m], exposure(mine.chinaExposure, mine.country) * p, scale: p, "2 mine exposure \(mine.id)")
        checkContract(mine.id, .mine, output: p, capacity: limit, fixedCost: mine.fixedCost, minVolume: mine.minVolume)
        check.totalMined += p
    }
    // 3, 4, 5 and 10 for refineries.
    for (r, refinery) in instance.refineries.enumerated() {
        let e = exposure(refinery.chinaExposure, refinery.country)
        let output = outClean[r] + outExposed[r]
        if refinery.feed == Feed.none {
            equal(outExposed[r], e * output, scale: output, "4 source exposure \(refinery.id)")
        } else {
            let y = refinery.yield ?? 1
            let input = inClean[r] + inExposed[r]
            equal(output, y * input, scale: input, "3 refinery yield \(refinery.id)")
            equal(outExposed[r], y * (inExposed[r] + e * inClean[r]), scale: input, "3 refinery exposed tag \(refinery.id)")
            equal(outClean[r], y * (1 - e) * inClean[r], scale: input, "3 refinery clean tag \(refinery.id)")
        }
        let limit = capacity(refinery.capacity, refinery.byProduct)
        atMost(output, limit, "5 refinery capacity \(refinery.id)")
        checkContract(
            refinery.id, .refinery, output: output, capacity: limit,
            fixedCost: refinery.fixedCost, minVolume: refinery.minVolume)
    }

    // 6 to 9 and 11, per buyer and mineral of its demand.
    var reported: [Key: [Delivery]] = [:]
    for delivery in plan.deliveries {
        guard let b = buyerIndex[delivery.buyer] else { fail("delivery to unknown buyer \(delivery.buyer)"); continue }
        reported[Key(buyer: b, mineral: delivery.mineral), default: []].append(delivery)
    }
    for (b, buyer) in instance.buyers.enumerated() {
        for (mineral, demand) in buyer.demand.sorted(by: { $0.key < $1.key }) {
            let key = Key(buyer: b, mineral: mineral)
            let label = "\(buyer.id)/\(mineral)"
            let q = delivered[key] ?? 0, qx = deliveredExposed[key] ?? 0
            guard let rows = reported[key], rows.count == 1, let row = rows.first else {
                fail("\(label): \(reported[key]?.count ?? 0) delivery rows"); continue
            }
            reported[key] = nil
            equal(row.demand, demand, "\(label): reported demand")
            equal(row.delivered, q, scale: demand, "\(label): reported delivered vs flows")
            let u = row.shortfall
            // 6: exact demand, shortfall only with a penalty.
            if !(u >= -tol * max(1, demand)) { fail("6 \(label): negative shortfall \(u)") }
            equal(q + u, demand, scale: demand, "6 demand \(label)")
            if let segments = penalty(buyer, mineral) {
                let cost = curveCost(segments, u, demand)
                check.costs.shortfall += cost
                equal(row.shortfallCost, cost, scale: demand, "\(label): reported shortfall cost")
            } else {
                atMost(u, 0, scale: demand, "6 \(label): shortfall on a hard demand")
            }
            check.totalDelivered += q
            check.totalShortfall += u
            // 7: exposure cap, mineral key else "*".
            equal(row.shortfallValue, u * (minerals[mineral]?.referencePrice ?? 0), scale: demand, "\(label): shortfall value")
            let cap = buyer.exposureCap[mineral] ?? buyer.exposureCap["*"]
            if row.cap != cap?.share { fail("\(label): reported cap \(String(describing: row.cap)) != \(String(describing: cap))") }
            if let cap, let price = cap.penalty {
                // A soft cap bends: the excess is paid for.
                let excess = max(0, qx - cap.share * q)
                equal(row.capExcess, excess, scale: q, "\(label): reported cap excess")
                check.costs.capExcess += price * excess
            } else if let cap {
                atMost(qx, cap.share * q, scale: q, "7 exposure cap \(label)")
            }
            if q > tol * max(1, demand) {
                if let share = row.exposedShare {
                    equal(share, qx / q, "\(label): reported exposed share")
                } else {
                    fail("\(label): no exposed share reported with \(q) t delivered")
                }
            }
            // 8: by refinery country, a share of demand.
            for (country, tonnes) in byCountry[key] ?? [:] {
                atMost(tonnes, maxCountryShare * demand, scale: demand, "8 country share \(label) from \(country)")
                let reportedTonnes = row.byCountry.first { $0.country == country }?.tonnes ?? 0
                equal(reportedTonnes, tonnes, scale: demand, "\(label): reported tonnes from \(country)")
            }
            // 9: coalition refineries, a share of what is delivered.
            atMost(minCoalitionShare * q, fromCoalition[key] ?? 0, scale: q, "9 coalition offtake \(label)")
            // 11: refineries that deliver (above noise) at most K.
            if let limit = buyer.maxSuppliers[mineral] ?? buyer.maxSuppliers["*"] {
                let used = (suppliers[key] ?? []).filter { $0.tonnes > tol * max(1, demand) }.count
                if used > limit { fail("11 supplier count \(label): \(used) > \(limit)") }
            }
        }
    }
    for (key, rows) in reported where !rows.isEmpty {
        fail("delivery rows for \(instance.buyers[key.buyer].id)/\(key.mineral), which is not in its demand")
    }
    for (key, q) in delivered where instance.buyers[key.buyer].demand[key.mineral] == nil && q > 0 {
        fail("product delivered to \(instance.buyers[key.buyer].id) for \(key.mineral) without demand")
    }

    // Section 5: the objective and its breakdown.
    if let objective = plan.objective {
        equal(check.costs.total, objective, "objective recomputed from the flows")
        if let lines = plan.breakdown {
            equal(lines.total, objective, "sum of the breakdown vs objective")
            equal(lines.mines, check.costs.mines, scale: 0, "breakdown.mines")
            equal(lines.refineries, check.costs.refineries, "breakdown.refineries")
            equal(lines.transport, check.costs.transport, "breakdown.transport")
            equal(lines.tariff, check.costs.tariff, "breakdown.tariff")
            equal(lines.contracts, check.costs.contracts, "breakdown.contracts")
            equal(lines.shortfall, check.costs.shortfall, "breakdown.shortfall")
            equal(lines.capExcess, check.costs.capExcess, "breakdown.capExcess")
            equal(lines.floorPremium, check.costs.floorPremium, "breakdown.floorPremium")
            equal(lines.floorLevy, check.costs.floorLevy, "breakdown.floorLevy")
            // The landed-cost identity: attributed along the chain from the
            // flows, and as the plan reports it per delivery.
            let chain = check.costs.mines + check.costs.refineries + check.costs.transport + check.costs.tariff
            equal(landedTotal, chain, "landed cost along the chain vs mines + refineries + transport + tariff")
            let reportedLanded = plan.deliveries.reduce(0.0) { $0 + ($1.landedCost ?? 0) * $1.delivered }
            equal(reportedLanded, chain, "sum of landedCost x delivered vs mines + refineries + transport + tariff")
        } else {
            fail("no breakdown")
        }
    } else {
        fail("no objective")
    }
    return check
}
