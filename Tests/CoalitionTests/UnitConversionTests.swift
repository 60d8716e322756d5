import Coalition
import Foundation
import TestSupport
import Testing

/// The USGS-unit conversions against values computed by hand.
@Suite struct UnitConversionTests {
    /// |a - b| <= 1e-9 relative, for factors that are exact by definition.
    func exact(_ a: Double?, _ b: Double) -> Bool { isClose(a, b, relative: 1e-12) }

    @Test func masses() throws {
        #expect(exact(try UnitConversion.tonnes(900_000, unit: "kilograms, gallium content (primary low-purity gallium)"), 900))
        #expect(exact(try UnitConversion.tonnes(7600, unit: "thousand metric tons, manganese content"), 7_600_000))
        #expect(exact(try UnitConversion.tonnes(92_000, unit: "metric tons, lithium content"), 92_000))
        #expect(exact(try UnitConversion.tonnes(270_000, unit: "metric tons, rare-earth-oxide (REO) equivalent"), 270_000))
        #expect(exact(try UnitConversion.tonnes(1_400_000, unit: "metric tons"), 1_400_000))
        #expect(exact(try UnitConversion.tonnes(75_000, unit: "metric tons Ni per year (capacity)"), 75_000))
        #expect(exact(try UnitConversion.tonnes(84_000, unit: "kilograms, palladium"), 84))
    }

    @Test func pound() throws {
        // 1 lb = 0.45359237 kg exactly, so 1 USD/lb = 1000 / 0.45359237 USD/t.
        #expect(isClose(try UnitConversion.usdPerTonne(1, unit: "USD per pound"), 2204.62262, relative: 1e-9))
        // Cobalt, LME cash 2025: 15 USD/lb = 33 069.34 USD/t.
        #expect(abs(try UnitConversion.usdPerTonne(15, unit: "USD per pound") - 33_069.34) < 0.005)
    }

    @Test func tungstenMetricTonUnit() throws {
        // 1 mtu WO3 = 10 kg WO3 = 7.93 kg W: 1 USD/mtu = 1000 / 7.93 = 126.1034 USD/t W.
        #expect(
            abs(try UnitConversion.usdPerTonne(1, unit: "USD per dry metric ton unit of WO3 (1 mtu WO3 = 7.93 kg W)") - 126.1034) < 5e-5)
        #expect(isClose(UnitConversion.kilogramsPerMetricTonUnit * 0.793, UnitConversion.tungstenKilogramsPerMTUOfWO3))
        // 380 USD/mtu (Rotterdam concentrate 2025) = 47 919.29 USD/t W.
        #expect(
            abs(try UnitConversion.usdPerTonne(380, unit: "USD per dry metric ton unit of WO3 (1 mtu WO3 = 7.93 kg W)") - 47_919.29) < 0.005
        )
    }

    @Test func manganeseMetricTonUnit() throws {
        // 1 mtu = 10 kg Mn: 4.5 USD/mtu = 450 USD/t Mn.
        #expect(exact(try UnitConversion.usdPerTonne(4.5, unit: "USD per metric ton unit (Mn content)"), 450))
    }

    @Test func lithiumCarbonate() throws {
        // Li2CO3 = 2 x 6.94 + 12.011 + 3 x 15.999 = 73.888; Li share 13.88 / 73.888 = 0.187852.
        #expect(abs(UnitConversion.lithiumShareOfCarbonate - 0.187852) < 5e-7)
        // 9000 USD/t Li2CO3 = 47 910.09 USD/t Li (1 t Li = 5.3233 t LCE).
        #expect(abs(try UnitConversion.usdPerTonne(9000, unit: "USD per metric ton (lithium carbonate)") - 47_910.09) < 0.005)
    }

    @Test func vanadiumPentoxide() throws {
        // V2O5 = 2 x 50.9415 + 5 x 15.999 = 181.878; V share 101.883 / 181.878 = 0.560172.
        #expect(abs(UnitConversion.vanadiumShareOfPentoxide - 0.560172) < 5e-7)
        // 5.02 USD/lb V2O5 = 5.02 x 2204.62262 / 0.560172 = 19 756.79 USD/t V.
        #expect(abs(try UnitConversion.usdPerTonne(5.02, unit: "USD per pound V2O5") - 19_756.79) < 0.005)
    }

    @Test func troyOunceAndKilogram() throws {
        // 1 troy oz = 31.1034768 g: 32 150.7466 oz per t.
        #expect(abs(try UnitConversion.usdPerTonne(1, unit: "USD per troy ounce") - 32_150.7466) < 5e-5)
        #expect(exact(try UnitConversion.usdPerTonne(580, unit: "USD per kilogram"), 580_000))
        #expect(exact(try UnitConversion.usdPerTonne(110, unit: "USD per kg NdPr"), 110_000))
        // Ferroniobium (gross weight) at 65% Nb: 26 USD/kg FeNb = 40 000 USD/t Nb; other minerals keep 1000.
        #expect(isClose(try UnitConversion.usdPerTonne(26, unit: "USD per kilogram", mineral: "niobium"), 40_000))
        #expect(exact(try UnitConversion.usdPerTonne(26, unit: "USD per kilogram", mineral: "gallium"), 26_000))
    }

    @Test func unknownUnitsAreErrors() {
        #expect(throws: CoalitionError.self) { try UnitConversion.tonnes(1, unit: "short tons") }
        #expect(throws: CoalitionError.self) { try UnitConversion.tonnes(1, unit: "metric tonsX") }
        #expect(throws: CoalitionError.self) { try UnitConversion.usdPerTonne(1, unit: "US cents per pound") }
    }

    /// instances/data/units.csv is the table, row for row.
    @Test func unitsFileMatchesTheTable() throws {
        let rows = try readQuotedCSV(CoalitionPaths.data.appendingPathComponent("units.csv"))
        #expect(rows.count == UnitConversion.table.count)
        for (row, entry) in zip(rows, UnitConversion.table) {
            #expect(row["kind"] == entry.kind.rawValue)
            #expect(row["unit"] == entry.unit)
            #expect(row["mineral"] == (entry.mineral ?? ""))
            #expect(isClose(Double(row["factor"] ?? ""), entry.factor, relative: 1e-12), "\(entry.unit)")
            #expect(row["to"] == entry.target)
            #expect(row["derivation"] == entry.derivation)
        }
    }
}
