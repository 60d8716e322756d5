extension Plan {
    /// The readable terminal report: the summary only.
    public func text() -> String { text(TextOptions()) }

    /// The readable terminal report: a summary a person reads first (the
    /// cost and its lines, then per mineral what is delivered, what goes
    /// short and its value, the landed cost and marginal price, exposure
    /// against the caps, where the supply comes from and how concentrated
    /// it is), then, with `detail`, every table of the CSV files.
    public func text(_ options: TextOptions) -> String {
        var out = headline()
        let minerals = mineralSummaries()
        if objective != nil && !minerals.isEmpty {
            out += "\n" + supplyTable(minerals).text(rightAligned: [false] + Array(repeating: true, count: 9))
            out += "\n" + riskTable(minerals).text(rightAligned: [false, true, true, true, false, false, false])
            out +=
                "\nflags: single-source = one refining country delivers it all; concentrated = a Herfindahl-Hirschman "
                + "index (HHI, the sum of squared country shares in %, 0-10,000) of \(Readable.grouped(SupplyRisk.concentrationThreshold)) "
                + "or more by refining or by mining country (mine origin traced through the ore flows)\n"
            if options.byBuyer {
                out += "\n" + buyerTable().text(rightAligned: [false, false] + Array(repeating: true, count: 7) + [false, false])
            }
            out +=
                "\nunique at the optimum: the total cost (and the sum of its lines), each mineral's demand, delivered and short "
                + "tonnes and their value. One optimal plan of possibly several: each cost line alone, landed costs, marginal "
                + "prices, exposed shares, every country split and index.\n"
        }
        out +=
            "model: \(kind), \(Readable.grouped(Double(variables))) variables, \(Readable.grouped(Double(constraints))) "
            + "constraints, \(Readable.grouped(Double(nonzeros))) non-zeros\n"
        if let e = explanation {
            out += "\nThe instance is infeasible.\n"
            out += "Step 1, least total shortfall: " + (e.totalShortfall.map { formatNumber($0) + " t" } ?? "no plan") + "\n"
            out +=
                "Step 2, least excess over the exposure caps with every demand met: "
                + (e.totalCapExcess.map { formatNumber($0) + " t" } ?? "no plan: the caps alone cannot restore feasibility") + "\n"
        }
        if let stamp { out += stamp.textLine + "\n" }
        if options.detail {
            out += "\nEvery table (the CSV files of --format csv; figures exact, in t, USD and USD/t):\n"
            for table in tables() where table.name != "summary" && !table.rows.isEmpty {
                out += "\n[\(table.name)]\n" + table.text()
            }
        } else if !oreFlows.isEmpty || !productFlows.isEmpty || !deliveries.isEmpty || !facilities.isEmpty {
            out +=
                "\nThe full tables (flows, deliveries by buyer, facilities, shadow prices) follow with --detail; "
                + "--by-buyer adds a row per buyer and mineral; --format json and csv carry every figure.\n"
        }
        return out
    }

    /// The status, what it means, the total cost and its lines.
    func headline() -> String {
        var out = "status: \(status.rawValue)"
        switch status {
        case .optimal: out += " (the cheapest plan that meets every rule)"
        case .feasible: out += " (stopped by a limit with a plan that may not be the cheapest)"
        case .infeasible: out += " (no plan meets every rule)"
        case .limit: out += " (stopped by a limit before any plan was found)"
        case .error: out += " (the solver failed: \(detail))"
        }
        out += "\ninstance: \(instanceName ?? "unnamed") (\(kind.uppercased()), \(instanceVersion.formatName))\n"
        guard let objective else { return out }
        out += "total cost: \(Readable.usd(objective))"
        if let b = breakdown, objective > 0 {
            let penalty = b.shortfall + b.capExcess
            if penalty > 0 {
                out += ", of which \(Readable.share(penalty / objective)) is penalty for shortfall and cap excess, not purchases"
            }
        }
        out += "\n"
        if kind == "mip" {
            let bound = bestBound.map(Readable.usd) ?? "unknown"
            let gap = mipGap.map { Readable.share($0) } ?? "unknown"
            out +=
                status == .optimal
                ? "MIP: proven optimal (gap \(gap) to the best bound \(bound))"
                : "MIP: stopped with a gap of \(gap) to the best bound \(bound): the optimum lies between the two"
            if let relaxationBound { out += "; LP relaxation \(Readable.usd(relaxationBound))" }
            out += "\n"
        }
        if let b = breakdown {
            out +=
                "  mines \(Readable.usd(b.mines)), refineries \(Readable.usd(b.refineries)), transport \(Readable.usd(b.transport)), "
                + "tariff \(Readable.usd(b.tariff)),\n  contracts \(Readable.usd(b.contracts)), shortfall \(Readable.usd(b.shortfall)), "
                + "cap excess \(Readable.usd(b.capExcess))\n"
            if instanceVersion == .v1 {
                out += "  floor premium (inside mines and refineries): \(Readable.usd(b.floorPremium))\n"
            } else {
                out += "  floor levy (inside tariff): \(Readable.usd(b.floorLevy))\n"
            }
            let demandValue = deliveries.reduce(0) { $0 + $1.demand * (referencePrices[$1.mineral] ?? 0) }
            let shortValue = deliveries.reduce(0) { $0 + $1.shortfallValue }
            let shortMinerals = Set(deliveries.filter { $0.shortfall > flowTolerance }.map(\.mineral)).count
            let allMinerals = Set(deliveries.map(\.mineral)).count
            if shortMinerals == 0 {
                out += "every demand is met in full\n"
            } else {
                out +=
                    "\(shortMinerals) of \(allMinerals) minerals go short: shortfall value \(Readable.usd(clean(shortValue))) at reference prices"
                if demandValue > 0 { out += ", \(Readable.share(shortValue / demandValue)) of the demand's value" }
                out += "\n"
            }
        }
        return out
    }

    private static func range(_ r: (low: Double, high: Double)?, _ format: (Double) -> String) -> String {
        guard let r else { return "-" }
        return r.low == r.high ? format(r.low) : format(r.low) + ".." + format(r.high)
    }

    private static func countries(_ shares: [CountryShare], top: Int = 3) -> String {
        guard !shares.isEmpty else { return "-" }
        var parts = shares.prefix(top).map { "\($0.country) \(Readable.share($0.share))" }
        if shares.count > top { parts.append("+\(shares.count - top)") }
        return parts.joined(separator: ", ")
    }

    /// Per mineral: tonnes, shortfall and its value, landed cost, marginal price.
    func supplyTable(_ minerals: [MineralSummary]) -> Table {
        Table(
            name: "supply by mineral",
            header: [
                "mineral", "demand t", "delivered t", "short t", "short", "short value USD", "landed USD/t",
                "marginal USD/t", "exposed", "capped: exposed / cap"
            ],
            rows: minerals.map { m in
                [
                    m.mineral, Readable.number(m.demand), Readable.number(m.delivered), Readable.number(m.shortfall),
                    m.demand > 0 ? Readable.share(m.shortfall / m.demand) : "-", Readable.number(m.shortfallValue),
                    m.landedCost.map(Readable.number) ?? "-", Self.range(m.marginalPrice, Readable.number),
                    Readable.share(m.risk.exposedShare),
                    m.cap == nil ? "no cap" : Readable.share(m.cappedExposedShare) + " / " + Self.range(m.cap) { Readable.share($0) }
                ]
            })
    }

    /// Per mineral: where the supply comes from and how concentrated it is.
    func riskTable(_ minerals: [MineralSummary]) -> Table {
        Table(
            name: "supply risk by mineral",
            header: [
                "mineral", "coalition refined", "HHI refining", "HHI mining", "top refining countries",
                "top mining countries", "flags"
            ],
            rows: minerals.map { m in
                [
                    m.mineral, Readable.share(m.risk.coalitionRefiningShare),
                    m.risk.hhiRefining.map { Readable.grouped($0.rounded()) } ?? "-",
                    m.risk.hhiMining.map { Readable.grouped($0.rounded()) } ?? "-",
                    Self.countries(m.risk.refining), Self.countries(m.risk.mining), m.risk.flags.joined(separator: ", ")
                ]
            })
    }

    /// Per buyer and mineral.
    private func buyerTable() -> Table {
        Table(
            name: "by buyer",
            header: [
                "buyer", "mineral", "demand t", "delivered t", "short t", "landed USD/t", "marginal USD/t", "exposed",
                "cap", "top refining countries", "flags"
            ],
            rows: deliveries.map { d in
                let risk = risk(of: d)
                return [
                    d.buyer, d.mineral, Readable.number(d.demand), Readable.number(d.delivered), Readable.number(d.shortfall),
                    d.landedCost.map(Readable.number) ?? "-", d.marginalPrice.map(Readable.number) ?? "-",
                    Readable.share(d.exposedShare), Readable.share(d.cap), Self.countries(risk.refining),
                    risk.flags.joined(separator: ", ")
                ]
            })
    }
}
