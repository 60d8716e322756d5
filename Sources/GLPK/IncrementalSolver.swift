public import LinearModel
import Synchronization

/// Re-solves a series of models of the same shape, fast: the first model is
/// split into its independent blocks, each loaded into its own warm
/// ``GLPKSession``; each later model is compared with the one before, block
/// by block, and only the blocks whose data changed are re-solved, warm
/// from their last basis (bound changes by the dual simplex). A model of
/// another shape (different rows, columns or sparsity) is solved cold.
///
/// Each re-solve starts from the first model's optimal basis, so the result
/// of a model does not depend on the models solved before it.
///
/// Thread-safe: calls are serialised. For parallel sweeps use one solver per
/// thread. It is the ``SolveSession`` of `DecomposingSolver<GLPKSolver>`.
// @unchecked: the block states and their GLPK sessions are mutable, and
// every access is under `lock`.
public final class IncrementalSolver: SolveSession, @unchecked Sendable {
    private let lock = Mutex(())
    /// The one thread every block's GLPK problem lives on.
    private let worker = WorkerThread(name: "glpk-incremental")
    private let options: SolveOptions
    private let decomposition: Decomposition
    private var blocks: [BlockState]
    private let shape: ModelShape
    /// Blocks re-solved by the last call (for benchmarks and tests).
    public private(set) var lastResolvedBlocks = 0

    private final class BlockState {
        let block: Decomposition.Block
        let session: GLPKSession
        var lower: [Double], upper: [Double], cost: [Double]
        var rowLower: [Double], rowUpper: [Double], values: [Double]  // per block row nonzeros, in order
        var result: SolveResult
        /// The basis of the first model's optimum: every re-solve starts
        /// there, so a result depends only on the model solved, not on the
        /// order of the calls (sweeps in shards give the same rows).
        let baseBasis: Basis?

        init(_ block: Decomposition.Block, _ model: Model, _ session: GLPKSession, _ result: SolveResult) {
            self.block = block
            self.session = session
            self.result = result
            self.baseBasis = result.basis
            lower = block.variables.map { model.variableLower[$0] }
            upper = block.variables.map { model.variableUpper[$0] }
            cost = block.variables.map { model.objectiveCoefficients[$0] }
            rowLower = block.constraints.map { model.constraintLower[$0] }
            rowUpper = block.constraints.map { model.constraintUpper[$0] }
            values = block.constraints.flatMap { i in model.coefficients[model.rowStarts[i]..<model.rowStarts[i + 1]] }
        }
    }

    /// Loads and solves `model` (cold), block by block.
    public init(_ model: Model, options: SolveOptions = SolveOptions(), minimumBlockSize: Int = 256) throws {
        try options.validate()
        self.options = options
        self.shape = ModelShape(model)
        decomposition = Decomposition(model, minimumBlockSize: minimumBlockSize)
        var states: [BlockState] = []
        do {
            for block in decomposition.blocks {
                let sub = try decomposition.subModel(model, block)
                let session = try GLPKSession(sub, on: worker)
                let result = try session.solve(options: options)
                states.append(BlockState(block, model, session, result))
            }
        } catch {
            // No deinit runs for a failed init: end what was started here.
            states.removeAll()
            worker.stop()
            throw error
        }
        blocks = states
        lastResolvedBlocks = blocks.count
    }

    deinit {
        // The sessions delete their problems on the worker, then it stops.
        blocks.removeAll()
        worker.stop()
    }

    public func canUpdate(to model: Model) -> Bool { ModelShape(model) == shape }

    /// The result of `model` (merged from its blocks): the changed blocks
    /// re-solved warm, or the whole model cold when its shape differs.
    public func solve(_ model: Model) throws -> SolveResult {
        try lock.withLock { (_: inout ()) throws -> SolveResult in
            guard ModelShape(model) == shape else {
                lastResolvedBlocks = -1
                // The search and race models the session was opened with are the first model's.
                var cold = options
                cold.searchModel = nil
                cold.raceModel = nil
                return try DecomposingSolver(GLPKSolver(), threads: 1).solve(model, options: cold)
            }
            var resolved = 0
            for state in blocks {
                if try update(state, to: model) {
                    var warm = options
                    warm.startingBasis = state.baseBasis
                    state.result = try state.session.solve(options: warm)
                    resolved += 1
                }
            }
            lastResolvedBlocks = resolved
            var merged = DecomposingSolver<GLPKSolver>.merge(model, decomposition.blocks, blocks.map(\.result))
            merged.basis = nil  // block bases stay with their sessions
            return merged
        }
    }

    /// Applies the differences between the block's last data and `model`;
    /// returns whether anything changed.
    private func update(_ state: BlockState, to model: Model) throws -> Bool {
        var changed = false
        let variables = state.session.variables
        for (k, j) in state.block.variables.enumerated() {
            let lo = model.variableLower[j], hi = model.variableUpper[j], c = model.objectiveCoefficients[j]
            if lo != state.lower[k] || hi != state.upper[k] {
                try state.session.setBounds(of: variables[k], lower: lo, upper: hi)
                state.lower[k] = lo; state.upper[k] = hi; changed = true
            }
            if c != state.cost[k] {
                try state.session.setObjectiveCoefficient(c, of: variables[k])
                state.cost[k] = c; changed = true
            }
        }
        let constraints = state.session.constraints
        var position = 0
        for (k, i) in state.block.constraints.enumerated() {
            let lo = model.constraintLower[i], hi = model.constraintUpper[i]
            if lo != state.rowLower[k] || hi != state.rowUpper[k] {
                try state.session.setBounds(of: constraints[k], lower: lo, upper: hi)
                state.rowLower[k] = lo; state.rowUpper[k] = hi; changed = true
            }
            for n in model.rowStarts[i]..<model.rowStarts[i + 1] {
                let value = model.coefficients[n]
                if value != state.values[position] {
                    let column = Int(model.columnIndices[n])
                    guard let local = state.block.variables.firstIndex(of: column) else { continue }
                    try state.session.setCoefficient(value, of: variables[local], in: constraints[k])
                    state.values[position] = value; changed = true
                }
                position += 1
            }
        }
        return changed
    }
}
