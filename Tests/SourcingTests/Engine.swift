import GLPK
import LinearModel
import Sourcing
import TestSupport
import Testing

/// The solvers the sourcing tests run on with the same expectations: GLPK,
/// GLPK through the block decomposition, and the in-memory test double
/// (``DenseSimplexSolver``, no GLPK anywhere). The double is dense, so
/// coalition-scale instances stay on the GLPK engines.
enum Engine: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case glpk, decomposed, double
    var testDescription: String { rawValue }

    /// The pipeline on this engine.
    func pipeline(reuse: Bool = true, options: PlanOptions = PlanOptions()) -> SourcingPipeline {
        switch self {
        case .glpk: SourcingPipeline(GLPKSolver(), options: options, reuse: reuse)
        case .decomposed:
            SourcingPipeline(DecomposingSolver(GLPKSolver(), threads: 1, minimumBlockSize: 1), options: options, reuse: reuse)
        case .double: SourcingPipeline(DenseSimplexSolver(), options: options, reuse: reuse)
        }
    }

    /// A plan of `instance` on this engine.
    func plan(_ instance: Instance, options: PlanOptions = PlanOptions()) throws -> Plan {
        switch self {
        case .glpk: try SourcingSolver(GLPKSolver()).plan(instance, options: options)
        case .decomposed:
            try SourcingSolver(DecomposingSolver(GLPKSolver(), threads: 1, minimumBlockSize: 1)).plan(instance, options: options)
        case .double: try SourcingSolver(DenseSimplexSolver()).plan(instance, options: options)
        }
    }

    /// One solve of `model` on this engine.
    func solve(_ model: Model, options: SolveOptions = SolveOptions()) throws -> SolveResult {
        switch self {
        case .glpk: try GLPKSolver().solve(model, options: options)
        case .decomposed: try DecomposingSolver(GLPKSolver(), threads: 1, minimumBlockSize: 1).solve(model, options: options)
        case .double: try DenseSimplexSolver().solve(model, options: options)
        }
    }
}
