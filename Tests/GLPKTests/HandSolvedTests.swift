import GLPK
import LinearModel
import TestSupport
import Testing

/// LPs and MIPs whose optimum, duals and ranges were derived by hand.
@Suite struct HandSolvedTests {
    /// The LP of the GLPK manual, section 1.3 (see ``glpkManualSample()``).
    static func glpkManualModel() throws -> (
        model: Model, x1: Variable, x2: Variable, x3: Variable,
        p: ConstraintRef, q: ConstraintRef, r: ConstraintRef
    ) {
        var model = Model(name: "sample")
        let x1 = try model.addVariable("x1")
        let x2 = try model.addVariable("x2")
        let x3 = try model.addVariable("x3")
        let p = try model.addConstraint(x1 + x2 + x3 <= 100, name: "p")
        let q = try model.addConstraint(10 * x1 + 4 * x2 + 5 * x3 <= 600, name: "q")
        let r = try model.addConstraint(2 * x1 + 2 * x2 + 6 * x3 <= 300, name: "r")
        try model.maximize(10 * x1 + 6 * x2 + 4 * x3)
        return (model, x1, x2, x3, p, q, r)
    }

    let solver = GLPKSolver()

    /// GLPK manual, section 1.3: max 10x1 + 6x2 + 4x3 subject to
    /// p: x1+x2+x3 <= 100, q: 10x1+4x2+5x3 <= 600, r: 2x1+2x2+6x3 <= 300.
    /// By hand: the basis {x1, x2, slack r} gives x1 = 100/3, x2 = 200/3,
    /// z = 2200/3; duals solve y_p + 10 y_q = 10, y_p + 4 y_q = 6, so
    /// y_q = 2/3, y_p = 10/3, y_r = 0; reduced cost of x3 = 4 - 10/3 - 10/3 = -8/3.
    @Test func glpkManualSample() throws {
        let (model, x1, x2, x3, p, q, r) = try Self.glpkManualModel()
        for method in SolveOptions.Method.allCases {
            for presolve in [false, true] {
                var options = SolveOptions()
                options.method = method
                options.presolve = presolve
                let result = try solver.solve(model, options: options)
                // The interior-point method converges to about 1e-6.
                let tolerance = method == .interior ? 1e-5 : 1e-9
                #expect(result.termination.reason == .optimal, "\(method) presolve \(presolve)")
                #expect(isClose(result.objective, 2200.0 / 3, relative: tolerance))
                #expect(isClose(result.value(x1), 100.0 / 3, relative: tolerance))
                #expect(isClose(result.value(x2), 200.0 / 3, relative: tolerance))
                #expect(isClose(result.value(x3), 0, relative: tolerance))
                #expect(isClose(result.dual(p), 10.0 / 3, relative: tolerance))
                #expect(isClose(result.dual(q), 2.0 / 3, relative: tolerance))
                #expect(isClose(result.dual(r), 0, relative: tolerance))
                #expect(isClose(result.reducedCost(x3), -8.0 / 3, relative: tolerance))
                if let kkt = result.kkt { #expect(kkt.worstRelative < 1e-9) }
            }
        }
    }

    /// max 3x + 2y, x + y <= 4 (row1), x + 3y <= 9 (row2), 0 <= x <= 3, y >= 0.
    /// By hand: x = 3 (at its bound), y = 1, z = 11, row2 slack 3 (basic).
    /// Dual of row1 = 2, reduced cost of x = 3 - 2 = 1, row2 dual 0.
    /// Cost ranging: x stays at its bound while c_x >= 2; y stays basic for
    /// c_y in [0, 3]. Bound ranging: row1's activity may move in [3, 5]
    /// (y = r1 - 3 >= 0, slack2 = 9 - 3 - 3(r1 - 3) >= 0); x's value in
    /// [1.5, 4] (y = 4 - x >= 0, slack2 = 2x - 3 >= 0).
    @Test func rangingByHand() throws {
        var model = Model()
        let x = try model.addVariable("x", upper: 3)
        let y = try model.addVariable("y")
        let row1 = try model.addConstraint(x + y <= 4, name: "row1")
        let row2 = try model.addConstraint(x + 3 * y <= 9, name: "row2")
        try model.maximize(3 * x + 2 * y)
        var options = SolveOptions()
        options.sensitivity = true
        options.presolve = false
        let result = try solver.solve(model, options: options)
        #expect(result.termination.reason == .optimal)
        #expect(isClose(result.objective, 11))
        #expect(isClose(result.value(x), 3))
        #expect(isClose(result.value(y), 1))
        #expect(isClose(result.dual(row1), 2))
        #expect(isClose(result.dual(row2), 0))
        #expect(isClose(result.reducedCost(x), 1))
        let ranging = try #require(result.ranging)
        #expect(isClose(ranging.costLower[x.index], 2))
        #expect(ranging.costUpper[x.index] >= 1e300)
        #expect(isClose(ranging.costLower[y.index], 0))
        #expect(isClose(ranging.costUpper[y.index], 3))
        #expect(isClose(ranging.rowActivityLower[row1.index], 3))
        #expect(isClose(ranging.rowActivityUpper[row1.index], 5))
        #expect(ranging.rowActivityLower[row2.index] == nil)  // basic row
        #expect(isClose(ranging.variableValueLower[x.index], 1.5))
        #expect(isClose(ranging.variableValueUpper[x.index], 4))
        #expect(ranging.variableValueLower[y.index] == nil)  // basic column
    }

    /// 0-1 knapsack: values 10, 13, 7, 8; weights 5, 6, 3, 4; capacity 10.
    /// By hand (all pairs fit, no triple does): best {2, 4} = 21 (weight 10).
    /// LP relaxation: items 3 and 2 whole (weight 9, value 20) plus 1/4 of
    /// item 4 (ratio 2) = 22.
    @Test func knapsack() throws {
        let values = [10.0, 13, 7, 8], weights = [5.0, 6, 3, 4]
        for kind in [VariableKind.binary, .continuous] {
            var model = Model()
            let items = try (0..<4).map { try model.addVariable("item\($0 + 1)", upper: 1, kind: kind) }
            try model.addConstraint(LinearExpression.sum(items.indices) { (weights[$0], items[$0]) } <= 10)
            try model.maximize(LinearExpression.sum(items.indices) { (values[$0], items[$0]) })
            let result = try solver.solve(model, options: SolveOptions())
            #expect(result.termination.reason == .optimal)
            if kind == .binary {
                #expect(isClose(result.objective, 21))
                #expect(result.values.map { $0.rounded() } == [0, 1, 0, 1])
                #expect(result.primalStatus == .optimal)
            } else {
                #expect(isClose(result.objective, 22))
            }
        }
    }

    /// Assignment, costs [[9,2,7],[6,4,3],[5,8,1]]: of the six permutations
    /// (14, 20, 9, 10, 21, 16) the unique minimum is 9: 0->1, 1->0, 2->2.
    @Test func assignment() throws {
        let cost: [[Double]] = [[9, 2, 7], [6, 4, 3], [5, 8, 1]]
        var model = Model()
        var x: [[Variable]] = []
        for i in 0..<3 {
            x.append(try (0..<3).map { try model.addVariable("x\(i)\($0)", kind: .binary) })
        }
        for i in 0..<3 { try model.addConstraint(LinearExpression.sum(x[i]) .== 1, name: "row\(i)") }
        for j in 0..<3 { try model.addConstraint(LinearExpression.sum((0..<3).map { x[$0][j] }) .== 1) }
        var objective = LinearExpression()
        for i in 0..<3 { for j in 0..<3 { objective.add(cost[i][j], x[i][j]) } }
        try model.minimize(objective)
        var options = SolveOptions()
        options.mipDuals = true
        let result = try solver.solve(model, options: options)
        #expect(result.termination.reason == .optimal)
        #expect(isClose(result.objective, 9))
        #expect(result.value(x[0][1]) == 1 && result.value(x[1][0]) == 1 && result.value(x[2][2]) == 1)
        #expect(result.rowDuals != nil)
    }

    /// Transport: supplies 30, 20; demands 25, 25; costs c11=2 c12=4 c21=3
    /// c22=1. By hand: s2 ships its 20 to d2 at 1, s1 sends 25 to d1 at 2 and
    /// 5 to d2 at 4: 20 + 50 + 20 = 90 (any other plan moves a unit from a
    /// cost-1 or cost-2 cell to a dearer one).
    @Test func transport() throws {
        let cost: [[Double]] = [[2, 4], [3, 1]]
        var model = Model()
        let x = try (0..<2).map { i in try (0..<2).map { j in try model.addVariable("x\(i)\(j)") } }
        try model.addConstraint(x[0][0] + x[0][1] <= 30)
        try model.addConstraint(x[1][0] + x[1][1] <= 20)
        try model.addConstraint(x[0][0] + x[1][0] .== 25)
        try model.addConstraint(x[0][1] + x[1][1] .== 25)
        try model.minimize(LinearExpression.sum([(0, 0), (0, 1), (1, 0), (1, 1)]) { (cost[$0.0][$0.1], x[$0.0][$0.1]) })
        let result = try solver.solve(model, options: SolveOptions())
        #expect(isClose(result.objective, 90))
        #expect(isClose(result.value(x[0][0]), 25) && isClose(result.value(x[0][1]), 5))
        #expect(isClose(result.value(x[1][1]), 20) && isClose(result.value(x[1][0]), 0))
    }

    /// Objective constant, equality and ranged rows, free and fixed variables,
    /// duplicate terms merged: min x - y + 5 with 1 <= x + x - x <= 3 (x),
    /// y fixed at 2, z free with z .== x: optimum x = 1, obj 1 - 2 + 5 = 4.
    @Test func rowKindsAndConstant() throws {
        var model = Model()
        let x = try model.addVariable("x", lower: -.infinity)
        let y = try model.addVariable("y", lower: 2, upper: 2)
        let z = try model.addVariable("z", lower: -.infinity)
        try model.addConstraint(LinearConstraint(x + x - x, lower: 1, upper: 3))
        try model.addConstraint(z .== x)
        try model.minimize(x - y + 5)
        #expect(model.nonzeroCount == 3)
        let result = try solver.solve(model, options: SolveOptions())
        #expect(isClose(result.objective, 4))
        #expect(isClose(result.value(z), 1))
    }

    @Test func infeasibleAndUnbounded() throws {
        var infeasible = Model()
        let a = try infeasible.addVariable()
        try infeasible.addConstraint(a >= 2)
        try infeasible.addConstraint(a <= 1)
        var unbounded = Model()
        let b = try unbounded.addVariable()
        try unbounded.maximize(1 * b)
        for presolve in [true, false] {
            for method in SolveOptions.Method.allCases {
                var options = SolveOptions()
                options.presolve = presolve
                options.method = method
                #expect(try solver.solve(infeasible, options: options).termination.reason == .infeasible)
                #expect(try solver.solve(unbounded, options: options).termination.reason == .unbounded)
            }
        }
    }

    /// An integer variable whose bounds hold no integer: infeasible, no GLPK call.
    @Test func emptyIntegerDomain() throws {
        var model = Model()
        try model.addVariable("n", lower: 0.2, upper: 0.8, kind: .integer)
        let result = try solver.solve(model, options: SolveOptions())
        #expect(result.termination.reason == .infeasible)
        #expect(result.termination.detail.contains("'n'"))
    }

    /// Fractional bounds on integers are rounded inwards: max n, 0.5 <= n <= 3.7 gives 3.
    @Test func integerBoundRounding() throws {
        var model = Model()
        let n = try model.addVariable("n", lower: 0.5, upper: 3.7, kind: .integer)
        try model.maximize(1 * n)
        let result = try solver.solve(model, options: SolveOptions())
        #expect(result.termination.reason == .optimal)
        #expect(result.value(n) == 3)
        try model.minimize(1 * n)
        #expect(try solver.solve(model, options: SolveOptions()).value(n) == 1)
    }

    /// An empty model: optimal, objective = its constant.
    @Test func emptyModel() throws {
        var model = Model()
        try model.setObjectiveConstant(7)
        let result = try solver.solve(model, options: SolveOptions())
        #expect(result.termination.reason == .optimal)
        #expect(isClose(result.objective, 7))
    }
}
