public import ArgumentParser
import FoundationEssentials
import Glibc
import GLPK
import LinearModel
import Synchronization
import Dispatch
public import Sourcing

/// Shared: solve an instance to a plan with the command's solver options,
/// or the solver's failure.
func tryPlan(_ instance: Instance, _ solver: SolverOptions, sink: LogSink, threads: Int? = nil) -> Result<Plan, any Error> {
    var options = PlanOptions()
    options.solve = solver.solveOptions(log: sink)
    return Result {
        let threads = threads ?? solver.threads
        return solver.decompose
            ? try SourcingSolver(DecomposingSolver(GLPKSolver(), threads: threads)).plan(instance, options: options)
            : try SourcingSolver(GLPKSolver()).plan(instance, options: options)
    }
}

/// ``tryPlan(_:_:sink:threads:)``, ending the command with exit 6 on a solver failure.
func solvePlan(_ instance: Instance, _ solver: SolverOptions, sink: LogSink, threads: Int? = nil) -> Plan {
    switch tryPlan(instance, solver, sink: sink, threads: threads) {
    case .success(let plan): return plan
    case .failure(let error): fail("solver failure: \(error)", code: PlannerExit.solverFailure)
    }
}

func printDiagnostics(_ error: InstanceError, _ what: String) -> Never {
    fail("\(what):\n" + error.diagnostics.map { "  \($0)" }.joined(separator: "\n"), code: PlannerExit.invalidInput)
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
        let (base, _) = InstanceInput.load(instance)
        let loaded: Scenario
        do { loaded = try ScenarioLoader.load(path: scenario) } catch { printDiagnostics(error, "invalid scenario") }
        do {
            let (changed, warnings) = try ScenarioApplier.apply(loaded, to: base, scenarioFile: scenario, instanceFile: instance)
            warn(warnings)
            try OutputTarget(path: output).emit(String(decoding: InstanceEncoder.encode(changed), as: UTF8.self))
        } catch let error as InstanceError {
            printDiagnostics(error, "the scenario cannot be applied")
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
    @OptionGroup(title: "Output") var report: ReportOptions
    @OptionGroup(title: "Solver") var solver: SolverOptions

    func validate() throws {
        try report.validate()
        if scenario == nil && cut.isEmpty && ban.isEmpty { throw ValidationError("give --scenario FILE, or --cut / --ban") }
    }

    func run() throws {
        let path = InstanceInput.path(file)
        let (base, _) = InstanceInput.load(path)
        var what: Scenario
        if let scenario {
            do { what = try ScenarioLoader.load(path: scenario) } catch { printDiagnostics(error, "invalid scenario") }
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
        } catch { printDiagnostics(error, "invalid --cut or --ban") }
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
            fail("the scenario cannot be applied:\n" + lines.joined(separator: "\n"), code: PlannerExit.invalidInput)
        }
        let sink: LogSink
        do { sink = try LogSink(verbose: solver.verbose, path: solver.log) } catch { fail("\(error)", code: PlannerExit.invalidInput) }
        // The baseline's blocks are solved once; the scenario re-solves only
        // the blocks it changes, warm (cold when it changes the model's shape).
        let pool = SolverPool(base: base, solver: solver, sink: sink, size: 1)
        let baseline = solver.decompose ? pool.planOrFail(base) : solvePlan(base, solver, sink: sink)
        let after = solver.decompose ? pool.planOrFail(changed) : solvePlan(changed, solver, sink: sink)
        var comparison = PlanComparison(baseline: baseline, scenario: after, scenarioName: name)
        comparison.changes = ChangeNote.notes(Array(zip(origins, what.changes)).map { (origin: $0.0, change: $0.1) },
                                              instance: base, baseline: baseline)
        if all { comparison.limit = .max }
        switch report.format {
        case .text: try OutputTarget(path: report.output).emit(comparison.text())
        case .json:
            try OutputTarget(path: report.output).emit(String(decoding: JSONWriter.encode(comparison.jsonValue(), style: .pretty(indent: 2, inlineArrayElements: true)), as: UTF8.self))
        case .csv:
            let dir = report.outputDir ?? "."
            try AtomicFile.createDirectory(dir)
            for table in comparison.tables() { try AtomicFile.write(Data(table.csv().utf8), to: dir + "/" + table.name + ".csv") }
        }
        throw ExitCode(after.status.exitCode)
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
    @Option(help: "Output format: text, json or csv.") var format: OutputFormat = .text
    @Option(name: .shortAndLong, help: "Write to this file (atomically).") var output: String?
    @Flag(help: "No progress line on stderr.") var quiet = false
    @OptionGroup(title: "Solver") var solver: SolverOptions

    func validate() throws {
        if !(factor >= 0 && factor <= 1) { throw ValidationError("--factor must be in [0, 1], not \(factor)") }
    }

    func run() throws {
        let path = InstanceInput.path(file)
        let (base, _) = InstanceInput.load(path)
        let sink: LogSink
        do { sink = try LogSink(verbose: solver.verbose, path: solver.log) } catch { fail("\(error)", code: PlannerExit.invalidInput) }
        let baseline = solvePlan(base, solver, sink: sink)
        let cases = StressTest.cases(base, each: each, factor: factor)
        let solverOptions = solver
        // Two cases at a time, each solved on one thread; progress on
        // stderr; Ctrl-C stops taking cases and keeps the finished ones.
        let finished = Mutex<[Int: Plan]>([:])
        let interrupted = Atomic<Bool>(false)
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { interrupted.store(true, ordering: .relaxed) }
        source.resume()
        let progress = Progress(total: cases.count, label: "cases", quiet: quiet)
        parallelForEach(cases.count, threads: solver.threads, shouldStop: { interrupted.load(ordering: .relaxed) }) { k in
            let plan = solvePlan(cases[k].instance, solverOptions, sink: sink, threads: 1)
            finished.withLock { done in
                done[k] = plan
                progress.advance(by: 1)
            }
        }
        source.cancel()
        progress.finish()
        let plans = finished.withLock { $0 }
        let wasInterrupted = interrupted.load(ordering: .relaxed)
        let rows = StressTest.rank(cases.indices.compactMap { k -> StressRow? in
            guard let plan = plans[k] else { return nil }
            return StressRow(name: cases[k].name, status: plan.status, cost: plan.objective,
                             costIncrease: plan.objective.flatMap { o in baseline.objective.map { clean(o - $0) } },
                             shortfallValue: clean(plan.deliveries.reduce(0) { $0 + $1.shortfallValue }))
        })
        let table = StressTest.table(rows, dimension: each)
        switch format {
        case .text:
            try OutputTarget(path: output).emit("baseline cost: \(formatNumber(baseline.objective)) USD; each \(each.rawValue) cut by \(formatNumber(factor * 100))%\n\n" + table.text())
        case .csv: try OutputTarget(path: output).emit(table.csv())
        case .json:
            func number(_ x: Double?) -> JSONValue { x.map { JSONValue.number($0) } ?? .null }
            var entries: [JSONValue] = []
            for r in rows {
                let members: [(key: String, value: JSONValue)] = [
                    ("name", .string(r.name)), ("costRank", .number(Double(r.costRank))),
                    ("shortfallRank", .number(Double(r.shortfallRank))), ("status", .string(r.status.rawValue)),
                    ("cost", number(r.cost)), ("costIncrease", number(r.costIncrease)), ("shortfallValue", .number(r.shortfallValue)),
                ]
                entries.append(.object(members))
            }
            let top: [(key: String, value: JSONValue)] = [
                ("format", .string("sourcing-stress/1")), ("each", .string(each.rawValue)), ("factor", .number(factor)),
                ("baselineCost", number(baseline.objective)), ("rows", .array(entries)),
            ]
            let value = JSONValue.object(top)
            try OutputTarget(path: output).emit(String(decoding: JSONWriter.encode(value, style: .pretty(indent: 2, inlineArrayElements: true)), as: UTF8.self))
        }
        if wasInterrupted {
            FileBytes.writeError("planner: interrupted: \(rows.count) of \(cases.count) cases finished; the output ranks those (the others were not run)\n")
            throw ExitCode(130)
        }
    }
}

extension StressDimension: ExpressibleByArgument {}
