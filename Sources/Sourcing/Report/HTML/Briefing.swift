public import StrictJSON

/// The HTML briefing of `planner report`: one self-contained page (inline
/// CSS and SVG, no script, no font or file fetched) that a defence analyst
/// can attach to a briefing and print to PDF.
///
/// It holds the plan's summary, a Sankey diagram per mineral (mining
/// country -> refining country -> buyer), bars of purchase cost and
/// shortfall value per mineral, each what-if side by side with the
/// baseline, the stress ranking, the frontiers, and the stamp.
public struct Briefing: Sendable {
    public let plan: Plan
    public var comparisons: [PlanComparison]
    public var stress: StressReport?
    public var frontiers: [Frontier]
    /// The planner's version, for the stamp.
    public var plannerVersion: String

    public init(
        plan: Plan, comparisons: [PlanComparison] = [], stress: StressReport? = nil, frontiers: [Frontier] = [],
        plannerVersion: String
    ) {
        self.plan = plan
        self.comparisons = comparisons
        self.stress = stress
        self.frontiers = frontiers
        self.plannerVersion = plannerVersion
        self.minerals = plan.mineralSummaries()
    }

    /// Each mineral's summary, sorted by id (computed once per page).
    private let minerals: [MineralSummary]

    /// The page.
    public func page() -> String {
        let title = "Sourcing briefing: " + (plan.instanceName ?? "unnamed instance")
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="planner \(SVG.escape(plannerVersion))">
            <title>\(SVG.escape(title))</title>
            <style>\(Self.css)</style>
            </head>
            <body>
            <header>
            <h1>\(SVG.escape(title))</h1>

            """
        out += "<pre class=\"headline\">\(SVG.escape(plan.headline()))</pre>\n"
        out += contents()
        out += "</header>\n<main>\n"
        out += summarySection()
        out += costSection()
        out += flowSection()
        for (k, comparison) in comparisons.enumerated() { out += scenarioSection(comparison, index: k + 1) }
        if let stress { out += stressSection(stress) }
        for (k, frontier) in frontiers.enumerated() { out += frontierSection(frontier, index: k + 1) }
        out += stampSection()
        out += "</main>\n</body>\n</html>\n"
        return out
    }

    private func contents() -> String {
        var items = [("summary", "Summary by mineral"), ("cost", "Cost and shortfall by mineral"), ("flows", "Supply flows")]
        for (k, c) in comparisons.enumerated() { items.append(("scenario-\(k + 1)", "What-if: " + c.scenarioName)) }
        if stress != nil { items.append(("stress", "Stress ranking")) }
        for (k, f) in frontiers.enumerated() { items.append(("frontier-\(k + 1)", "Frontier: " + f.mineral)) }
        items.append(("stamp", "Stamp"))
        return "<nav><ol>" + items.map { "<li><a href=\"#\($0.0)\">\(SVG.escape($0.1))</a></li>" }.joined() + "</ol></nav>\n"
    }

    /// A table as HTML, the columns `numeric` says right-aligned.
    static func html(_ table: Table, numeric: [Bool], caption: String? = nil) -> String {
        var out = "<table>"
        if let caption { out += "<caption>\(SVG.escape(caption))</caption>" }
        out +=
            "<thead><tr>"
            + table.header.enumerated().map { k, h in
                "<th\(k < numeric.count && numeric[k] ? " class=\"n\"" : "")>\(SVG.escape(h))</th>"
            }.joined() + "</tr></thead><tbody>\n"
        for row in table.rows {
            out +=
                "<tr>"
                + row.enumerated().map { k, cell in
                    "<td\(k < numeric.count && numeric[k] ? " class=\"n\"" : "")>\(SVG.escape(cell))</td>"
                }.joined() + "</tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    private func summarySection() -> String {
        guard plan.objective != nil, !minerals.isEmpty else {
            return "<section id=\"summary\"><h2>Summary by mineral</h2><p>No plan: \(SVG.escape(plan.detail))</p></section>\n"
        }
        var out = "<section id=\"summary\"><h2>Summary by mineral</h2>\n"
        out += Self.html(plan.supplyTable(minerals), numeric: [false] + Array(repeating: true, count: 9))
        out += Self.html(plan.riskTable(minerals), numeric: [false, true, true, true, false, false, false])
        out +=
            "<p class=\"note\">Flags: <b>single-source</b>, one refining country delivers it all; <b>concentrated</b>, a "
            + "Herfindahl-Hirschman index (the sum of squared country shares in %, 0-10,000) of "
            + "\(Readable.grouped(SupplyRisk.concentrationThreshold)) or more by refining or by mining country (mine origin "
            + "traced through the ore flows). Unique at the optimum: the total cost and each mineral's demand, delivered and "
            + "short tonnes and their value; landed costs, marginal prices, exposed shares and every country split are one "
            + "optimal plan of possibly several.</p>\n"
        return out + "</section>\n"
    }

    private func costSection() -> String {
        guard plan.objective != nil, !minerals.isEmpty else { return "" }
        let rows = minerals.map { m in
            (label: m.mineral, values: [clean((m.landedCost ?? 0) * m.delivered), m.shortfallValue])
        }
        let chart = Charts.bars(
            title: "Purchase cost and shortfall value by mineral (USD)", rows: rows,
            series: [
                Charts.Series("purchase cost (landed cost x delivered t)", colour: "#2c7fb8"),
                Charts.Series("shortfall value (short t x reference price)", colour: "#d95f02")
            ], axis: "USD", format: SVG.compactUSD)
        return "<section id=\"cost\"><h2>Cost and shortfall by mineral</h2>\n<figure>\(chart)</figure>\n"
            + "<p class=\"note\">Purchase cost is what the plan pays along the chain for the tonnes delivered (mines, "
            + "refineries, transport, tariff and floor levy; contracts' fixed costs and penalties not included). Shortfall "
            + "value is the tonnes short at the mineral's reference price: it adds across minerals, tonnes do not.</p>\n"
            + "</section>\n"
    }

    private func flowSection() -> String {
        var out = "<section id=\"flows\"><h2>Supply flows</h2>\n"
        out +=
            "<p class=\"note\">Tonnes delivered, from the country where the ore was mined (traced through each refinery's "
            + "ore mix), through the country where it was refined, to the buyer. <span class=\"key chn\">China</span> "
            + "<span class=\"key coalition\">coalition</span> <span class=\"key other\">other</span>. One optimal plan of "
            + "possibly several.</p>\n"
        var markup = Markup(capacity: 1 << 16)
        markup.add(out)
        let sankeys = Sankey.all(plan)
        for m in minerals where m.delivered > 0 {
            guard let sankey = sankeys[m.mineral] else { continue }
            markup.add(
                "<figure class=\"flow\" id=\"flow-", SVG.escape(m.mineral), "\"><figcaption>", SVG.escape(m.mineral), ": ",
                Readable.tonnes(m.delivered), " delivered</figcaption>\n")
            sankey.svg(into: &markup)
            markup.add("</figure>\n")
        }
        markup.add("</section>\n")
        return markup.text
    }

    private func scenarioSection(_ c: PlanComparison, index: Int) -> String {
        var out = "<section id=\"scenario-\(index)\" class=\"scenario\"><h2>What-if: \(SVG.escape(c.scenarioName))</h2>\n"
        out += "<pre class=\"headline\">\(SVG.escape(c.headline()))</pre>\n"
        let tables = c.tables()
        if let cost = tables.first(where: { $0.name == "cost" }) {
            var t = cost
            t.header = ["line", "baseline USD", "scenario USD", "change USD"]
            t.rows = t.rows.map { [$0[0]] + $0.dropFirst().map { Double($0).map(Readable.number) ?? $0 } }
            out += Self.html(t, numeric: [false, true, true, true], caption: "Cost, baseline against the what-if")
        }
        // Per mineral, side by side.
        let before = Dictionary(c.baseline.mineralSummaries().map { ($0.mineral, $0) }, uniquingKeysWith: { a, _ in a })
        var rows: [[String]] = []
        for m in c.scenario.mineralSummaries() {
            let b = before[m.mineral]
            let changed =
                b.map {
                    abs($0.shortfall - m.shortfall) > flowTolerance || $0.risk.exposedShare != m.risk.exposedShare
                        || $0.risk.topRefining?.country != m.risk.topRefining?.country
                } ?? true
            guard changed else { continue }
            rows.append([
                m.mineral, Readable.number(b?.shortfall ?? 0), Readable.number(m.shortfall),
                Readable.number(clean(m.shortfallValue - (b?.shortfallValue ?? 0))), Readable.share(b?.risk.exposedShare),
                Readable.share(m.risk.exposedShare), (b?.risk.hhiRefining).map { Readable.grouped($0.rounded()) } ?? "-",
                m.risk.hhiRefining.map { Readable.grouped($0.rounded()) } ?? "-"
            ])
        }
        if !rows.isEmpty {
            out += Self.html(
                Table(
                    name: "minerals",
                    header: [
                        "mineral", "short t before", "short t after", "shortfall value change USD", "exposed before",
                        "exposed after", "HHI refining before", "HHI refining after"
                    ], rows: rows),
                numeric: [false] + Array(repeating: true, count: 7), caption: "Minerals the what-if moves")
        }
        if let binding = tables.first(where: { $0.name == "binding_capacities" }), !binding.rows.isEmpty {
            var t = binding
            t.header = ["facility", "mineral", "USD saved per t before", "USD saved per t after", "rise"]
            t.rows = t.rows.prefix(10).map { [$0[0], $0[1]] + $0.dropFirst(2).map { Double($0).map(Readable.number) ?? $0 } }
            out += Self.html(
                t, numeric: [false, false, true, true, true],
                caption: "Capacity that would help most: the next tonne's saving (dual prices, top 10 by rise)")
        }
        return out + "</section>\n"
    }

    private func stressSection(_ s: StressReport) -> String {
        var out = "<section id=\"stress\"><h2>Stress ranking: each \(s.dimension.rawValue) cut by \(Readable.share(s.factor))</h2>\n"
        let top = Array(s.rows.prefix(20))
        let chartRows = top.map { r in
            (label: r.name + (r.status == .optimal ? "" : " (\(r.status.rawValue))"), values: [r.costIncrease ?? 0, r.shortfallValue ?? 0])
        }
        out +=
            "<figure>"
            + Charts.bars(
                title: "Cost increase and shortfall value of each cut (top \(top.count) of \(s.rows.count), USD)", rows: chartRows,
                series: [
                    Charts.Series("cost increase", colour: "#7570b3"),
                    Charts.Series("shortfall value (reference prices)", colour: "#d95f02")
                ], axis: "USD", format: SVG.compactUSD) + "</figure>\n"
        var table = s.table()
        table.rows = table.rows.map { row in row.enumerated().map { k, cell in k >= 4 ? (Double(cell).map(Readable.number) ?? cell) : cell }
        }
        out += Self.html(table, numeric: [true, true, false, false, true, true, true])
        out +=
            "<p class=\"note\">Ranked by cost increase, then by the value of the shortfall each cut causes (never tonnes); "
            + "both are unique at the optimum. An infeasible case has no cost.</p>\n"
        return out + "</section>\n"
    }

    private func frontierSection(_ f: Frontier, index: Int) -> String {
        var out =
            "<section id=\"frontier-\(index)\"><h2>Frontier: \(SVG.escape(f.mineral))\(f.buyer.map { " for " + SVG.escape($0) } ?? "")</h2>\n"
        out += "<figure>\(f.svg())</figure>\n"
        var t = f.table()
        t.header = ["exposed share", "exposed t", "least cost USD", "short t", "USD per point"]
        t.rows = f.points.map { p in
            [
                Readable.share(p.share), Readable.number(p.exposedTonnes), Readable.number(p.cost), Readable.number(p.shortfall),
                p.marginalCostPerPoint.map(Readable.number) ?? "-"
            ]
        }
        out += Self.html(t, numeric: [true, true, true, true, true], caption: "Breakpoints (every figure unique)")
        return out + "</section>\n"
    }

    private func stampSection() -> String {
        var out = "<section id=\"stamp\"><h2>Stamp</h2><table class=\"stamp\"><tbody>\n"
        var rows: [(String, String)] = [("planner", plannerVersion)]
        if let stamp = plan.stamp {
            rows += [("input SHA-256", stamp.inputSHA256), ("GLPK", stamp.glpkVersion)]
            rows += stamp.options.map { ("option " + $0.name, $0.value) }
        }
        rows += [
            ("scenarios", comparisons.isEmpty ? "none" : comparisons.map(\.scenarioName).joined(separator: "; ")),
            ("model", "\(plan.kind), \(plan.variables) variables, \(plan.constraints) constraints, \(plan.nonzeros) non-zeros")
        ]
        for (k, v) in rows { out += "<tr><th>\(SVG.escape(k))</th><td>\(SVG.escape(v))</td></tr>\n" }
        return out + "</tbody></table></section>\n"
    }

    static let css = """
        body{font-family:"DejaVu Sans",Arial,Helvetica,sans-serif;font-size:13px;color:#222;margin:24px auto;max-width:1060px;padding:0 12px}
        h1{font-size:22px;margin:0 0 8px}h2{font-size:17px;border-bottom:1px solid #ccc;padding-bottom:3px;margin-top:28px}
        pre.headline{white-space:pre-wrap;font-family:"DejaVu Sans Mono",monospace;font-size:12px;background:#f6f6f6;padding:8px;border-left:3px solid #2c7fb8}
        nav ol{columns:2;font-size:12px}
        table{border-collapse:collapse;margin:8px 0 14px;font-size:12px;width:100%}
        caption{text-align:left;font-weight:bold;padding:4px 0}
        th,td{border-bottom:1px solid #e2e2e2;padding:3px 6px;text-align:left;vertical-align:top}
        th{background:#f0f0f0;white-space:normal}.n{text-align:right}td.n{font-variant-numeric:tabular-nums;white-space:nowrap}
        table.stamp th{width:200px}table.stamp td{font-family:"DejaVu Sans Mono",monospace;word-break:break-all}
        figure{margin:10px 0}figcaption{font-weight:bold;margin-bottom:4px}
        svg{max-width:100%;height:auto;font-family:"DejaVu Sans",Arial,sans-serif;font-size:11px}
        svg .title{font-size:13px;font-weight:bold}svg .axis{font-size:12px}svg .tick,svg .value{fill:#444}
        svg .label{paint-order:stroke;stroke:#fff;stroke-width:3px}svg .column{font-weight:bold}
        .note{color:#555;font-size:12px}
        .key{display:inline-block;padding:0 6px;color:#fff;border-radius:2px}.chn{background:#c0392b}.coalition{background:#2c7fb8}.other{background:#8c8c8c}
        @page{size:A4;margin:12mm}
        @media print{body{margin:0;max-width:none;font-size:11px}nav{display:none}figure,tr,pre{break-inside:avoid}h2,caption{break-after:avoid}a{color:inherit;text-decoration:none}}
        """
}

extension Briefing: Report {
    /// HTML (the page) and JSON (every result it shows, as the commands
    /// that make them write it).
    public static var formats: [ReportFormat] { [.html, .json] }

    public func html() -> String? { page() }

    /// The plan's summary and each what-if's headline.
    public func text() -> String {
        ([plan.text()] + comparisons.map { $0.headline() }).joined(separator: "\n")
    }

    /// The plan's tables.
    public func tables() -> [Table] { plan.tables() }

    /// `sourcing-report/1`: the plan, the what-ifs, the stress test and the
    /// frontiers, each in its own format.
    public func jsonValue() -> JSONValue {
        .object([
            ("format", .string("sourcing-report/1")),
            ("plan", plan.jsonValue()),
            ("whatIfs", .array(comparisons.map { $0.jsonValue() })),
            ("stress", stress.map { $0.jsonValue() } ?? .null),
            ("frontiers", .array(frontiers.map { $0.jsonValue() })),
            ("stamp", plan.stamp?.jsonValue() ?? .null)
        ])
    }
}
