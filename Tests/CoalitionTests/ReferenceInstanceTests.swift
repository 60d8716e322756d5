import Coalition
import Foundation
import GLPK
import LinearModel
import Sourcing
import TestSupport
import Testing

/// instances/coalition-2026.json: rebuilt from instances/data byte for byte,
/// valid, and as the README describes it.
///
/// After a change to instances/data, regenerate the file with
/// `COALITION_REGENERATE=1 swift test --filter CoalitionTests`.
@Suite(.serialized) struct ReferenceInstanceTests {
    static func built() throws -> Instance {
        try CoalitionBuilder.build(dataDirectory: CoalitionPaths.data.path)
    }

    @Test func committedFileEqualsTheBuild() throws {
        let encoded = try CoalitionBuilder.encodedJSON(dataDirectory: CoalitionPaths.data.path)
        if TestPaths.flag("COALITION_REGENERATE") {
            try encoded.write(to: CoalitionPaths.instance, options: .atomic)
        }
        let committed = try Data(contentsOf: CoalitionPaths.instance)
        #expect(committed == encoded,
                "instances/coalition-2026.json differs from the build: run COALITION_REGENERATE=1 swift test --filter CoalitionTests")
    }

    @Test func buildIsDeterministic() throws {
        let first = try CoalitionBuilder.encodedJSON(dataDirectory: CoalitionPaths.data.path)
        let second = try CoalitionBuilder.encodedJSON(dataDirectory: CoalitionPaths.data.path)
        #expect(first == second)
    }

    @Test func committedFileLoadsWithoutErrorsOrWarnings() throws {
        let loaded = try InstanceLoader.load(path: CoalitionPaths.instance.path)
        #expect(loaded.warnings.isEmpty, "\(loaded.warnings)")
        #expect(validate(loaded.instance, file: "coalition-2026.json").isEmpty)
        #expect(loaded.instance == (try Self.built()))
    }

    @Test func mineralsAndSize() throws {
        let instance = try Self.built()
        let ids = Set(instance.minerals.map(\.id))
        let required: Set = ["lithium", "cobalt", "nickel", "graphite", "rare-earths", "gallium", "antimony",
                             "tungsten", "manganese", "vanadium"]
        #expect(required.isSubset(of: ids))
        #expect(instance.minerals.count == 16)
        #expect(instance.mines.count + instance.refineries.count <= 400)
        #expect(instance.buyers.map(\.country) == ["AUS", "CAN", "EUU", "GBR", "IND", "JPN", "KOR", "USA"])
        // Every buyer demands every mineral, and every mineral has a source.
        for mineral in ids {
            #expect(instance.refineries.contains { $0.mineral == mineral })
            #expect(instance.buyers.allSatisfy { ($0.demand[mineral] ?? 0) > 0 })
        }
    }

    @Test func everyMineralHasAShortfallPenalty() throws {
        for mineral in try Self.built().minerals {
            let price = try #require(mineral.referencePrice, "\(mineral.id)")
            let penalty = try #require(mineral.shortfallPenalty?.flatValue, "\(mineral.id)")
            #expect(price > 0)
            #expect(abs(penalty - 3 * price) <= 0.01, "\(mineral.id): penalty \(penalty), price \(price)")
        }
    }

    /// mine price + refinery fee = the product price (to the cent), and a
    /// feed-none source's fee is the whole price.
    @Test func minePricePlusFeeIsTheProductPrice() throws {
        let instance = try Self.built()
        let price = Dictionary(uniqueKeysWithValues: instance.minerals.map { ($0.id, $0.referencePrice ?? 0) })
        let minePrice = Dictionary(instance.mines.map { ($0.mineral, $0.price) }, uniquingKeysWith: { a, _ in a })
        for refinery in instance.refineries {
            let product = try #require(price[refinery.mineral])
            if refinery.feed == Feed.none {
                #expect(refinery.fee == product, "\(refinery.id)")
                #expect(minePrice[refinery.mineral] == nil)
            } else {
                let mine = try #require(minePrice[refinery.mineral])
                #expect(abs(mine + refinery.fee - product) < 0.006, "\(refinery.id)")
                #expect(mine > 0 && refinery.fee > 0)
            }
        }
        // One price per mineral at each stage.
        for mine in instance.mines { #expect(mine.price == minePrice[mine.mineral]) }
    }

    /// Spot checks of the rules of instances/README.md against the figures.
    @Test func figuresAndRules() throws {
        let instance = try Self.built()
        func mine(_ id: String) throws -> Mine { try #require(instance.mines.first { $0.id == id }, "\(id)") }
        func refinery(_ id: String) throws -> Refinery { try #require(instance.refineries.first { $0.id == id }, "\(id)") }
        // Mines: 2025 mine production in t contained.
        #expect(try mine("mine-lithium-AUS").capacity == 92_000)
        #expect(try mine("mine-manganese-ZAF").capacity == 7_600_000)
        #expect(try mine("mine-palladium-RUS").capacity == 84)
        #expect(try mine("mine-rare-earths-CHN").capacity == 270_000)
        // Feed-none sources from refinery production (kg and kt converted).
        #expect(try refinery("ref-gallium-CHN").capacity == 900)
        #expect(try refinery("ref-gallium-CHN").feed == Feed.none)
        #expect(try refinery("ref-magnesium-CHN").capacity == 950_000)
        // Refining shares of the world total.
        #expect(try refinery("ref-cobalt-CHN").capacity == 232_500)       // 75% of 310 000 t
        #expect(try refinery("ref-lithium-CHN").capacity == 205_900)      // 71% of 290 000 t
        #expect(try refinery("ref-rare-earths-CHN").capacity == 354_900)  // 91% of 390 000 t
        #expect(try refinery("ref-rare-earths-MYS").capacity == 10_500)
        #expect(try refinery("ref-nickel-IDN").capacity == 1_700_000)
        #expect(abs(try refinery("ref-germanium-CHN").capacity - 169.2) < 1e-9)  // 94% of 180 t
        // Residual shares: cobalt's 25% by the aggregator weights sums back to the world total.
        let cobalt = instance.refineries.filter { $0.mineral == "cobalt" }.reduce(0) { $0 + $1.capacity }
        #expect(abs(cobalt - 310_000) < 0.01)
        // China exposure: default 1 in China (absent), documented ownership abroad.
        #expect(instance.mines.filter { $0.country == "CHN" }.allSatisfy { $0.chinaExposure == nil })
        #expect(instance.refineries.filter { $0.country == "CHN" }.allSatisfy { $0.chinaExposure == nil })
        #expect(try mine("mine-cobalt-COD").chinaExposure == 0.5)
        #expect(try refinery("ref-nickel-IDN").chinaExposure == 0.75)
        let explicit = instance.mines.compactMap(\.chinaExposure).count + instance.refineries.compactMap(\.chinaExposure).count
        #expect(explicit == 2)
        // Prices (USD/t of contained mineral) and the NdPr floor at the mine stage.
        let minerals = Dictionary(uniqueKeysWithValues: instance.minerals.map { ($0.id, $0) })
        #expect(minerals["gallium"]?.referencePrice == 580_000)
        #expect(minerals["cobalt"]?.referencePrice == 33_069.34)
        #expect(minerals["rare-earths"]?.referencePrice == 14_884)      // 0.2 x 69 000 + 0.4 x 1000 + 0.4 x 1710
        #expect(minerals["rare-earths"]?.priceFloor == 9_233.6)         // 0.4 x (0.2 x 110 000 + 0.4 x 1000 + 0.4 x 1710)
        #expect(instance.minerals.filter { $0.priceFloor != nil }.map(\.id) == ["rare-earths"])
        // Demand: the buyer's share of world output.
        let usa = try #require(instance.buyers.first { $0.id == "buyer-USA" })
        #expect(usa.demand["lithium"] == 43_500)   // 0.15 x 290 000
        #expect(usa.demand["gallium"] == 135)      // 0.15 x 900
        #expect(usa.exposureCap["*"] == 0.5)
        #expect(usa.exposureCap["gallium"] == 1)
    }

    /// The coalition is the MSP list of coalition.csv, the EU with its member
    /// states; no other country is in it.
    @Test func coalitionIsTheMineralsSecurityPartnership() throws {
        let instance = try Self.built()
        let coalition = Set(instance.countries.filter(\.coalition).map(\.code))
        // MSP members with a facility or buyer, and the EU states with a facility (AUT, BEL, ESP, PRT).
        #expect(coalition == ["AUS", "AUT", "BEL", "CAN", "DEU", "ESP", "EUU", "FIN", "GBR", "IND", "JPN", "KOR",
                              "NOR", "PRT", "USA"])
        #expect(instance.countries.map(\.code) == instance.countries.map(\.code).sorted())
        #expect(instance.policy.externalTariff == 0.25)
        #expect(instance.policy.defaultTransportCost == 50)
    }
}

/// The reference plan: optimal, every demand met, at the objective the
/// README reports.
@Suite(.serialized) struct ReferencePlanTests {
    static let objective = 78_777_071_759.8

    @Test func referencePlan() throws {
        let instance = try InstanceLoader.load(path: CoalitionPaths.instance.path).instance
        let plan = try SourcingSolver(GLPKSolver()).plan(instance)
        #expect(plan.status == .optimal)
        #expect(plan.breakdown?.shortfall == 0)
        #expect(plan.deliveries.allSatisfy { $0.shortfall == 0 })
        #expect(isClose(plan.objective, Self.objective, relative: 1e-6), "objective \(plan.objective ?? .nan)")
    }
}
