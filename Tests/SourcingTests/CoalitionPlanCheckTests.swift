import Foundation
import GLPK
import LinearModel
import Sourcing
import TestSupport
import Testing

/// The independent plan checker (PlanChecker.swift) passes on the reference
/// instance's plan and on the plan of every scenario in instances/scenarios:
/// every rule of the contract, the cost lines and the landed-cost identity.
@Suite struct CoalitionPlanCheckTests {
    static let root = TestPaths.repository.appendingPathComponent("instances")
    static let scenarios: [String] =
        ((try? FileManager.default.contentsOfDirectory(
            atPath: root.appendingPathComponent("scenarios").path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()

    static func instance() throws -> Instance {
        try InstanceLoader.load(path: root.appendingPathComponent("coalition-2026.json").path).instance
    }

    static func check(_ instance: Instance, _ label: String) throws {
        let plan = try SourcingSolver(DecomposingSolver(GLPKSolver())).plan(instance)
        #expect(plan.status == .optimal, "\(label)")
        let check = checkPlan(instance, plan, tolerance: 1e-6)
        #expect(check.isValid, "\(label):\n\(check.summary)")
    }

    @Test func baseline() throws {
        try Self.check(try Self.instance(), "coalition-2026")
    }

    @Test(arguments: scenarios)
    func scenario(_ file: String) throws {
        let path = Self.root.appendingPathComponent("scenarios/\(file)").path
        let changed = try ScenarioApplier.apply(try ScenarioLoader.load(path: path), to: try Self.instance(), scenarioFile: path)
        try Self.check(changed.instance, file)
    }
}
