public import ArgumentParser
import Dispatch
import FileIO
import FoundationEssentials
import GLPK
import Glibc
import LinearModel
public import Sourcing
import Synchronization

extension SolverOptions {
    /// The sourcing pipeline these options and `model`'s ask for, its
    /// solver from ``glpkSolver(decompose:threads:)``.
    func pipeline(sink: LogSink, model: ModelOptions, reuse: Bool? = nil) -> SourcingPipeline {
        var options = PlanOptions()
        options.solve = solveOptions(log: sink)
        options.formulation = model.contractFormulation
        if let raceFormulation = model.raceFormulation { options.raceFormulation = raceFormulation }
        if let searchFormulation = model.searchFormulation { options.searchFormulation = searchFormulation }
        options.roundingStart = model.roundingStart
        options.neighbourhoodNodes = model.neighbourhoodNodes
        let decompose = self.decompose
        return SourcingPipeline(threads: threads, options: options, reuse: reuse ?? decompose) { threads in
            Self.glpkSolver(decompose: decompose, threads: threads)
        }
    }

    /// The one place that chooses between the decomposing GLPK solver
    /// (independent blocks apart, `threads` at a time, warm re-solves of the
    /// changed blocks) and one GLPK problem per solve (`--no-decompose`),
    /// for instances and for `planner lp`'s model files alike.
    static func glpkSolver(decompose: Bool, threads: Int) -> any ResolvingSolver {
        decompose ? DecomposingSolver(GLPKSolver(), threads: threads) : GLPKSolver()
    }
}

/// Ends the command with exit 6 and the solver's failure.
func solverFailure(_ error: any Error) throws -> Never {
    try fail("solver failure: \(error)", code: PlannerExit.solverFailure)
}

func printDiagnostics(_ error: InstanceError, _ what: String) throws -> Never {
    try fail("\(what):\n" + error.diagnostics.map { "  \($0)" }.joined(separator: "\n"), code: PlannerExit.invalidInput)
}

func warn(_ diagnostics: [Diagnostic]) {
    for d in diagnostics { FileBytes.writeError("planner: warning: \(d)\n") }
}

/// `planner apply INSTANCE SCENARIO`: the changed instance.
struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply", abstract: "Apply a sourcing-scenario/1 file to an instance and write the changed instance.",
        discussion: """
            Examples:
              planner apply my-instance.json cut.json -o changed.json
              planner apply instances/coalition-2026.json instances/scenarios/drc-cobalt-quota.json
            """)

    @Argument(help: "The instance.") var instance: String
    @Argument(help: "The scenario.") var scenario: String
    @Option(name: .shortAndLong, help: "Write to this file (atomically) instead of stdout.") var output: String?

    func run() throws {
        let (base, _) = try InstanceInput.load(instance)
        let loaded: Scenario
        do { loaded = try ScenarioLoader.load(path: scenario) } catch { try printDiagnostics(error, "invalid scenario") }
        do {
            let (changed, warnings) = try ScenarioApplier.apply(loaded, to: base, scenarioFile: scenario, instanceFile: instance)
            warn(warnings)
            try OutputTarget(path: output).emit(String(decoding: InstanceEncoder.encode(changed), as: UTF8.self))
        } catch let error as InstanceError {
            try printDiagnostics(error, "the scenario cannot be applied")
        }
    }
}

/// `planner whatif FILE (--scenario S | --cut ... | --ban ...)`.
struct WhatIfCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whatif",
        abstract: "What a disruption costs and what goes short: the baseline and a what-if side by side.",
        discussion: """
            Examples:
              planner whatif --ban CHN:gallium                 # China bans gallium exports
              planner whatif --cut COD:cobalt:mine=40%         # Congolese cobalt mines lose 40%
              planner whatif --scenario instances/scenarios/drc-cobalt-quota.json --format json

            --cut COUNTRY:MINERAL[:mine|refinery]=P% cuts the capacity of the matching facilities by P% \
            (--cut ID=P% one facility); --ban COUNTRY[:MINERAL] blocks its exports. Both repeat and are \
            shorthand for scenario changes (docs/SCENARIOS.md).
            """)

    @Argument(help: "The instance (default: the bundled one).") var file: String?
    @Option(help: "A sourcing-scenario/1 file.") var scenario: String?
    @Option(help: "Capacity cut, e.g. CHN:gallium=100%.") var cut: [String] = []
    @Option(help: "Export ban, e.g. CHN:graphite.") var ban: [String] = []
    @Flag(help: "List every changed flow and binding capacity in the text (it lists 15 of each and says how many it left out).")
    var all = false
    @OptionGroup(title: "Output") var report: ReportOptions<PlanComparison>
    @OptionGroup(title: "Solver") var solver: SolverOptions
    @OptionGroup(title: "Solver") var modelOptions: ModelOptions

    func validate() throws {
        try report.validate()
        if scenario == nil && cut.isEmpty && ban.isEmpty { throw ValidationError("give --scenario FILE, or --cut / --ban") }
    }

    func run() throws {
        let path = InstanceInput.path(file)
        let (base, baseData) = try InstanceInput.load(path)
        var what: Scenario
        if let scenario {
            do { what = try ScenarioLoader.load(path: scenario) } catch { try printDiagnostics(error, "invalid scenario") }
        } else {
            what = Scenario()
        }
        // Every change in order, with where it came from: the file's, then the flags'.
        var origins: [String] = what.changes.map { _ in "scenario " + (scenario ?? "") }
        do {
            for text in cut {
                what.changes.append(try QuickChange.parseCut(text))
                origins.append("--cut " + text)
            }
            let bans = try QuickChange.scenario(cuts: [], bans: ban)
            what.changes += bans.changes
            origins += ban.map { "--ban " + $0 }
        } catch { try printDiagnostics(error, "invalid --cut or --ban") }
        // The headline names everything applied: the file's name and every flag.
        let flags = cut.map { "--cut " + $0 } + ban.map { "--ban " + $0 }
        let name = ([what.name ?? scenario].compactMap { $0 } + flags).joined(separator: " + ")
        let changed: Instance
        do {
            let (result, warnings) = try ScenarioApplier.apply(what, to: base, scenarioFile: scenario ?? "<flags>", instanceFile: path)
            warn(warnings)
            changed = result
        } catch {
            // A change from a flag is named by the flag, never by an internal path.
            let lines = error.diagnostics.map { diagnostic -> String in
                guard let index = Self.changeIndex(diagnostic.path), index < origins.count, origins[index].hasPrefix("--") else {
                    return "  \(diagnostic)"
                }
                var message = diagnostic.message
                if message.hasPrefix("makes the instance invalid: "), let colon = message.dropFirst(28).firstRange(of: ": ") {
                    message = String(message[colon.upperBound...])
                }
                return "  \(origins[index]): \(message)"
            }
            try fail("the scenario cannot be applied:\n" + lines.joined(separator: "\n"), code: PlannerExit.invalidInput)
        }
        let sink: LogSink
        do { sink = try LogSink(verbose: solver.verbose, path: solver.log) } catch { try fail("\(error)", code: PlannerExit.invalidInput) }
        // With decomposition the baseline's blocks are solved once and the
        // scenario re-solves only the blocks it changes, warm.
        var comparison: PlanComparison
        do {
            comparison = try solver.pipeline(sink: sink, model: modelOptions).whatIf(
                base: base, changed: changed, scenarioName: name,
                changes: Array(zip(origins, what.changes)).map { (origin: $0.0, change: $0.1) })
        } catch { try solverFailure(error) }
        if all { comparison.limit = .max }
        // The stamp hashes the instance, then the scenario file and the flags.
        var input = baseData
        if let scenario, let bytes = try? FileBytes.read(scenario, limit: 1 << 30) { input.append(bytes) }
        input.append(contentsOf: Array((cut + ban).joined(separator: "\n").utf8))
        comparison.stamp = solver.stamp(input: input, options: solver.solveOptions(log: sink))
        try report.publish(report.render(comparison))
        throw ExitCode(PlannerExit.code(for: comparison.scenario.status))
    }
}

extension WhatIfCommand {
    /// N of a path `changes[N]...`.
    static func changeIndex(_ path: String) -> Int? {
        guard path.hasPrefix("changes["), let close = path.firstIndex(of: "]") else { return nil }
        return Int(path[path.index(path.startIndex, offsetBy: 8)..<close])
    }
}

/// `planner stress FILE --each country|facility|mineral`.
struct StressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stress",
        abstract: "Which capacity matters most: cut each country, facility or mineral in turn and rank the damage.",
        discussion: """
            Examples:
              planner stress --each country                    # every country's facilities out, one at a time
              planner stress --each facility --factor 0.5 --format csv -o ranking.csv

            --factor is the share of capacity removed (1 = a full outage, the default). Rows are ranked \
            by cost increase and by the shortfall valued at reference prices. Ctrl-C keeps the finished cases.
            """)

    @Argument(help: "The instance (default: the bundled one).") var file: String?
    @Option(help: "country, facility or mineral.") var each: StressDimension
    @Option(help: "Share of capacity removed, in [0, 1].") var factor: Double = 1
    @Option(help: "Output format: text, json or csv.") var format: FormatOption<StressReport> = .init(.text)
    @Option(name: .shortAndLong, help: "Write to this file (atomically).") var output: String?
    @Flag(help: "No progress line on stderr.") var quiet = false
    @OptionGroup(title: "Solver") var solver: SolverOptions
    @OptionGroup(title: "Solver") var modelOptions: ModelOptions

    func validate() throws {
        if !(factor >= 0 && factor <= 1) { throw ValidationError("--factor must be in [0, 1], not \(factor)") }
    }

    func run() throws {
        let path = InstanceInput.path(file)
        let (base, baseData) = try InstanceInput.load(path)
        let sink: LogSink
        do { sink = try LogSink(verbose: solver.verbose, path: solver.log) } catch { try fail("\(error)", code: PlannerExit.invalidInput) }
        let cases = StressTest.names(base, each: each).count
        // Cases run on one thread each, --threads at a time; progress on
        // stderr; Ctrl-C stops taking cases and keeps the finished ones.
        let interrupted = Atomic<Bool>(false)
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { interrupted.store(true, ordering: .relaxed) }
        source.resume()
        let progress = Progress(total: cases, label: "cases", quiet: quiet)
        var stress: StressReport
        do {
            stress = try solver.pipeline(sink: sink, model: modelOptions).stress(
                base, each: each, factor: factor, shouldStop: { interrupted.load(ordering: .relaxed) },
                caseFinished: { progress.advance(by: 1) })
        } catch { try solverFailure(error) }
        source.cancel()
        progress.finish()
        stress.stamp = solver.stamp(input: baseData, options: solver.solveOptions(log: sink))
        let wasInterrupted = interrupted.load(ordering: .relaxed)
        try emit(stress, format.value, to: output)
        if wasInterrupted {
            FileBytes.writeError(
                "planner: interrupted: \(stress.rows.count) of \(stress.cases) cases finished; the output ranks those (the others were not run)\n"
            )
            throw ExitCode(PlannerExit.interrupted)
        }
    }
}

extension StressDimension: ExpressibleByArgument {}
