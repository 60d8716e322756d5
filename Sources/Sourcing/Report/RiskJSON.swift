public import StrictJSON

extension SupplyRisk {
    /// The metrics as JSON (docs/REPORTS.md, "Risk metrics").
    public func jsonValue() -> JSONValue {
        func num(_ x: Double?) -> JSONValue { x.map { .number($0) } ?? .null }
        return .object([
            ("hhiRefining", num(hhiRefining)), ("hhiMining", num(hhiMining)),
            ("topRefiningCountry", topRefining.map { .string($0.country) } ?? .null),
            ("topRefiningShare", num(topRefining?.share)),
            ("topMiningCountry", topMining.map { .string($0.country) } ?? .null),
            ("topMiningShare", num(topMining?.share)),
            ("coalitionRefiningShare", num(coalitionRefiningShare)), ("coalitionMiningShare", num(coalitionMiningShare)),
            ("exposedShare", num(exposedShare)), ("singleSource", .bool(singleSource)), ("concentrated", .bool(concentrated))
        ])
    }

    /// CSV columns of the metrics, in the order of ``csvRow``.
    static let csvHeader = [
        "hhi_refining", "hhi_mining", "top_refining_country", "top_refining_share", "top_mining_country",
        "top_mining_share", "coalition_refining_share", "coalition_mining_share", "exposed_share", "single_source",
        "concentrated"
    ]

    /// The metrics as CSV cells.
    var csvRow: [String] {
        let f = formatNumber
        return [
            f(hhiRefining), f(hhiMining), topRefining?.country ?? "", f(topRefining?.share), topMining?.country ?? "",
            f(topMining?.share), f(coalitionRefiningShare), f(coalitionMiningShare), f(exposedShare),
            singleSource ? "1" : "0", concentrated ? "1" : "0"
        ]
    }
}

extension CountryShare {
    /// `{country, tonnes, share}`.
    public func jsonValue() -> JSONValue {
        .object([("country", .string(country)), ("tonnes", .number(tonnes)), ("share", .number(share))])
    }
}

extension MineralSummary {
    /// One entry of the plan's `minerals[]`.
    public func jsonValue() -> JSONValue {
        func num(_ x: Double?) -> JSONValue { x.map { .number($0) } ?? .null }
        return .object([
            ("mineral", .string(mineral)), ("buyers", .number(Double(buyers))), ("demand", .number(demand)),
            ("delivered", .number(delivered)), ("shortfall", .number(shortfall)), ("shortfallValue", .number(shortfallValue)),
            ("landedCost", num(landedCost)), ("marginalPriceLow", num(marginalPrice?.low)),
            ("marginalPriceHigh", num(marginalPrice?.high)), ("capLow", num(cap?.low)), ("capHigh", num(cap?.high)),
            ("cappedExposedShare", num(cappedExposedShare)), ("risk", risk.jsonValue()),
            ("refiningCountries", .array(risk.refining.map { $0.jsonValue() })),
            ("miningCountries", .array(risk.mining.map { $0.jsonValue() }))
        ])
    }
}

extension Plan {
    /// The risk tables of the CSV files: `minerals`, `mineral_countries`,
    /// `delivery_risk`, `delivery_mining_countries`.
    func riskTables() -> [Table] {
        let f = formatNumber
        let minerals = mineralSummaries()
        return [
            Table(
                name: "minerals",
                header: [
                    "mineral", "buyers", "demand", "delivered", "shortfall", "shortfall_value", "landed_cost",
                    "marginal_price_low", "marginal_price_high", "cap_low", "cap_high", "capped_exposed_share"
                ] + SupplyRisk.csvHeader,
                rows: minerals.map { m in
                    [
                        m.mineral, "\(m.buyers)", f(m.demand), f(m.delivered), f(m.shortfall), f(m.shortfallValue),
                        f(m.landedCost), f(m.marginalPrice?.low), f(m.marginalPrice?.high), f(m.cap?.low), f(m.cap?.high),
                        f(m.cappedExposedShare)
                    ] + m.risk.csvRow
                },
                units: [
                    nil, nil, .tonnes, .tonnes, .tonnes, .usd, .usdPerTonne, .usdPerTonne, .usdPerTonne, nil, nil, nil
                ]),
            Table(
                name: "mineral_countries", header: ["mineral", "stage", "country", "tonnes", "share"],
                rows: minerals.flatMap { m in
                    m.risk.refining.map { [m.mineral, "refining", $0.country, f($0.tonnes), f($0.share)] }
                        + m.risk.mining.map { [m.mineral, "mining", $0.country, f($0.tonnes), f($0.share)] }
                }),
            Table(
                name: "delivery_risk", header: ["buyer", "mineral", "buyer_country"] + SupplyRisk.csvHeader,
                rows: deliveries.map { d in [d.buyer, d.mineral, d.buyerCountry] + risk(of: d).csvRow }),
            Table(
                name: "delivery_mining_countries", header: ["buyer", "mineral", "country", "tonnes", "share"],
                rows: deliveries.flatMap { d in d.byMiningCountry.map { [d.buyer, d.mineral, $0.country, f($0.tonnes), f($0.share)] } })
        ]
    }
}
