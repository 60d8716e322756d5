/// Writes an instance as data for `models/sourcing.mod` (format in
/// models/README.md): a field-by-field transcription, nothing derived.
public enum MathProgData {
    /// The data file text, or the diagnostics of ids MathProg cannot carry
    /// (over 100 UTF-8 bytes, or with control characters).
    public static func encode(_ instance: Instance, file: String = "instance") throws(InstanceError) -> String {
        var problems: [Diagnostic] = []
        func symbol(_ text: String, _ path: String) -> String {
            if text.utf8.count > 100 {
                problems.append(
                    Diagnostic(
                        severity: .error, file: file, path: path,
                        message: "\(text.utf8.count) bytes: MathProg symbols are at most 100 bytes"))
            } else if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                problems.append(
                    Diagnostic(
                        severity: .error, file: file, path: path,
                        message: "contains a control character, which MathProg cannot read"))
            }
            return "'" + text.replacing("'", with: "''") + "'"
        }
        func num(_ x: Double) -> String { x.description }
        var out = "/* " + (instance.name ?? "sourcing instance").replacing("*/", with: "* /") + " */\ndata;\n\n"
        func statement(_ head: String, _ items: [String]) {
            guard !items.isEmpty else { return }
            out += head + " := " + items.joined(separator: "  ") + ";\n"
        }

        let v2 = instance.version >= .v2
        if v2 { out += "param version := \(instance.version.rawValue);\n\n" }
        let minerals = instance.minerals
        statement("set MINERALS", minerals.enumerated().map { symbol($1.id, "minerals[\($0)].id") })
        statement("param price_floor", minerals.compactMap { m in m.priceFloor.map { symbol(m.id, "") + " " + num($0) } })
        statement("param reference_price", minerals.compactMap { m in m.referencePrice.map { symbol(m.id, "") + " " + num($0) } })
        /// Segments j = 1...n of a penalty (a number is one segment up to 1), each as (head, j, segment).
        func segments(_ owners: [(head: String, penalty: ShortfallPenalty?)]) -> [(head: String, j: Int, PenaltySegment)] {
            owners.flatMap { owner in
                (owner.penalty?.segments ?? []).enumerated().map { (owner.head, $0 + 1, $1) }
            }
        }
        if v2 {
            let parts = segments(minerals.map { (symbol($0.id, ""), $0.shortfallPenalty) })
            statement("set MINERAL_SEGMENTS", parts.map { "(\($0.head), \($0.j))" })
            statement("param mineral_up_to", parts.map { "\($0.head) \($0.j) \(num($0.2.upTo))" })
            statement("param mineral_segment_penalty", parts.map { "\($0.head) \($0.j) \(num($0.2.penalty))" })
        } else {
            statement("set PENALIZED", minerals.filter { $0.shortfallPenalty != nil }.map { symbol($0.id, "") })
            statement(
                "param shortfall_penalty",
                minerals.compactMap { m in
                    m.shortfallPenalty.map { symbol(m.id, "") + " " + num($0.flatValue ?? $0.highest) }
                })
        }
        out += "\n"
        statement("set COUNTRIES", instance.countries.enumerated().map { symbol($1.code, "countries[\($0)].code") })
        statement("set COALITION", instance.countries.filter(\.coalition).map { symbol($0.code, "") })
        out += "\n"
        let mines = instance.mines, refineries = instance.refineries
        let mineIDs = mines.enumerated().map { symbol($1.id, "mines[\($0)].id") }
        let refineryIDs = refineries.enumerated().map { symbol($1.id, "refineries[\($0)].id") }
        statement("set MINES", mineIDs)
        statement("set REFINERIES", refineryIDs)
        statement(
            "param mineral",
            zip(mineIDs, mines).map { $0 + " " + symbol($1.mineral, "") }
                + zip(refineryIDs, refineries).map { $0 + " " + symbol($1.mineral, "") })
        statement(
            "param country",
            zip(mineIDs, mines).map { $0 + " " + symbol($1.country, "") }
                + zip(refineryIDs, refineries).map { $0 + " " + symbol($1.country, "") })
        statement(
            "param capacity",
            zip(mineIDs, mines).map { $0 + " " + num($1.capacity) }
                + zip(refineryIDs, refineries).map { $0 + " " + num($1.capacity) })
        statement("param price", zip(mineIDs, mines).map { $0 + " " + num($1.price) })
        statement("param fee", zip(refineryIDs, refineries).map { $0 + " " + num($1.fee) })
        statement("param yield", zip(refineryIDs, refineries).compactMap { id, r in r.yield.map { id + " " + num($0) } })
        statement("set FEED_NONE", zip(refineryIDs, refineries).filter { $1.feed == Feed.none }.map(\.0))
        func optional(_ name: String, _ mine: (Mine) -> Double?, _ refinery: (Refinery) -> Double?) {
            statement(
                "param " + name,
                zip(mineIDs, mines).compactMap { id, m in mine(m).map { id + " " + num($0) } }
                    + zip(refineryIDs, refineries).compactMap { id, r in refinery(r).map { id + " " + num($0) } })
        }
        optional("china_exposure", \.chinaExposure, \.chinaExposure)
        optional("fixed_cost", \.fixedCost, \.fixedCost)
        optional("min_volume", \.minVolume, \.minVolume)
        var byProducts: [(String, ByProduct)] = []
        for (id, mine) in zip(mineIDs, mines) { if let value = mine.byProduct { byProducts.append((id, value)) } }
        for (id, refinery) in zip(refineryIDs, refineries) { if let value = refinery.byProduct { byProducts.append((id, value)) } }
        statement("set BY_PRODUCT", byProducts.map(\.0))
        statement("param host_throughput", byProducts.map { "\($0.0) \(num($0.1.hostThroughput))" })
        statement("param host_ratio", byProducts.map { "\($0.0) \(num($0.1.ratio))" })
        out += "\n"
        let buyers = instance.buyers
        let buyerIDs = buyers.enumerated().map { symbol($1.id, "buyers[\($0)].id") }
        statement("set BUYERS", buyerIDs)
        statement("param buyer_country", zip(buyerIDs, buyers).map { $0 + " " + symbol($1.country, "") })
        let demandPairs = zip(buyerIDs, buyers).flatMap { id, b in b.demand.keys.sorted().map { (id, $0, b.demand[$0] ?? 0) } }
        statement("set DEMAND", demandPairs.map { "(\($0.0), \(symbol($0.1, "")))" })
        statement("param demand", demandPairs.map { "\($0.0) \(symbol($0.1, "")) \(num($0.2))" })
        let caps = zip(buyerIDs, buyers).flatMap { id, b in
            b.exposureCap.keys.sorted().map { (id, $0, b.exposureCap[$0] ?? ExposureCap(share: 0)) }
        }
        statement("set EXPOSURE_CAP_KEYS", caps.map { "(\($0.0), \(symbol($0.1, "")))" })
        statement("param exposure_cap", caps.map { "\($0.0) \(symbol($0.1, "")) \(num($0.2.share))" })
        let soft = caps.filter { $0.2.penalty != nil }
        statement("set SOFT_CAP_KEYS", soft.map { "(\($0.0), \(symbol($0.1, "")))" })
        statement("param cap_penalty", soft.map { "\($0.0) \(symbol($0.1, "")) \(num($0.2.penalty ?? 0))" })
        let limits = zip(buyerIDs, buyers).flatMap { id, b in b.maxSuppliers.keys.sorted().map { (id, $0, b.maxSuppliers[$0] ?? 0) } }
        statement("set MAX_SUPPLIERS_KEYS", limits.map { "(\($0.0), \(symbol($0.1, "")))" })
        statement("param max_suppliers", limits.map { "\($0.0) \(symbol($0.1, "")) \($0.2)" })
        // (buyer, key, j) of every segment of every buyer's own penalties.
        var buyerParts: [(head: String, tuple: String, j: Int, segment: PenaltySegment)] = []
        for (id, buyer) in zip(buyerIDs, buyers) {
            for key in buyer.shortfallPenalty.keys.sorted() {
                let keySymbol = symbol(key, "")
                for (j, segment) in (buyer.shortfallPenalty[key]?.segments ?? []).enumerated() {
                    buyerParts.append((id + " " + keySymbol, "(\(id), \(keySymbol), \(j + 1))", j + 1, segment))
                }
            }
        }
        statement("set BUYER_SEGMENTS", buyerParts.map(\.tuple))
        statement("param buyer_up_to", buyerParts.map { "\($0.head) \($0.j) \(num($0.segment.upTo))" })
        statement("param buyer_segment_penalty", buyerParts.map { "\($0.head) \($0.j) \(num($0.segment.penalty))" })
        out += "\n"
        statement("set TRANSPORT", instance.transport.map { "(\(symbol($0.from, "")), \(symbol($0.to, "")))" })
        statement("param transport_cost", instance.transport.map { "\(symbol($0.from, "")) \(symbol($0.to, "")) \(num($0.cost))" })
        out += "\n"
        let policy = instance.policy
        if let v = policy.defaultTransportCost { out += "param default_transport_cost := \(num(v));\n" }
        if let v = policy.externalTariff { out += "param external_tariff := \(num(v));\n" }
        if let v = policy.maxCountryShare { out += "param max_country_share := \(num(v));\n" }
        if let v = policy.minCoalitionShare { out += "param min_coalition_share := \(num(v));\n" }
        if v2 {
            let parts = segments([(head: "", penalty: policy.shortfallPenalty)])
            statement("set POLICY_SEGMENTS", parts.map { "\($0.j)" })
            statement("param policy_up_to", parts.map { "\($0.j) \(num($0.2.upTo))" })
            statement("param policy_segment_penalty", parts.map { "\($0.j) \(num($0.2.penalty))" })
        } else if let v = policy.shortfallPenalty {
            out += "param has_policy_shortfall_penalty := 1;\nparam policy_shortfall_penalty := \(num(v.flatValue ?? v.highest));\n"
        }
        let blocks = policy.blocked ?? []
        statement("set BLOCKS", blocks.indices.map(String.init))
        statement("param block_from", blocks.enumerated().compactMap { k, b in b.from.map { "\(k) \(symbol($0, ""))" } })
        statement("param block_to", blocks.enumerated().compactMap { k, b in b.to.map { "\(k) \(symbol($0, ""))" } })
        statement("param block_mineral", blocks.enumerated().compactMap { k, b in b.mineral.map { "\(k) \(symbol($0, ""))" } })
        out += "\nend;\n"
        if !problems.isEmpty { throw InstanceError(diagnostics: problems) }
        return out
    }
}
