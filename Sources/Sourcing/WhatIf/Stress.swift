import LinearModel
public import StrictJSON

/// What each stress case cuts.
public enum StressDimension: String, Sendable, CaseIterable {
    case country, facility, mineral
}

/// One row of the criticality table.
public struct StressRow: Sendable, Equatable {
    /// The country code, facility id or mineral id cut.
    public var name: String
    public var status: PlanStatus
    public var cost: Double?
    /// Cost minus the baseline's.
    public var costIncrease: Double?
    /// The shortfall with the cut, valued at the reference prices (USD):
    /// unique at the optimum, and comparable across minerals (tonnes of
    /// different minerals are never added); nil when the cut leaves no
    /// plan (an infeasible case ranks first).
    public var shortfallValue: Double?
    /// Rank by cost increase and by shortfall (1 = most critical; ties by name).
    public var costRank = 0
    public var shortfallRank = 0

    public init(name: String, status: PlanStatus, cost: Double?, costIncrease: Double?, shortfallValue: Double?) {
        self.name = name
        self.status = status
        self.cost = cost
        self.costIncrease = costIncrease
        self.shortfallValue = shortfallValue
    }
}

/// Cuts each country, facility or mineral in turn and ranks the damage.
public enum StressTest {
    /// The entities a stress test cuts in turn, sorted: country codes,
    /// facility ids or mineral ids.
    public static func names(_ instance: Instance, each dimension: StressDimension) -> [String] {
        switch dimension {
        case .country: Set(instance.mines.map(\.country) + instance.refineries.map(\.country)).sorted()
        case .facility: (instance.mines.map(\.id) + instance.refineries.map(\.id)).sorted()
        case .mineral: instance.minerals.map(\.id).sorted()
        }
    }

    /// `instance` with the capacity of every facility of `name` (a country,
    /// facility or mineral, as `dimension` says) multiplied by (1 - factor).
    public static func cut(_ instance: Instance, name: String, each dimension: StressDimension, factor: Double) -> Instance {
        let keep = max(0, 1 - factor)
        func matches(_ id: String, _ country: String, _ mineral: String) -> Bool {
            switch dimension {
            case .country: country == name
            case .facility: id == name
            case .mineral: mineral == name
            }
        }
        var copy = instance
        for k in copy.mines.indices where matches(copy.mines[k].id, copy.mines[k].country, copy.mines[k].mineral) {
            copy.mines[k].capacity *= keep
        }
        for k in copy.refineries.indices where matches(copy.refineries[k].id, copy.refineries[k].country, copy.refineries[k].mineral) {
            copy.refineries[k].capacity *= keep
        }
        return copy
    }

    /// Ranks rows: by cost increase (descending) and by shortfall value
    /// (descending), ties by name; returns them in cost-rank order.
    public static func rank(_ rows: [StressRow]) -> [StressRow] {
        var rows = rows
        let byCost = rows.indices.sorted {
            let a = rows[$0].costIncrease ?? .infinity, b = rows[$1].costIncrease ?? .infinity
            return a != b ? a > b : rows[$0].name < rows[$1].name
        }
        let byShortfall = rows.indices.sorted {
            let a = rows[$0].shortfallValue ?? .infinity, b = rows[$1].shortfallValue ?? .infinity
            return a != b ? a > b : rows[$0].name < rows[$1].name
        }
        for (r, k) in byCost.enumerated() { rows[k].costRank = r + 1 }
        for (r, k) in byShortfall.enumerated() { rows[k].shortfallRank = r + 1 }
        return byCost.map { rows[$0] }
    }

    /// The criticality table.
    public static func table(_ rows: [StressRow], dimension: StressDimension) -> Table {
        Table(
            name: "stress",
            header: [
                "cost_rank", "shortfall_rank", dimension.rawValue, "status", "cost", "cost_increase",
                "shortfall_value"
            ],
            rows: rows.map {
                [
                    "\($0.costRank)", "\($0.shortfallRank)", $0.name, $0.status.rawValue,
                    formatNumber($0.cost), formatNumber($0.costIncrease), formatNumber($0.shortfallValue)
                ]
            },
            units: [nil, nil, nil, nil, .usd, .usd, .usd])
    }
}

/// A stress test's result: the baseline cost and the ranked rows of the
/// cases that finished (all of them unless the test was stopped).
public struct StressReport: Sendable, Equatable {
    /// What each case cut.
    public var dimension: StressDimension
    /// The share of capacity each case removed.
    public var factor: Double
    /// The baseline's cost (nil without a plan).
    public var baselineCost: Double?
    /// The finished cases, in cost-rank order.
    public var rows: [StressRow]
    /// How many cases there were (finished or not).
    public var cases: Int
    /// Where the test came from (nil: not stamped).
    public var stamp: Stamp?

    public init(dimension: StressDimension, factor: Double, baselineCost: Double?, rows: [StressRow], cases: Int) {
        self.dimension = dimension
        self.factor = factor
        self.baselineCost = baselineCost
        self.rows = rows
        self.cases = cases
    }

    /// Whether every case finished.
    public var isComplete: Bool { rows.count == cases }

    /// The criticality table.
    public func table() -> Table { StressTest.table(rows, dimension: dimension) }

    /// The baseline's cost, the cut, and the table.
    public func text() -> String {
        var out = "baseline cost: \(Readable.usd(baselineCost)); each \(dimension.rawValue) cut by \(Readable.share(factor))\n"
        if let worst = rows.first, let increase = worst.costIncrease {
            out +=
                "most critical by cost: \(worst.name) (\(Readable.usdChange(increase)), shortfall value \(Readable.usd(worst.shortfallValue ?? 0)))\n"
        }
        if let worst = rows.min(by: { $0.shortfallRank < $1.shortfallRank }), let value = worst.shortfallValue, value > 0 {
            out += "most critical by shortfall value: \(worst.name) (\(Readable.usd(value)) at reference prices)\n"
        }
        out +=
            "ranked by cost increase (USD), then by the value of the shortfall each cut causes (USD at reference prices, "
            + "never tonnes): both unique at the optimum\n\n"
        return out + table().readableText([.label, .label, .label, .label, .number, .number, .number])
            + (stamp.map { "\n" + $0.textLine + "\n" } ?? "")
    }

    /// `sourcing-stress/1`: the cut, the baseline cost and the ranked rows.
    public func jsonValue() -> JSONValue {
        func number(_ x: Double?) -> JSONValue { x.map { JSONValue.number($0) } ?? .null }
        let entries = rows.map { r -> JSONValue in
            .object([
                ("name", .string(r.name)), ("costRank", .number(Double(r.costRank))),
                ("shortfallRank", .number(Double(r.shortfallRank))), ("status", .string(r.status.rawValue)),
                ("cost", number(r.cost)), ("costIncrease", number(r.costIncrease)), ("shortfallValue", number(r.shortfallValue))
            ])
        }
        return .object([
            ("format", .string("sourcing-stress/1")), ("each", .string(dimension.rawValue)), ("factor", .number(factor)),
            ("baselineCost", number(baselineCost)), ("cases", .number(Double(cases))), ("rows", .array(entries)),
            ("stamp", stamp?.jsonValue() ?? .null)
        ])
    }
}
