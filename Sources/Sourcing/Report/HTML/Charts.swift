/// The report's charts, as plain SVG: horizontal grouped bars and a line
/// chart with labelled, ticked axes.
public enum Charts {
    /// One series of a bar chart.
    public struct Series: Sendable {
        public var name: String
        public var colour: String
        public init(_ name: String, colour: String) {
            self.name = name
            self.colour = colour
        }
    }

    /// Horizontal grouped bars: one group per row label, one bar per
    /// series, a shared axis from 0 with ticks, each bar labelled with its
    /// value (`format`). Negative values draw no bar but keep their label.
    public static func bars(
        title: String, rows: [(label: String, values: [Double])], series: [Series], axis: String,
        format: (Double) -> String, width: Double = 880
    ) -> String {
        let barHeight = 12.0, groupGap = 8.0, left = 150.0, right = 110.0, top = 46.0, bottom = 44.0
        let groupHeight = Double(series.count) * barHeight + groupGap
        let height = top + bottom + Double(max(1, rows.count)) * groupHeight
        let maximum = max(rows.flatMap(\.values).max() ?? 0, 0)
        let ticks = SVG.ticks(0, maximum > 0 ? maximum : 1, count: 5)
        let high = max(ticks.last ?? 1, maximum, 1e-12)
        let plotWidth = width - left - right
        func x(_ v: Double) -> Double { left + max(0, v) / high * plotWidth }
        let c = SVG.coordinate
        var out =
            "<svg class=\"chart bars\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(c(width)) \(c(height))\" "
            + "width=\"\(c(width))\" height=\"\(c(height))\" role=\"img\" aria-label=\"\(SVG.escape(title))\">\n"
        out += "<text class=\"title\" x=\"\(c(left))\" y=\"16\">\(SVG.escape(title))</text>\n"
        // Legend.
        var lx = left
        for s in series {
            out += "<rect x=\"\(c(lx))\" y=\"24\" width=\"10\" height=\"10\" fill=\"\(s.colour)\"/>"
            out += "<text class=\"legend\" x=\"\(c(lx + 14))\" y=\"33\">\(SVG.escape(s.name))</text>\n"
            lx += 24 + Double(s.name.count) * 6.5
        }
        let axisY = height - bottom + 4
        for (t, label) in zip(ticks, SVG.tickLabels(ticks, format: format)) {
            out +=
                "<line class=\"grid\" x1=\"\(c(x(t)))\" y1=\"\(c(top - 4))\" x2=\"\(c(x(t)))\" y2=\"\(c(axisY))\" stroke=\"#ddd\"/>"
                + "<text class=\"tick\" x=\"\(c(x(t)))\" y=\"\(c(axisY + 14))\" text-anchor=\"middle\">\(SVG.escape(label))</text>\n"
        }
        out +=
            "<line x1=\"\(c(left))\" y1=\"\(c(axisY))\" x2=\"\(c(width - right))\" y2=\"\(c(axisY))\" stroke=\"#333\"/>\n"
            + "<text class=\"axis\" x=\"\(c(left + plotWidth / 2))\" y=\"\(c(height - 6))\" text-anchor=\"middle\">\(SVG.escape(axis))</text>\n"
        for (g, row) in rows.enumerated() {
            let y0 = top + Double(g) * groupHeight
            out +=
                "<text class=\"label\" x=\"\(c(left - 6))\" y=\"\(c(y0 + Double(series.count) * barHeight / 2 + 4))\" "
                + "text-anchor=\"end\">\(SVG.escape(row.label))</text>\n"
            for (k, value) in row.values.enumerated() where k < series.count {
                let y = y0 + Double(k) * barHeight
                let w = max(0, x(value) - left)
                out +=
                    "<rect class=\"bar\" x=\"\(c(left))\" y=\"\(c(y))\" width=\"\(c(w))\" height=\"\(c(barHeight - 2))\" fill=\"\(series[k].colour)\">"
                    + "<title>\(SVG.escape(row.label)), \(SVG.escape(series[k].name)): \(SVG.escape(format(value)))</title></rect>"
                    + "<text class=\"value\" x=\"\(c(left + w + 4))\" y=\"\(c(y + barHeight - 3))\">\(SVG.escape(format(value)))</text>\n"
            }
        }
        return out + "</svg>\n"
    }

    /// A point of a line chart, with the text of its tooltip.
    public struct Point: Sendable {
        public var x: Double
        public var y: Double
        public var note: String
        public init(x: Double, y: Double, note: String) {
            self.x = x
            self.y = y
            self.note = note
        }
    }

    /// A line through `points` with every point marked (breakpoints),
    /// ticked and labelled axes.
    public static func line(
        title: String, points: [Point], xAxis: String, yAxis: String, xFormat: (Double) -> String,
        yFormat: (Double) -> String, width: Double = 720, height: Double = 400
    ) -> String {
        let left = 90.0, right = 24.0, top = 34.0, bottom = 56.0
        let xs = points.map(\.x), ys = points.map(\.y)
        let xTicks = SVG.ticks(min(0, xs.min() ?? 0), max(xs.max() ?? 1, 1e-12), count: 6)
        var yLow = ys.min() ?? 0, yHigh = ys.max() ?? 1
        if yHigh - yLow < 1e-9 * max(1, abs(yHigh)) {
            yLow -= max(1, abs(yLow) * 0.01)
            yHigh += max(1, abs(yHigh) * 0.01)
        }
        let yTicks = SVG.ticks(yLow, yHigh, count: 5)
        let x0 = xTicks.first ?? 0, x1 = max(xTicks.last ?? 1, xs.max() ?? 1)
        let y0 = min(yTicks.first ?? yLow, yLow), y1 = max(yTicks.last ?? yHigh, yHigh)
        func px(_ v: Double) -> Double { left + (v - x0) / max(x1 - x0, 1e-300) * (width - left - right) }
        func py(_ v: Double) -> Double { height - bottom - (v - y0) / max(y1 - y0, 1e-300) * (height - top - bottom) }
        let c = SVG.coordinate
        var out =
            "<svg class=\"chart line\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(c(width)) \(c(height))\" "
            + "width=\"\(c(width))\" height=\"\(c(height))\" role=\"img\" aria-label=\"\(SVG.escape(title))\">\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        out += "<text class=\"title\" x=\"\(c(left))\" y=\"18\">\(SVG.escape(title))</text>\n"
        for (t, label) in zip(xTicks, SVG.tickLabels(xTicks, format: xFormat)) {
            out +=
                "<line class=\"grid\" x1=\"\(c(px(t)))\" y1=\"\(c(top))\" x2=\"\(c(px(t)))\" y2=\"\(c(height - bottom))\" stroke=\"#e3e3e3\"/>"
                + "<text class=\"tick\" x=\"\(c(px(t)))\" y=\"\(c(height - bottom + 16))\" text-anchor=\"middle\">\(SVG.escape(label))</text>\n"
        }
        for (t, label) in zip(yTicks, SVG.tickLabels(yTicks, format: yFormat)) {
            out +=
                "<line class=\"grid\" x1=\"\(c(left))\" y1=\"\(c(py(t)))\" x2=\"\(c(width - right))\" y2=\"\(c(py(t)))\" stroke=\"#e3e3e3\"/>"
                + "<text class=\"tick\" x=\"\(c(left - 6))\" y=\"\(c(py(t) + 4))\" text-anchor=\"end\">\(SVG.escape(label))</text>\n"
        }
        out +=
            "<line x1=\"\(c(left))\" y1=\"\(c(height - bottom))\" x2=\"\(c(width - right))\" y2=\"\(c(height - bottom))\" stroke=\"#333\"/>\n"
            + "<line x1=\"\(c(left))\" y1=\"\(c(top))\" x2=\"\(c(left))\" y2=\"\(c(height - bottom))\" stroke=\"#333\"/>\n"
            + "<text class=\"axis\" x=\"\(c(left + (width - left - right) / 2))\" y=\"\(c(height - 14))\" text-anchor=\"middle\">\(SVG.escape(xAxis))</text>\n"
            + "<text class=\"axis\" x=\"16\" y=\"\(c(top + (height - top - bottom) / 2))\" "
            + "transform=\"rotate(-90 16 \(c(top + (height - top - bottom) / 2)))\" text-anchor=\"middle\">\(SVG.escape(yAxis))</text>\n"
        out +=
            "<polyline class=\"series\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\""
            + points.map { "\(c(px($0.x))),\(c(py($0.y)))" }.joined(separator: " ") + "\"/>\n"
        for p in points {
            out +=
                "<circle class=\"breakpoint\" cx=\"\(c(px(p.x)))\" cy=\"\(c(py(p.y)))\" r=\"3.5\" fill=\"#1f77b4\">"
                + "<title>\(SVG.escape(p.note))</title></circle>\n"
        }
        return out + "</svg>\n"
    }
}
