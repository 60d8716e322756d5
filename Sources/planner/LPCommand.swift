public import ArgumentParser
import Foundation
public import GLPK
public import LinearModel
import Sourcing

/// Options of the GLPK solver shared by the commands that solve.
struct SolverOptions: ParsableArguments {
    @Option(help: "LP method: primal, dual, dual-primal or interior.")
    var method: SolveOptions.Method = .primal

    @Flag(inversion: .prefixedNo, help: "Use GLPK's LP presolver.")
    var presolve = true

    @Option(name: .customLong("time-limit"), help: "Wall-clock limit in seconds.")
    var timeLimit: Double?

    @Option(name: .customLong("mip-gap"), help: "Relative MIP gap at which to stop (default 1e-9).")
    var mipGap: Double = 1e-9

    @Flag(inversion: .prefixedNo, help: "Solve the independent blocks of the model (one per mineral and more) apart, in parallel.")
    var decompose = true

    @Option(help: "Threads for decomposed solves (default 2).")
    var threads: Int = 2

    @Flag(name: .shortAndLong, help: "Print the solver log on stderr.")
    var verbose = false

    @Option(help: "Write the solver log to this file.")
    var log: String?

    func validate() throws {
        if let timeLimit, !(timeLimit.isFinite && timeLimit >= 0) {
            throw ValidationError("--time-limit must be a number of seconds >= 0, not \(timeLimit)")
        }
        if threads < 1 || threads > 256 { throw ValidationError("--threads must be in 1...256") }
        if !(mipGap.isFinite && mipGap >= 0) {
            throw ValidationError("--mip-gap must be >= 0, not \(mipGap)")
        }
    }

    func solveOptions(log sink: LogSink) -> SolveOptions {
        var options = SolveOptions()
        options.method = method
        options.presolve = presolve
        options.timeLimit = timeLimit
        options.relativeGap = mipGap
        if sink.isActive {
            options.messageLevel = .normal
            options.log = sink.closure
        }
        return options
    }
}

extension SolveOptions.Method: ExpressibleByArgument {}

/// Output formats of the commands.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, csv
}

/// `planner lp FILE`: glpsol's everyday use with clean output.
struct LPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lp",
        abstract: "Solve an LP or MIP file (MPS fixed/free, CPLEX LP, GLPK, or MathProg) with GLPK.",
        discussion: """
            The format follows the extension (.mps fixed MPS, .fmps free MPS, .lp CPLEX LP, \
            .glpk GLPK; .gz compressed), or --format-in. MathProg: --model M.mod [--data D.dat ...].
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
    var format: OutputFormat = .text

    @Option(name: .shortAndLong, help: "Write the output to this file (atomically).")
    var output: String?

    @OptionGroup var solver: SolverOptions

    func validate() throws {
        if (file == nil) == (model == nil) {
            throw ValidationError("give either a model FILE or --model M.mod")
        }
        if model == nil && !data.isEmpty {
            throw ValidationError("--data goes with --model")
        }
        if format == .csv { throw ValidationError("lp writes text or json") }
    }

    func run() throws {
        let sink: LogSink
        do { sink = try LogSink(verbose: solver.verbose, path: solver.log) } catch { fail("\(error)", code: PlannerExit.invalidInput) }
        let options = solver.solveOptions(log: sink)
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
                result = try GLPKSolver().solve(model, options: options)
            }
        } catch let error as ModelError {
            fail(error.description, code: error.guardName == .invalidOption ? 64 : PlannerExit.invalidInput)
        }
        let text = format == .json ? jsonReport(model, result) : textReport(model, result)
        do { try OutputTarget(path: output).emit(text) } catch { fail("cannot write output: \(error)", code: PlannerExit.invalidInput) }
        throw ExitCode(PlannerExit.code(for: result.termination.reason))
    }

    private var model_path: String? { model }

    func textReport(_ model: Model, _ result: SolveResult) -> String {
        var lines = [
            "status:     \(result.termination.reason.rawValue)" + (result.termination.limit.map { " (\($0.rawValue) limit)" } ?? ""),
            "objective:  " + (result.objective.map(formatNumber) ?? "none"),
            "rows:       \(model.constraintCount)",
            "columns:    \(model.variableCount)" + (model.isMIP ? " (\(model.variableKinds.count { $0 != .continuous }) integer)" : ""),
            "non-zeros:  \(model.nonzeroCount)",
            "iterations: \(result.statistics.iterations)",
        ]
        if model.isMIP { lines.append("nodes:      \(result.statistics.nodes)") }
        return lines.joined(separator: "\n") + "\n"
    }

    func jsonReport(_ model: Model, _ result: SolveResult) -> String {
        func name(_ names: [String], _ k: Int, _ prefix: String) -> String {
            names[k].isEmpty ? "\(prefix)\(k + 1)" : names[k]
        }
        func number(_ x: Double?) -> JSONValue { x.map { .number($0) } ?? .null }
        var members: [(key: String, value: JSONValue)] = [
            ("status", .string(result.termination.reason.rawValue)),
            ("limit", result.termination.limit.map { .string($0.rawValue) } ?? .null),
            ("objective", number(result.objective)),
            ("kind", .string(model.isMIP ? "mip" : "lp")),
            ("iterations", .number(Double(result.statistics.iterations))),
            ("nodes", .number(Double(result.statistics.nodes))),
        ]
        if result.hasSolution {
            members.append(("variables", .array(result.values.indices.map { j in
                var entry: [(key: String, value: JSONValue)] = [("name", .string(name(model.variableNames, j, "x"))), ("value", number(result.values[j]))]
                if let costs = result.reducedCosts { entry.append(("reducedCost", number(costs[j]))) }
                return .object(entry)
            })))
            members.append(("constraints", .array(result.rowActivities.indices.map { i in
                var entry: [(key: String, value: JSONValue)] = [("name", .string(name(model.constraintNames, i, "r"))), ("activity", number(result.rowActivities[i]))]
                if let duals = result.rowDuals { entry.append(("dual", number(duals[i]))) }
                return .object(entry)
            })))
        }
        return String(decoding: JSONWriter.encode(.object(members)), as: UTF8.self)
    }
}

extension ModelFileFormat: ExpressibleByArgument {}
