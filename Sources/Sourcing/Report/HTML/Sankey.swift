/// A Sankey diagram of one mineral's tonnes: mining country -> refining
/// country -> buyer, drawn as SVG with one `<path class="link">` per flow
/// group (a pair of adjacent nodes with tonnes between them).
///
/// The mining column is traced through the ore flows as the risk metrics
/// are: a refinery's product carries its ore input's mix of mine countries,
/// a source (feed `none`) counts as mined in its own country. So every
/// column carries the same delivered tonnes and the diagram balances.
public struct Sankey: Sendable, Equatable {
    /// Tonnes from one node to one node of the next column.
    public struct Link: Sendable, Equatable {
        public var from: String
        public var to: String
        public var tonnes: Double
    }

    /// The mineral shown.
    public var mineral: String
    /// Column titles, left to right.
    public var columns: [String]
    /// Links from column k to column k + 1, sorted by (from, to).
    public var stages: [[Link]]
    /// Fill colour of a node, by column and name (CHN red, coalition blue,
    /// others grey), as CSS colours.
    public var colours: [[String: String]]

    /// Flow groups drawn (one path each).
    public var linkCount: Int { stages.reduce(0) { $0 + $1.count } }

    /// China red, coalition blue, any other country grey.
    static func colour(country: String, coalition: Set<String>) -> String {
        country == "CHN" ? "#c0392b" : coalition.contains(country) ? "#2c7fb8" : "#8c8c8c"
    }

    /// The diagram of `mineral` in `plan`.
    public static func of(_ plan: Plan, mineral: String) -> Sankey {
        var countryOf: [String: String] = [:]
        for f in plan.facilities { countryOf[f.id] = f.country }
        var oreMix: [String: [String: Double]] = [:]
        for f in plan.oreFlows where f.mineral == mineral {
            oreMix[f.refinery, default: [:]][countryOf[f.mine] ?? "?", default: 0] += f.clean + f.exposed
        }
        var left: [String: Double] = [:], right: [String: Double] = [:]
        func key(_ a: String, _ b: String) -> String { a + "\u{0}" + b }
        for f in plan.productFlows where f.mineral == mineral {
            let t = f.clean + f.exposed
            let refiningCountry = countryOf[f.refinery] ?? "?"
            right[key(refiningCountry, f.buyer), default: 0] += t
            let mix = oreMix[f.refinery] ?? [:]
            let ore = mix.values.reduce(0, +)
            if ore > flowTolerance {
                for (country, tonnes) in mix { left[key(country, refiningCountry), default: 0] += t * tonnes / ore }
            } else {
                left[key(refiningCountry, refiningCountry), default: 0] += t
            }
        }
        func links(_ table: [String: Double]) -> [Link] {
            table.filter { $0.value > flowTolerance }.keys.sorted().map { k in
                let parts = k.split(separator: "\u{0}", omittingEmptySubsequences: false).map(String.init)
                return Link(from: parts[0], to: parts.count > 1 ? parts[1] : "", tonnes: clean(table[k] ?? 0))
            }
        }
        let coalition = Set(plan.coalitionCountries)
        var buyerCountry: [String: String] = [:]
        for d in plan.deliveries { buyerCountry[d.buyer] = d.buyerCountry }
        let stages = [links(left), links(right)]
        var colours: [[String: String]] = [[:], [:], [:]]
        for l in stages[0] {
            colours[0][l.from] = colour(country: l.from, coalition: coalition)
            colours[1][l.to] = colour(country: l.to, coalition: coalition)
        }
        for l in stages[1] { colours[2][l.to] = colour(country: buyerCountry[l.to] ?? "", coalition: coalition) }
        return Sankey(
            mineral: mineral, columns: ["mining country", "refining country", "buyer"], stages: stages, colours: colours)
    }

    /// The diagram as an SVG element, `width` wide; its height grows with
    /// the longest column. Each link carries a `<title>` with its tonnes.
    public func svg(width: Double = 880) -> String {
        let columnCount = stages.count + 1
        // Node totals per column: the larger of what enters and what leaves.
        var totals = [[String: Double]](repeating: [:], count: columnCount)
        for (k, stage) in stages.enumerated() {
            var outs: [String: Double] = [:], ins: [String: Double] = [:]
            for l in stage {
                outs[l.from, default: 0] += l.tonnes
                ins[l.to, default: 0] += l.tonnes
            }
            for (n, t) in outs { totals[k][n] = max(totals[k][n] ?? 0, t) }
            for (n, t) in ins { totals[k + 1][n] = max(totals[k + 1][n] ?? 0, t) }
        }
        let order = totals.map { column in
            column.keys.sorted { (column[$0] ?? 0) != (column[$1] ?? 0) ? (column[$0] ?? 0) > (column[$1] ?? 0) : $0 < $1 }
        }
        let longest = max(1, order.map(\.count).max() ?? 1)
        // Each node gets a slot of at least one label's height, so small
        // nodes' labels never overlap; the node itself keeps its true size.
        let gap = 4.0, top = 28.0, nodeWidth = 14.0, slot = 13.0
        // Room for the outer columns' labels (about 6.6 px a character at 11 px).
        func room(_ column: Int) -> Double {
            let longestLabel = order[column].map { $0.count + Readable.tonnes(totals[column][$0] ?? 0).count + 1 }.max() ?? 0
            return min(260, max(90, Double(longestLabel) * 6.6 + 8))
        }
        let leftRoom = room(0), rightRoom = room(columnCount - 1)
        let columnTotal = totals.map { $0.values.reduce(0, +) }.max() ?? 0
        let usable = max(120, Double(longest) * 18)
        let scale = columnTotal > 0 ? usable / columnTotal : 0
        let span = width - leftRoom - rightRoom - nodeWidth
        func x(_ column: Int) -> Double { leftRoom + span * Double(column) / Double(max(1, columnCount - 1)) }
        // Node positions: stacked from the top in order.
        var y = [[String: Double]](repeating: [:], count: columnCount)
        var h = [[String: Double]](repeating: [:], count: columnCount)
        var height = 0.0
        for c in 0..<columnCount {
            var cursor = top
            for n in order[c] {
                let size = max(1, (totals[c][n] ?? 0) * scale)
                y[c][n] = cursor
                h[c][n] = size
                cursor += max(size, slot) + gap
            }
            height = max(height, cursor + 6)
        }
        let c = SVG.coordinate
        var out =
            "<svg class=\"sankey\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(c(width)) \(c(height))\" "
            + "width=\"\(c(width))\" height=\"\(c(height))\" role=\"img\" data-links=\"\(linkCount)\" "
            + "aria-label=\"Sankey diagram of \(SVG.escape(mineral)) tonnes: \(columns.joined(separator: " to "))\">\n"
        for (k, title) in columns.enumerated() {
            let anchor = k == 0 ? "start" : k == columnCount - 1 ? "end" : "middle"
            let tx = k == 0 ? x(0) : k == columnCount - 1 ? x(k) + nodeWidth : x(k) + nodeWidth / 2
            out += "<text class=\"column\" x=\"\(c(tx))\" y=\"14\" text-anchor=\"\(anchor)\">\(SVG.escape(title))</text>\n"
        }
        // Links: leave each source and enter each target in the order of
        // the other end's position, so ribbons do not cross at the nodes.
        for (k, stage) in stages.enumerated() {
            let rank = { (column: Int, n: String) in order[column].firstIndex(of: n) ?? 0 }
            var outOffset: [String: Double] = [:], inOffset: [String: Double] = [:]
            let bySource = stage.sorted { (rank(k, $0.from), rank(k + 1, $0.to)) < (rank(k, $1.from), rank(k + 1, $1.to)) }
            var sourceY: [Int: Double] = [:]
            for (i, l) in bySource.enumerated() {
                sourceY[i] = (y[k][l.from] ?? 0) + (outOffset[l.from] ?? 0)
                outOffset[l.from, default: 0] += l.tonnes * scale
            }
            let byTarget = bySource.indices.sorted {
                let a = bySource[$0], b = bySource[$1]
                return (rank(k + 1, a.to), rank(k, a.from)) < (rank(k + 1, b.to), rank(k, b.from))
            }
            var targetY: [Int: Double] = [:]
            for i in byTarget {
                let l = bySource[i]
                targetY[i] = (y[k + 1][l.to] ?? 0) + (inOffset[l.to] ?? 0)
                inOffset[l.to, default: 0] += l.tonnes * scale
            }
            let x0 = x(k) + nodeWidth, x1 = x(k + 1), xm = (x0 + x1) / 2
            for (i, l) in bySource.enumerated() {
                let w = max(0.5, l.tonnes * scale)
                let y0 = sourceY[i] ?? 0, y1 = targetY[i] ?? 0
                let colour = colours[k][l.from] ?? "#8c8c8c"
                out +=
                    "<path class=\"link\" fill=\"\(colour)\" fill-opacity=\"0.35\" d=\"M\(c(x0)),\(c(y0)) C\(c(xm)),\(c(y0)) \(c(xm)),\(c(y1)) \(c(x1)),\(c(y1)) "
                    + "L\(c(x1)),\(c(y1 + w)) C\(c(xm)),\(c(y1 + w)) \(c(xm)),\(c(y0 + w)) \(c(x0)),\(c(y0 + w)) Z\">"
                    + "<title>\(SVG.escape(l.from)) \u{2192} \(SVG.escape(l.to)): \(Readable.tonnes(l.tonnes))</title></path>\n"
            }
        }
        for col in 0..<columnCount {
            for n in order[col] {
                let ny = y[col][n] ?? 0, nh = h[col][n] ?? 1
                out +=
                    "<rect class=\"node\" x=\"\(c(x(col)))\" y=\"\(c(ny))\" width=\"\(c(nodeWidth))\" height=\"\(c(nh))\" "
                    + "fill=\"\(colours[col][n] ?? "#8c8c8c")\"><title>\(SVG.escape(n)): \(Readable.tonnes(totals[col][n] ?? 0))</title></rect>\n"
                let label = "\(SVG.escape(n)) \(Readable.tonnes(totals[col][n] ?? 0))"
                let right = col == columnCount - 1
                let lx = right ? x(col) + nodeWidth + 4 : col == 0 ? x(col) - 4 : x(col) + nodeWidth + 4
                out +=
                    "<text class=\"label\" x=\"\(c(lx))\" y=\"\(c(ny + nh / 2 + 4))\" text-anchor=\"\(col == 0 ? "end" : "start")\">\(label)</text>\n"
            }
        }
        return out + "</svg>\n"
    }
}
