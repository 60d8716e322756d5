/// How concentrated and how exposed one supply is: a buyer's mineral, or a
/// mineral over every buyer (docs/REPORTS.md, "Risk metrics").
///
/// - `hhiRefining`, `hhiMining`: the Herfindahl-Hirschman index of the
///   delivered tonnes by refining country and by mining country,
///   Σ (100 · share)², from 0 to 10,000 (one country);
/// - `topRefining`, `topMining`: the largest single country and its share;
/// - `singleSource`: one refining country delivers everything;
/// - `concentrated`: either index at or above ``concentrationThreshold``;
/// - `coalitionRefiningShare`, `coalitionMiningShare`: the share refined or
///   mined in coalition countries;
/// - `exposedShare`: exposed tonnes over delivered tonnes.
///
/// Mining countries are traced through the ore flows: a refinery's product
/// carries its ore input's mix of mine countries, and a source (feed
/// `none`) counts as mined in its own country.
public struct SupplyRisk: Sendable, Equatable {
    /// The index from which a supply is flagged concentrated: 2,500, the
    /// "highly concentrated" threshold of the US Horizontal Merger
    /// Guidelines (2010) that the IEA and USGS criticality work also use.
    public static let concentrationThreshold = 2500.0

    /// Tonnes and shares by refining country, largest first (ties by code).
    public var refining: [CountryShare]
    /// Tonnes and shares by mining country, largest first (ties by code).
    public var mining: [CountryShare]
    /// Σ (100 · share)² by refining country (nil when nothing is delivered).
    public var hhiRefining: Double?
    /// Σ (100 · share)² by mining country (nil when nothing is delivered).
    public var hhiMining: Double?
    /// Share refined in coalition countries (nil when nothing is delivered).
    public var coalitionRefiningShare: Double?
    /// Share mined in coalition countries (nil when nothing is delivered).
    public var coalitionMiningShare: Double?
    /// Exposed tonnes over delivered tonnes (nil when nothing is delivered).
    public var exposedShare: Double?

    /// Builds the metrics from tonnes by country.
    public init(refining: [String: Double], mining: [String: Double], exposed: Double, coalition: Set<String>) {
        func ranked(_ tonnes: [String: Double]) -> [CountryShare] {
            let total = tonnes.values.reduce(0, +)
            return tonnes.filter { $0.value > flowTolerance }
                .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .map { CountryShare(country: $0.key, tonnes: clean($0.value), share: clean($0.value / total)) }
        }
        self.refining = ranked(refining)
        self.mining = ranked(mining)
        let delivered = refining.values.reduce(0, +)
        func hhi(_ shares: [CountryShare]) -> Double? {
            shares.isEmpty ? nil : clean(shares.reduce(0) { $0 + (100 * $1.share) * (100 * $1.share) })
        }
        func coalitionShare(_ shares: [CountryShare]) -> Double? {
            shares.isEmpty ? nil : clean(shares.filter { coalition.contains($0.country) }.reduce(0) { $0 + $1.share })
        }
        self.hhiRefining = hhi(self.refining)
        self.hhiMining = hhi(self.mining)
        self.coalitionRefiningShare = coalitionShare(self.refining)
        self.coalitionMiningShare = coalitionShare(self.mining)
        self.exposedShare = delivered > flowTolerance ? clean(exposed / delivered) : nil
    }

    /// The largest refining country and its share.
    public var topRefining: CountryShare? { refining.first }
    /// The largest mining country and its share.
    public var topMining: CountryShare? { mining.first }
    /// One refining country delivers everything.
    public var singleSource: Bool { refining.count == 1 }
    /// Either index at or above the threshold.
    public var concentrated: Bool {
        (hhiRefining ?? 0) >= Self.concentrationThreshold || (hhiMining ?? 0) >= Self.concentrationThreshold
    }

    /// The flags a reader should see: `single-source`, `concentrated`.
    public var flags: [String] {
        (singleSource ? ["single-source"] : []) + (concentrated ? ["concentrated"] : [])
    }
}
