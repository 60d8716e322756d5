import ArgumentParser
import Coalition
import FoundationEssentials
import Glibc
import Sourcing
import GLPK

/// `planner build-coalition`: regenerate the reference instance from its data.
struct BuildCoalitionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build-coalition",
        abstract: "Regenerate instances/coalition-2026.json from the figures in instances/data/ (byte for byte).")

    @Option(help: "The folder of the source CSV files.")
    var data: String = "instances/data"

    @Option(name: .shortAndLong, help: "Where to write the instance (atomically).")
    var output: String = "instances/coalition-2026.json"

    func run() throws {
        let json: Data
        do { json = try CoalitionBuilder.encodedJSON(dataDirectory: data) } catch {
            fail("cannot build the coalition instance from \(data): \(error)", code: PlannerExit.invalidInput)
        }
        try AtomicFile.write(json, to: output)
        FileBytes.writeError("planner: wrote \(output) (\(json.count) bytes)\n")
    }
}
