import Sourcing

/// The demand side of the reference instance (instances/README.md, "Demand"):
/// coalition buyers scaled from real US consumption, a US defence buyer, a
/// Chinese domestic buyer and a rest-of-world buyer that closes the world
/// balance, each with a shortfall curve from the observed price responses.
extension Assembly {
    /// What a buyer class pays per tonne short: a curve of multiples of the
    /// mineral's reference price.
    struct Curve {
        var segments: [(upTo: Double, multiple: Double)]

        func penalty(referencePrice: Double) -> ShortfallPenalty {
            .curve(segments.map { PenaltySegment(upTo: $0.upTo, penalty: roundedMoney($0.multiple * referencePrice)) })
        }
    }

    /// The curves of curves.csv by class (`civil`, `defence`, `china`, `row`).
    func curves() throws(CoalitionError) -> [String: Curve] {
        var result: [String: Curve] = [:]
        for row in data.curves.sorted(by: { ($0["class"], $0.line) < ($1["class"], $1.line) }) {
            result[row["class"], default: Curve(segments: [])].segments
                .append((try row.number("up_to"), try row.number("multiple")))
        }
        for (name, curve) in result {
            let ups = curve.segments.map(\.upTo)
            guard ups.last == 1, zip(ups, ups.dropFirst()).allSatisfy({ $0 < $1 }),
                zip(curve.segments, curve.segments.dropFirst()).allSatisfy({ $0.multiple <= $1.multiple })
            else {
                throw CoalitionError("curves.csv: the \(name) curve must rise to up_to 1 with non-decreasing multiples")
            }
        }
        return result
    }

    /// The years of a demand rule: `2025`, or a range `2021-2025`.
    func years(_ rule: Record) throws(CoalitionError) -> ClosedRange<Int> {
        let parts = rule["year"].split(separator: "-").map { Int($0.trimmedOfSpaces) }
        guard let first = parts.first ?? nil, let last = parts.last ?? nil, parts.count <= 2, first <= last else {
            throw CoalitionError("\(rule.place): year \"\(rule["year"])\" is neither a year nor a range like 2021-2025")
        }
        return first...last
    }

    /// US demand for each mineral (t): the mean over the rule's years of the
    /// consumption.csv rows its demand_rules.csv row names (years withheld
    /// or not available left out), or (when every one is withheld) the
    /// stated share of world output.
    func usDemand(_ parts: [Part]) throws(CoalitionError) -> [String: Double] {
        var result: [String: Double] = [:]
        for part in parts {
            let id = part.mineral.id
            let rules = data.demandRules.filter { $0["mineral"] == id }
            guard rules.count == 1, let rule = rules.first else {
                throw CoalitionError("demand_rules.csv: \(rules.count) rows for \(id)")
            }
            let span = try years(rule)
            let rows = data.consumption.filter {
                $0["mineral"] == rule["data_mineral"] && $0["iso3"] == "USA" && $0["measure"] == rule["measure"]
                    && Int($0["year"]).map(span.contains) == true
            }
            guard !rows.isEmpty else {
                throw CoalitionError("\(rule.place): no row of consumption.csv matches the rule")
            }
            guard Set(rows.map { $0["year"] }).count == rows.count else {
                throw CoalitionError("\(rule.place): two rows of consumption.csv for one year")
            }
            var published: [Double] = []
            for row in rows where row.optionalNumber("quantity") != nil { published.append(try tonnes(row)) }
            if !published.isEmpty {
                result[id] = roundedTonnes(published.reduce(0, +) / Double(published.count))
            } else {
                guard let share = rule.optionalNumber("fallback_world_share") else {
                    throw CoalitionError("\(rule.place): every US figure is withheld and the rule has no fallback_world_share")
                }
                result[id] = roundedTonnes(share * part.worldOutput)
            }
        }
        return result
    }

    /// The civil curve of a mineral: its own shortfall penalty, which every
    /// coalition buyer without a curve of its own pays.
    func civilPenalty(referencePrice: Double) throws(CoalitionError) -> ShortfallPenalty {
        guard let civil = try curves()["civil"] else { throw CoalitionError("curves.csv: no civil curve") }
        return civil.penalty(referencePrice: referencePrice)
    }

    /// What the instance's facilities can supply of each mineral (t of
    /// product): the refineries' effective capacity, and for a mined
    /// mineral at most what its mines can feed them; facilities in a blocked
    /// exporter (assumptions.csv) are left out, since nothing they make can
    /// leave their country. World production also counts the "other
    /// countries" rows of the figures, which have no facility here.
    func modelledSupply(_ parts: [Part], mines: [Mine], refineries: [Refinery]) throws(CoalitionError) -> [String: Double] {
        let blocked = Set(try codes("blocked_exporters"))
        var result: [String: Double] = [:]
        for part in parts {
            let id = part.mineral.id
            let refined = refineries.filter { $0.mineral == id && !blocked.contains($0.country) }
                .reduce(0) { $0 + $1.effectiveCapacity }
            let mined = mines.filter { $0.mineral == id && !blocked.contains($0.country) }.reduce(0) { $0 + $1.effectiveCapacity }
            let feedNone = refineries.contains { $0.mineral == id && $0.feed == Feed.none }
            result[id] = feedNone || mines.allSatisfy({ $0.mineral != id }) ? refined : min(refined, mined)
        }
        return result
    }

    /// Every buyer of buyers.csv with its demand, curve and caps.
    func buyers(_ parts: [Part], _ specs: [Record], mines: [Mine], refineries: [Refinery]) throws(CoalitionError) -> [Buyer] {
        let curves = try curves()
        func curve(_ name: String) throws(CoalitionError) -> Curve {
            guard let c = curves[name] else { throw CoalitionError("curves.csv: no \(name) curve") }
            return c
        }
        let us = try usDemand(parts)
        var defenceShare: [String: Double] = [:]
        for row in data.defence { defenceShare[row["mineral"]] = try row.number("share_of_us") }
        var chinaShare: [String: Double] = [:]
        for row in data.chinaDemand { chinaShare[row["mineral"]] = try row.number("share_of_world") }

        // Exposure caps: coalition buyers' caps bend at a price per exposed
        // tonne (a multiple of the reference price); the defence buyer's are hard.
        var caps = ["*": try data.numericAssumption("exposure_cap_default")]
        for spec in specs where !spec["exposure_cap"].isEmpty {
            caps[spec["id"]] = try spec.number("exposure_cap")
        }
        let capPenaltyMultiple = try data.numericAssumption("exposure_cap_penalty_multiple")
        let reference = Dictionary(uniqueKeysWithValues: parts.map { ($0.mineral.id, $0.mineral.referencePrice ?? 0) })
        func softCaps() -> [String: ExposureCap] {
            var result: [String: ExposureCap] = [:]
            for part in parts {
                let id = part.mineral.id
                let share = caps[id] ?? caps["*"] ?? 1
                guard share < 1 else { continue }
                result[id] = ExposureCap(share: share, penalty: roundedMoney(capPenaltyMultiple * (reference[id] ?? 0)))
            }
            return result
        }
        func hardCaps() -> [String: ExposureCap] { caps.mapValues { ExposureCap(share: $0) } }

        let rows = data.buyers.sorted { $0["id"] < $1["id"] }
        var buyers: [Buyer] = []
        var coalitionTotal: [String: Double] = [:]
        var rowBuyer: Record?
        for row in rows {
            var buyer = Buyer(id: row["id"], country: row["iso3"])
            switch row["kind"] {
            case "coalition":
                let scale = try row.number("scale")
                for part in parts {
                    let id = part.mineral.id
                    // The defence buyer's tonnes are carved out of the US total.
                    let carved = row["iso3"] == "USA" ? 1 - (defenceShare[id] ?? 0) : 1
                    buyer.demand[id] = roundedTonnes(scale * carved * (us[id] ?? 0))
                }
                // Their curve is the minerals' own (the civil curve).
                buyer.exposureCap = softCaps()
            case "defence":
                for part in parts where (defenceShare[part.mineral.id] ?? 0) > 0 {
                    let id = part.mineral.id
                    buyer.demand[id] = roundedTonnes((defenceShare[id] ?? 0) * (us[id] ?? 0))
                    buyer.shortfallPenalty[id] = try curve("defence").penalty(referencePrice: reference[id] ?? 0)
                }
                buyer.exposureCap = hardCaps()
            case "china":
                for part in parts {
                    let id = part.mineral.id
                    buyer.demand[id] = roundedTonnes((chinaShare[id] ?? 0) * part.worldOutput)
                    buyer.shortfallPenalty[id] = try curve("china").penalty(referencePrice: reference[id] ?? 0)
                }
            case "row":
                rowBuyer = row
                continue
            default:
                throw CoalitionError("\(row.place): kind \"\(row["kind"])\" is not coalition, defence, china or row")
            }
            for (id, tonnes) in buyer.demand { coalitionTotal[id, default: 0] += tonnes }
            buyers.append(buyer)
        }
        // The rest of the world closes the balance: what the instance's
        // facilities can supply minus every other buyer's demand, never negative.
        if let row = rowBuyer {
            let supply = try modelledSupply(parts, mines: mines, refineries: refineries)
            var buyer = Buyer(id: row["id"], country: row["iso3"])
            for part in parts {
                let id = part.mineral.id
                buyer.demand[id] = roundedTonnes(max(0, (supply[id] ?? 0) - (coalitionTotal[id] ?? 0)))
                buyer.shortfallPenalty[id] = try curve("row").penalty(referencePrice: reference[id] ?? 0)
            }
            buyers.append(buyer)
        }
        return buyers.sorted { $0.id < $1.id }
    }

    // MARK: Supply additions

    /// Attaches the by-product hosts of byproducts.csv to their facilities.
    func attachByProducts(mines: inout [Mine], refineries: inout [Refinery]) throws(CoalitionError) {
        for row in data.byProducts {
            let value = ByProduct(
                host: row["host"], hostThroughput: roundedTonnes(try row.number("host_throughput_t")),
                ratio: try row.number("ratio_t_per_t"))
            let id = "\(row["stage"] == "mine" ? "mine" : "ref")-\(row["mineral"])-\(row["iso3"])"
            if row["stage"] == "mine", let m = mines.firstIndex(where: { $0.id == id }) {
                mines[m].byProduct = value
            } else if row["stage"] == "refinery", let r = refineries.firstIndex(where: { $0.id == id }) {
                refineries[r].byProduct = value
            } else {
                throw CoalitionError("\(row.place): no facility \(id) for the by-product host")
            }
        }
    }

    /// Freight by sea distance (freight.csv, one row per unordered pair)
    /// between the countries the instance uses.
    func transport(_ used: Set<String>) throws(CoalitionError) -> [TransportEntry] {
        var entries: [TransportEntry] = []
        for row in data.freight where used.contains(row["from"]) && used.contains(row["to"]) && row["from"] != row["to"] {
            entries.append(TransportEntry(from: row["from"], to: row["to"], cost: roundedMoney(try row.number("usd_per_t"))))
        }
        return entries.sorted { ($0.from, $0.to) < ($1.from, $1.to) }
    }
}
