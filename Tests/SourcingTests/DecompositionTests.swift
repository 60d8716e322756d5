import GLPK
import LinearModel
import Sourcing
import TestSupport
import Testing

/// Solving the independent blocks apart (in parallel) gives the monolithic
/// optimum, and the merged duals price the monolithic model correctly.
@Suite struct DecompositionTests {
    @Test(arguments: [1, 2, 3, 4, 5, 6], [false, true])
    func blocksMatchMonolithic(seed: Int, mip: Bool) throws {
        let instance = InstanceGenerator(seed: UInt64(seed), minerals: 5, mines: 30, refineries: 20, buyers: 8, mip: mip).generate()
        let built = try SourcingModel(Network(instance))
        var options = SolveOptions()
        options.mipDuals = mip
        let mono = try GLPKSolver().solve(built.model, options: options)
        let split = try DecomposingSolver(GLPKSolver(), threads: 2, minimumBlockSize: 1).solve(built.model, options: options)
        #expect(Decomposition(built.model, minimumBlockSize: 1).blocks.count >= 5)
        #expect(split.termination.reason == mono.termination.reason)
        #expect(isClose(split.objective, mono.objective ?? .nan, relative: 1e-9))
        // Duals are valid for the merged plan: reduced costs recomputed from
        // the merged row duals equal the merged reduced costs (c - A^T y).
        if !mip, let y = split.rowDuals, let d = split.reducedCosts {
            var aty = [Double](repeating: 0, count: built.model.variableCount)
            for i in 0..<built.model.constraintCount {
                for k in built.model.rowStarts[i]..<built.model.rowStarts[i + 1] {
                    aty[Int(built.model.columnIndices[k])] += built.model.coefficients[k] * y[i]
                }
            }
            for j in 0..<built.model.variableCount {
                #expect(abs(built.model.objectiveCoefficients[j] - aty[j] - d[j]) <= 1e-6 * max(1, abs(d[j])))
            }
        }
    }
}
