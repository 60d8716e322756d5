import ArgumentParser
import FileIO
import FoundationEssentials
import Glibc
import Sourcing

/// `planner validate FILE`: check an instance without solving.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check an instance without solving it: errors with their paths, and warnings about demand that cannot be served.",
        discussion: """
            Examples:
              planner validate my-instance.json
              planner validate                                 # the bundled instance
            """)

    @Argument(help: "A sourcing-instance/1 or /2 JSON file (default: the bundled instance).")
    var file: String?

    func run() throws {
        let path = InstanceInput.path(file)
        let (instance, _) = try InstanceInput.load(path)
        let network = Network(instance)
        // Valid but not servable as it stands: said with the numbers.
        for warning in Serviceability.warnings(network, file: path) {
            FileBytes.writeError("planner: warning: \(warning)\n")
        }
        try OutputTarget(path: nil).emit(
            "\(path): valid \(instance.version.formatName)\n"
                + "  \(instance.minerals.count) minerals, \(instance.countries.count) countries, "
                + "\(instance.mines.count) mines, \(instance.refineries.count) refineries, \(instance.buyers.count) buyers\n"
                + "  \(network.oreArcs.count) ore arcs, \(network.productArcs.count) product arcs, "
                + "\(2 * (network.oreArcs.count + network.productArcs.count)) flow variables, \(network.demands.count) demands\n")
    }
}
