public import LinearModel

/// Re-solving with one GLPK problem per model: every model is solved cold
/// and whole (what `--no-decompose` asks for); warm re-solves come with
/// the decomposing solver below.
extension GLPKSolver: ResolvingSolver {
    public func session(_ model: Model, options: SolveOptions) throws -> ColdSession<GLPKSolver> {
        try options.validate()
        return ColdSession(self, model: model, options: options)
    }
}

/// Decomposed GLPK re-solving: the model split into its independent blocks,
/// each kept warm in its own GLPK problem; an update re-solves only the
/// blocks whose data changed (``IncrementalSolver``).
extension DecomposingSolver: ResolvingSolver where Base == GLPKSolver {
    public func session(_ model: Model, options: SolveOptions) throws -> IncrementalSolver {
        try IncrementalSolver(model, options: options, minimumBlockSize: minimumBlockSize)
    }
}
