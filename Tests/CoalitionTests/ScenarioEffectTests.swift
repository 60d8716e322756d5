import Foundation
import GLPK
import LinearModel
import Sourcing
import TestSupport
import Testing

/// Each scenario of instances/scenarios applied to the reference instance
/// has the documented direction and size of effect (instances/scenarios/
/// README.md: cost change and total shortfall, measured when the files were
/// written). A data change that breaks a story fails here.
@Suite struct ScenarioEffectTests {
    /// (file, documented cost change in USD, documented total shortfall in t).
    static let documented: [(String, Double, Double)] = [
        ("gallium-germanium-ban", 905_594_515.0, 396 + 70.199),
        ("graphite-controls", 753_679_484.0, 218_448.424),
        ("rare-earth-refining-cut", 1_949_432_007.0, 74_981),
        ("antimony-controls", 0, 0),
        ("tungsten-controls", 2_739_278_838.1, 24_510),
        ("drc-cobalt-quota", 0, 0),
        ("drc-cobalt-export-ban", 3_697_582_675.2, 64_000),
        ("indonesia-nickel-export-ban", 19_912_550_000.0, 760_000),
        ("lithium-price-collapse", -5_385_995_852.4, 0),
        ("us-directed-ban", 282_855_676.0, 126 + 21.599),
        ("combined-worst-case", 29_958_117_519.2, 64_000 + 396 + 70.199 + 218_448.424 + 760_000 + 74_981 + 24_510),
    ]

    static let baselinePlan: Plan? = {
        let path = TestPaths.repository.appendingPathComponent("instances/coalition-2026.json").path
        guard let instance = try? InstanceLoader.load(path: path).instance else { return nil }
        return try? SourcingSolver(DecomposingSolver(GLPKSolver())).plan(instance)
    }()

    @Test(arguments: documented.map(\.0))
    func documentedEffect(_ name: String) throws {
        let (_, costChange, shortfall) = try #require(Self.documented.first { $0.0 == name })
        let repository = TestPaths.repository
        let instance = try InstanceLoader.load(path: repository.appendingPathComponent("instances/coalition-2026.json").path).instance
        let scenarioPath = repository.appendingPathComponent("instances/scenarios/\(name).json").path
        let scenario = try ScenarioLoader.load(path: scenarioPath)
        let (changed, _) = try ScenarioApplier.apply(scenario, to: instance, scenarioFile: scenarioPath)
        let plan = try SourcingSolver(DecomposingSolver(GLPKSolver())).plan(changed)
        let baseline = try #require(Self.baselinePlan)
        #expect(plan.status == .optimal)
        let delta = try #require(plan.objective) - (try #require(baseline.objective))
        // Direction, and size within 0.1% of the documented change (or 1 USD when none).
        #expect(costChange == 0 ? abs(delta) <= 1 : (delta.sign == costChange.sign && isClose(delta, costChange, relative: 1e-3)),
                "\(name): cost change \(delta), documented \(costChange)")
        let total = plan.deliveries.reduce(0) { $0 + $1.shortfall }
        #expect(abs(total - shortfall) <= 1e-6 * max(1, shortfall), "\(name): shortfall \(total), documented \(shortfall)")
    }
}
