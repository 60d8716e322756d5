import ArgumentParser
import FileIO
import FoundationEssentials
import GLPK
import Glibc
import Sourcing

/// `planner generate`: a synthetic instance, deterministic by seed.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a generated sourcing instance (deterministic by seed; sizes are totals across minerals).",
        discussion: """
            Examples:
              planner generate --seed 7 -o small.json
              planner generate --seed 1 --minerals 12 --mines 925 --refineries 462 --buyers 186 -o lp-1e5.json
              planner generate --seed 3 --minerals 6 --mines 200 --refineries 100 --buyers 30 --mip --v2 -o contracts.json

            Flow variables grow with mines x refineries / minerals (ore) and refineries x buyers (product).
            """)

    @Option(help: "Random seed: the same seed and sizes give the same instance.") var seed: UInt64 = 1
    @Option(help: "Number of minerals (each an independent block of the model).") var minerals: Int = 4
    @Option(help: "Number of mines, in total across minerals.") var mines: Int = 20
    @Option(help: "Number of refineries (about one in five a feed-none source), in total across minerals.") var refineries: Int = 12
    @Option(help: "Number of buyers (each demands up to three minerals).") var buyers: Int = 6
    @Flag(help: "Add contracts (fixed costs, minimum volumes) and supplier limits: a MIP.")
    var mip = false
    @Flag(
        help:
            "A sourcing-instance/2 with every version 2 feature: shortfall curves, buyers outside the coalition, border floors with and without a reference price, soft caps, by-product facilities."
    )
    var v2 = false
    @Option(name: .shortAndLong, help: "Write to this file (atomically) instead of stdout.")
    var output: String?

    func validate() throws {
        if minerals < 1 || minerals > 10_000 { throw ValidationError("--minerals must be in 1...10000") }
        for (name, value) in [("mines", mines), ("refineries", refineries), ("buyers", buyers)] where value < 0 || value > 10_000_000 {
            throw ValidationError("--\(name) must be in 0...10000000")
        }
    }

    func run() throws {
        let instance = InstanceGenerator(
            seed: seed, minerals: minerals, mines: mines, refineries: refineries,
            buyers: buyers, mip: mip, v2: v2
        ).generate()
        let data = InstanceEncoder.encode(instance)
        if let output { try AtomicFile.write(data, to: output) } else { try FileBytes.writeStandardOutput(data) }
    }
}
