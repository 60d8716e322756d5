import Foundation
import GLPK
import LinearModel
import TestSupport
import Testing

/// Threads, warm starts, presolver traps and limits.
@Suite struct SafetyTests {
    /// The two MIP presolver traps of docs/GLPK.md: with unbounded
    /// integer columns GLPK's presolver hangs on the first and aborts on the
    /// second. Both must end at once as infeasible, whatever the options.
    @Test(arguments: [1.0, 1.0001], [false, true])
    func mipPresolverTraps(_ coefficient: Double, mipPresolve: Bool) throws {
        var model = Model()
        let x1 = try model.addVariable("x1", kind: .integer)
        let x2 = try model.addVariable("x2", kind: .integer)
        try model.addConstraint(1 * x1 - coefficient * x2 >= 0.9)
        try model.addConstraint(x1 - x2 <= 0.8)
        try model.minimize(x1 + x2)
        for presolve in [false, true] {
            var options = SolveOptions()
            options.mipPresolve = mipPresolve
            options.presolve = presolve
            options.cuts = [.gomory, .mir, .clique]
            let start = Date()
            let result = try GLPKSolver().solve(model, options: options)
            #expect(result.termination.reason == .infeasible)
            #expect(Date().timeIntervalSince(start) < 1)
        }
    }

    /// A model that needs many nodes, for limits: 30 binaries with equal
    /// weights 2 and an odd capacity (parity makes branch-and-bound slow).
    func hardKnapsack() throws -> Model {
        var model = Model()
        let xs = try (0..<30).map { try model.addVariable("x\($0)", kind: .binary) }
        try model.addConstraint(LinearExpression.sum(xs) { (2, $0) } .== 31)
        try model.minimize(LinearExpression.sum(xs))
        return model
    }

    @Test func nodeLimitStopsWithoutSolution() throws {
        var options = SolveOptions()
        options.nodeLimit = 50
        let result = try GLPKSolver().solve(try hardKnapsack(), options: options)
        #expect(result.termination.reason == .noSolutionFound || result.termination.reason == .infeasible)
        if result.termination.reason == .noSolutionFound { #expect(result.termination.limit == .node) }
    }

    @Test(.enabled(if: TestPaths.has("testsets/netlib"), "../shared/testsets/netlib is absent"))
    func iterationLimit() throws {
        let dir = try #require(TestPaths.sharedFolder("testsets/netlib"))
        let model = try ModelFile.read(dir.appendingPathComponent("25fv47.mps.gz").path)
        var options = SolveOptions()
        options.iterationLimit = 10
        options.presolve = false
        let result = try GLPKSolver().solve(model, options: options)
        #expect(result.termination.reason == .noSolutionFound)
        #expect(result.termination.limit == .iteration)
    }

    /// Solving the same models from many tasks and threads at once gives
    /// bit-identical results to a serial solve, and nothing aborts.
    @Test func concurrentSolvesAreIdentical() async throws {
        var models: [Model] = [try hardKnapsackFeasible()]
        if let dir = TestPaths.sharedFolder("testsets") {
            models.append(try ModelFile.read(dir.appendingPathComponent("netlib/afiro.mps.gz").path))
            models.append(try ModelFile.read(dir.appendingPathComponent("miplib/egout.mps.gz").path))
            models.append(try ModelFile.read(dir.appendingPathComponent("netlib/adlittle.mps.gz").path))
        }
        let options = {
            var options = SolveOptions()
            options.cuts = [.gomory, .mir, .cover, .clique]
            return options
        }()
        let reference = try models.map { try GLPKSolver().solve($0, options: options) }
        let modelsCopy = models
        // From a task group.
        let fromTasks = try await withThrowingTaskGroup(of: (Int, SolveResult).self) { group in
            for round in 0..<40 {
                group.addTask {
                    let k = round % modelsCopy.count
                    return (k, try GLPKSolver().solve(modelsCopy[k], options: options))
                }
            }
            var collected: [(Int, SolveResult)] = []
            for try await item in group { collected.append(item) }
            return collected
        }
        for (k, result) in fromTasks {
            #expect(result.objective == reference[k].objective)
            #expect(result.values == reference[k].values)
        }
        // From plain threads.
        let lock = NSLock()
        // Every access is under `lock`.
        nonisolated(unsafe) var mismatches = 0
        let group = DispatchGroup()
        for t in 0..<8 {
            group.enter()
            Thread {
                for round in 0..<5 {
                    let k = (t + round) % modelsCopy.count
                    let result = try? GLPKSolver().solve(modelsCopy[k], options: options)
                    if result?.values != reference[k].values {
                        lock.lock(); mismatches += 1; lock.unlock()
                    }
                }
                group.leave()
            }.start()
        }
        group.wait()
        #expect(mismatches == 0)
    }

    func hardKnapsackFeasible() throws -> Model {
        var model = Model()
        let xs = try (0..<12).map { try model.addVariable("x\($0)", kind: .binary) }
        let weights: [Double] = [12, 7, 11, 8, 9, 6, 13, 5, 14, 10, 4, 15]
        let values: [Double] = [24, 13, 23, 15, 16, 11, 28, 9, 29, 19, 7, 30]
        try model.addConstraint(LinearExpression.sum(xs.indices) { (weights[$0], xs[$0]) } <= 50)
        try model.maximize(LinearExpression.sum(xs.indices) { (values[$0], xs[$0]) })
        return model
    }

    /// A session re-solves from its last basis after bound and cost changes,
    /// with the objective of a cold solve and fewer iterations.
    @Test(.enabled(if: TestPaths.has("testsets/netlib"), "../shared/testsets/netlib is absent"))
    func warmStartMatchesColdSolve() throws {
        let dir = try #require(TestPaths.sharedFolder("testsets/netlib"))
        var model = try ModelFile.read(dir.appendingPathComponent("25fv47.mps.gz").path)
        let session = try GLPKSession(model)
        let first = try session.solve()
        #expect(isClose(first.objective, 5501.845888, relative: 1e-6))
        // Tighten the bounds of the five largest variables by 10%.
        let largest = first.values.indices.sorted { first.values[$0] > first.values[$1] }.prefix(5)
        for j in largest {
            let variable = model.variables[j]
            let upper = first.values[j] * 0.9
            try session.setBounds(of: variable, lower: model.variableLower[j], upper: upper)
            try model.setBounds(of: variable, lower: model.variableLower[j], upper: upper)
        }
        let warm = try session.solve()
        let cold = try GLPKSolver().solve(model, options: SolveOptions())
        #expect(warm.termination.reason == .optimal && cold.termination.reason == .optimal)
        #expect(isClose(warm.objective, cold.objective ?? .nan, relative: 1e-9))
        #expect(
            warm.statistics.iterations < cold.statistics.iterations / 2,
            "warm \(warm.statistics.iterations) vs cold \(cold.statistics.iterations)")
        // A cost change: primal simplex from the same basis.
        let j = largest.first ?? 0
        try session.setObjectiveCoefficient(model.objectiveCoefficients[j] + 1, of: model.variables[j])
        try model.setObjectiveCoefficient(model.objectiveCoefficients[j] + 1, of: model.variables[j])
        let warmCost = try session.solve()
        let coldCost = try GLPKSolver().solve(model, options: SolveOptions())
        #expect(isClose(warmCost.objective, coldCost.objective ?? .nan, relative: 1e-9))
        #expect(session.currentModel.objectiveCoefficients == model.objectiveCoefficients)
    }

    /// A session can be driven from several tasks; its problem never leaves its thread.
    @Test func sessionFromManyTasks() async throws {
        var model = Model()
        let x = try model.addVariable("x", upper: 10)
        let y = try model.addVariable("y", upper: 10)
        try model.addConstraint(x + y <= 15)
        try model.maximize(2 * x + y)
        let session = try GLPKSession(model)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for k in 0..<20 {
                group.addTask {
                    let cap = Double(5 + k % 5)
                    try session.setBounds(of: x, lower: 0, upper: cap)
                    _ = try session.solve()
                }
            }
            try await group.waitForAll()
        }
        try session.setBounds(of: x, lower: 0, upper: 10)
        let result = try session.solve()
        #expect(isClose(result.objective, 25))  // x = 10, y = 5
    }
}

/// The best bound a MIP reports: the objective when proven optimal, and a
/// valid bound (never past the known optimum) when a node limit stops it.
@Suite struct BestBoundTests {
    /// 12 items, capacity 50, maximise value: the optimum is 104 (the items
    /// of weight 12, 11, 13 and 14, exactly 50; values 24 + 23 + 28 + 29),
    /// found by enumerating all 4096 subsets.
    func knapsack() throws -> Model {
        var model = Model()
        let xs = try (0..<12).map { try model.addVariable("x\($0)", kind: .binary) }
        let weights: [Double] = [12, 7, 11, 8, 9, 6, 13, 5, 14, 10, 4, 15]
        let values: [Double] = [24, 13, 23, 15, 16, 11, 28, 9, 29, 19, 7, 30]
        try model.addConstraint(LinearExpression.sum(xs.indices) { (weights[$0], xs[$0]) } <= 50)
        try model.maximize(LinearExpression.sum(xs.indices) { (values[$0], xs[$0]) })
        return model
    }

    @Test func provenOptimalBoundIsTheObjective() throws {
        let result = try GLPKSolver().solve(try knapsack(), options: SolveOptions())
        #expect(result.termination.reason == .optimal)
        #expect(isClose(result.objective, 104))
        #expect(result.bestBound == result.objective)
    }

    /// A strongly correlated knapsack (value = weight + 10, weights
    /// 20 + (37 i mod 61) for i < 25, capacity 615, half their sum): its
    /// optimum is 774 by dynamic programming over the capacities, and
    /// branch and bound needs many nodes for it.
    func correlatedKnapsack() throws -> Model {
        var model = Model()
        let weights = (0..<25).map { Double(20 + ($0 * 37) % 61) }
        let xs = try weights.indices.map { try model.addVariable("x\($0)", kind: .binary) }
        try model.addConstraint(LinearExpression.sum(xs.indices) { (weights[$0], xs[$0]) } <= 615)
        try model.maximize(LinearExpression.sum(xs.indices) { (weights[$0] + 10, xs[$0]) })
        return model
    }

    @Test func stoppedSearchBoundIsValid() throws {
        let full = try GLPKSolver().solve(try correlatedKnapsack(), options: SolveOptions())
        #expect(isClose(full.objective, 774) && full.bestBound == full.objective)
        var options = SolveOptions()
        options.nodeLimit = 3
        options.cuts = []
        options.heuristics = []
        options.mipPresolve = false
        let result = try GLPKSolver().solve(try correlatedKnapsack(), options: options)
        #expect(result.termination.limit == .node, "\(result.termination)")
        // Maximising: the bound is at or above the optimum and any plan found.
        let bound = try #require(result.bestBound)
        #expect(bound >= 774 - 1e-9, "bound \(bound)")
        if let objective = result.objective { #expect(bound >= objective - 1e-9) }
    }
}
