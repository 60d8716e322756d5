import StrictJSON

/// A table of text cells, rendered as aligned columns or as CSV.
public struct Table: Sendable, Equatable {
    public var name: String
    public var header: [String]
    public var rows: [[String]]

    public init(name: String, header: [String], rows: [[String]]) {
        self.name = name
        self.header = header
        self.rows = rows
    }

    /// Columns padded to their widest cell; numbers right-aligned.
    public func text() -> String {
        var widths = header.map(\.count)
        for row in rows { for (k, cell) in row.enumerated() where k < widths.count { widths[k] = max(widths[k], cell.count) } }
        func line(_ cells: [String], numeric: [Bool]) -> String {
            var text = cells.enumerated().map { k, cell in
                let pad = String(repeating: " ", count: max(0, widths[k] - cell.count))
                return numeric[k] ? pad + cell : cell + pad
            }.joined(separator: "  ")
            // Trailing blanks trimmed by hand: a Regex here cost 60 ms per
            // 10,000 rows, more than the whole solve of such a plan.
            while let last = text.last, last.isWhitespace { text.removeLast() }
            return text
        }
        let numeric = header.indices.map { k in
            !rows.isEmpty && rows.allSatisfy { k < $0.count && ($0[k].isEmpty || Double($0[k]) != nil || $0[k] == "-") }
        }
        var out = [line(header, numeric: numeric), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        out += rows.map { line($0, numeric: numeric) }
        return out.joined(separator: "\n") + "\n"
    }

    /// RFC 4180 CSV with a header row.
    public func csv() -> String {
        func quote(_ cell: String) -> String {
            cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + cell.replacing("\"", with: "\"\"") + "\"" : cell
        }
        return ([header] + rows).map { $0.map(quote).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }
}

/// Numbers in reports: the shortest text that reads back exactly.
public func formatNumber(_ value: Double?) -> String {
    guard let value else { return "" }
    return JSONWriter.format(value)
}

extension Plan {
    /// The plan's tables, in a fixed order (the CSV files of `--format csv`).
    public func tables() -> [Table] {
        let f = formatNumber
        var tables: [Table] = []
        var summary: [[String]] = [
            ["status", status.rawValue], ["objective", f(objective)], ["kind", kind],
            ["detail", detail], ["instance_format", instanceVersion.formatName]
        ]
        if kind == "mip" {
            summary += [
                ["mip_best_bound", f(bestBound)], ["mip_gap", f(mipGap)],
                ["mip_relaxation_bound", f(relaxationBound)], ["mip_relaxation_gap", f(relaxationGap)],
                ["mip_start", mipStart?.rawValue ?? ""]
            ]
        }
        if let b = breakdown {
            summary += [
                ["mines", f(b.mines)], ["refineries", f(b.refineries)], ["transport", f(b.transport)],
                ["tariff", f(b.tariff)], ["contracts", f(b.contracts)], ["shortfall", f(b.shortfall)],
                ["cap_excess", f(b.capExcess)], ["floor_premium", f(b.floorPremium)], ["floor_levy", f(b.floorLevy)]
            ]
        }
        if let stamp {
            summary += [["input_sha256", stamp.inputSHA256], ["glpk_version", stamp.glpkVersion]]
            summary += stamp.options.map { ["option_" + $0.name, $0.value] }
        }
        tables.append(Table(name: "summary", header: ["key", "value"], rows: summary))
        tables.append(
            Table(
                name: "ore_flows", header: ["mine", "refinery", "mineral", "clean", "exposed"],
                rows: oreFlows.map { [$0.mine, $0.refinery, $0.mineral, f($0.clean), f($0.exposed)] }))
        tables.append(
            Table(
                name: "product_flows", header: ["refinery", "buyer", "mineral", "clean", "exposed"],
                rows: productFlows.map { [$0.refinery, $0.buyer, $0.mineral, f($0.clean), f($0.exposed)] }))
        tables.append(
            Table(
                name: "deliveries",
                header: [
                    "buyer", "mineral", "demand", "delivered", "shortfall", "shortfall_cost", "shortfall_value",
                    "exposed_share", "cap", "cap_penalty", "cap_excess", "landed_cost", "marginal_price"
                ],
                rows: deliveries.map {
                    [
                        $0.buyer, $0.mineral, f($0.demand), f($0.delivered), f($0.shortfall),
                        f($0.shortfallCost), f($0.shortfallValue), f($0.exposedShare), f($0.cap),
                        f($0.capPenalty), f($0.capExcess), f($0.landedCost), f($0.marginalPrice)
                    ]
                }))
        tables.append(
            Table(
                name: "delivery_countries", header: ["buyer", "mineral", "country", "tonnes", "share"],
                rows: deliveries.flatMap { d in d.byCountry.map { [d.buyer, d.mineral, $0.country, f($0.tonnes), f($0.share)] } }))
        tables.append(
            Table(
                name: "facilities",
                header: [
                    "id", "stage", "mineral", "country", "output", "capacity", "host_limit", "effective_capacity",
                    "utilisation", "contracted"
                ],
                rows: facilities.map {
                    [
                        $0.id, $0.stage.rawValue, $0.mineral, $0.country, f($0.output),
                        f($0.capacity), f($0.hostLimit), f($0.effectiveCapacity), f($0.utilisation),
                        $0.contracted.map { $0 ? "1" : "0" } ?? ""
                    ]
                }))
        tables.append(
            Table(
                name: "shadow_prices", header: ["kind", "id", "mineral", "value"],
                rows: shadowPrices.map { [$0.kind.rawValue, $0.id, $0.mineral, f($0.value)] }))
        if let e = explanation {
            tables.append(
                Table(
                    name: "explanation_shortfall", header: ["buyer", "mineral", "tonnes"],
                    rows: e.shortfalls.map { [$0.buyer, $0.mineral, f($0.tonnes)] }
                        + [["TOTAL", "", f(e.totalShortfall)]]))
            tables.append(
                Table(
                    name: "explanation_caps", header: ["buyer", "mineral", "cap", "needed", "excess"],
                    rows: e.capNeeds.map { [$0.buyer, $0.mineral, f($0.cap), f($0.needed), f($0.excess)] }
                        + [["TOTAL", "", "", "", e.totalCapExcess.map(f) ?? "no plan"]]))
        }
        return tables
    }

    /// The readable terminal report.
    public func text() -> String {
        var out = "status: \(status.rawValue)"
        if let objective { out += "\nobjective: \(formatNumber(objective)) USD" }
        if kind == "mip", objective != nil {
            let bound = bestBound.map { formatNumber($0) + " USD" } ?? "unknown"
            let gap = mipGap.map { cFormat("%.3g", 100 * $0) + "%" } ?? "unknown"
            out +=
                status == .optimal
                ? "\nMIP: proven optimal (gap \(gap) to the best bound \(bound))"
                : "\nMIP: stopped with a gap of \(gap) to the best bound \(bound): the optimum lies between the two"
            if let relaxationBound { out += "; LP relaxation \(formatNumber(relaxationBound)) USD" }
        }
        if let b = breakdown {
            out +=
                "\n  mines \(formatNumber(b.mines)), refineries \(formatNumber(b.refineries)), "
                + "transport \(formatNumber(b.transport)), tariff \(formatNumber(b.tariff)), "
                + "contracts \(formatNumber(b.contracts)), shortfall \(formatNumber(b.shortfall)), "
                + "cap excess \(formatNumber(b.capExcess))"
            if instanceVersion == .v1 {
                out += "\n  floor premium (inside mines and refineries): \(formatNumber(b.floorPremium))"
            } else {
                out += "\n  floor levy (inside tariff): \(formatNumber(b.floorLevy))"
            }
        }
        if objective != nil {
            out +=
                "\nunique: the objective and its total; flows, splits, landed costs and marginal prices are one optimal plan of possibly several"
        }
        out += "\nmodel: \(kind), \(variables) variables, \(constraints) constraints, \(nonzeros) non-zeros\n"
        if let e = explanation {
            out += "\nThe instance is infeasible.\n"
            out += "Step 1, least total shortfall: " + (e.totalShortfall.map { formatNumber($0) + " t" } ?? "no plan") + "\n"
            out +=
                "Step 2, least excess over the exposure caps with every demand met: "
                + (e.totalCapExcess.map { formatNumber($0) + " t" } ?? "no plan: the caps alone cannot restore feasibility") + "\n"
        }
        for table in tables() where table.name != "summary" && !table.rows.isEmpty {
            out += "\n[\(table.name)]\n" + table.text()
        }
        return out
    }
}
