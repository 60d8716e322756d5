import LinearModel
import TestSupport
import Testing

/// The in-memory test double solves small LPs and MIPs to their known
/// optima, with the duals a hand derivation gives.
@Suite struct DenseSimplexTests {
    /// Hillier and Lieberman's Wyndor Glass: max 3x + 5y, x <= 4, 2y <= 12,
    /// 3x + 2y <= 18; optimum 36 at (2, 6), duals (0, 1.5, 1).
    @Test func wyndorGlass() throws {
        let (model, x, y, a, b, c) = try TestModels.wyndor()
        let result = try DenseSimplexSolver().solve(model, options: SolveOptions())
        #expect(result.termination.reason == .optimal)
        #expect(isClose(result.objective, 36))
        #expect(isClose(result.value(x), 2) && isClose(result.value(y), 6))
        #expect(isClose(result.dual(a), 0) && isClose(result.dual(b), 1.5) && isClose(result.dual(c), 1))
    }

    /// Wyndor's ranging (Hillier and Lieberman, section 6.7): the binding
    /// rows 2y <= 12 and 3x + 2y <= 18 keep their basis for right-hand
    /// sides in [6, 18] and [12, 24]; x <= 4 is basic (no range); the
    /// profit of x may lie in [0, 7.5] and that of y in [2, infinity).
    @Test func wyndorRanging() throws {
        let (model, x, y, a, b, c) = try TestModels.wyndor()
        var options = SolveOptions()
        options.sensitivity = true
        let ranging = try #require(try DenseSimplexSolver().solve(model, options: options).ranging)
        #expect(ranging.rowActivityLower[a.index] == nil && ranging.rowActivityUpper[a.index] == nil)
        #expect(isClose(ranging.rowActivityLower[b.index], 6) && isClose(ranging.rowActivityUpper[b.index], 18))
        #expect(isClose(ranging.rowActivityLower[c.index], 12) && isClose(ranging.rowActivityUpper[c.index], 24))
        #expect(isClose(ranging.costLower[x.index], 0) && isClose(ranging.costUpper[x.index], 7.5))
        #expect(isClose(ranging.costLower[y.index], 2) && ranging.costUpper[y.index] == .infinity)
        // Both structurals are basic: no value ranges.
        #expect(ranging.variableValueLower.allSatisfy { $0 == nil })
        // Without the option there is none.
        #expect(try DenseSimplexSolver().solve(model, options: SolveOptions()).ranging == nil)
    }

    /// min x + 3y, x + y >= 2: x = 2 (basic), y at 0 with reduced cost 2.
    /// y's cost may rise without limit and fall by its reduced cost, to 1;
    /// x's may lie in [0, 3] (below 0 the row's surplus would enter, above 3
    /// y ties).
    @Test func nonBasicCostRanging() throws {
        var model = Model()
        let x = try model.addVariable("x", lower: 0)
        let y = try model.addVariable("y", lower: 0)
        let r = try model.addConstraint(x + y >= 2)
        try model.setObjective(x + 3 * y, sense: .minimize)
        var options = SolveOptions()
        options.sensitivity = true
        let result = try DenseSimplexSolver().solve(model, options: options)
        let ranging = try #require(result.ranging)
        #expect(isClose(result.reducedCost(y), 2))
        #expect(isClose(ranging.costLower[y.index], 1) && ranging.costUpper[y.index] == .infinity)
        #expect(isClose(ranging.costLower[x.index], 0) && isClose(ranging.costUpper[x.index], 3))
        // The row binds at 2 and may move over [0, infinity) (x absorbs it).
        #expect(isClose(ranging.rowActivityLower[r.index], 0) && ranging.rowActivityUpper[r.index] == .infinity)
        // y, non-basic at 0, may rise to 2 before x leaves (nothing limits it below).
        #expect(ranging.variableValueLower[y.index] == -.infinity)
        #expect(isClose(ranging.variableValueUpper[y.index], 2))
    }

    /// A range row, a free variable and a fixed one: min x - y with
    /// 1 <= x + y <= 3, x - y free of sign through y in [-inf, 2], x fixed
    /// at 0.5: y = 2 (its upper bound), x + y = 2.5 inside the range; -1.5.
    @Test func boundsAndRanges() throws {
        var model = Model()
        let x = try model.addVariable("x", lower: 0.5, upper: 0.5)
        let y = try model.addVariable("y", lower: -.infinity, upper: 2)
        let r = try model.addConstraint(indices: [x.index, y.index], values: [1, 1], lower: 1, upper: 3)
        try model.setObjective(x - y, sense: .minimize)
        let result = try DenseSimplexSolver().solve(model, options: SolveOptions())
        #expect(isClose(result.objective, -1.5))
        #expect(isClose(result.value(y), 2))
        #expect(isClose(result.dual(r), 0))
        #expect(isClose(result.reducedCost(y), -1))
    }

    /// 0-1 knapsack: values 10, 13, 7, 8, weights 5, 7, 4, 3, capacity 12:
    /// items 1, 3 and 4 (weight 12) give 25; items 2 and 4 give 21.
    @Test func knapsack() throws {
        let (model, items) = try TestModels.knapsack()
        let result = try DenseSimplexSolver().solve(model, options: SolveOptions())
        #expect(result.termination.reason == .optimal)
        #expect(isClose(result.objective, 25))
        #expect(items.map { result.value($0)?.rounded() } == [1, 0, 1, 1])
    }

    @Test func infeasibleAndUnbounded() throws {
        var model = Model()
        let x = try model.addVariable("x", lower: 0)
        try model.addConstraint(1 * x >= 5)
        try model.addConstraint(1 * x <= 3)
        try model.setObjective(1 * x, sense: .minimize)
        #expect(try DenseSimplexSolver().solve(model, options: SolveOptions()).termination.reason == .infeasible)
        var open = Model()
        let y = try open.addVariable("y", lower: 0)
        try open.addConstraint(1 * y >= 1)
        try open.setObjective(1 * y, sense: .maximize)
        #expect(try DenseSimplexSolver().solve(open, options: SolveOptions()).termination.reason == .unbounded)
    }

    /// A session counts the models of its own shape as updates and opens
    /// nothing else; a model of another shape is still solved.
    @Test func sessionCountsUpdates() throws {
        var model = Model()
        let x = try model.addVariable("x", lower: 0, upper: 4)
        try model.setObjective(-1 * x, sense: .minimize)
        let solver = DenseSimplexSolver()
        let session = try solver.session(model, options: SolveOptions())
        #expect(isClose(try session.solve(model).objective, -4))
        var changed = model
        try changed.setBounds(of: x, lower: 0, upper: 3)
        #expect(session.canUpdate(to: changed))
        #expect(isClose(try session.solve(changed).objective, -3))
        var grown = model
        _ = try grown.addVariable("y", lower: 0, upper: 1)
        #expect(!session.canUpdate(to: grown))
        #expect(isClose(try session.solve(grown).objective, -4))
        #expect(solver.counter.sessionsOpened == 1)
        #expect(solver.counter.updatesTaken == 2)
        #expect(solver.counter.coldSolves == 0)
    }
}
