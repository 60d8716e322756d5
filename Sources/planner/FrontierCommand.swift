import ArgumentParser
import FileIO
import FoundationEssentials
import GLPK
import Glibc
import LinearModel
import Sourcing

/// `planner frontier FILE --mineral M [--buyer B]`.
struct FrontierCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frontier",
        abstract: "Trace least total cost against the China-exposed share of a mineral's demand, with exact breakpoints.",
        discussion: """
            Examples:
              planner frontier --mineral gallium --svg gallium.svg
              planner frontier my-instance.json --mineral cobalt --buyer oem-usa --format csv

            The share is exposed tonnes delivered over tonnes demanded (for one buyer, or all buyers of \
            the mineral); breakpoints come from parametric analysis of that row's right-hand side, from \
            the unconstrained optimum down to the least exposure that is feasible. Each row gives the \
            marginal cost per percentage point on the segment that ends there.
            """)

    @Argument(help: "The instance (default: the bundled one).") var file: String?
    @Option(help: "The mineral id.") var mineral: String
    @Option(help: "One buyer id (default: all buyers of the mineral).") var buyer: String?
    @Option(help: "Output format: text (default), json or csv.") var format: FormatOption<Frontier> = .init(.text)
    @Option(name: .shortAndLong, help: "Write the table to this file (atomically).") var output: String?
    @Option(help: "Also write an SVG chart to this file.") var svg: String?
    @Flag(help: "No progress line on stderr.") var quiet = false

    func run() throws {
        let path = InstanceInput.path(file)
        let (instance, data) = try InstanceInput.load(path)
        guard instance.minerals.contains(where: { $0.id == mineral }) else {
            try fail("\(path): --mineral \(mineral): not a mineral of the instance", code: PlannerExit.invalidInput)
        }
        if let buyer, !instance.buyers.contains(where: { $0.id == buyer && $0.demand[mineral] != nil }) {
            try fail("\(path): --buyer \(buyer): no buyer with a demand for \(mineral)", code: PlannerExit.invalidInput)
        }
        var frontier: Frontier
        let heartbeat = Heartbeat("tracing the frontier of \(mineral)", quiet: quiet)
        defer { heartbeat.stop() }
        do {
            frontier = try SourcingPipeline(GLPKSolver()).frontier(instance, mineral: mineral, buyer: buyer) { count, share in
                heartbeat.report("\(count) breakpoint\(count == 1 ? "" : "s"), down to \(cFormat("%.1f", share * 100))% exposed")
            }
            heartbeat.stop()
        } catch let error as FrontierError {
            // Unsupported instances are invalid input, an infeasible mineral infeasible.
            try fail("\(path): \(error)", code: PlannerExit.code(for: error))
        } catch {
            try fail("solver failure: \(error)", code: PlannerExit.solverFailure)
        }
        frontier.stamp = Stamp(
            inputSHA256: SHA256.hex(data), glpkVersion: GLPKSolver.version, options: [], plannerVersion: Planner.version)
        try emit(frontier, format.value, to: output)
        if let svg { try AtomicFile.write(Data(frontier.svg().utf8), to: svg) }
    }
}
