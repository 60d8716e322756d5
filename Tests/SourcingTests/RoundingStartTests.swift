import GLPK
import LinearModel
import Sourcing
import TestSupport
import Testing

/// The rounding start of a contract MIP (docs/FORMULATION.md section 18).
@Suite struct RoundingStartTests {
    /// A plan of every hand MIP: feasible for the model (its cost at least
    /// the hand optimum), and the optimum unchanged with it offered.
    @Test(arguments: [("contract-mip", 6_700.0), ("supplier-limit", 21_700.0)])
    func startIsAPlanAndKeepsTheOptimum(_ name: String, _ optimum: Double) throws {
        let instance = try ModelTests.load(name)
        let built = try SourcingModel(Network(instance))
        let start = try #require(try RoundingStart.start(built, solver: GLPKSolver(), options: .sourcing)?.values)
        // As a fixed point of the model: every integer at 0 or 1, a cost no
        // better than the optimum.
        var fixed = built.model
        for j in fixed.variableKinds.indices {
            try fixed.setBounds(of: fixed.variables[j], lower: start[j], upper: start[j])
        }
        let check = try GLPKSolver().solve(fixed, options: .sourcing)
        #expect(check.termination.reason == .optimal, "\(name): the start is not a solution: \(check.termination)")
        let cost = try #require(check.objective)
        #expect(cost >= optimum - 1e-6, "\(name): start \(cost) below the optimum \(optimum)")
        var options = PlanOptions()
        options.solve.timeLimit = 60
        let plan = try SourcingSolver(GLPKSolver()).plan(instance, options: options)
        #expect(plan.status == .optimal && isClose(plan.objective, optimum), "\(name): \(plan.status) \(plan.objective ?? .nan)")
        #expect(plan.mipStart != nil, "\(name): a time limit builds the start")
        #expect(plan.mipGap == 0)
    }

    /// Stopped at once (node limit 0, GLPK's heuristics off), the plan is
    /// the start: feasible (exit 4), every rule of the contract holding,
    /// its gap reported; without the start there is no plan.
    @Test(arguments: ["contract-mip", "supplier-limit"])
    func aLimitLeavesThePlanOfTheStart(_ name: String) throws {
        let instance = try ModelTests.load(name)
        var options = PlanOptions()
        options.explain = false
        options.solve.nodeLimit = 0
        options.solve.heuristics = []
        let plan = try SourcingSolver(GLPKSolver()).plan(instance, options: options)
        #expect(plan.status == .feasible, "\(name): \(plan.status) \(plan.detail)")
        #expect(plan.mipStart == .accepted)
        let check = checkPlan(instance, plan, tolerance: 1e-6)
        #expect(check.isValid, "\(name):\n\(check.summary)")
        // The bound is a real one (GLPK's -DBL_MAX "no bound yet" is not
        // reported): at most the cost, the gap finite.
        #expect(plan.bestBound.map { $0 <= (plan.objective ?? -.infinity) + 1e-6 } == true, "\(name): \(plan.bestBound ?? .nan)")
        #expect((plan.mipGap ?? .infinity) < 1, "\(name): gap \(plan.mipGap ?? .nan)")
        options.roundingStart = false
        let bare = try SourcingSolver(GLPKSolver()).plan(instance, options: options)
        #expect(bare.status == .limit, "\(name): \(bare.status)")
    }

    /// A start within the gap asked of the relaxation bound answers the MIP
    /// (docs/FORMULATION.md section 18): asked a gap at least the start's
    /// own (under a time limit), the plan costs no more than the start, its
    /// bound is no more than the hand optimum, and the gap reported fits
    /// the gap asked.
    @Test(arguments: [("contract-mip", 6_700.0), ("supplier-limit", 21_700.0)])
    func aStartWithinALooseGapAnswersTheMIP(_ name: String, _ optimum: Double) throws {
        let instance = try ModelTests.load(name)
        let built = try SourcingModel(Network(instance))
        let start = try #require(try RoundingStart.start(built, solver: GLPKSolver(), options: .sourcing))
        #expect(start.cost >= optimum - 1e-6 && start.relaxationBound <= optimum + 1e-6, "\(name): \(start)")
        var options = PlanOptions()
        options.solve.relativeGap = max(start.gap, 1e-6)
        options.solve.timeLimit = 60
        let plan = try SourcingSolver(GLPKSolver()).plan(instance, options: options)
        let cost = try #require(plan.objective)
        #expect(cost <= start.cost + 1e-6 && cost >= optimum - 1e-6, "\(name): \(cost)")
        #expect(plan.bestBound.map { $0 <= optimum + 1e-6 } == true, "\(name): bound \(plan.bestBound ?? .nan)")
        #expect((plan.mipGap ?? .infinity) <= options.solve.relativeGap + 1e-12, "\(name): gap \(plan.mipGap ?? .nan)")
        #expect(plan.mipStart != nil, "\(name): a time limit builds the start")
        #expect(checkPlan(instance, plan, tolerance: 1e-6).isValid)
    }

    /// The neighbourhood start (docs/FORMULATION.md section 18, RENS) on
    /// generated contract MIPs, version 1 and 2: a plan of the model that
    /// the independent plan checker accepts, its cost no better than the
    /// optimum of models/sourcing.mod (MathProg, GLPK on its own model) and
    /// no worse than the roundings alone; and the plan solved with it keeps
    /// that optimum.
    @Test(arguments: [1, 2, 3, 4], [false, true])
    func theNeighbourhoodStartIsAPlanNoWorseThanTheRoundings(seed: Int, v2: Bool) throws {
        let instance = InstanceGenerator(seed: UInt64(seed), minerals: 3, mines: 40, refineries: 20, buyers: 10, mip: true, v2: v2)
            .generate()
        let built = try SourcingModel(Network(instance))
        let solver = DecomposingSolver(GLPKSolver(), threads: 2, minimumBlockSize: 1)
        let start = try #require(try RoundingStart.start(built, solver: solver, options: .sourcing))
        let rounding = try RoundingStart.start(built, solver: solver, options: .sourcing, neighbourhoodNodes: 0)
        let optimum = try #require(try MathProgReference.optimum(instance))
        let tolerance = 1e-7 * max(1, abs(optimum))
        #expect(start.cost >= optimum - tolerance, "seed \(seed): start \(start.cost) below the optimum \(optimum)")
        #expect(start.relaxationBound <= optimum + tolerance)
        #expect(start.cost <= (rounding?.cost ?? .infinity) + tolerance, "seed \(seed): \(start.cost) against \(rounding?.cost ?? .nan)")
        #expect(rounding.map { $0.source == .rounding } ?? true)
        // The start as a fixed point of the model is a plan the checker accepts.
        var fixed = built.model
        for j in fixed.variableKinds.indices where fixed.variableKinds[j] != .continuous {
            try fixed.setBounds(of: fixed.variables[j], lower: start.values[j], upper: start.values[j])
        }
        let check = try GLPKSolver().solve(fixed, options: .sourcing)
        #expect(check.termination.reason == .optimal, "seed \(seed): \(check.termination)")
        #expect(isClose(check.objective, start.cost, relative: 1e-9), "seed \(seed): \(check.objective ?? .nan) against \(start.cost)")
        #expect(checkPlan(instance, Plan(built, check), tolerance: 1e-6).isValid)
        // Without a limit at the default gap no start is built, and the
        // search proves the optimum.
        let plan = try SourcingSolver(solver).plan(instance)
        #expect(plan.status == .optimal && isClose(plan.objective, optimum, relative: 1e-7), "seed \(seed): \(plan.objective ?? .nan)")
        #expect(plan.mipStart == nil && plan.startSource == nil)
        // At a loose gap the start is built and offered: the plan is no
        // dearer than it, and within the gap of the optimum.
        var options = PlanOptions()
        options.solve.relativeGap = 1e-4
        let quick = try SourcingSolver(solver).plan(instance, options: options)
        let quickStart = try #require(quick.startCost, "seed \(seed): a loose gap builds the start")
        let cost = try #require(quick.objective)
        #expect(quick.startSource != nil && quick.mipStart != nil)
        #expect(cost <= quickStart + tolerance && cost >= optimum - tolerance, "seed \(seed): \(cost) start \(quickStart)")
        #expect(cost <= optimum + 1e-4 * abs(cost) + tolerance, "seed \(seed): \(cost) against \(optimum)")
        #expect(checkPlan(instance, quick, tolerance: 1e-6).isValid)
    }
}
