import ArgumentParser
import FoundationEssentials
import GLPK
import Glibc
import LinearModel
import Sourcing

/// `planner export FILE --to mps|lp|glpk|mathprog-data`.
struct ExportCommand: ParsableCommand {
    enum Target: String, ExpressibleByArgument, CaseIterable {
        case mps, freeMPS = "free-mps", lp, glpk, mathprogData = "mathprog-data"
    }

    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the built model (MPS, CPLEX LP, GLPK) or the data for models/sourcing.mod.",
        discussion: """
            Examples:
              planner export my-instance.json --to mps -o model.mps          # for another solver
              planner export my-instance.json --to mathprog-data -o data.dat
              glpsol -m models/sourcing.mod -d data.dat                      # the independent cross-check
            """)

    @Argument(help: "A sourcing-instance/1 or /2 JSON file (default: the bundled instance).")
    var file: String?

    @Option(help: "mps, free-mps, lp, glpk or mathprog-data.")
    var to: Target

    @Option(name: .shortAndLong, help: "The file to write (atomically); mathprog-data may go to stdout.")
    var output: String?

    func validate() throws {
        if output == nil && to != .mathprogData { throw ValidationError("--to \(to.rawValue) needs --output FILE") }
    }

    func run() throws {
        let path = InstanceInput.path(file)
        let (instance, _) = try InstanceInput.load(path)
        if to == .mathprogData {
            let text: String
            do { text = try MathProgData.encode(instance, file: path) } catch {
                try fail("cannot export:\n" + error.diagnostics.map { "  \($0)" }.joined(separator: "\n"), code: PlannerExit.invalidInput)
            }
            try OutputTarget(path: output).emit(text)
            return
        }
        let format: ModelFileFormat =
            switch to {
            case .mps: .mps
            case .freeMPS: .freeMPS
            case .lp: .lp
            default: .glpk
            }
        let target = output ?? ""
        let built: SourcingModel
        do { built = try SourcingModel(Network(instance)) } catch { try fail(error.description, code: PlannerExit.invalidInput) }
        // The model is valid here: a failure to write it is the output's (exit 1).
        do { try ModelFile.write(built.model, to: target, format: format) } catch {
            try fail(error.description, code: PlannerExit.outputUnwritable)
        }
    }
}
