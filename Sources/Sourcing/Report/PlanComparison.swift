import FoundationEssentials
public import StrictJSON

/// A baseline plan and a what-if plan side by side: cost deltas, shortfalls,
/// exposure, the flows that moved most, and the capacities whose next tonne
/// saves the most.
public struct PlanComparison: Sendable {
    public let baseline: Plan
    public let scenario: Plan
    public let scenarioName: String
    /// Every change applied, in order, with where it came from and a note
    /// when it cannot move the plan.
    public var changes: [ChangeNote] = []
    /// How many changed flows and binding capacities the text lists (JSON
    /// and CSV list every one); the text says how many it left out.
    public var limit = 15
    /// Where the comparison came from (nil: not stamped).
    public var stamp: Stamp?

    public init(baseline: Plan, scenario: Plan, scenarioName: String) {
        self.baseline = baseline
        self.scenario = scenario
        self.scenarioName = scenarioName
    }

    /// A product flow's change between the plans (t).
    public struct FlowChange: Sendable, Equatable {
        public var refinery: String
        public var buyer: String
        public var mineral: String
        public var before: Double
        public var after: Double
        public var delta: Double { after - before }
    }

    /// Product flows whose total changed, largest change first (ties by ids).
    public func flowChanges() -> [FlowChange] {
        var table: [String: FlowChange] = [:]
        func key(_ f: ProductFlow) -> String { f.refinery + "\u{0}" + f.buyer + "\u{0}" + f.mineral }
        for f in baseline.productFlows {
            table[key(f)] = FlowChange(
                refinery: f.refinery, buyer: f.buyer, mineral: f.mineral, before: clean(f.clean + f.exposed), after: 0)
        }
        for f in scenario.productFlows {
            table[key(f), default: FlowChange(refinery: f.refinery, buyer: f.buyer, mineral: f.mineral, before: 0, after: 0)]
                .after = clean(f.clean + f.exposed)
        }
        return table.values.filter { abs($0.delta) > 1e-9 }.sorted {
            abs($0.delta) != abs($1.delta)
                ? abs($0.delta) > abs($1.delta)
                : ($0.refinery, $0.buyer, $0.mineral) < ($1.refinery, $1.buyer, $1.mineral)
        }
    }

    /// A capacity binding in the scenario: the USD its next tonne saves in
    /// the baseline and in the scenario.
    public struct BindingCapacity: Sendable, Equatable {
        public var facility: String
        public var mineral: String
        /// USD the next tonne saves in the baseline (0 when it had slack).
        public var before: Double
        /// USD the next tonne saves in the scenario.
        public var after: Double
        /// How much the scenario raised the next tonne's value.
        public var rise: Double { after - before }
    }

    /// Capacities binding in the scenario, those the scenario made most
    /// valuable first (ties by value, then id). Ranking by the rise, not the
    /// value, keeps a what-if on one mineral about that mineral: a tonne of
    /// palladium saves a thousand times a tonne of antimony in every plan,
    /// and a capacity short before the change is not news of it.
    public func bindingCapacities() -> [BindingCapacity] {
        var before: [String: Double] = [:]
        for p in baseline.shadowPrices where p.kind == .capacity { before[p.id] = -p.value }
        return scenario.shadowPrices.filter { $0.kind == .capacity && $0.value < -1e-9 }
            .map { BindingCapacity(facility: $0.id, mineral: $0.mineral, before: clean(max(0, before[$0.id] ?? 0)), after: -$0.value) }
            .sorted {
                $0.rise != $1.rise
                    ? $0.rise > $1.rise
                    : $0.after != $1.after ? $0.after > $1.after : $0.facility < $1.facility
            }
    }

    private static let lines: [(String, @Sendable (CostBreakdown) -> Double)] = [
        ("mines", { $0.mines }), ("refineries", { $0.refineries }), ("transport", { $0.transport }),
        ("tariff", { $0.tariff }), ("contracts", { $0.contracts }), ("shortfall", { $0.shortfall }),
        ("capExcess", { $0.capExcess }), ("floorPremium", { $0.floorPremium }), ("floorLevy", { $0.floorLevy })
    ]

    /// The comparison's tables (CSV files of `whatif --format csv`).
    public func tables() -> [Table] {
        let f = formatNumber
        var cost: [[String]] = [
            [
                "total", f(baseline.objective), f(scenario.objective),
                f(delta(baseline.objective, scenario.objective))
            ]
        ]
        if let b = baseline.breakdown, let s = scenario.breakdown {
            cost += Self.lines.map { [$0.0, f($0.1(b)), f($0.1(s)), f(clean($0.1(s) - $0.1(b)))] }
        }
        var deliveries: [[String]] = []
        let before = Dictionary(baseline.deliveries.map { ($0.buyer + "\u{0}" + $0.mineral, $0) }, uniquingKeysWith: { a, _ in a })
        for d in scenario.deliveries {
            let b = before[d.buyer + "\u{0}" + d.mineral]
            deliveries.append([
                d.buyer, d.mineral, f(d.demand), f(b?.shortfall), f(d.shortfall),
                f(b?.exposedShare), f(d.exposedShare), f(d.cap)
            ])
        }
        return [
            Table(name: "cost", header: ["line", "baseline", "scenario", "delta"], rows: cost, units: [nil, .usd, .usd, .usd]),
            Table(
                name: "deliveries",
                header: [
                    "buyer", "mineral", "demand", "shortfall_before", "shortfall_after",
                    "exposed_before", "exposed_after", "cap"
                ], rows: deliveries, units: [nil, nil, .tonnes, .tonnes, .tonnes]),
            Table(
                name: "flow_changes", header: ["refinery", "buyer", "mineral", "before", "after", "delta"],
                rows: flowChanges().map { [$0.refinery, $0.buyer, $0.mineral, f($0.before), f($0.after), f(clean($0.delta))] },
                units: [nil, nil, nil, .tonnes, .tonnes, .tonnes]),
            Table(
                name: "binding_capacities", header: ["facility", "mineral", "saved_before", "saved_after", "rise"],
                rows: bindingCapacities().map { [$0.facility, $0.mineral, f($0.before), f($0.after), f(clean($0.rise))] },
                units: [nil, nil, .usdPerTonne, .usdPerTonne, .usdPerTonne]),
            Table(
                name: "changes", header: ["origin", "change", "no_effect"],
                rows: changes.map { [$0.origin, $0.change, $0.noEffect ?? ""] })
        ] + (stamp.map { [$0.table()] } ?? [])
    }

    private func delta(_ a: Double?, _ b: Double?) -> Double? {
        guard let a, let b else { return nil }
        return clean(b - a)
    }

    /// One mineral's tonnes short before and after, of its demand, split
    /// between coalition buyers and the others.
    struct MineralShortfall {
        var mineral: String
        var before = 0.0, after = 0.0, demand = 0.0, value = 0.0
        var coalitionBefore = 0.0, coalitionAfter = 0.0, coalitionDemand = 0.0
        /// What the mineral's buyers pay before and after: the landed cost of
        /// the tonnes delivered, the shortfall penalties and the soft-cap
        /// penalties (fixed contract costs aside). The mineral is a block of
        /// its own, so without contracts this is its part of the total cost.
        var costBefore = 0.0, costAfter = 0.0
        /// The countries of the buyers outside the coalition with a demand.
        var otherCountries: Set<String> = []
    }

    /// A delivery's part of its mineral's cost (``MineralShortfall/costBefore``).
    private static func cost(_ d: Delivery) -> Double {
        (d.landedCost ?? 0) * d.delivered + d.shortfallCost + (d.capPenalty ?? 0) * d.capExcess
    }

    /// Each mineral whose total shortfall the what-if changes: tonnes
    /// short before and after, of the tonnes demanded, the largest change in
    /// value first. A mineral's total is unique at the optimum: each mineral
    /// is a block of its own, and within it every tonne that costs less
    /// than its penalty is delivered.
    func shortfallByMineral() -> [MineralShortfall] {
        var totals: [String: MineralShortfall] = [:]
        let coalition = Set(scenario.coalitionCountries)
        for d in baseline.deliveries {
            let inCoalition = coalition.contains(d.buyerCountry)
            totals[d.mineral, default: MineralShortfall(mineral: d.mineral)].before += d.shortfall
            totals[d.mineral, default: MineralShortfall(mineral: d.mineral)].demand += d.demand
            totals[d.mineral, default: MineralShortfall(mineral: d.mineral)].value -= d.shortfallValue
            totals[d.mineral, default: MineralShortfall(mineral: d.mineral)].costBefore += Self.cost(d)
            if inCoalition {
                totals[d.mineral, default: MineralShortfall(mineral: d.mineral)].coalitionBefore += d.shortfall
                totals[d.mineral, default: MineralShortfall(mineral: d.mineral)].coalitionDemand += d.demand
            } else if d.demand > 0 {
                totals[d.mineral, default: MineralShortfall(mineral: d.mineral)].otherCountries.insert(d.buyerCountry)
            }
        }
        for d in scenario.deliveries {
            totals[d.mineral, default: MineralShortfall(mineral: d.mineral)].after += d.shortfall
            totals[d.mineral, default: MineralShortfall(mineral: d.mineral)].value += d.shortfallValue
            totals[d.mineral, default: MineralShortfall(mineral: d.mineral)].costAfter += Self.cost(d)
            if coalition.contains(d.buyerCountry) {
                totals[d.mineral, default: MineralShortfall(mineral: d.mineral)].coalitionAfter += d.shortfall
            }
        }
        return totals.values.filter { abs($0.after - $0.before) > flowTolerance && $0.demand > 0 }
            .sorted { abs($0.value) != abs($1.value) ? abs($0.value) > abs($1.value) : $0.mineral < $1.mineral }
    }

    /// The buyers outside the coalition, named by country when they are
    /// few: a ban never makes the banning country's own buyer short, and
    /// the reader must see that "other buyers" is that buyer.
    static func others(_ countries: Set<String>) -> String {
        countries.count <= 3
            ? "buyers outside the coalition (" + countries.sorted().joined(separator: ", ") + ")"
            : "buyers outside the coalition (\(countries.count) countries)"
    }

    /// Readable side-by-side report: the headline (cost, shortfall value,
    /// what goes short and for whom), the changes applied, then the tables
    /// with rounded numbers (JSON and CSV carry them exact).
    public func text() -> String {
        var out = headline()
        if !changes.isEmpty {
            out += "\nchanges applied, in order:\n"
            for (k, note) in changes.enumerated() {
                out += "  \(k + 1). \(note.origin): \(note.change)\n"
                if let why = note.noEffect { out += "     no effect: \(why)\n" }
            }
        }
        out += detailText()
        if let stamp { out += "\n" + stamp.textLine + "\n" }
        return out
    }

    /// The opening lines: the cost, the shortfall value, what goes short
    /// and for whom, and which of these figures are unique.
    public func headline() -> String {
        var out = "what-if: \(scenarioName)\n"
        out += "status: baseline \(baseline.status.rawValue), scenario \(scenario.status.rawValue)\n"
        if let d = delta(baseline.objective, scenario.objective), let b = baseline.objective, let s = scenario.objective, b != 0 {
            out +=
                "total cost: \(Readable.usd(b)) -> \(Readable.usd(s)) (\(Readable.usdChange(d)), "
                + "\(d >= 0 ? "+" : "")\(Readable.significant(100 * d / b, digits: 3))%)\n"
        }
        // Values, not tonnes: tonnes of different minerals are never added.
        out +=
            "shortfall value (at reference prices): \(Readable.usd(clean(baseline.totalShortfallValue))) -> "
            + "\(Readable.usd(clean(scenario.totalShortfallValue)))\n"
        // What goes short, per mineral (tonnes of one mineral only), and for whom.
        for m in shortfallByMineral() {
            func percent(_ x: Double, _ of: Double) -> String { of > 0 ? Readable.share(x / of) : "-" }
            out +=
                "short \(m.mineral): \(Readable.number(clean(m.before))) -> \(Readable.tonnes(clean(m.after))) of "
                + "\(Readable.tonnes(clean(m.demand))) demanded (\(percent(m.before, m.demand)) -> \(percent(m.after, m.demand)))\n"
            let others = m.demand - m.coalitionDemand
            if m.coalitionDemand > flowTolerance && others > flowTolerance {
                out +=
                    "  coalition buyers \(Readable.number(clean(m.coalitionBefore))) -> \(Readable.tonnes(clean(m.coalitionAfter))) "
                    + "of \(Readable.tonnes(clean(m.coalitionDemand))) (\(percent(m.coalitionBefore, m.coalitionDemand)) -> "
                    + "\(percent(m.coalitionAfter, m.coalitionDemand))); \(Self.others(m.otherCountries)) "
                    + "\(Readable.number(clean(m.before - m.coalitionBefore))) -> \(Readable.tonnes(clean(m.after - m.coalitionAfter))) "
                    + "of \(Readable.tonnes(clean(others))) (\(percent(m.before - m.coalitionBefore, others)) -> "
                    + "\(percent(m.after - m.coalitionAfter, others)))\n"
            }
            // The mineral's own cost: a total over every mineral hides a shortage of one.
            let change = clean(m.costAfter - m.costBefore)
            if m.costBefore > 0 {
                out +=
                    "  \(m.mineral) cost (delivered at landed cost, plus shortfall penalties): \(Readable.usd(clean(m.costBefore))) -> "
                    + "\(Readable.usd(clean(m.costAfter))) (\(Readable.usdChange(change)), "
                    + "\(change >= 0 ? "+" : "")\(Readable.significant(100 * change / m.costBefore, digits: 3))%)\n"
            }
        }
        out +=
            "unique: total cost, shortfall value, each mineral's tonnes short and, without contracts, its cost "
            + "(barring exact ties of cost and penalty); "
            + "the coalition/other split, per-buyer shortfalls, flows, exposure and capacity values are one optimal plan of possibly several\n"
        return out
    }

    /// The tables, rounded for people.
    private func detailText() -> String {
        var out = ""
        let readings: [String: [Table.Reading]] = [
            "cost": [.label, .number, .number, .number],
            "deliveries": [.label, .label, .number, .number, .number, .share, .share, .share],
            "flow_changes": [.label, .label, .label, .number, .number, .number],
            "binding_capacities": [.label, .label, .number, .number, .number]
        ]
        for table in tables() where table.name != "changes" && table.name != "stamp" {
            var t = table
            if t.name == "deliveries" {
                t.rows = t.rows.filter { $0[3] != $0[4] || $0[5] != $0[6] }
            }
            if t.rows.isEmpty { continue }
            let total = t.rows.count
            if ["flow_changes", "binding_capacities"].contains(t.name) && total > limit { t.rows = Array(t.rows.prefix(limit)) }
            let unit =
                switch t.name {
                case "deliveries": " (exposed shares and caps in %)"
                case "binding_capacities": " (USD saved per tonne of capacity)"
                default: ""
                }
            out += "\n[\(t.name)]\(unit)\n" + t.readableText(readings[t.name] ?? [])
            if t.rows.count < total {
                out +=
                    "(\(total - t.rows.count) more row\(total - t.rows.count == 1 ? "" : "s") left out of \(total); --all lists every one, as --format json and csv do)\n"
            }
            if t.name == "binding_capacities" {
                out += "(ranked by the rise the what-if brings; values are dual prices, unique only where the optimum is not degenerate)\n"
            }
        }
        return out
    }

    /// The comparison as JSON: both plans and the derived tables.
    public func jsonValue() -> JSONValue {
        // Ids stay strings (a buyer named "42" or "nan" too); only the
        // figure columns (those after the `labels` id columns) are numbers.
        func rows(_ table: Table, labels: Int) -> JSONValue {
            .array(
                table.rows.map { row in
                    .object(
                        row.enumerated().map { k, cell in
                            let value: JSONValue =
                                k < labels ? .string(cell) : cell.isEmpty ? .null : Double(cell).map { .number($0) } ?? .string(cell)
                            return (key: table.jsonKey(k), value: value)
                        })
                })
        }
        let t = tables()
        return .object([
            ("format", .string("sourcing-whatif/1")),
            ("scenario", .string(scenarioName)),
            (
                "changes",
                .array(
                    changes.map { note in
                        .object([
                            ("origin", .string(note.origin)),
                            ("change", (try? JSONParser.parse(Data(note.change.utf8))) ?? .string(note.change)),
                            ("noEffect", note.noEffect.map { .string($0) } ?? .null)
                        ])
                    })
            ),
            ("cost", rows(t[0], labels: 1)),
            ("deliveries", rows(t[1], labels: 2)),
            ("flowChanges", rows(t[2], labels: 3)),
            ("bindingCapacities", rows(t[3], labels: 2)),
            ("baseline", baseline.jsonValue()),
            ("whatIf", scenario.jsonValue()),
            ("stamp", stamp?.jsonValue() ?? .null)
        ])
    }
}
