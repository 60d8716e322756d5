import Foundation
import GLPK
import LinearModel
import Sourcing
import TestSupport
import Testing

/// The one sourcing pipeline (plan, what-if, stress test, sweep row) gives
/// the hand-derived figures of `instances/small/*.md` on every solver that
/// implements the solver protocols: GLPK whole, GLPK decomposed with warm
/// sessions, and the in-memory test double (no GLPK at all).
@Suite struct PipelineTests {
    static func scenario(_ name: String) throws -> Scenario {
        try ScenarioLoader.load(path: TestPaths.repository.appendingPathComponent("instances/small/scenarios/\(name).json").path)
    }

    static func apply(_ scenario: Scenario, _ instance: Instance) throws -> Instance {
        try ScenarioApplier.apply(scenario, to: instance, scenarioFile: "s.json", instanceFile: "i.json").0
    }

    /// Every hand optimum (and both hand-derived infeasibilities) on every engine.
    @Test(arguments: Engine.allCases, ModelTests.handOptima.map(\.0))
    func plan(_ engine: Engine, _ name: String) throws {
        let expected = ModelTests.handOptima.first { $0.0 == name }?.1
        let plan = try engine.pipeline().plan(try ModelTests.load(name))
        if let expected {
            #expect(plan.status == .optimal, "\(name): \(plan.detail)")
            #expect(isClose(plan.objective, expected), "\(name): \(plan.objective ?? .nan)")
        } else {
            #expect(plan.status == .infeasible, "\(name): \(plan.status)")
        }
    }

    /// infeasible.md: least total shortfall 62.5 t (us-buyer), and the cap
    /// would have to allow 0.70 (excess 50 t).
    @Test(arguments: Engine.allCases)
    func explanation(_ engine: Engine) throws {
        let plan = try engine.pipeline().plan(try ModelTests.load("infeasible"))
        let explanation = try #require(plan.explanation)
        #expect(isClose(explanation.totalShortfall, 62.5))
        #expect(explanation.shortfalls.map(\.buyer) == ["us-buyer"])
        #expect(isClose(explanation.totalCapExcess, 50))
        #expect(isClose(explanation.capNeeds.first?.needed, 0.7))
    }

    /// byproduct.md: 44 000, and 58 500 with the zinc host halved; with
    /// reuse both models go through one session opened on the baseline.
    @Test(arguments: Engine.allCases, [true, false])
    func whatIf(_ engine: Engine, reuse: Bool) throws {
        let base = try ModelTests.load("byproduct")
        let cut = try Self.scenario("byproduct-host-cut")
        let changed = try Self.apply(cut, base)
        let counter = SolveCounter()
        let pipeline =
            engine == .double
            ? SourcingPipeline(DenseSimplexSolver(counter: counter), reuse: reuse) : engine.pipeline(reuse: reuse)
        let comparison = try pipeline.whatIf(
            base: base, changed: changed, scenarioName: "host cut",
            changes: cut.changes.map { (origin: "scenario", change: $0) })
        #expect(isClose(comparison.baseline.objective, 44_000))
        #expect(isClose(comparison.scenario.objective, 58_500))
        #expect(comparison.changes.count == 1)
        if engine == .double {
            // Reuse: one session, the baseline and the cut taken as updates
            // of its model (a host cut changes bounds only); no reuse: two cold plans.
            #expect(counter.sessionsOpened == (reuse ? 1 : 0))
            #expect(counter.updatesTaken == (reuse ? 2 : 0))
            #expect(counter.coldSolves == (reuse ? 0 : 2))
        }
    }

    /// A what-if of a generated version 2 contract MIP, through sessions:
    /// both sides are the optima of models/sourcing.mod on the same data
    /// (the independent formulation through GLPK's MathProg translator),
    /// and the cut bites. A MIP is solved cold by the whole MIP path, not
    /// re-solved in the baseline's session (whose search model is the
    /// baseline's; a 4,169-column one ran past 10 minutes that way).
    @Test(arguments: [(12, "CAN:m0=100%"), (15, "IDN:m2=100%")])
    func whatIfOfAMIPIsTheReferenceOptimum(_ seed: Int, _ cutText: String) throws {
        let base = InstanceGenerator(seed: UInt64(seed), minerals: 3, mines: 12, refineries: 8, buyers: 5, mip: true, v2: true)
            .generate()
        let cut = try QuickChange.scenario(cuts: [cutText], bans: [])
        let changed = try Self.apply(cut, base)
        let comparison = try Engine.decomposed.pipeline(reuse: true).whatIf(
            base: base, changed: changed, scenarioName: "cut", changes: cut.changes.map { (origin: "scenario", change: $0) })
        let before = try #require(try MathProgReference.optimum(base))
        let after = try #require(try MathProgReference.optimum(changed))
        #expect(comparison.baseline.status == .optimal && comparison.scenario.status == .optimal)
        #expect(
            isClose(comparison.baseline.objective, before, relative: 1e-9), "\(comparison.baseline.objective ?? .nan) against \(before)")
        #expect(isClose(comparison.scenario.objective, after, relative: 1e-9), "\(comparison.scenario.objective ?? .nan) against \(after)")
        #expect(after > before * (1 + 1e-6), "the cut must bite: \(after) against \(before)")
    }

    /// shortage-shared.md: one source of 120 t for demands of 50 and 100 t
    /// (penalty 1 000 on the first 20 % of each, then 5 000; fee 100;
    /// reference price 25 000). Halving it: 60 t delivered (6 000), 30 t
    /// short at 1 000 and 60 t at 5 000: 336 000, up 294 000 from 42 000,
    /// 90 t short worth 2 250 000. A full outage: 30 x 1 000 + 120 x 5 000
    /// = 630 000, 150 t worth 3 750 000.
    @Test(arguments: Engine.allCases, [0.5, 1.0])
    func stress(_ engine: Engine, factor: Double) throws {
        let report = try engine.pipeline().stress(try ModelTests.load("shortage-shared"), each: .facility, factor: factor)
        #expect(isClose(report.baselineCost, 42_000))
        #expect(report.isComplete && report.rows.map(\.name) == ["co-src"])
        let row = try #require(report.rows.first)
        #expect(isClose(row.cost, factor == 1 ? 630_000 : 336_000))
        #expect(isClose(row.costIncrease, factor == 1 ? 588_000 : 294_000))
        #expect(isClose(row.shortfallValue, factor == 1 ? 3_750_000 : 2_250_000))
        #expect(row.costRank == 1 && row.shortfallRank == 1)
    }

    /// A sweep row of the host cut (58 500), of an infeasible scenario
    /// (explained, status infeasible) and of a scenario that cannot apply
    /// (invalid, its path named), through sessions and without.
    @Test(arguments: Engine.allCases, [true, false])
    func sweepRows(_ engine: Engine, reuse: Bool) throws {
        let base = try ModelTests.load("byproduct")
        let pipeline = engine.pipeline(reuse: reuse)
        let sessions = reuse ? pipeline.sessions(on: base) : nil
        let cut = pipeline.sweepRow(
            .success(try Self.scenario("byproduct-host-cut")), base: base, scenarioFile: "cut.json",
            instanceFile: "byproduct.json", sessions: sessions)
        #expect(cut.status == "optimal" && isClose(cut.cost, 58_500) && cut.detail.isEmpty)
        #expect(isClose(cut.shortfallValue, 0))
        // Every germanium source out and the demand hard: infeasible.
        var outage = Scenario()
        outage.changes = [
            try QuickChange.parseCut("AUS:germanium=100%"), try QuickChange.parseCut("CAN:germanium=100%"),
            try QuickChange.parseCut("BEL:germanium=100%")
        ]
        let infeasible = pipeline.sweepRow(
            .success(outage), base: base, scenarioFile: "out.json", instanceFile: "byproduct.json",
            sessions: sessions)
        #expect(infeasible.status == "infeasible" && infeasible.cost == nil && !infeasible.detail.isEmpty)
        var unknown = Scenario()
        unknown.changes = [try QuickChange.parseCut("no-such-mine=50%")]
        let invalid = pipeline.sweepRow(
            .success(unknown), base: base, scenarioFile: "bad.json", instanceFile: "byproduct.json",
            sessions: sessions)
        #expect(invalid.status == "invalid" && invalid.failed)
        #expect(invalid.detail.contains("changes[0]"), "\(invalid.detail)")
    }
}

extension PipelineTests {
    /// FrontierTests' hand-solved case (demand 10 t; CHN 10 t at 100 USD/t,
    /// exposed; AUS 6 t at 150 USD/t; shortfall 1,000 USD/t): breakpoints
    /// (1, 1,000), (0.4, 1,300) and (0, 4,900), slopes 5 and 90 USD per
    /// point, on every engine (the double's ranging is its own).
    @Test(arguments: Engine.allCases)
    func frontierBreakpoints(_ engine: Engine) throws {
        let instance = try InstanceLoader.decode(Data(TestModels.frontierInstance.utf8), file: "frontier.json").instance
        let frontier = try engine.pipeline().frontier(instance, mineral: "gallium")
        #expect(frontier.points.count == 3, "\(frontier.points)")
        let expected: [(Double, Double, Double?)] = [(1, 1_000, nil), (0.4, 1_300, 5), (0, 4_900, 90)]
        for (p, e) in zip(frontier.points, expected) {
            #expect(isClose(p.share, e.0, relative: 1e-9) && isClose(p.cost, e.1), "\(p)")
            if let slope = e.2 { #expect(isClose(p.marginalCostPerPoint, slope, relative: 1e-9), "\(p)") }
        }
    }

    /// Every mineral of every LP instance in instances/small: the double
    /// traces the frontier GLPK traces (the frontier is unique; its points
    /// are where the slope changes).
    @Test(arguments: ["tagging", "diversification", "coalition-offtake", "export-ban", "shortage-shared", "soft-cap", "byproduct"])
    func frontierOnTheDoubleIsGLPKs(_ name: String) throws {
        let instance = try ModelTests.load(name)
        var traced = 0
        defer { #expect(traced > 0, "\(name): no mineral with demand") }
        for mineral in instance.minerals.map(\.id) where instance.buyers.contains(where: { $0.demand[mineral] != nil }) {
            traced += 1
            let glpk = try Engine.glpk.pipeline().frontier(instance, mineral: mineral)
            let double = try Engine.double.pipeline().frontier(instance, mineral: mineral)
            #expect(glpk.points.count == double.points.count, "\(name) \(mineral): \(glpk.points) vs \(double.points)")
            for (a, b) in zip(glpk.points, double.points) {
                #expect(
                    isClose(b.share, a.share, relative: 1e-7) && isClose(b.cost, a.cost, relative: 1e-7), "\(name) \(mineral): \(a) vs \(b)"
                )
            }
        }
    }
}

/// The tight contract formulation (docs/FORMULATION.md section 17) has the
/// optimum of the big-M rows and an LP relaxation never weaker.
@Suite struct ContractFormulationTests {
    static let cases: [(name: String, optimum: Double)] = [
        ("contract-mip", 6_700), ("supplier-limit", 21_700), ("supplier-share", 46_000)
    ]

    /// instances/small/supplier-share.md: each supplier arc's smallest
    /// bound is the country share of the demand (60 t, not the demand's
    /// 100 t), which lifts the relaxation from 14,000 (section 4's rows,
    /// and `arcs`, which keeps their coefficients) to the optimum, 46,000.
    @Test func countryShareBoundsTheSupplierRows() throws {
        let network = Network(try ModelTests.load("supplier-share"))
        for formulation in ContractFormulation.allCases {
            let result = try GLPKSolver().solve(SourcingModel(network, formulation: formulation).model, options: .sourcing)
            let expected = formulation == .bigM || formulation == .arcs ? 14_000.0 : 46_000.0
            #expect(isClose(result.relaxationBound, expected), "\(formulation): \(result.relaxationBound ?? .nan)")
            #expect(isClose(result.objective, 46_000), "\(formulation): \(result.objective ?? .nan)")
        }
    }

    @Test(arguments: cases.map(\.name))
    func sameOptimumTighterRelaxation(_ name: String) throws {
        let expected = try #require(Self.cases.first { $0.name == name }?.optimum)
        let network = Network(try ModelTests.load(name))
        var relaxations: [Double] = []
        for formulation in ContractFormulation.allCases {
            let built = try SourcingModel(network, formulation: formulation)
            let result = try GLPKSolver().solve(built.model, options: .sourcing)
            #expect(result.termination.reason == .optimal)
            #expect(isClose(result.objective, expected), "\(name) \(formulation): \(result.objective ?? .nan)")
            relaxations.append(try #require(result.relaxationBound))
        }
        // bigM first: minimising, every other bound is at least the big-M one.
        for bound in relaxations.dropFirst() {
            #expect(bound >= relaxations[0] - 1e-9 * max(1, abs(relaxations[0])), "\(relaxations)")
        }
    }

    /// Generated contract MIPs (version 1 and version 2, with soft caps and
    /// curves): the same optimum in both formulations, and a root LP bound
    /// (the relaxation) never weaker in the tight one.
    @Test(arguments: [11, 12, 13, 14, 15, 16], [false, true])
    func generatedMIPsAgree(_ seed: Int, v2: Bool) throws {
        let network = Network(
            InstanceGenerator(seed: UInt64(seed), minerals: 3, mines: 12, refineries: 8, buyers: 5, mip: true, v2: v2).generate())
        let results = try ContractFormulation.allCases.map { formulation in
            try GLPKSolver().solve(SourcingModel(network, formulation: formulation).model, options: .sourcing)
        }
        let reference = try #require(results[0].objective)
        let bigM = try #require(results[0].relaxationBound)
        for (formulation, result) in zip(ContractFormulation.allCases, results).dropFirst() {
            #expect(isClose(result.objective, reference, relative: 1e-7), "\(formulation): \(results.map(\.objective))")
            let bound = try #require(result.relaxationBound)
            #expect(bound >= bigM - 1e-9 * max(1, abs(bigM)), "root bound: \(formulation) \(bound) against big-M \(bigM)")
        }
        // Tight is the bounds formulation plus the per-arc rows that
        // tighten it: its root bound is at least that of the bounds alone.
        let bounds = try #require(results[2].relaxationBound), tight = try #require(results[1].relaxationBound)
        #expect(tight >= bounds - 1e-9 * max(1, abs(bounds)), "root bound: tight \(tight) against bounds \(bounds)")
    }
}
