/// The one conversion table from USGS units to the instance's units:
/// tonnes of contained mineral (t) and US dollars per tonne of contained
/// mineral (USD/t).
///
/// `instances/data/units.csv` is this table written out (a test keeps the two
/// equal). Mass units are matched by their leading words, so
/// `"thousand metric tons, manganese content"` is a `"thousand metric tons"`;
/// the words after them only say what is contained, which is the mineral's
/// own unit by construction (t Li, t Co, t REO for rare earths, t of sponge,
/// t of primary magnesium, ...). Price units are matched exactly, with an
/// entry for one mineral taking precedence over the general one (niobium's
/// USD per kilogram is per kilogram of ferroniobium).
public enum UnitConversion {
    /// What an entry converts.
    public enum Kind: String, Sendable, CaseIterable {
        /// A quantity, to tonnes of contained mineral.
        case mass
        /// A price, to USD per tonne of contained mineral.
        case price
    }

    /// One row of the table.
    public struct Entry: Sendable, Equatable {
        public var kind: Kind
        /// The USGS unit (for mass, its leading words).
        public var unit: String
        /// The instance mineral id the entry is restricted to (nil: any).
        public var mineral: String?
        /// Multiply a value in `unit` by this to get t or USD/t.
        public var factor: Double
        /// How the factor is derived, in words.
        public var derivation: String

        /// `"t"` for mass entries, `"USD/t"` for price entries.
        public var target: String { kind == .mass ? "t" : "USD/t" }

        public init(kind: Kind, unit: String, mineral: String? = nil, factor: Double, derivation: String) {
            self.kind = kind
            self.unit = unit
            self.mineral = mineral
            self.factor = factor
            self.derivation = derivation
        }
    }

    // MARK: Constants

    /// The international avoirdupois pound, in kilograms (exact).
    public static let kilogramsPerPound = 0.45359237
    /// Pounds in a metric tonne: 2204.62262...
    public static let poundsPerTonne = 1000 / kilogramsPerPound
    /// The troy ounce, in grams (exact).
    public static let gramsPerTroyOunce = 31.1034768
    /// Troy ounces in a metric tonne: 32150.7466...
    public static let troyOuncesPerTonne = 1_000_000 / gramsPerTroyOunce
    /// A metric ton unit (mtu) is 1% of a tonne: 10 kg of the named content.
    public static let kilogramsPerMetricTonUnit = 10.0
    /// Tungsten in one mtu of WO3, in kg, as USGS states it (1 mtu WO3 = 7.93 kg W).
    public static let tungstenKilogramsPerMTUOfWO3 = 7.93
    /// Mass share of lithium in Li2CO3 (standard atomic weights Li 6.94, C 12.011, O 15.999): 0.18785...
    public static let lithiumShareOfCarbonate = (2 * 6.94) / (2 * 6.94 + 12.011 + 3 * 15.999)
    /// Mass share of vanadium in V2O5 (V 50.9415, O 15.999): 0.56017...
    public static let vanadiumShareOfPentoxide = (2 * 50.9415) / (2 * 50.9415 + 5 * 15.999)
    /// Niobium in standard-grade ferroniobium (63-67% Nb): an assumption of 65%.
    public static let niobiumShareOfFerroniobium = 0.65

    /// Every conversion the builder may use.
    public static let table: [Entry] = [
        Entry(
            kind: .mass, unit: "kilograms", factor: 0.001,
            derivation: "1 kg = 0.001 t"),
        Entry(
            kind: .mass, unit: "metric tons", factor: 1,
            derivation: "1 t = 1 t (the qualifier names the contained mineral)"),
        Entry(
            kind: .mass, unit: "thousand metric tons", factor: 1000,
            derivation: "1 kt = 1000 t"),
        Entry(
            kind: .price, unit: "USD per metric ton", factor: 1,
            derivation: "already USD/t"),
        Entry(
            kind: .price, unit: "USD per kilogram", factor: 1000,
            derivation: "1000 kg per t"),
        Entry(
            kind: .price, unit: "USD per kilogram", mineral: "niobium",
            factor: 1000 / niobiumShareOfFerroniobium,
            derivation: "per kg of ferroniobium (gross weight); 1000 kg per t / 0.65 t Nb per t FeNb (assumed standard grade)"),
        Entry(
            kind: .price, unit: "USD per kg NdPr", factor: 1000,
            derivation: "1000 kg per t (of NdPr oxide, counted as REO)"),
        Entry(
            kind: .price, unit: "USD per pound", factor: poundsPerTonne,
            derivation: "1 lb = 0.45359237 kg, so 2204.62262 lb per t"),
        Entry(
            kind: .price, unit: "USD per troy ounce", factor: troyOuncesPerTonne,
            derivation: "1 troy oz = 31.1034768 g, so 32150.7466 oz per t"),
        Entry(
            kind: .price, unit: "USD per metric ton (lithium carbonate)", factor: 1 / lithiumShareOfCarbonate,
            derivation: "per t of Li2CO3; Li2CO3 is 18.785% Li (Li 6.94, C 12.011, O 15.999), so divide by 0.18785"),
        Entry(
            kind: .price, unit: "USD per pound V2O5", factor: poundsPerTonne / vanadiumShareOfPentoxide,
            derivation: "per lb of V2O5; 2204.62262 lb per t, V2O5 is 56.017% V (V 50.9415, O 15.999)"),
        Entry(
            kind: .price, unit: "USD per dry metric ton unit of WO3 (1 mtu WO3 = 7.93 kg W)",
            factor: 1000 / tungstenKilogramsPerMTUOfWO3,
            derivation: "1 mtu WO3 = 10 kg WO3 = 7.93 kg W, so 1000 / 7.93 mtu per t W"),
        Entry(
            kind: .price, unit: "USD per metric ton unit (Mn content)", factor: 1000 / kilogramsPerMetricTonUnit,
            derivation: "1 mtu = 10 kg Mn, so 100 mtu per t Mn")
    ]

    // MARK: Conversions

    /// The factor from a USGS mass unit to tonnes, or nil when the table has none.
    public static func massFactor(_ unit: String) -> Double? {
        let matches = table.filter { entry in
            entry.kind == .mass && (unit == entry.unit || unit.hasPrefix(entry.unit + ",") || unit.hasPrefix(entry.unit + " "))
        }
        return matches.max { $0.unit.count < $1.unit.count }?.factor
    }

    /// The factor from a USGS price unit to USD per tonne of contained
    /// `mineral`, or nil when the table has none.
    public static func priceFactor(_ unit: String, mineral: String? = nil) -> Double? {
        let prices = table.filter { $0.kind == .price && $0.unit == unit }
        if let mineral, let specific = prices.first(where: { $0.mineral == mineral }) { return specific.factor }
        return prices.first(where: { $0.mineral == nil })?.factor
    }

    /// `quantity` in `unit`, in tonnes of contained mineral.
    public static func tonnes(_ quantity: Double, unit: String) throws(CoalitionError) -> Double {
        guard let factor = massFactor(unit) else {
            throw CoalitionError("no conversion to tonnes for the unit \"\(unit)\"")
        }
        return quantity * factor
    }

    /// `price` in `unit`, in USD per tonne of contained `mineral`.
    public static func usdPerTonne(_ price: Double, unit: String, mineral: String? = nil) throws(CoalitionError) -> Double {
        guard let factor = priceFactor(unit, mineral: mineral) else {
            throw CoalitionError("no conversion to USD/t for the unit \"\(unit)\"")
        }
        return price * factor
    }
}
