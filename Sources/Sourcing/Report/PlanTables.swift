import StrictJSON

/// The unit of a table column: the CSV header carries it as a suffix
/// (`demand_t`, `cost_usd`, `landed_cost_usd_per_t`), the text header as a
/// label (`demand t`, `landed_cost USD/t`); JSON keys carry none (units are
/// documented in docs/REPORTS.md).
public enum Unit: String, Sendable, Equatable {
    case tonnes = "t"
    case usd
    case usdPerTonne = "usd_per_t"
    /// USD per unit of a right-hand side (a tonne, or 1.0 of share).
    case usdPerUnit = "usd_per_unit"
    /// USD per percentage point of share.
    case usdPerPoint = "usd_per_point"

    /// The label in a text header.
    public var label: String {
        switch self {
        case .tonnes: "t"
        case .usd: "USD"
        case .usdPerTonne: "USD/t"
        case .usdPerUnit: "USD/unit"
        case .usdPerPoint: "USD/point"
        }
    }
}

/// A table of text cells, rendered as aligned columns or as CSV.
public struct Table: Sendable, Equatable {
    public var name: String
    /// Column names, snake_case, without units.
    public var header: [String]
    public var rows: [[String]]
    /// Each column's unit (nil or past the end: none).
    public var units: [Unit?]

    public init(name: String, header: [String], rows: [[String]], units: [Unit?] = []) {
        self.name = name
        self.header = header
        self.rows = rows
        self.units = units
    }

    /// The unit of column `k`, if any.
    public func unit(_ k: Int) -> Unit? { k < units.count ? units[k] : nil }

    /// The CSV header: each name with its unit as a suffix (`demand_t`).
    public var csvHeader: [String] { header.indices.map { k in header[k] + (unit(k).map { "_" + $0.rawValue } ?? "") } }

    /// The text header: each name with its unit as a label (`demand t`).
    public var textHeader: [String] { header.indices.map { k in header[k] + (unit(k).map { " " + $0.label } ?? "") } }

    /// The JSON key of column `k`: its name in camelCase (`shortfall_before`
    /// -> `shortfallBefore`).
    public func jsonKey(_ k: Int) -> String { Self.camelCase(header[k]) }

    /// `snake_case` as `camelCase`.
    public static func camelCase(_ name: String) -> String {
        var out = "", upper = false
        for c in name {
            if c == "_" {
                upper = true
            } else {
                out += upper ? c.uppercased() : String(c)
                upper = false
            }
        }
        return out
    }

    /// Columns padded to their widest cell; numbers right-aligned (or the
    /// columns `rightAligned` says).
    public func text(rightAligned: [Bool]? = nil) -> String {
        let header = textHeader
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
        let numeric =
            rightAligned
            ?? header.indices.map { k in
                !rows.isEmpty && rows.allSatisfy { k < $0.count && ($0[k].isEmpty || Double($0[k]) != nil || $0[k] == "-") }
            }
        var out = [line(header, numeric: numeric), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        out += rows.map { line($0, numeric: numeric) }
        return out.joined(separator: "\n") + "\n"
    }

    /// How a column reads in a text report.
    public enum Reading: Sendable {
        /// As it is, left-aligned.
        case label
        /// A number, rounded with separators (``Readable/number(_:)``).
        case number
        /// A share printed as a percentage (``Readable/share(_:)``).
        case share
    }

    /// The table as a person reads it: each column's numbers rounded as
    /// `readings` says (a column past the list stays as it is), then
    /// aligned, numbers to the right.
    public func readableText(_ readings: [Reading]) -> String {
        var copy = self
        copy.rows = rows.map { row in
            row.enumerated().map { k, cell in
                guard k < readings.count, let x = Double(cell) else { return cell }
                switch readings[k] {
                case .label: return cell
                case .number: return Readable.number(x)
                case .share: return Readable.share(x)
                }
            }
        }
        return copy.text(rightAligned: header.indices.map { k in k < readings.count && readings[k] != .label })
    }

    /// RFC 4180 CSV with a header row.
    public func csv() -> String {
        func quote(_ cell: String) -> String {
            cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + cell.replacing("\"", with: "\"\"") + "\"" : cell
        }
        return ([csvHeader] + rows).map { $0.map(quote).joined(separator: ",") }.joined(separator: "\n") + "\n"
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
            summary += [
                ["input_sha256", stamp.inputSHA256], ["glpk_version", stamp.glpkVersion], ["planner_version", stamp.plannerVersion]
            ]
            summary += stamp.options.map { ["option_" + $0.name, $0.value] }
        }
        // The unit of each summary row (USD for the cost figures).
        let usdKeys: Set<String> = [
            "objective", "mip_best_bound", "mip_relaxation_bound", "mines", "refineries", "transport", "tariff",
            "contracts", "shortfall", "cap_excess", "floor_premium", "floor_levy"
        ]
        summary = summary.map { $0 + [usdKeys.contains($0[0]) ? "usd" : ""] }
        tables.append(Table(name: "summary", header: ["key", "value", "unit"], rows: summary))
        tables.append(
            Table(
                name: "ore_flows", header: ["mine", "refinery", "mineral", "clean", "exposed"],
                rows: oreFlows.map { [$0.mine, $0.refinery, $0.mineral, f($0.clean), f($0.exposed)] },
                units: [nil, nil, nil, .tonnes, .tonnes]))
        tables.append(
            Table(
                name: "product_flows", header: ["refinery", "buyer", "mineral", "clean", "exposed"],
                rows: productFlows.map { [$0.refinery, $0.buyer, $0.mineral, f($0.clean), f($0.exposed)] },
                units: [nil, nil, nil, .tonnes, .tonnes]))
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
                },
                units: [
                    nil, nil, .tonnes, .tonnes, .tonnes, .usd, .usd, nil, nil, .usdPerTonne, .tonnes, .usdPerTonne, .usdPerTonne
                ]))
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
                },
                units: [nil, nil, nil, nil, .tonnes, .tonnes, .tonnes, .tonnes, nil, nil]))
        tables.append(
            Table(
                name: "shadow_prices", header: ["kind", "id", "mineral", "value"],
                rows: shadowPrices.map { [$0.kind.rawValue, $0.id, $0.mineral, f($0.value)] },
                units: [nil, nil, nil, .usdPerUnit]))
        if objective != nil { tables += riskTables() }
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
                        + [["TOTAL", "", "", "", e.totalCapExcess.map(f) ?? "no plan"]],
                    units: [nil, nil, nil, nil, .tonnes]))
        }
        return tables
    }
}
