import LinearModel
import TestSupport
import Testing

@testable import GLPK

/// The last line of defence: a GLPK fatal error that got past the guards
/// (here provoked on purpose through an internal entry point with duplicate
/// matrix indices, which the public API merges away) is caught by the
/// error hook, reported as an error, and the thread can go on solving.
@Suite struct FatalErrorRecoveryTests {
    @Test func duplicateIndicesAreRecovered() throws {
        var model = Model()
        let x = try model.addVariable("x")
        try model.addConstraint(x >= 1)
        try model.minimize(1 * x)
        Problem.with { problem in
            do throws(ModelError) {
                _ = try problem.load(model)
                try problem.loadTriplets([0, 1, 1], [0, 1, 1], [0, 1, 2])
                Issue.record("GLPK accepted duplicate indices")
            } catch {
                #expect(error.guardName == .glpkFailure && error.kind == .solverFailure)
                #expect(error.reason.contains("recovered"))
            }
            #expect(!problem.isAlive)
        }
        // The same thread keeps working.
        let result = try GLPKSolver().solve(model, options: SolveOptions())
        #expect(isClose(result.objective, 1))
    }
}
