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

/// A result the planner prints: a plan, a what-if, a stress test, a
/// frontier. Each renders itself in the formats it declares, the same
/// figures in every one.
public protocol Report: Sendable {
    /// The formats this report supports, in the order help lists them.
    static var formats: [ReportFormat] { get }
    /// The readable terminal report.
    func text() -> String
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

    /// The JSON, pretty-printed as every report prints it.
    public func jsonData() -> Data {
        JSONWriter.encode(jsonValue(), style: .pretty(indent: 2, inlineArrayElements: true))
    }

    /// The report's files in `format`: one named `report` for text, JSON
    /// and HTML, one per table named `TABLE.csv` for CSV; nil when the
    /// report does not declare `format`.
    public func render(_ format: ReportFormat) -> [(name: String, data: Data)]? {
        guard Self.formats.contains(format) else { return nil }
        switch format {
        case .text: return [("report", Data(text().utf8))]
        case .json: return [("report", jsonData())]
        case .csv: return tables().map { ($0.name + ".csv", Data($0.csv().utf8)) }
        case .html: return html().map { [("report", Data($0.utf8))] }
        }
    }
}

extension Plan: Report {}
extension PlanComparison: Report {}

extension StressReport: Report {
    public func tables() -> [Table] { [table()] }
}

extension Frontier: Report {
    public func text() -> String { table().text() }
    public func tables() -> [Table] { [table()] }
}
