import Sourcing
import StrictJSON
import TestSupport
import Testing

/// The risk metrics of docs/REPORTS.md on plans whose flows are unique and
/// derived by hand in instances/small/*.md.
@Suite struct RiskMetricsTests {
    /// diversification.md: 40 t from CHN, 30 t from MYS, 10 t from VNM
    /// (80 t delivered, 20 t short; unique). Shares 0.5, 0.375, 0.125, so
    /// HHI = 50² + 37.5² + 12.5² = 2,500 + 1,406.25 + 156.25 = 4,062.5; the
    /// sources are feed "none", so mined where they refine.
    @Test(arguments: Engine.allCases)
    func diversificationIndex(_ engine: Engine) throws {
        let plan = try engine.plan(try ModelTests.load("diversification"))
        let ree = try #require(plan.mineralSummaries().first)
        #expect(ree.mineral == "ree" && ree.demand == 100 && isClose(ree.delivered, 80) && isClose(ree.shortfall, 20))
        #expect(isClose(ree.risk.hhiRefining, 4062.5, relative: 1e-9))
        #expect(isClose(ree.risk.hhiMining, 4062.5, relative: 1e-9))
        #expect(ree.risk.refining.map(\.country) == ["CHN", "MYS", "VNM"])
        #expect(isClose(ree.risk.topRefining?.share, 0.5))
        #expect(!ree.risk.singleSource && ree.risk.concentrated)
        // Landed cost: 60,500 USD of fees over 80 t.
        #expect(isClose(ree.landedCost, 60_500.0 / 80))
    }

    /// tagging.md: one refinery (USA) fed by 35 t of CHN ore, 30 t of CAN ore
    /// and 10 t of AUS ore (the ore mix is unique). Every buyer's product
    /// traces to CHN 35/75, CAN 30/75, AUS 10/75: HHI by mining country
    /// (100²)(35² + 30² + 10²)/75² = 3,955.5...; by refining country 10,000,
    /// single-source. 24 + 20 of the 60 t delivered are exposed.
    @Test(arguments: Engine.allCases)
    func taggingTracesMineOrigin(_ engine: Engine) throws {
        let plan = try engine.plan(try ModelTests.load("tagging"))
        let graphite = try #require(plan.mineralSummaries().first)
        let squares: Double = 35 * 35 + 30 * 30 + 10 * 10
        let expectedMining: Double = 10_000 * squares / (75 * 75)
        #expect(isClose(graphite.risk.hhiMining, expectedMining, relative: 1e-9), "\(graphite.risk)")
        #expect(graphite.risk.hhiRefining == 10_000 && graphite.risk.singleSource)
        #expect(graphite.risk.mining.map(\.country) == ["CHN", "CAN", "AUS"])
        #expect(isClose(graphite.risk.exposedShare, 44.0 / 60))
        for delivery in plan.deliveries {
            let shares = Dictionary(uniqueKeysWithValues: delivery.byMiningCountry.map { ($0.country, $0.share) })
            #expect(isClose(shares["CHN"], 35.0 / 75, relative: 1e-9) && isClose(shares["CAN"], 0.4, relative: 1e-9))
            #expect(isClose(shares["AUS"], 10.0 / 75, relative: 1e-9))
            #expect(delivery.buyerCountry == "USA")
        }
        // The capped buyer's exposed share is read against its cap: 24/40 = 0.6.
        #expect(isClose(graphite.cappedExposedShare, 0.6) && graphite.cap?.low == 0.6)
    }

    /// The JSON and the CSV carry the same metrics.
    @Test func jsonAndCSVCarryTheMetrics() throws {
        let plan = try Engine.glpk.plan(try ModelTests.load("diversification"))
        let json = plan.jsonValue()
        let mineral = try #require(json["minerals"]?.arrayElements?.first)
        #expect(isClose(mineral["risk"]?["hhiRefining"]?.numberValue, 4062.5))
        #expect(mineral["risk"]?["topRefiningCountry"]?.stringValue == "CHN")
        let table = try #require(plan.tables().first { $0.name == "minerals" })
        let column = try #require(table.header.firstIndex(of: "hhi_refining"))
        #expect(Double(table.rows[0][column]) == 4062.5)
    }
}
