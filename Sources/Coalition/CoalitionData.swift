import CSV
import FileIO
import FoundationEssentials
import Sourcing

/// A problem with the coalition data: a missing file or column, a value
/// that is not a number, a figure that no rule can use.
public struct CoalitionError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// One row of a CSV file, with its place for error messages.
struct Record: Sendable {
    let file: String
    /// 1-based line of the row in the file (the header is line 1).
    let line: Int
    let fields: [String: String]

    var place: String { "\(file):\(line)" }

    /// The field, trimmed ("" when the row is short).
    subscript(_ column: String) -> String {
        (fields[column] ?? "").trimmedOfSpaces
    }

    /// The field as a finite number.
    func number(_ column: String) throws(CoalitionError) -> Double {
        guard let value = optionalNumber(column) else {
            throw CoalitionError("\(place): \(column) \"\(self[column])\" is not a number")
        }
        return value
    }

    /// The field as a finite number, or nil when it is empty.
    func optionalNumber(_ column: String) -> Double? {
        let text = self[column]
        guard !text.isEmpty, let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// Whether a non-empty field fails to be a number.
    func isMalformedNumber(_ column: String) -> Bool {
        !self[column].isEmpty && optionalNumber(column) == nil
    }
}

/// The CSV files of `instances/data/` (see ``CSVTable``).
struct CoalitionData: Sendable {
    let production: [Record]
    let prices: [Record]
    let refiningByCountry: [Record]
    let ownership: [Record]
    let coalition: [Record]
    let priceFloors: [Record]
    let minerals: [Record]
    let priceComponents: [Record]
    let refiningRules: [Record]
    let exposureRules: [Record]
    let buyers: [Record]
    let assumptions: [Record]
    let consumption: [Record]
    let demandRules: [Record]
    let defence: [Record]
    let chinaDemand: [Record]
    let curves: [Record]
    let byProducts: [Record]
    let freight: [Record]

    init(directory: String) throws(CoalitionError) {
        func table(_ name: String, _ columns: [String]) throws(CoalitionError) -> [Record] {
            try Self.read(directory: directory, file: name, columns: columns)
        }
        production = try table("production.csv", ["mineral", "country", "year", "stage", "quantity", "unit", "source", "iso3"])
        prices = try table("prices.csv", ["mineral", "year", "price", "unit", "source", "series"])
        refiningByCountry = try table(
            "refining_by_country.csv",
            ["mineral", "stage", "country", "iso3", "year", "quantity", "unit", "share_pct", "source"])
        ownership = try table("ownership.csv", ["mineral", "iso3", "owner_country", "share_pct", "year", "source"])
        coalition = try table("coalition.csv", ["country", "iso3", "group", "source"])
        priceFloors = try table("price_floors.csv", ["mineral", "floor", "unit", "source"])
        minerals = try table(
            "minerals.csv",
            [
                "id", "name", "data_mineral", "feed", "world_output", "residual", "price_basis",
                "mine_value_share", "exposure_cap", "rationale"
            ])
        priceComponents = try table("price_components.csv", ["mineral", "data_mineral", "series", "weight", "floor", "rationale"])
        refiningRules = try table("refining_rules.csv", ["mineral", "kind", "iso3", "data_mineral", "stage", "year", "rationale"])
        exposureRules = try table(
            "exposure_rules.csv",
            ["mineral", "stage", "iso3", "data_mineral", "owner_country", "year", "rationale"])
        buyers = try table("buyers.csv", ["id", "iso3", "name", "kind", "scale", "rationale"])
        assumptions = try table("assumptions.csv", ["key", "value", "unit", "source", "rationale"])
        consumption = try table("consumption.csv", ["mineral", "iso3", "year", "measure", "quantity", "unit", "source"])
        demandRules = try table("demand_rules.csv", ["mineral", "data_mineral", "year", "measure", "fallback_world_share", "rationale"])
        defence = try table("defence.csv", ["mineral", "share_of_us", "source", "rationale"])
        chinaDemand = try table("china_demand.csv", ["mineral", "share_of_world", "source", "rationale"])
        curves = try table("curves.csv", ["class", "segment", "up_to", "multiple", "source", "rationale"])
        byProducts = try table(
            "byproducts.csv",
            [
                "mineral", "stage", "iso3", "host", "host_throughput_t", "ratio_t_per_t",
                "source", "rationale"
            ])
        freight = try table("freight.csv", ["from", "to", "distance_km", "usd_per_t", "source"])
    }

    /// The rows of one file, after checking that its header has `columns`.
    static func read(directory: String, file: String, columns: [String]) throws(CoalitionError) -> [Record] {
        let path = directory + "/" + file
        let table: CSVTable
        do {
            let bytes = try FileBytes.read(path, limit: 64 << 20)
            table = try CSVTable(parsing: String(decoding: bytes, as: UTF8.self))
        } catch let error as CSVTable.ParseError {
            throw CoalitionError("\(path):\(error.line): \(error.message)")
        } catch {
            throw CoalitionError("\(path): cannot read the CSV file: \(error)")
        }
        let missing = columns.filter { !table.header.contains($0) }
        guard missing.isEmpty else {
            throw CoalitionError("\(path): missing column(s) \(missing.joined(separator: ", "))")
        }
        return table.rows.map { Record(file: file, line: $0.line, fields: $0.fields) }
    }

    /// The value of a key of assumptions.csv.
    func assumption(_ key: String) throws(CoalitionError) -> Record {
        let rows = assumptions.filter { $0["key"] == key }
        guard rows.count == 1, let row = rows.first else {
            throw CoalitionError("assumptions.csv: \(rows.isEmpty ? "no" : "more than one") row with key \(key)")
        }
        return row
    }

    /// A numeric assumption.
    func numericAssumption(_ key: String) throws(CoalitionError) -> Double {
        try assumption(key).number("value")
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (what
    /// Foundation's `trimmingCharacters(in: .whitespaces)` removes: every
    /// white space but line breaks), without linking all of Foundation.
    var trimmedOfSpaces: String {
        func isSpace(_ c: Character) -> Bool { c.isWhitespace && !c.isNewline }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
