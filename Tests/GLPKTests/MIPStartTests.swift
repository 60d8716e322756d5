import GLPK
import LinearModel
import TestSupport
import Testing

/// A known solution handed to the MIP search (`SolveOptions.mipStart`):
/// checked before GLPK sees it, never changing the optimum, and the plan of
/// last resort when a limit stops the search first.
@Suite struct MIPStartTests {
    /// The knapsack of ``TestModels/knapsack()``: optimum 25 (items 1, 3,
    /// 4); items 2 and 4 give 21; items 1, 2 and 3 are over the capacity.
    static func knapsack() throws -> Model { try TestModels.knapsack().model }

    @Test func feasibleStartKeepsTheOptimum() throws {
        var options = SolveOptions()
        options.mipStart = [0, 1, 0, 1]
        let result = try GLPKSolver().solve(try Self.knapsack(), options: options)
        #expect(result.termination.reason == .optimal)
        #expect(isClose(result.objective, 25))
        #expect(result.statistics.mipStart == .accepted || result.statistics.mipStart == .notBetter)
    }

    /// Over the capacity, fractional, or of the wrong length: dropped
    /// (GLPK itself would take a point that breaks a row), optimum unchanged.
    @Test(arguments: [[1.0, 1, 1, 0], [0.5, 1, 0, 1], [0, 1, 0]])
    func infeasibleStartIsDropped(_ start: [Double]) throws {
        var options = SolveOptions()
        options.mipStart = start
        let result = try GLPKSolver().solve(try Self.knapsack(), options: options)
        #expect(result.termination.reason == .optimal)
        #expect(isClose(result.objective, 25))
        #expect(result.statistics.mipStart == .infeasible)
    }

    /// A node limit of 0 with GLPK's own heuristics off stops the search
    /// before it finds anything: the start (21) is the plan, reported
    /// feasible, never optimal; without a start nothing is found.
    @Test func startIsThePlanOfLastResort() throws {
        var options = SolveOptions()
        options.nodeLimit = 0
        options.heuristics = []
        let bare = try GLPKSolver().solve(try Self.knapsack(), options: options)
        #expect(bare.termination.reason == .noSolutionFound, "\(bare.termination)")
        options.mipStart = [0, 1, 0, 1]
        let result = try GLPKSolver().solve(try Self.knapsack(), options: options)
        #expect(result.termination.reason == .feasible, "\(result.termination)")
        #expect(isClose(result.objective, 21))
        #expect(result.values.map { $0.rounded() } == [0, 1, 0, 1])
        #expect(result.statistics.mipStart == .accepted)
        // The relaxation (25.x) bounds the optimum from above.
        #expect((result.bestBound ?? 0) >= 25)
    }

    /// GLPK drops a node whose LP bound is within tol_obj (1 + |incumbent|)
    /// of the incumbent, 1e-7 by default; the gap asked bounds it
    /// (docs/FORMULATION.md section 19). min 1e9 c + 20 x + 70 y with c
    /// fixed at 1 and 2x + 2y >= 1, x and y binary: relaxation 1e9 + 10
    /// (x = 1/2), optimum 1e9 + 20 (x = 1). The start y = 1 costs 1e9 + 70,
    /// 5e-8 of the cost above the optimum: with GLPK's default the root
    /// (bound 1e9 + 10, within 1e-7 (1 + 1e9 + 70) of the start) is dropped
    /// and the start called optimal; at the default gap (1e-9) it is not.
    @Test func theGapAskedBoundsWhatGLPKCallsOptimal() throws {
        var model = Model()
        let c = try model.addVariable("c", lower: 1, upper: 1, objective: 1e9)
        let x = try model.addVariable("x", kind: .binary, objective: 20)
        let y = try model.addVariable("y", kind: .binary, objective: 70)
        try model.addConstraint(indices: [x.index, y.index], values: [2, 2], lower: 1, upper: .infinity)
        model.setSense(.minimize)
        _ = c
        var options = SolveOptions()
        options.mipStart = [1, 0, 1]
        let result = try GLPKSolver().solve(model, options: options)
        #expect(result.statistics.mipStart == .accepted)
        #expect(result.termination.reason == .optimal)
        #expect(result.objective == 1e9 + 20, "\(String(describing: result.objective))")
        #expect(result.values.map { $0.rounded() } == [1, 1, 0])
    }

    @Test func nonFiniteStartIsAnInvalidOption() {
        var options = SolveOptions()
        options.mipStart = [0, .nan, 0, 1]
        #expect(throws: ModelError.self) { try GLPKSolver().solve(try Self.knapsack(), options: options) }
    }
}
