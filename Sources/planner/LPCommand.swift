public import ArgumentParser
import FileIO
import FoundationEssentials
public import GLPK
import Glibc
public import LinearModel
import Sourcing
import StrictJSON

/// Options of the GLPK solver shared by the commands that solve.
struct SolverOptions: ParsableArguments {
    @Option(help: ArgumentHelp("LP method: primal, dual, dual-primal or interior.", visibility: .hidden))
    var method: SolveOptions.Method = .primal

    @Flag(
        inversion: .prefixedNo,
        help: ArgumentHelp(
            "Use GLPK's LP presolver.",
            discussion: "Default: off for sourcing instances (measured faster), on for planner lp.", visibility: .hidden))
    var presolve: Bool?

    @Option(name: .customLong("time-limit"), help: "Wall-clock limit in seconds for the whole command (a MIP stopped with a plan exits 4).")
    var timeLimit: Double?

    @Option(name: .customLong("mip-gap"), help: "Relative MIP gap at which to stop (default 1e-9: proven optimal).")
    var mipGap: Double = 1e-9

    @Flag(
        inversion: .prefixedNo,
        help: ArgumentHelp("Solve the independent blocks of the model (one per mineral and more) apart, in parallel.", visibility: .hidden))
    var decompose = true

    @Option(
        help: ArgumentHelp(
            "Scaling: auto, geometric, equilibrate or none.",
            discussion:
                "Default: none for sourcing instances (measured faster), auto for planner lp. With the LP presolver on, GLPK scales the problem it builds itself; then this acts on the MIP's branch-and-cut only.",
            visibility: .hidden))
    var scaling: SolveOptions.Scaling?

    @Option(
        name: .customLong("initial-basis"),
        help: ArgumentHelp(
            "Initial basis without the LP presolver: standard, advanced or bixby.",
            discussion: "The presolver always builds an advanced basis; this acts with --no-presolve.", visibility: .hidden))
    var initialBasis: SolveOptions.InitialBasis = .advanced

    @Option(help: ArgumentHelp("MIP branching: first, last, most, dth or pcost (pseudo-cost).", visibility: .hidden))
    var branching: SolveOptions.Branching = .pseudoCost

    @Option(help: ArgumentHelp("MIP node selection: dfs, bfs, best-bound or best-projection.", visibility: .hidden))
    var backtrack: SolveOptions.Backtracking = .bestBound

    @Option(
        name: .customLong("mip-preprocessing"),
        help: ArgumentHelp("Bound preprocessing in branch-and-cut: none, root or all.", visibility: .hidden))
    var preprocessing: SolveOptions.Preprocessing = .all

    @Option(
        help: ArgumentHelp(
            "MIP cuts: none, all, or a list of gomory,mir,cover,clique.",
            discussion: "Cover cuts are left out while another solve runs in the process (GLPK's generator is not thread-safe).",
            visibility: .hidden))
    var cuts: SolveOptions.Cuts = []

    @Option(help: ArgumentHelp("MIP heuristics: none, all, or a list of rounding,fpump,proxy.", visibility: .hidden))
    var heuristics: SolveOptions.Heuristics = [.rounding]

    @Option(name: .customLong("proxy-time-limit"), help: ArgumentHelp("Seconds for the proximity search heuristic.", visibility: .hidden))
    var proxyTimeLimit: Double = 60

    @Flag(
        name: .customLong("mip-presolve"), inversion: .prefixedNo,
        help: ArgumentHelp("GLPK's MIP presolver (used only when every integer variable is bounded).", visibility: .hidden))
    var mipPresolve = false

    @Flag(
        name: .customLong("relaxation-first"), inversion: .prefixedNo,
        help: ArgumentHelp("Decomposed MIP: solve every block's LP relaxation before any branch-and-cut.", visibility: .hidden))
    var relaxationFirst = false

    @Flag(
        inversion: .prefixedNo,
        help: ArgumentHelp(
            "For a MIP: a thread left without a block races a second search on a block's search (default on; docs/FORMULATION.md section 20).",
            visibility: .hidden))
    var race = true

    @Option(
        name: .customLong("race-delay"),
        help: ArgumentHelp("Seconds a block's search runs before a second search may join it.", visibility: .hidden))
    var raceDelay: Double = 0.5

    @Option(
        name: .customLong("slice-quantum"),
        help: ArgumentHelp(
            "For a MIP that splits: seconds a block's search keeps a thread before a block that has run less takes it (0: never sliced; docs/FORMULATION.md section 23).",
            visibility: .hidden))
    var sliceQuantum: Double = 0.2

    @Option(
        name: .customLong("race-extra-threads"),
        help: ArgumentHelp("Probe threads beyond --threads that race blocks while every thread has one.", visibility: .hidden))
    var raceExtraThreads: Int = 1

    @Option(
        name: .customLong("race-extra-delay"),
        help: ArgumentHelp("Seconds a block's search runs before a probe may join it.", visibility: .hidden))
    var raceExtraDelay: Double = 0.5

    @Option(
        name: .customLong("race-extra-budget"),
        help: ArgumentHelp("Seconds a probe searches a block before it gives up (0: to the end).", visibility: .hidden))
    var raceExtraBudget: Double = 0.4

    @Option(name: .customLong("race-branching"), help: ArgumentHelp("The second search's branching.", visibility: .hidden))
    var raceBranching: SolveOptions.Branching = .pseudoCost

    @Option(name: .customLong("race-backtrack"), help: ArgumentHelp("The second search's node selection.", visibility: .hidden))
    var raceBacktrack: SolveOptions.Backtracking = .bestBound

    @Option(name: .customLong("race-cuts"), help: ArgumentHelp("The second search's cuts.", valueName: "cuts", visibility: .hidden))
    var raceCuts: SolveOptions.Cuts = [.mir]

    @Option(help: "Threads for the solve (default 2; a hard MIP may add one probe thread, docs/FORMULATION.md section 22).")
    var threads: Int = 2

    @Flag(name: .shortAndLong, help: "Print the phases, their times and one line per solve on stderr.")
    var verboseFlag = false

    @Flag(name: .customLong("solver-log"), help: "Also print GLPK's own solver log (on stderr, or into --log).")
    var solverLog = false

    /// Whether anything of the log is printed on stderr.
    var verbose: Bool { verboseFlag || solverLog }

    @Option(help: "Write the solver log to this file.")
    var log: String?

    /// The largest `--time-limit`: 2,000,000 s (23 days), below GLPK's
    /// 32-bit millisecond counter (24.8 days), so no limit overflows it.
    static let maximumTimeLimit = 2_000_000.0

    /// When the command started (touched first thing in `Planner.main`).
    static let commandStart = ContinuousClock.now

    func validate() throws {
        if let timeLimit, !(timeLimit.isFinite && timeLimit > 0 && timeLimit <= SolverOptions.maximumTimeLimit) {
            throw ValidationError(
                "--time-limit must be a number of seconds in (0, \(Int(SolverOptions.maximumTimeLimit))] (GLPK counts milliseconds in a 32-bit integer: about 24 days), not \(formatNumber(timeLimit))"
            )
        }
        if threads < 1 || threads > 256 { throw ValidationError("--threads must be in 1...256") }
        if !(raceExtraBudget.isFinite && raceExtraBudget >= 0) {
            throw ValidationError("--race-extra-budget must be finite and >= 0 (0: to the race's end), not \(raceExtraBudget)")
        }
        if !(sliceQuantum.isFinite && sliceQuantum >= 0) {
            throw ValidationError("--slice-quantum must be finite and >= 0 (0: blocks are not sliced), not \(sliceQuantum)")
        }
        if !(mipGap.isFinite && mipGap >= 0) {
            throw ValidationError("--mip-gap must be >= 0, not \(mipGap)")
        }
        if !(proxyTimeLimit.isFinite && proxyTimeLimit >= 0 && proxyTimeLimit <= Double(Int32.max / 1000)) {
            throw ValidationError("--proxy-time-limit must be a number of seconds in 0...\(Int32.max / 1000), not \(proxyTimeLimit)")
        }
        // Anything else SolveOptions would refuse, as a usage error here.
        do { try solveOptions(log: nil).validate() } catch { throw ValidationError("\(error)") }
    }

    /// The options the flags ask for; flags not given keep the values of
    /// `base` (``LinearModel/SolveOptions/sourcing`` for sourcing instances).
    func solveOptions(log sink: LogSink?, base: SolveOptions = .sourcing) -> SolveOptions {
        var options = base
        options.method = method
        if let presolve { options.presolve = presolve }
        options.timeLimit = timeLimit
        // One wall-clock limit for the whole command, not per solve or block.
        options.deadline = timeLimit.map { Self.commandStart + .milliseconds(Int64(($0 * 1000).rounded(.up))) }
        options.relativeGap = mipGap
        if let scaling { options.scaling = scaling }
        options.initialBasis = initialBasis
        options.branching = branching
        options.backtracking = backtrack
        options.preprocessing = preprocessing
        options.cuts = cuts
        options.heuristics = heuristics
        options.proximityTimeLimit = proxyTimeLimit
        options.mipPresolve = mipPresolve
        options.relaxationFirst = relaxationFirst
        options.raceDelay = race ? raceDelay : nil
        options.raceBranching = raceBranching
        options.raceBacktracking = raceBacktrack
        options.raceCuts = raceCuts
        options.sliceQuantum = sliceQuantum > 0 ? sliceQuantum : nil
        options.raceExtraThreads = raceExtraThreads
        options.raceExtraDelay = raceExtraDelay
        options.raceExtraBudget = raceExtraBudget > 0 ? raceExtraBudget : nil
        if let sink, sink.isActive {
            // GLPK's own log only with --solver-log; -v keeps the planner's lines.
            options.messageLevel = solverLog ? .normal : .off
            options.log = sink.closure
        }
        return options
    }
}

extension SolveOptions.Method: ExpressibleByArgument {}
extension SolveOptions.Scaling: ExpressibleByArgument {}
extension SolveOptions.InitialBasis: ExpressibleByArgument {}
extension SolveOptions.Branching: ExpressibleByArgument {}
extension SolveOptions.Backtracking: ExpressibleByArgument {}
extension SolveOptions.Preprocessing: ExpressibleByArgument {}

/// `none`, `all` or a comma-separated list, as ``NamedOptionSet`` parses it.
extension ExpressibleByArgument where Self: NamedOptionSet, RawValue: ExpressibleByArgument {
    public init?(argument: String) {
        guard let set = try? Self(parsing: argument) else { return nil }
        self = set
    }
    public var defaultValueDescription: String { name }
    public static var defaultCompletionKind: CompletionKind { .list(["none", "all"] + names.map(\.name)) }
}

extension SolveOptions.Cuts: ExpressibleByArgument {}
extension SolveOptions.Heuristics: ExpressibleByArgument {}

/// `planner lp FILE`: glpsol's everyday use with clean output.
struct LPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lp",
        abstract: "Solve an LP or MIP file (MPS fixed/free, CPLEX LP, GLPK, or MathProg) with GLPK.",
        discussion: """
            Examples:
              planner lp model.mps --format json
              planner lp --model models/sourcing.mod --data models/data/tagging.dat

            The format follows the extension (.mps fixed MPS, .fmps free MPS, .lp CPLEX LP, \
            .glpk GLPK; .gz compressed), or --input-format. MathProg: --model M.mod [--data D.dat ...].

            A model file's independent blocks are solved apart, --threads at a time, as for \
            sourcing instances (--no-decompose: one GLPK problem). A MathProg model is solved \
            as one problem, as glpsol does, so its display and printf statements see the solution.
            """
    )

    @Argument(help: "The model file (omit with --model).")
    var file: String?

    @Option(name: .customLong("input-format"), help: "mps, free-mps, lp or glpk (default: from the extension).")
    var inputFormat: ModelFileFormat?

    @Option(help: "A GNU MathProg model file.")
    var model: String?

    @Option(help: "MathProg data file (repeatable).")
    var data: [String] = []

    @Option(help: "Output format: text or json.")
    var format: FormatOption<ModelReport> = .init(.text)

    @Option(name: .shortAndLong, help: "Write the output to this file (atomically).")
    var output: String?

    @Option(
        name: .customLong("memory-limit"),
        help: "Largest address space of the solver process, in GiB (default 4): a runaway model ends as exit 6.")
    var memoryLimit: Double = 4

    @OptionGroup(title: "Solver") var solver: SolverOptions

    func validate() throws {
        if (file == nil) == (model == nil) {
            throw ValidationError("give either a model FILE or --model M.mod")
        }
        if model == nil && !data.isEmpty {
            throw ValidationError("--data goes with --model")
        }
        if !(memoryLimit.isFinite && memoryLimit >= 0.25 && memoryLimit <= 1024) {
            throw ValidationError("--memory-limit must be a number of GiB in [0.25, 1024], not \(formatNumber(memoryLimit))")
        }
    }

    /// The largest input file `lp` reads (as for instances, 1 GiB), checked
    /// before anything is read.
    static let maximumInputBytes = JSONLimits.standard.maxInputBytes

    func run() throws {
        // Every input's size, before anything reads it.
        for path in [file, model].compactMap({ $0 }) + data {
            var status = stat()
            guard stat(path, &status) == 0 else { try fail("\(path): no such file", code: PlannerExit.invalidInput) }
            if status.st_size > Self.maximumInputBytes {
                try fail(
                    "\(path): file of \(status.st_size) bytes exceeds the limit of \(Self.maximumInputBytes) bytes",
                    code: PlannerExit.invalidInput)
            }
        }
        // Translating and solving run in a worker process, as `solve` does:
        // the time limit is a hard wall clock (MathProg's translator ignores
        // GLPK's), the memory is capped, and a crash inside GLPK or a
        // runaway model ends as exit 5 or 6, never as a dead planner.
        let memory = rlim_t(memoryLimit * 1_073_741_824)
        let (outcome, payload) = try Worker.run(timeLimit: solver.timeLimit) { (send: (Data) -> Void) -> Int32 in
            var cap = rlimit(rlim_cur: memory, rlim_max: memory)
            setrlimit(Int32(RLIMIT_AS.rawValue), &cap)
            let (text, code) = try solveAndReport()
            send(Data(text.utf8))
            return code
        }
        switch outcome {
        case .exited(let code):
            if !payload.isEmpty {
                do { try OutputTarget(path: output).emit(String(decoding: payload, as: UTF8.self)) } catch {
                    try fail("cannot write output: \(error)", code: PlannerExit.outputUnwritable)
                }
            }
            throw ExitCode(code)
        case .signalled(let signal):
            try fail(
                "the solver process died (signal \(signal)): the model is too deep, too large for --memory-limit \(formatNumber(memoryLimit)) GiB, or crashed GLPK; no result",
                code: PlannerExit.solverFailure)
        case .timedOut:
            let limit = solver.timeLimit.map(formatNumber) ?? "?"
            try fail(
                "the time limit of \(limit) s was reached without a result (translation or solve); the solver was stopped",
                code: PlannerExit.limitWithoutPlan)
        }
    }

    /// Translates or reads the model, solves it and renders the report;
    /// runs in the worker.
    private func solveAndReport() throws -> (String, Int32) {
        let sink: LogSink
        do { sink = try LogSink(verbose: solver.verbose, path: solver.log) } catch { try fail("\(error)", code: PlannerExit.invalidInput) }
        // A general LP or MIP file: GLPK's own defaults (presolve, scaling).
        let options = solver.solveOptions(log: sink, base: SolveOptions())
        let model: Model
        let result: SolveResult
        do {
            if let path = model_path {
                let run = try MathProg.solve(model: path, data: data, options: options)
                model = run.model
                result = run.result
                for line in run.output { sink.write(line) }
            } else {
                let file = self.file ?? ""
                model = try ModelFile.read(file, format: inputFormat, log: sink.closure)
                result = try SolverOptions.glpkSolver(decompose: solver.decompose, threads: solver.threads).solve(model, options: options)
            }
        } catch let error as ModelError {
            // By the error's kind: a recovered GLPK abort (out of memory
            // under --memory-limit, an internal error) is the solver's
            // failure, a bad file or value the input's.
            try fail(error.description, code: PlannerExit.code(for: error))
        } catch {
            try fail("\(error)", code: PlannerExit.solverFailure)
        }
        var report = ModelReport(model: model, result: result)
        // The stamp hashes the input files in order (the model or file, then each data file).
        var input = Data()
        for path in [file, self.model].compactMap({ $0 }) + data {
            if let bytes = try? FileBytes.read(path, limit: 1 << 34) { input.append(bytes) }
        }
        report.stamp = solver.stamp(input: input, options: options)
        let text = String(decoding: report.render(format.value)?.first?.data ?? Data(), as: UTF8.self)
        return (text, PlannerExit.code(for: result.termination.reason))
    }

    private var model_path: String? { model }
}

extension ModelFileFormat: ExpressibleByArgument {}

extension ContractFormulation: ExpressibleByArgument {}
