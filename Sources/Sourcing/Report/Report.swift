public import FoundationEssentials
public import StrictJSON

/// The formats the planner writes reports in. A report declares the ones
/// it supports (``Report/formats``); a command offers exactly those.
public enum ReportFormat: String, Sendable, CaseIterable {
    /// The readable terminal report.
    case text
    /// The JSON document of docs/REPORTS.md.
    case json
    /// One CSV file per table.
    case csv
    /// A self-contained HTML page.
    case html
}

/// How much the text report shows: the summary always, the full tables
/// with `detail` (`--detail`), a row per buyer and mineral with `byBuyer`
/// (`--by-buyer`). JSON and CSV always carry everything.
public struct TextOptions: Sendable, Equatable {
    /// Every table after the summary.
    public var detail: Bool
    /// The summary also per buyer and mineral.
    public var byBuyer: Bool

    public init(detail: Bool = false, byBuyer: Bool = false) {
        self.detail = detail
        self.byBuyer = byBuyer
    }
}

/// A result the planner prints: a plan, a what-if, a stress test, a
/// frontier. Each renders itself in the formats it declares, the same
/// figures in every one.
public protocol Report: Sendable {
    /// The formats this report supports, in the order help lists them.
    static var formats: [ReportFormat] { get }
    /// The readable terminal report.
    func text() -> String
    /// The readable terminal report with `options` (default: ``text()``).
    func text(_ options: TextOptions) -> String
    /// The report's tables (its CSV files, one per table).
    func tables() -> [Table]
    /// The report as JSON.
    func jsonValue() -> JSONValue
    /// The report as a self-contained HTML page (nil: not an HTML report).
    func html() -> String?
    /// The JSON as printed (pretty by default).
    func jsonData() -> Data
}

extension Report {
    public static var formats: [ReportFormat] { [.text, .json, .csv] }

    public func html() -> String? { nil }

    public func text(_ options: TextOptions) -> String { text() }

    /// The JSON, pretty-printed as every report prints it.
    public func jsonData() -> Data {
        JSONWriter.encode(jsonValue(), style: .pretty(indent: 2, inlineArrayElements: true))
    }

    /// The report's files in `format`: one named `report` for text, JSON
    /// and HTML, one per table named `TABLE.csv` for CSV; nil when the
    /// report does not declare `format`.
    public func render(_ format: ReportFormat, text options: TextOptions = TextOptions()) -> [(name: String, data: Data)]? {
        guard Self.formats.contains(format) else { return nil }
        switch format {
        case .text: return [("report", Data(text(options).utf8))]
        case .json: return [("report", jsonData())]
        case .csv: return tables().map { ($0.name + ".csv", Data($0.csv().utf8)) }
        case .html: return html().map { [("report", Data($0.utf8))] }
        }
    }
}

extension Plan: Report {}
extension PlanComparison: Report {}

extension StressReport: Report {
    /// The ranking, each row with the stamp's columns (a one-table CSV has
    /// no other place for it).
    public func tables() -> [Table] { [table().stamped(stamp)] }
}

extension Table {
    /// The table with the stamp as three more columns on every row:
    /// `input_sha256`, `glpk_version`, `planner_version` (as sweep rows
    /// carry their fingerprint); the table itself without a stamp.
    public func stamped(_ stamp: Stamp?) -> Table {
        guard let stamp else { return self }
        var copy = self
        copy.header += ["input_sha256", "glpk_version", "planner_version"]
        copy.units += Array(repeating: nil, count: max(0, header.count - units.count)) + [nil, nil, nil]
        copy.rows = rows.map { $0 + [stamp.inputSHA256, stamp.glpkVersion, stamp.plannerVersion] }
        return copy
    }
}

extension Frontier: Report {
    /// The breakpoints, each row with the stamp's columns.
    public func tables() -> [Table] { [table().stamped(stamp)] }

    public func text() -> String {
        var out = "frontier of \(mineral)\(buyer.map { " for " + $0 } ?? " (all buyers)"): \(Readable.tonnes(demand)) demanded\n"
        if let first = points.first, let last = points.last {
            out +=
                "unconstrained: \(Readable.share(first.share)) of demand China-exposed at \(Readable.usd(first.cost)); "
                + "least exposure: \(Readable.share(last.share)) at \(Readable.usd(last.cost)) "
                + "(\(Readable.usdChange(clean(last.cost - first.cost))))\n"
            out +=
                "\(points.count) breakpoint\(points.count == 1 ? "" : "s"); each row's marginal cost is USD per percentage point "
                + "of share on the segment that ends there. Unique: every figure (the least cost is a function of the share)\n\n"
        }
        return out + table().readableText([.share, .number, .number, .number, .number])
            + (stamp.map { "\n" + $0.textLine + "\n" } ?? "")
    }
}
