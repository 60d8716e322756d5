import Foundation
import GLPK
import LinearModel
import Sourcing
import TestSupport
import Testing

/// Each scenario of instances/scenarios applied to the reference instance
/// (sourcing-instance/2) has the documented cost change and shortfall per
/// mineral (instances/scenarios/README.md, measured with
/// scripts/measure-scenarios). Every scenario changes the optimal cost. A
/// data change that breaks a story fails here.
@Suite struct ScenarioEffectTests {
    /// (file, documented cost change in USD, shortfall per mineral in t).
    /// The shortfall of each mineral is unique at the optimum (the curves
    /// exceed every delivery cost); its split among buyers need not be.
    static let documented: [(String, Double, [String: Double])] = [
        ("antimony-controls", 614968437, ["antimony": 17270.799, "palladium": 113.187, "platinum": 64.816]),
        ("chinese-alumina-curtailment", 228437876, ["antimony": 1870.799, "gallium": 264.6, "palladium": 113.187, "platinum": 64.816]),
        (
            "combined-worst-case", 142134965254,
            [
                "antimony": 17270.799, "cobalt": 224400.0, "gallium": 432.0, "germanium": 115.2, "nickel": 2600000.0, "palladium": 113.187,
                "platinum": 64.816, "rare-earths": 266175.0, "tungsten": 41500.0
            ]
        ),
        ("drc-cobalt-export-ban", 17233393656, ["antimony": 1870.799, "cobalt": 224400.0, "palladium": 113.187, "platinum": 64.816]),
        ("drc-cobalt-quota", 7659230087, ["antimony": 1870.799, "cobalt": 127800.0, "palladium": 113.187, "platinum": 64.816]),
        (
            "gallium-germanium-ban", 1644283201,
            ["antimony": 1870.799, "gallium": 432.0, "germanium": 115.2, "palladium": 113.187, "platinum": 64.816]
        ),
        ("graphite-controls", 548200, ["antimony": 1870.799, "palladium": 113.187, "platinum": 64.816]),
        (
            "indonesia-nickel-export-ban", 107032562931,
            ["antimony": 1870.799, "nickel": 2600000.0, "palladium": 113.187, "platinum": 64.816]
        ),
        ("lithium-price-collapse", -9962054398, ["antimony": 1870.799, "palladium": 113.187, "platinum": 64.816]),
        (
            "rare-earth-licensing-2025", 4357904933,
            ["antimony": 1870.799, "palladium": 113.187, "platinum": 64.816, "rare-earths": 132600.0]
        ),
        ("rare-earth-refining-cut", 10159244445, ["antimony": 1870.799, "palladium": 113.187, "platinum": 64.816, "rare-earths": 266175.0]),
        ("tungsten-controls", 5449964383, ["antimony": 1870.799, "palladium": 113.187, "platinum": 64.816, "tungsten": 41500.0]),
        (
            "us-directed-ban", 180959818,
            ["antimony": 1870.799, "gallium": 9.46, "germanium": 19.199, "palladium": 113.187, "platinum": 64.816]
        ),
        ("zinc-smelter-outage", 434810697, ["antimony": 1870.799, "germanium": 67.602, "palladium": 113.187, "platinum": 64.816])
    ]

    static func plan(_ instance: Instance) throws -> Plan {
        try SourcingSolver(DecomposingSolver(GLPKSolver())).plan(instance)
    }

    static let reference: Instance? = {
        let path = TestPaths.repository.appendingPathComponent("instances/coalition-2026.json").path
        return try? InstanceLoader.load(path: path).instance
    }()

    static let baselinePlan: Plan? = reference.flatMap { try? plan($0) }

    static func applied(_ name: String) throws -> Instance {
        let instance = try #require(reference)
        let scenarioPath = TestPaths.repository.appendingPathComponent("instances/scenarios/\(name).json").path
        let scenario = try ScenarioLoader.load(path: scenarioPath)
        return try ScenarioApplier.apply(scenario, to: instance, scenarioFile: scenarioPath).instance
    }

    @Test func everyScenarioIsDocumented() throws {
        let files = try FileManager.default.contentsOfDirectory(
            atPath: TestPaths.repository.appendingPathComponent("instances/scenarios").path
        )
        .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
        #expect(files == Self.documented.map(\.0))
    }

    @Test(arguments: documented.map(\.0))
    func documentedEffect(_ name: String) throws {
        let (_, costChange, shortfall) = try #require(Self.documented.first { $0.0 == name })
        let plan = try Self.plan(try Self.applied(name))
        let baseline = try #require(Self.baselinePlan)
        #expect(plan.status == .optimal)
        let delta = try #require(plan.objective) - (try #require(baseline.objective))
        // Every scenario changes the optimal cost, by the documented amount (1e-6 relative).
        #expect(abs(delta) > 1, "\(name): the scenario changes nothing")
        #expect(
            delta.sign == costChange.sign && isClose(delta, costChange, relative: 1e-6),
            "\(name): cost change \(delta), documented \(costChange)")
        var short: [String: Double] = [:]
        for d in plan.deliveries where d.shortfall > 0 { short[d.mineral, default: 0] += d.shortfall }
        #expect(Set(short.keys) == Set(shortfall.keys), "\(name): \(short)")
        for (mineral, tonnes) in shortfall {
            #expect(
                abs((short[mineral] ?? 0) - tonnes) <= 1e-3 + 1e-6 * tonnes,
                "\(name) \(mineral): \(short[mineral] ?? 0), documented \(tonnes)")
        }
    }

    /// The combined worst case is the sum of its parts: minerals share no
    /// capacity, so their blocks are independent.
    @Test func combinedWorstCaseIsAdditive() {
        let parts = [
            "antimony-controls", "gallium-germanium-ban", "graphite-controls", "rare-earth-refining-cut",
            "tungsten-controls", "drc-cobalt-export-ban", "indonesia-nickel-export-ban"
        ]
        let sum = parts.compactMap { p in Self.documented.first { $0.0 == p }?.1 }.reduce(0, +)
        let combined = Self.documented.first { $0.0 == "combined-worst-case" }?.1 ?? .nan
        #expect(abs(sum - combined) <= 2)
    }

    /// The gallium ban leaves the coalition short of at least what China
    /// supplied it: coalition demand less all gallium capacity outside China
    /// (by-product recovery included), which the rest of the world competes for.
    @Test func galliumBanBites() throws {
        let instance = try Self.applied("gallium-germanium-ban")
        let plan = try Self.plan(instance)
        let coalition = Set(instance.countries.filter(\.coalition).map(\.code))
        let coalitionBuyers = Set(instance.buyers.filter { coalition.contains($0.country) }.map(\.id))
        let demand = instance.buyers.filter { coalitionBuyers.contains($0.id) }.reduce(0) { $0 + ($1.demand["gallium"] ?? 0) }
        let outside = instance.refineries.filter { $0.mineral == "gallium" && $0.country != "CHN" }.reduce(0) { $0 + $1.effectiveCapacity }
        let short = plan.deliveries.filter { $0.mineral == "gallium" && coalitionBuyers.contains($0.buyer) }.reduce(0) { $0 + $1.shortfall }
        #expect(demand > outside)
        #expect(short >= demand - outside - 1e-6, "coalition short \(short) of \(demand), outside China \(outside)")
    }

    /// The DRC quota changes cobalt's cost and shortfall (it did nothing in
    /// the version 1 instance, where nobody else wanted cobalt).
    @Test func drcQuotaBites() throws {
        let plan = try Self.plan(try Self.applied("drc-cobalt-quota"))
        let baseline = try #require(Self.baselinePlan)
        let short = { (p: Plan) in p.deliveries.filter { $0.mineral == "cobalt" }.reduce(0) { $0 + $1.shortfall } }
        #expect(short(plan) > short(baseline) + 1)
        #expect((plan.objective ?? 0) > (baseline.objective ?? 0) + 1)
    }
}
