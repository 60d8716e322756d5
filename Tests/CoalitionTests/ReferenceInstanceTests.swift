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
        #expect(
            committed == encoded,
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
        #expect(instance.version == .v2)
        let ids = Set(instance.minerals.map(\.id))
        let required: Set = [
            "lithium", "cobalt", "nickel", "graphite", "rare-earths", "gallium", "antimony",
            "tungsten", "manganese", "vanadium"
        ]
        #expect(required.isSubset(of: ids))
        #expect(instance.minerals.count == 16)
        #expect(instance.mines.count + instance.refineries.count <= 400)
        #expect(
            instance.buyers.map(\.id) == [
                "buyer-AUS", "buyer-CAN", "buyer-CHN", "buyer-EUU", "buyer-GBR", "buyer-IND",
                "buyer-JPN", "buyer-KOR", "buyer-ROW", "buyer-USA", "buyer-USA-defence"
            ])
        // Every coalition buyer demands every mineral, and every mineral has a source.
        let coalitionBuyers = instance.buyers.filter { !["buyer-CHN", "buyer-ROW", "buyer-USA-defence"].contains($0.id) }
        for mineral in ids {
            #expect(instance.refineries.contains { $0.mineral == mineral })
            #expect(coalitionBuyers.allSatisfy { ($0.demand[mineral] ?? 0) > 0 })
        }
    }

    /// Each mineral's own penalty is the civil curve of curves.csv (1.6, 2.2
    /// and 4 times its reference price up to 10%, 30% and all of demand); the
    /// defence, China and rest-of-world buyers carry their own curves.
    @Test func everyMineralHasTheCivilCurve() throws {
        let instance = try Self.built()
        for mineral in instance.minerals {
            let price = try #require(mineral.referencePrice, "\(mineral.id)")
            #expect(price > 0)
            guard case .curve(let segments)? = mineral.shortfallPenalty else {
                Issue.record("\(mineral.id): no curve")
                continue
            }
            #expect(segments.map(\.upTo) == [0.1, 0.3, 1])
            for (segment, multiple) in zip(segments, [1.6, 2.2, 4.0]) {
                #expect(abs(segment.penalty - multiple * price) <= 0.01, "\(mineral.id)")
            }
        }
        let defence = try #require(instance.buyers.first { $0.id == "buyer-USA-defence" })
        let china = try #require(instance.buyers.first { $0.id == "buyer-CHN" })
        for (key, penalty) in defence.shortfallPenalty {
            let price = try #require(instance.minerals.first { $0.id == key }?.referencePrice)
            #expect(penalty.segments.first?.penalty.isCloseTo(6 * price) == true, "\(key)")
        }
        #expect(china.shortfallPenalty.count == 16)
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
        #expect(try refinery("ref-cobalt-CHN").capacity == 232_500)  // 75% of 310 000 t
        #expect(try refinery("ref-lithium-CHN").capacity == 205_900)  // 71% of 290 000 t
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
        #expect(minerals["rare-earths"]?.referencePrice == 14_884)  // 0.2 x 69 000 + 0.4 x 1000 + 0.4 x 1710
        #expect(minerals["rare-earths"]?.priceFloor == 23_084)  // 0.2 x 110 000 + 0.4 x 1000 + 0.4 x 1710, at the border
        #expect(instance.minerals.filter { $0.priceFloor != nil }.map(\.id) == ["rare-earths"])
        // Demand: US consumption (withheld lithium: 0.06 x world output), its
        // defence carve-out, and the soft caps at half the reference price.
        let usa = try #require(instance.buyers.first { $0.id == "buyer-USA" })
        #expect(usa.demand["lithium"] == 17_400)  // 0.06 x 290 000
        let lithiumPrice = try #require(minerals["lithium"]?.referencePrice)
        #expect(usa.exposureCap["lithium"] == ExposureCap(share: 0.5, penalty: (0.5 * lithiumPrice * 100).rounded() / 100))
        #expect(usa.exposureCap["gallium"] == nil)  // gallium's cap is 1: no row
        let defence = try #require(instance.buyers.first { $0.id == "buyer-USA-defence" })
        #expect(defence.exposureCap["*"] == 0.5)  // hard
        // By-product hosts: Chinese gallium limited by alumina (88.2 Mt x 10 g/t).
        #expect(try refinery("ref-gallium-CHN").byProduct?.host == "alumina")
        #expect(abs(try refinery("ref-gallium-CHN").effectiveCapacity - 882) < 1e-9)
    }

    /// The coalition is the MSP list of coalition.csv, the EU with its member
    /// states; no other country is in it.
    @Test func coalitionIsTheMineralsSecurityPartnership() throws {
        let instance = try Self.built()
        let coalition = Set(instance.countries.filter(\.coalition).map(\.code))
        // MSP members with a facility or buyer, and the EU states with a facility (AUT, BEL, ESP, PRT).
        #expect(
            coalition == [
                "AUS", "AUT", "BEL", "CAN", "DEU", "ESP", "EUU", "FIN", "GBR", "IND", "JPN", "KOR",
                "NOR", "PRT", "USA"
            ])
        #expect(instance.countries.map(\.code) == instance.countries.map(\.code).sorted())
        #expect(instance.policy.externalTariff == 0.25)
        #expect(instance.policy.defaultTransportCost == 50)
        // Freight by distance for every pair of the instance's countries (one entry per unordered pair).
        let codes = instance.countries.count
        #expect(instance.transport.count == codes * (codes - 1) / 2)
        let chnEU = try #require(instance.transport.first { $0.from == "CHN" && $0.to == "EUU" })
        #expect(chnEU.cost == 113.47)  // 19 494 km x 0.005 + 16 handling
    }

    /// US demand is the mean of the consumption rows the rules name (their
    /// published years), converted to tonnes, computed here from the CSV
    /// files directly; the defence buyer's share is carved out of it.
    @Test func usDemandEqualsTheConsumptionRowsUsed() throws {
        let instance = try Self.built()
        let rules = try readQuotedCSV(CoalitionPaths.data.appendingPathComponent("demand_rules.csv"))
        let rows = try readQuotedCSV(CoalitionPaths.data.appendingPathComponent("consumption.csv"))
        let defence = try readQuotedCSV(CoalitionPaths.data.appendingPathComponent("defence.csv"))
        let usa = try #require(instance.buyers.first { $0.id == "buyer-USA" })
        let usaDefence = try #require(instance.buyers.first { $0.id == "buyer-USA-defence" })
        var checked = 0
        for rule in rules {
            let mineral = rule["mineral"] ?? ""
            let used = rows.filter { $0["mineral"] == rule["data_mineral"] && $0["measure"] == rule["measure"] && $0["iso3"] == "USA" }
            let values = used.compactMap { row -> Double? in
                guard let q = Double(row["quantity"] ?? ""), let unit = row["unit"] else { return nil }
                return unit.hasPrefix("kilograms") ? q / 1000 : unit.hasPrefix("thousand metric tons") ? q * 1000 : q
            }
            guard !values.isEmpty else { continue }  // withheld: the fallback share (lithium, tungsten)
            let expected = values.reduce(0, +) / Double(values.count)
            let share = Double(defence.first { $0["mineral"] == mineral }?["share_of_us"] ?? "") ?? 0
            let total = (usa.demand[mineral] ?? 0) + (usaDefence.demand[mineral] ?? 0)
            #expect(abs(total - expected) <= 0.002, "\(mineral): US total \(total), consumption rows \(expected)")
            #expect(abs((usaDefence.demand[mineral] ?? 0) - share * expected) <= 0.002, "\(mineral): defence")
            checked += 1
        }
        #expect(checked == 14)
    }
}

extension Double {
    func isCloseTo(_ other: Double) -> Bool { abs(self - other) <= 0.01 }
}

/// The reference plan: optimal, at the objective the README reports, short
/// only where the README states it (demand above primary supply).
@Suite(.serialized) struct ReferencePlanTests {
    static let objective = 159_387_099_019.0
    /// instances/README.md, "World balance": the stated shortfall (t).
    static let statedShortfall: [String: Double] = ["antimony": 1_870.799, "palladium": 113.187, "platinum": 64.816]

    static func plan() throws -> (Instance, Plan) {
        let instance = try InstanceLoader.load(path: CoalitionPaths.instance.path).instance
        return (instance, try SourcingSolver(GLPKSolver()).plan(instance))
    }

    @Test func referencePlan() throws {
        let (_, plan) = try Self.plan()
        #expect(plan.status == .optimal)
        #expect(isClose(plan.objective, Self.objective, relative: 1e-6), "objective \(plan.objective ?? .nan)")
        var short: [String: Double] = [:]
        for d in plan.deliveries where d.shortfall > 0 { short[d.mineral, default: 0] += d.shortfall }
        #expect(Set(short.keys) == Set(Self.statedShortfall.keys), "\(short)")
        for (mineral, tonnes) in Self.statedShortfall {
            #expect(abs((short[mineral] ?? 0) - tonnes) <= 1e-6 * tonnes, "\(mineral): \(short[mineral] ?? 0)")
        }
        // The defence buyer is never short in the reference plan.
        #expect(plan.deliveries.filter { $0.buyer == "buyer-USA-defence" }.allSatisfy { $0.shortfall == 0 })
    }

    /// World demand never exceeds world production (production.csv's 2025
    /// world totals, germanium's stated 180 t) by more than the stated
    /// shortfall.
    @Test func worldDemandWithinWorldProduction() throws {
        let (instance, plan) = try Self.plan()
        let production = try readQuotedCSV(CoalitionPaths.data.appendingPathComponent("production.csv"))
        let minerals = try readQuotedCSV(CoalitionPaths.data.appendingPathComponent("minerals.csv"))
        for spec in minerals {
            let id = spec["id"] ?? ""
            let stage = spec["feed"] == "none" ? "refinery" : "mine"
            var world: Double
            if id == "germanium" {
                world = 180
            } else {
                let row = try #require(
                    production.first {
                        $0["mineral"] == spec["data_mineral"] && $0["iso3"] == "WLD" && $0["year"] == "2025" && $0["stage"] == stage
                    }, "\(id)")
                let unit = row["unit"] ?? ""
                world = Double(row["quantity"] ?? "") ?? .nan
                world *= unit.hasPrefix("kilograms") ? 0.001 : unit.hasPrefix("thousand metric tons") ? 1000 : 1
            }
            let demand = instance.buyers.reduce(0) { $0 + ($1.demand[id] ?? 0) }
            let short = plan.deliveries.filter { $0.mineral == id }.reduce(0) { $0 + $1.shortfall }
            // Each buyer's demand is rounded to the kilogram.
            #expect(
                demand - short <= world + 0.001 * Double(instance.buyers.count),
                "\(id): demand \(demand) - shortfall \(short) > world \(world)")
            #expect(short <= (Self.statedShortfall[id] ?? 0) + 1e-6, "\(id)")
        }
    }
}
