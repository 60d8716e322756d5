import ArgumentParser
import FileIO
import FoundationEssentials
import GLPK
import Sourcing

/// `planner report [FILE] [--scenario S ...] [--stress DIM] [--frontier M ...] -o report.html`.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write an HTML briefing: summary, Sankey flows, cost and shortfall charts, what-ifs, stress ranking, frontiers.",
        discussion: """
            Examples:
              planner report -o report.html
              planner report --scenario instances/scenarios/antimony-controls.json --stress country -o briefing.html
              planner report my-instance.json --frontier gallium --frontier cobalt -o report.html

            One self-contained HTML file: inline CSS and SVG, no script, nothing fetched, so it opens \
            offline on an air-gapped machine and prints to PDF. Each --scenario is solved against the \
            baseline and shown side by side with its deltas; --stress cuts each country, facility or \
            mineral in turn and charts the ranking; each --frontier traces the cost-of-independence \
            frontier of one mineral. --format json writes the same results as one JSON document.
            """)

    @Argument(help: "The instance (default: the bundled one).") var file: String?
    @Option(help: "A sourcing-scenario/1 file to compare with the baseline (repeat for more).") var scenario: [String] = []
    @Option(help: "Also rank the damage of cutting each country, facility or mineral.") var stress: StressDimension?
    @Option(help: "With --stress: the share of capacity each case removes, in [0, 1].") var factor: Double = 1
    @Option(help: "Also trace this mineral's frontier (repeat for more).") var frontier: [String] = []
    @Option(help: "Output format: html (default) or json.") var format: FormatOption<Briefing> = .init(.html)
    @Option(name: .shortAndLong, help: "Write the report to this file (atomically); default: standard output.") var output: String?
    @Flag(help: "No progress line on stderr.") var quiet = false
    @OptionGroup(title: "Solver") var solver: SolverOptions
    @OptionGroup(title: "Solver") var modelOptions: ModelOptions

    func validate() throws {
        if !(factor >= 0 && factor <= 1) { throw ValidationError("--factor must be in [0, 1], not \(factor)") }
    }

    func run() throws {
        let path = InstanceInput.path(file)
        let (base, data) = try InstanceInput.load(path)
        for mineral in frontier where !base.minerals.contains(where: { $0.id == mineral }) {
            try fail("\(path): --frontier \(mineral): not a mineral of the instance", code: PlannerExit.invalidInput)
        }
        // Every scenario is read and applied before anything is solved.
        var changed: [(name: String, instance: Instance, changes: [(origin: String, change: ScenarioChange)], bytes: Data)] = []
        for file in scenario {
            let loaded: Scenario
            do { loaded = try ScenarioLoader.load(path: file) } catch { try printDiagnostics(error, "invalid scenario") }
            do {
                let (instance, warnings) = try ScenarioApplier.apply(loaded, to: base, scenarioFile: file, instanceFile: path)
                warn(warnings)
                let bytes = (try? FileBytes.read(file, limit: 1 << 30)) ?? Data()
                changed.append((loaded.name ?? file, instance, loaded.changes.map { (origin: "scenario " + file, change: $0) }, bytes))
            } catch {
                try printDiagnostics(error, "the scenario cannot be applied")
            }
        }
        let sink: LogSink
        do { sink = try LogSink(verbose: solver.verbose, path: solver.log) } catch { try fail("\(error)", code: PlannerExit.invalidInput) }
        let pipeline = solver.pipeline(sink: sink, model: modelOptions)
        let heartbeat = Heartbeat("solving", quiet: quiet)
        let start = ContinuousClock.now
        var briefing: Briefing
        do {
            var plan = try pipeline.plan(base)
            plan.stamp = solver.stamp(input: data, options: pipeline.options.solve)
            briefing = Briefing(plan: plan, plannerVersion: Planner.version)
            for (k, c) in changed.enumerated() {
                heartbeat.report("what-if \(k + 1) of \(changed.count)")
                var comparison = try pipeline.whatIf(base: base, changed: c.instance, scenarioName: c.name, changes: c.changes)
                comparison.stamp = solver.stamp(input: data + c.bytes, options: pipeline.options.solve)
                briefing.comparisons.append(comparison)
            }
            if let stress {
                heartbeat.report("stress test, each \(stress.rawValue)")
                briefing.stress = try pipeline.stress(base, each: stress, factor: factor)
                briefing.stress?.stamp = plan.stamp
            }
            for mineral in frontier {
                heartbeat.report("frontier of \(mineral)")
                do {
                    var traced = try pipeline.frontier(base, mineral: mineral, buyer: nil)
                    traced.stamp = plan.stamp
                    briefing.frontiers.append(traced)
                } catch let error as FrontierError {
                    heartbeat.stop()
                    try fail("\(path): --frontier \(mineral): \(error)", code: PlannerExit.code(for: error))
                }
            }
        } catch { try solverFailure(error) }
        heartbeat.stop()
        let solved = ContinuousClock.now
        let files = briefing.render(format.value) ?? []
        let rendered = ContinuousClock.now
        try OutputTarget(path: output).emit(files.reduce(into: Data()) { $0.append($1.data) })
        let solveSeconds = start.duration(to: solved).inSeconds, renderSeconds = solved.duration(to: rendered).inSeconds
        sink.write(
            "planner: solves \(cFormat("%.3f", solveSeconds)) s, report rendered in \(cFormat("%.4f", renderSeconds)) s "
                + "(\(cFormat("%.1f", 100 * renderSeconds / max(1e-9, solveSeconds + renderSeconds)))% of solving and rendering)")
        throw ExitCode(PlannerExit.code(for: briefing.plan.status))
    }
}
