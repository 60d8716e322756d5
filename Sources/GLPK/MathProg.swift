internal import CGLPK
internal import CGLPKShim
public import LinearModel

/// GNU MathProg models, translated and solved in-process (`glp_mpl_*`).
public enum MathProg {
    /// The outcome of running a MathProg model.
    public struct Run: Sendable {
        /// The generated model.
        public var model: Model
        /// The solve's result.
        public var result: SolveResult
        /// What the model printed (`printf`, `display`), before and after
        /// its `solve` statement, line by line.
        public var output: [String]
    }

    /// Translates `model` with its `data` files into a ``Model``.
    /// A syntax or data error throws ``ModelError`` (guard
    /// ``Guard/fileFormat``) with GLPK's message, which names file and line.
    public static func translate(
        model path: String, data: [String] = [],
        log: (@Sendable (String) -> Void)? = nil
    ) throws(ModelError) -> Model {
        try withGenerated(model: path, data: data, log: log) { problem, _, _ throws(ModelError) in
            try problem.extract()
        }
    }

    /// Translates, solves and post-solves a model, collecting what it prints.
    public static func solve(
        model path: String, data: [String] = [],
        options: SolveOptions = SolveOptions()
    ) throws(ModelError) -> Run {
        try options.validate()
        return try withGenerated(model: path, data: data, log: nil) { problem, tran, printed throws(ModelError) in
            let model = try problem.extract()
            let solverLog = TerminalCapture(log: options.log)
            let result = try solverLog.installed { () throws(ModelError) -> SolveResult in
                let driver = Driver(problem: problem, options: options, capture: solverLog)
                return try driver.solve()
            }
            if result.hasSolution {
                let P = try problem.handle()
                let code = try printed.installed { () throws(ModelError) -> Int32 in
                    glpkshim_mpl_postsolve(tran, P, model.isMIP ? GLP_MIP : (options.method == .interior ? GLP_IPT : GLP_SOL))
                }
                if code == GLPKSHIM_ABORTED { throw abortedError("glp_mpl_postsolve", printed) }
                if code != 0 {
                    throw ModelError(.fileFormat, at: path, value: "", "post-solve failed: " + (printed.errorMessage() ?? ""))
                }
            }
            return Run(model: model, result: result, output: printed.allLines())
        }
    }

    private static func withGenerated<T>(
        model path: String, data: [String], log: (@Sendable (String) -> Void)?,
        _ body: (Problem, OpaquePointer, TerminalCapture) throws(ModelError) -> T
    ) throws(ModelError) -> T {
        try ModelFile.checkPath(path)
        for file in data { try ModelFile.checkPath(file) }
        let printed = TerminalCapture(log: log, keepAll: true)
        return try CLocale.run { () throws(ModelError) -> T in
            try Problem.with { problem throws(ModelError) -> T in
                guard let tran = glp_mpl_alloc_wksp() else {
                    throw ModelError(.precondition, at: path, value: "", "MathProg workspace could not be allocated")
                }
                var freed = false
                defer { if !freed && problem.isAlive { glp_mpl_free_wksp(tran) } }
                func fail(_ code: Int32, _ what: String) throws(ModelError) {
                    if code == GLPKSHIM_ABORTED { freed = true; throw abortedError(what, printed) }
                    if code != 0 {
                        throw ModelError(
                            .fileFormat, at: path, value: "",
                            "MathProg \(what) failed: " + (printed.errorMessage() ?? printed.lastLines(2)))
                    }
                }
                try printed.installed { () throws(ModelError) in
                    try fail(glpkshim_mpl_read_model(tran, path, data.isEmpty ? 0 : 1), "model")
                    for file in data { try fail(glpkshim_mpl_read_data(tran, file), "data") }
                    try fail(glpkshim_mpl_generate(tran, nil), "generation")
                    try fail(glpkshim_mpl_build_prob(tran, try problem.handle()), "build")
                }
                return try body(problem, tran, printed)
            }
        }
    }
}
