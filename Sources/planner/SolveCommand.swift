import ArgumentParser
import Dispatch
import FileIO
import FoundationEssentials
import GLPK
import Glibc
import LinearModel
import Sourcing

/// `planner solve [FILE]`: the cheapest sourcing plan of an instance.
struct SolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solve",
        abstract: "Which mines and refineries supply each buyer, at what cost: the cheapest plan of an instance.",
        discussion: """
            Examples:
              planner solve                       # the bundled coalition instance
              planner solve my-instance.json --format json -o plan.json
              planner solve my-instance.json --format csv --output-dir plan/

            Without FILE, solves the bundled reference instance. The solve runs in a forked worker \
            process, so --time-limit is a hard wall-clock limit (GLPK's own limit is tried first; \
            the worker is stopped 2 s after it) and a crash inside GLPK ends as exit code 6. \
            Stdout carries only the plan; the solver log goes to stderr (-v) or --log.
            """
    )

    @Argument(help: "A sourcing-instance/1 or /2 JSON file (default: the bundled instance).")
    var file: String?

    @OptionGroup(title: "Output") var report: ReportOptions<Plan>
    @Flag(help: "Text: every table after the summary (flows, deliveries, facilities, shadow prices).") var detail = false
    @Flag(name: .customLong("by-buyer"), help: "Text: the summary also per buyer and mineral.") var byBuyer = false
    @Flag(help: "No progress line on stderr for a solve that runs past a second.") var quiet = false
    @OptionGroup(title: "Solver") var solver: SolverOptions
    @OptionGroup(title: "Solver") var modelOptions: ModelOptions

    @Flag(
        name: .customLong("in-process"),
        help: ArgumentHelp(
            "Solve in the planner process itself, without the worker (for tests and profiling: no hard time limit, no crash containment).",
            visibility: .private))
    var inProcess = false

    func validate() throws { try report.validate() }

    func run() throws {
        let path = InstanceInput.path(file)
        // The worker decodes the instance itself: forked before the instance
        // exists, it inherits a small process and copies none of the
        // instance's pages on write (Swift's reference counts write to every
        // object they touch). Invalid input ends the worker with exit 2.
        // It renders the report in memory and hands the bytes back; the
        // planner publishes them only after a normal exit.
        let work = { (send: (ReportFiles) -> Void) throws -> Int32 in
            var loadTime = LoadTimings()
            let (instance, data) = try InstanceInput.load(path, timings: &loadTime)
            return try solveAndRender(instance, data, loadTime: loadTime, send: send)
        }
        let code: Int32
        var files = ReportFiles()
        if inProcess {
            code = try work { files = $0 }
        } else {
            // The heartbeat starts once the worker is forked, never before.
            var heartbeat: Heartbeat?
            let (outcome, payload) = try Worker.run(
                timeLimit: solver.timeLimit, whileWaiting: { heartbeat = Heartbeat("solving", quiet: quiet) }
            ) {
                (send: (Data) -> Void) throws -> Int32 in
                WorkerTestHooks.apply()
                return try work { send($0.encoded()) }
            }
            heartbeat?.stop()
            switch outcome {
            case .exited(let worker):
                code = worker
                files = ReportFiles(decoding: payload)
            case .signalled(let signal):
                FileBytes.writeError("planner: the solver process died (signal \(signal)); no plan\n")
                code = PlannerExit.solverFailure
            case .timedOut:
                let limit = solver.timeLimit.map(formatNumber) ?? "?"
                FileBytes.writeError("planner: the time limit of \(limit) s was reached without a plan; the solver was stopped\n")
                code = PlannerExit.limitWithoutPlan
            }
        }
        if PlannerExit.hasReport(code) { try report.publish(files) }
        throw ExitCode(code)
    }

    /// Solves the loaded instance, renders the report and passes it to
    /// `send`; returns the exit code. Runs in the worker process.
    private func solveAndRender(
        _ instance: Instance, _ data: Data, loadTime: LoadTimings,
        send: (ReportFiles) -> Void
    ) throws -> Int32 {
        let sink: LogSink
        do { sink = try LogSink(verbose: solver.verbose, path: solver.log) } catch { try fail("\(error)", code: PlannerExit.invalidInput) }
        let pipeline = solver.pipeline(sink: sink, model: modelOptions)
        // The input's digest for the stamp, on its own thread while the solve
        // runs (a few ms at 1e5 flow variables, otherwise on the critical path).
        let digest = Background { SHA256.hex(data) }
        var plan: Plan
        do { plan = try pipeline.plan(instance) } catch { try solverFailure(error) }
        plan.stamp = Stamp(
            inputSHA256: digest.value, glpkVersion: GLPKSolver.version,
            options: solver.stampOptions(pipeline.options.solve), plannerVersion: Planner.version)
        let writeStart = ContinuousClock.now
        send(report.render(plan, text: TextOptions(detail: detail, byBuyer: byBuyer)))
        let phases =
            [("decode", loadTime.decode), ("validate", loadTime.validate)] + plan.timings.phases.map { ($0.phase, $0.seconds) }
            + [("write", writeStart.duration(to: .now).inSeconds)]
        sink.write(
            "planner: domain presolve left out \(plan.presolve.variablesRemoved) variables and \(plan.presolve.rowsRemoved) rows "
                + "(tags: mines \(plan.presolve.mineTagVariables), refineries \(plan.presolve.refineryTagVariables), "
                + "caps \(plan.presolve.cappedTagVariables); trivial rows \(plan.presolve.trivialRows), "
                + "country shares \(plan.presolve.countryShareRows), impossible contracts \(plan.presolve.impossibleContracts))")
        if plan.kind == "mip", let cost = plan.objective {
            func percent(_ gap: Double?) -> String { gap.map { cFormat("%.4g", $0 * 100) + "%" } ?? "unknown" }
            sink.write(
                "planner: MIP cost \(formatNumber(cost)); LP relaxation bound \(formatNumber(plan.relaxationBound)) "
                    + "(gap \(percent(plan.relaxationGap))); best bound \(formatNumber(plan.bestBound)) (gap \(percent(plan.mipGap))); "
                    + "rounding start \(plan.mipStart?.rawValue ?? "none")"
                    + (plan.startCost.map {
                        " (\(plan.startSource?.rawValue ?? "rounding"), cost \(formatNumber(clean($0))), gap \(percent(plan.startGap)) to the relaxation bound)"
                    } ?? ""))
        }
        sink.write(
            "planner: \(plan.variables) variables, \(plan.constraints) constraints, \(plan.nonzeros) non-zeros; "
                + phases.map { "\($0.0) \(cFormat("%.3f", $0.1)) s" }.joined(separator: ", "))
        return PlannerExit.code(for: plan.status)
    }
}

/// Output options shared by the commands that print plans and what-ifs.
struct ReportOptions<R: Report>: ParsableArguments {
    @Option(help: "Output format: text (default), json or csv.")
    var format: FormatOption<R> = .init(.text)

    @Option(name: .shortAndLong, help: "Write the text or JSON report to this file (atomically).")
    var output: String?

    @Option(name: .customLong("output-dir"), help: "With --format csv: the folder for the CSV files (one per table).")
    var outputDir: String?

    func validate() throws {
        if format.value == .csv && outputDir == nil { throw ValidationError("--format csv needs --output-dir DIR") }
        if format.value != .csv && outputDir != nil { throw ValidationError("--output-dir goes with --format csv") }
        if format.value == .csv && output != nil { throw ValidationError("--output goes with text or json; use --output-dir for csv") }
    }

    /// The report files of `report`: one named "report" (text or JSON), or
    /// one per table named TABLE.csv.
    func render(_ report: R, text options: TextOptions = TextOptions()) -> ReportFiles {
        ReportFiles(report.render(format.value, text: options) ?? [])
    }

    /// Writes the rendered report to stdout, --output or --output-dir
    /// (files atomically).
    func publish(_ files: ReportFiles) throws {
        if format.value == .csv, let outputDir {
            try AtomicFile.createDirectory(outputDir)
            for (name, data) in files.entries.sorted(by: { $0.name < $1.name }) {
                try AtomicFile.write(data, to: outputDir + "/" + name)
            }
        } else if let report = files.entries.first(where: { $0.name == "report" }) {
            if let output { try AtomicFile.write(report.data, to: output) } else { try FileBytes.writeStandardOutput(report.data) }
        }
    }
}

/// Named report files, and their encoding for the pipe from the worker:
/// per file its name's UTF-8 bytes, a zero byte, the length of its data as
/// 8 bytes little-endian, then the data.
struct ReportFiles {
    var entries: [(name: String, data: Data)]

    init(_ entries: [(name: String, data: Data)] = []) { self.entries = entries }

    func encoded() -> Data {
        var out = Data()
        out.reserveCapacity(entries.reduce(0) { $0 + $1.name.utf8.count + 9 + $1.data.count })
        for (name, data) in entries {
            out.append(contentsOf: Array(name.utf8))
            out.append(0)
            withUnsafeBytes(of: UInt64(data.count).littleEndian) { out.append(contentsOf: $0) }
            out.append(data)
        }
        return out
    }

    /// The files of `encoded` bytes; a truncated tail (a worker that died
    /// while sending) is dropped.
    init(decoding bytes: Data) {
        var entries: [(name: String, data: Data)] = []
        var index = bytes.startIndex
        while let zero = bytes[index...].firstIndex(of: 0), bytes.endIndex - zero > 8 {
            var length: UInt64 = 0
            for k in 0..<8 { length |= UInt64(bytes[zero + 1 + k]) << (8 * UInt64(k)) }
            let start = zero + 9
            guard length <= UInt64(bytes.endIndex - start) else { break }
            let end = start + Int(length)
            entries.append((String(decoding: bytes[index..<zero], as: UTF8.self), bytes.subdata(in: start..<end)))
            index = end
        }
        self.entries = entries
    }
}

extension Planner {
    /// The planner's version, as `--version` prints it and every stamp carries.
    static var version: String { configuration.version }
}

extension SolverOptions {
    /// The stamp of a result made from `input` with these options.
    func stamp(input: Data, options: SolveOptions) -> Stamp {
        Stamp(
            inputSHA256: SHA256.hex(input), glpkVersion: GLPKSolver.version, options: stampOptions(options),
            plannerVersion: Planner.version)
    }

    /// The options of the reproducibility stamp, in a fixed order: what the
    /// solve ran with (`options`, the flags over their defaults) and the
    /// decomposition flag.
    func stampOptions(_ options: SolveOptions) -> [Stamp.Setting] {
        let onOff = { (flag: Bool) in flag ? "on" : "off" }
        let pairs: [(String, String)] = [
            ("method", options.method.rawValue), ("presolve", onOff(options.presolve)),
            ("timeLimit", options.timeLimit.map { formatNumber($0) } ?? "none"),
            ("mipGap", formatNumber(options.relativeGap)), ("decompose", onOff(decompose)),
            ("scaling", options.scaling.rawValue), ("initialBasis", options.initialBasis.rawValue),
            ("branching", options.branching.rawValue), ("backtrack", options.backtracking.rawValue),
            ("mipPreprocessing", options.preprocessing.rawValue), ("cuts", options.cuts.name),
            ("heuristics", options.heuristics.name), ("proxyTimeLimit", formatNumber(options.proximityTimeLimit)),
            ("mipPresolve", onOff(options.mipPresolve)), ("relaxationFirst", onOff(options.relaxationFirst))
        ]
        return pairs.map { Stamp.Setting($0.0, $0.1) }
    }
}

/// Test hooks of the worker process, used by Tests/PlannerTests: with
/// `PLANNER_TEST_WORKER_STALL=S` the worker sleeps S seconds before it
/// solves, with `PLANNER_TEST_WORKER_CRASH=1` it aborts, so the handling of
/// a hung or crashed solver can be tested without a real GLPK hang.
enum WorkerTestHooks {
    static func apply() {
        let environment = ProcessInfo.processInfo.environment
        if let stall = environment["PLANNER_TEST_WORKER_STALL"].flatMap(Double.init), stall > 0 {
            usleep(UInt32(min(stall, 4000) * 1e6))
        }
        if environment["PLANNER_TEST_WORKER_CRASH"] == "1" { abort() }
    }
}
