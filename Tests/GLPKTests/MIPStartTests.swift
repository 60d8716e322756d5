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

    @Test func nonFiniteStartIsAnInvalidOption() {
        var options = SolveOptions()
        options.mipStart = [0, .nan, 0, 1]
        #expect(throws: ModelError.self) { try GLPKSolver().solve(try Self.knapsack(), options: options) }
    }
}
