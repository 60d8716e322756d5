import Foundation
import GLPK
import LinearModel
import Sourcing
import TestSupport
import Testing

/// The sourcing model built in Swift reaches the optima derived by hand in
/// `instances/small/*.md`.
@Suite struct ModelTests {
    static let handOptima: [(String, Double?)] = [
        ("tagging", 14_900), ("floors", 51_800), ("tariff-reverse", 64_700), ("diversification", 100_500),
        ("coalition-offtake", 107_000), ("export-ban", 30_500), ("shortfall-penalty", 16_200),
        ("contract-mip", 6_700), ("supplier-limit", 21_700), ("supplier-share", 46_000), ("infeasible", nil),
        ("infeasible-capacity", nil),
        // Version 2 (instances/small/README.md, each derived in its .md).
        ("shortage-shared", 42_000), ("defence-first", 310_000), ("border-floor", 113_000),
        ("floor-no-reference", 14_800), ("soft-cap", 61_000), ("soft-cap-hard", 94_000), ("byproduct", 44_000)
    ]

    static func load(_ name: String) throws -> Instance {
        let path = TestPaths.repository.appendingPathComponent("instances/small/\(name).json").path
        return try InstanceLoader.load(path: path).instance
    }

    @Test(arguments: Engine.allCases, handOptima.map(\.0))
    func handOptimum(_ engine: Engine, _ name: String) throws {
        let expected = Self.handOptima.first { $0.0 == name }?.1
        let built = try SourcingModel(Network(try Self.load(name)))
        let result = try engine.solve(built.model)
        if let expected {
            #expect(result.termination.reason == .optimal, "\(name): \(result.termination)")
            #expect(isClose(result.objective, expected), "\(name): \(result.objective ?? .nan)")
        } else {
            #expect(result.termination.reason == .infeasible, "\(name): \(result.termination)")
        }
    }

    static func plan(_ instance: Instance, on engine: Engine = .glpk) throws -> Plan {
        try engine.plan(instance)
    }

    static func delivery(_ plan: Plan, _ buyer: String, _ mineral: String) throws -> Delivery {
        try #require(plan.deliveries.first { $0.buyer == buyer && $0.mineral == mineral })
    }

    /// shortage-shared.md: the curve splits the 30 t shortage 10 + 20 (20%
    /// of each demand), valued at the reference price 25 000.
    @Test(arguments: Engine.allCases)
    func shortageIsSharedBySegments(_ engine: Engine) throws {
        let plan = try Self.plan(try Self.load("shortage-shared"), on: engine)
        #expect(plan.objective == 42_000)
        let usa = try Self.delivery(plan, "cells-usa", "cobalt"), deu = try Self.delivery(plan, "cells-deu", "cobalt")
        #expect(usa.shortfall == 10 && deu.shortfall == 20)
        #expect(usa.shortfallValue == 250_000 && deu.shortfallValue == 500_000)
        #expect(usa.shortfallCost + deu.shortfallCost == plan.breakdown?.shortfall)
    }

    /// defence-first.md: the defence buyer's higher curve is served first;
    /// every tonne short falls on oem.
    @Test(arguments: Engine.allCases)
    func higherCurveIsServedFirst(_ engine: Engine) throws {
        let plan = try Self.plan(try Self.load("defence-first"), on: engine)
        #expect(plan.objective == 310_000)
        for d in plan.deliveries where d.buyer == "defence" { #expect(d.shortfall == 0, "\(d.mineral)") }
        #expect(plan.deliveries.contains { $0.buyer == "oem" && $0.shortfall > 0 })
    }

    /// border-floor.md and floor-no-reference.md: the border charge and its levy.
    @Test(arguments: Engine.allCases)
    func borderFloorLevies(_ engine: Engine) throws {
        let border = try Self.plan(try Self.load("border-floor"), on: engine)
        #expect(border.objective == 113_000)
        #expect(border.breakdown?.tariff == 13_000 && border.breakdown?.floorLevy == 9_600)
        #expect(border.breakdown?.floorPremium == 0)
        let noReference = try Self.plan(try Self.load("floor-no-reference"), on: engine)
        #expect(noReference.objective == 14_800)
        #expect(noReference.breakdown?.tariff == 4_000 && noReference.breakdown?.floorLevy == 4_000)
        let path = TestPaths.repository.appendingPathComponent("instances/small/floor-no-reference.json").path
        #expect(try InstanceLoader.load(path: path).warnings.contains { $0.path.hasSuffix("priceFloor") })
    }

    /// soft-cap.md and soft-cap-hard.md: the cap bends at its price (35 t,
    /// 7 000 USD; marginal price 650) against the same cap hard (a 20 t
    /// shortfall, marginal price 2 000).
    @Test(arguments: Engine.allCases)
    func softCapBendsAtItsPrice(_ engine: Engine) throws {
        let soft = try Self.plan(try Self.load("soft-cap"), on: engine)
        #expect(soft.objective == 61_000)
        #expect(soft.breakdown?.capExcess == 7_000)
        let d = try Self.delivery(soft, "oem", "graphite")
        #expect(d.capExcess == 35 && d.marginalPrice == 650)
        let hard = try Self.plan(try Self.load("soft-cap-hard"), on: engine)
        #expect(hard.objective == 94_000)
        let h = try Self.delivery(hard, "oem", "graphite")
        #expect(h.shortfall == 20 && h.capExcess == 0 && h.marginalPrice == 2_000)
    }

    /// byproduct.md: the host limits capacity; halving the zinc host
    /// through the scenario costs 58 500 - 44 000.
    @Test(arguments: Engine.allCases)
    func byProductFollowsItsHost(_ engine: Engine) throws {
        let instance = try Self.load("byproduct")
        let plan = try Self.plan(instance, on: engine)
        #expect(plan.objective == 44_000)
        #expect(plan.facilities.contains { $0.hostLimit != nil && $0.effectiveCapacity < $0.capacity })
        let scenario = try ScenarioLoader.load(
            path: TestPaths.repository
                .appendingPathComponent("instances/small/scenarios/byproduct-host-cut.json").path)
        let cut = try ScenarioApplier.apply(scenario, to: instance, scenarioFile: "byproduct-host-cut.json").instance
        #expect(try Self.plan(cut, on: engine).objective == 58_500)
    }
}
