import Coalition
import Foundation
import TestSupport
import Testing

/// instances/data: the copied figures are rows of ../shared/data, each with
/// its source; every assumption row says where it comes from or why.
@Suite struct DataProvenanceTests {
    static let copied = [
        "production.csv", "prices.csv", "refining_by_country.csv", "ownership.csv", "coalition.csv",
        "price_floors.csv", "export_controls.csv", "consumption.csv"
    ]
    static let authored = [
        "minerals.csv", "price_components.csv", "refining_rules.csv", "exposure_rules.csv",
        "buyers.csv", "assumptions.csv", "units.csv", "demand_rules.csv", "defence.csv",
        "china_demand.csv", "curves.csv", "byproducts.csv", "freight.csv", "freight_rates.csv", "ports.csv"
    ]

    @Test(arguments: copied)
    func copiedRowsHaveASource(_ file: String) throws {
        let rows = try readQuotedCSV(CoalitionPaths.data.appendingPathComponent(file))
        #expect(!rows.isEmpty)
        for row in rows { #expect(!(row["source"] ?? "").isEmpty, "\(file): \(row)") }
    }

    /// Every copied row is, field for field, a row of the same file in
    /// ../shared/data (skipped when ../shared is absent).
    @Test(.enabled(if: TestPaths.has("data"), "../shared/data is absent"), arguments: copied)
    func copiedRowsAreInTheSharedData(_ file: String) throws {
        let shared = try #require(TestPaths.sharedFolder("data"))
        let original = try readQuotedCSV(shared.appendingPathComponent(file))
        for row in try readQuotedCSV(CoalitionPaths.data.appendingPathComponent(file)) {
            #expect(original.contains(row), "\(file): a row not in ../shared/data: \(row)")
        }
    }

    @Test(arguments: authored)
    func assumptionRowsSayWhy(_ file: String) throws {
        let rows = try readQuotedCSV(CoalitionPaths.data.appendingPathComponent(file))
        #expect(!rows.isEmpty)
        for row in rows {
            let reason = [row["rationale"], row["source"], row["derivation"]].compactMap { $0 }.filter { !$0.isEmpty }
            // price_components rows with a single series need no rationale.
            #expect(!reason.isEmpty || file == "price_components.csv", "\(file): \(row)")
        }
    }

    /// Every data file is used: a build from a folder missing any of them fails.
    @Test(
        arguments: copied.filter { $0 != "export_controls.csv" }
            + authored.filter { !["units.csv", "freight_rates.csv", "ports.csv"].contains($0) })
    func everyFileIsNeeded(_ file: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("coalition-data-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: CoalitionPaths.data, to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.removeItem(at: folder.appendingPathComponent(file))
        #expect(throws: CoalitionError.self) { try CoalitionBuilder.build(dataDirectory: folder.path) }
    }
}
