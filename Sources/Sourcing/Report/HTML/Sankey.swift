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

    /// Two nodes of adjacent columns.
    private struct Pair: Hashable {
        var from: String
        var to: String
    }

    /// Flow groups drawn (one path each).
    public var linkCount: Int { stages.reduce(0) { $0 + $1.count } }

    /// China red, coalition blue, any other country grey.
    static func colour(country: String, coalition: Set<String>) -> String {
        country == "CHN" ? "#c0392b" : coalition.contains(country) ? "#2c7fb8" : "#8c8c8c"
    }

    /// The diagram of `mineral` in `plan`.
    public static func of(_ plan: Plan, mineral: String) -> Sankey {
        all(plan)[mineral] ?? Sankey(mineral: mineral, columns: [], stages: [], colours: [])
    }

    /// The diagram of every mineral of `plan` that has product flows, in
    /// one pass over the flows.
    public static func all(_ plan: Plan) -> [String: Sankey] {
        var countryOf: [String: String] = [:]
        for f in plan.facilities { countryOf[f.id] = f.country }
        var oreMix: [String: [String: Double]] = [:]
        for f in plan.oreFlows {
            oreMix[f.refinery, default: [:]][countryOf[f.mine] ?? "?", default: 0] += f.clean + f.exposed
        }
        var byMineral: [String: [ProductFlow]] = [:]
        for f in plan.productFlows { byMineral[f.mineral, default: []].append(f) }
        let coalition = Set(plan.coalitionCountries)
        var buyerCountry: [String: String] = [:]
        for d in plan.deliveries { buyerCountry[d.buyer] = d.buyerCountry }
        var out: [String: Sankey] = [:]
        for (mineral, flows) in byMineral {
            out[mineral] = build(
                mineral, flows, countryOf: countryOf, oreMix: oreMix, coalition: coalition, buyerCountry: buyerCountry)
        }
        return out
    }

    private static func build(
        _ mineral: String, _ flows: [ProductFlow], countryOf: [String: String], oreMix: [String: [String: Double]],
        coalition: Set<String>, buyerCountry: [String: String]
    ) -> Sankey {
        var left: [Pair: Double] = [:], right: [Pair: Double] = [:]
        func key(_ a: String, _ b: String) -> Pair { Pair(from: a, to: b) }
        for f in flows {
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
        func links(_ table: [Pair: Double]) -> [Link] {
            table.filter { $0.value > flowTolerance }.sorted { ($0.key.from, $0.key.to) < ($1.key.from, $1.key.to) }
                .map { Link(from: $0.key.from, to: $0.key.to, tonnes: clean($0.value)) }
        }
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
    /// Nodes are numbered once per column, so the layout works on arrays,
    /// not on dictionaries keyed by name.
    public func svg(width: Double = 880) -> String {
        var out = Markup(capacity: 0)
        svg(width: width, into: &out)
        return out.text
    }

    /// ``svg(width:)`` appended to `out`.
    func svg(width: Double = 880, into out: inout Markup) {
        let columnCount = stages.count + 1
        // Number the nodes of each column, and total each one: the larger
        // of what enters and what leaves.
        var index = [[String: Int]](repeating: [:], count: columnCount)
        var names = [[String]](repeating: [], count: columnCount)
        func node(_ column: Int, _ name: String) -> Int {
            if let k = index[column][name] { return k }
            index[column][name] = names[column].count
            names[column].append(name)
            return names[column].count - 1
        }
        // Links as (from, to, tonnes) by node number, per stage.
        var links: [[(from: Int, to: Int, tonnes: Double)]] = []
        for (k, stage) in stages.enumerated() {
            links.append(stage.map { (node(k, $0.from), node(k + 1, $0.to), $0.tonnes) })
        }
        var outs = names.map { [Double](repeating: 0, count: $0.count) }
        var ins = outs
        for (k, stage) in links.enumerated() {
            for l in stage {
                outs[k][l.from] += l.tonnes
                ins[k + 1][l.to] += l.tonnes
            }
        }
        let totals: [[Double]] = (0..<columnCount).map { c in names[c].indices.map { max(outs[c][$0], ins[c][$0]) } }
        // Order in each column: largest first, ties by name; rank[c][node].
        func ordered(_ c: Int) -> [Int] {
            let t = totals[c], n = names[c]
            return n.indices.sorted { (a: Int, b: Int) -> Bool in t[a] != t[b] ? t[a] > t[b] : n[a] < n[b] }
        }
        let order: [[Int]] = (0..<columnCount).map(ordered)
        var rank = names.map { [Int](repeating: 0, count: $0.count) }
        for c in 0..<columnCount { for (r, n) in order[c].enumerated() { rank[c][n] = r } }
        let escaped: [[String]] = names.map { $0.map(SVG.escape) }
        let labels: [[String]] = (0..<columnCount).map { c in
            names[c].indices.map { escaped[c][$0] + " " + Readable.tonnes(totals[c][$0]) }
        }
        let longest = max(1, order.map(\.count).max() ?? 1)
        // Each node gets a slot of at least one label's height, so small
        // nodes' labels never overlap; the node itself keeps its true size.
        let gap = 4.0, top = 28.0, nodeWidth = 14.0, slot = 13.0
        // Room for the outer columns' labels (about 6.6 px a character at 11 px).
        func room(_ column: Int) -> Double {
            let longestLabel = labels[column].map(\.count).max() ?? 0
            return min(260, max(90, Double(longestLabel) * 6.6 + 8))
        }
        let leftRoom = room(0), rightRoom = room(columnCount - 1)
        let columnTotal = totals.map { $0.reduce(0, +) }.max() ?? 0
        let usable = max(120, Double(longest) * 18)
        let scale = columnTotal > 0 ? usable / columnTotal : 0
        let span = width - leftRoom - rightRoom - nodeWidth
        func x(_ column: Int) -> Double { leftRoom + span * Double(column) / Double(max(1, columnCount - 1)) }
        // Node positions: stacked from the top in order.
        var y = names.map { [Double](repeating: 0, count: $0.count) }
        var h = y
        var height = 0.0
        for c in 0..<columnCount {
            var cursor = top
            for n in order[c] {
                let size = max(1, totals[c][n] * scale)
                y[c][n] = cursor
                h[c][n] = size
                cursor += max(size, slot) + gap
            }
            height = max(height, cursor + 6)
        }
        let c = SVG.coordinate
        out.reserve(400 + 330 * links.reduce(0) { $0 + $1.count } + 260 * names.reduce(0) { $0 + $1.count })
        out.add(
            "<svg class=\"sankey\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(c(width)) \(c(height))\" "
                + "width=\"\(c(width))\" height=\"\(c(height))\" role=\"img\" data-links=\"\(linkCount)\" "
                + "aria-label=\"Sankey diagram of \(SVG.escape(mineral)) tonnes: \(columns.joined(separator: " to "))\">\n")
        for (k, title) in columns.enumerated() {
            let anchor = k == 0 ? "start" : k == columnCount - 1 ? "end" : "middle"
            let tx = k == 0 ? x(0) : k == columnCount - 1 ? x(k) + nodeWidth : x(k) + nodeWidth / 2
            out.add("<text class=\"column\" x=\"\(c(tx))\" y=\"14\" text-anchor=\"\(anchor)\">\(SVG.escape(title))</text>\n")
        }
        // Links: leave each source and enter each target in the order of
        // the other end's position, so ribbons do not cross at the nodes.
        for (k, stage) in links.enumerated() {
            var outOffset = [Double](repeating: 0, count: names[k].count)
            var inOffset = [Double](repeating: 0, count: names[k + 1].count)
            let bySource = stage.indices.sorted {
                let a = stage[$0], b = stage[$1]
                return (rank[k][a.from], rank[k + 1][a.to]) < (rank[k][b.from], rank[k + 1][b.to])
            }
            var sourceY = [Double](repeating: 0, count: stage.count)
            for i in bySource {
                let l = stage[i]
                sourceY[i] = y[k][l.from] + outOffset[l.from]
                outOffset[l.from] += l.tonnes * scale
            }
            let byTarget = stage.indices.sorted {
                let a = stage[$0], b = stage[$1]
                return (rank[k + 1][a.to], rank[k][a.from]) < (rank[k + 1][b.to], rank[k][b.from])
            }
            var targetY = [Double](repeating: 0, count: stage.count)
            for i in byTarget {
                let l = stage[i]
                targetY[i] = y[k + 1][l.to] + inOffset[l.to]
                inOffset[l.to] += l.tonnes * scale
            }
            let x0 = c(x(k) + nodeWidth), x1 = c(x(k + 1)), xm = c((x(k) + nodeWidth + x(k + 1)) / 2)
            let fills = names[k].map { colours[k][$0] ?? "#8c8c8c" }
            for i in bySource {
                let l = stage[i]
                let w = max(0.5, l.tonnes * scale)
                let y0 = sourceY[i], y1 = targetY[i]
                // M x0,y0 C xm,y0 xm,y1 x1,y1 L x1,y1+w C xm,y1+w xm,y0+w x0,y0+w Z
                out.add("<path class=\"link\" fill=\"")
                out.add(fills[l.from])
                out.add("\" fill-opacity=\"0.35\" d=\"M")
                out.point(x0, y0)
                out.add(" C")
                out.point(xm, y0)
                out.add(" ")
                out.point(xm, y1)
                out.add(" ")
                out.point(x1, y1)
                out.add(" L")
                out.point(x1, y1 + w)
                out.add(" C")
                out.point(xm, y1 + w)
                out.add(" ")
                out.point(xm, y0 + w)
                out.add(" ")
                out.point(x0, y0 + w)
                out.add(" Z\"><title>")
                out.add(escaped[k][l.from])
                out.add(" \u{2192} ")
                out.add(escaped[k + 1][l.to])
                out.add(": ")
                out.add(Readable.tonnes(l.tonnes))
                out.add("</title></path>\n")
            }
        }
        for col in 0..<columnCount {
            let nx = c(x(col))
            let right = col == columnCount - 1
            let lx = c(right ? x(col) + nodeWidth + 4 : col == 0 ? x(col) - 4 : x(col) + nodeWidth + 4)
            let anchor = col == 0 ? "end" : "start"
            let nodeWidthText = c(nodeWidth)
            for n in order[col] {
                out.add("<rect class=\"node\" x=\"")
                out.add(nx)
                out.add("\" y=\"")
                out.coordinate(y[col][n])
                out.add("\" width=\"")
                out.add(nodeWidthText)
                out.add("\" height=\"")
                out.coordinate(h[col][n])
                out.add("\" fill=\"")
                out.add(colours[col][names[col][n]] ?? "#8c8c8c")
                out.add("\"><title>")
                out.add(labels[col][n])
                out.add("</title></rect>\n<text class=\"label\" x=\"")
                out.add(lx)
                out.add("\" y=\"")
                out.coordinate(y[col][n] + h[col][n] / 2 + 4)
                out.add("\" text-anchor=\"")
                out.add(anchor)
                out.add("\">")
                out.add(labels[col][n])
                out.add("</text>\n")
            }
        }
        out.add("</svg>\n")
    }
}
