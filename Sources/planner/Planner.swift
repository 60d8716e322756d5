import ArgumentParser
import FileIO
import Glibc
import Sourcing

/// The `planner` command: sourcing plans and what-ifs over GLPK.
@main
struct Planner: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "planner",
        abstract: "Plan critical-mineral sourcing under price floors, tariffs and China-exposure caps, and answer what-ifs.",
        discussion: """
            Start with `planner init -o my-instance.json`, then `planner solve my-instance.json`; \
            with no FILE every command uses the bundled coalition instance. `planner COMMAND --help` \
            has examples; `--help-hidden` adds the GLPK tuning flags.

            Exit codes: 0 optimal; 1 an output cannot be written; 2 invalid input; 3 infeasible; \
            4 stopped by a limit with a plan; 5 stopped by a limit without a plan; 6 solver failure; \
            7 unbounded; 8 a sweep finished with invalid or failed rows; 64 command-line usage error; \
            130 interrupted.
            """,
        version: "0.1.0",
        groupedSubcommands: [
            CommandGroup(
                name: "Plan",
                subcommands: [SolveCommand.self, ReportCommand.self, ValidateCommand.self, InitCommand.self, UpgradeCommand.self]),
            CommandGroup(
                name: "What-ifs",
                subcommands: [
                    WhatIfCommand.self, StressCommand.self, FrontierCommand.self, SweepCommand.self,
                    SweepMergeCommand.self, ApplyCommand.self
                ]),
            CommandGroup(name: "Developer tools", subcommands: [ExportCommand.self, LPCommand.self, GenerateCommand.self])
        ],
        defaultSubcommand: nil
    )

    /// Unblocks the signals that end a command (SIGTERM, SIGINT, SIGHUP) in
    /// case the starting process left them blocked (a blocked mask is
    /// inherited across exec): a planner that cannot be terminated would
    /// keep its solve worker running too. Then parses and runs as usual.
    static func main() {
        var ending = sigset_t()
        sigemptyset(&ending)
        for signal in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&ending, signal) }
        pthread_sigmask(SIG_UNBLOCK, &ending, nil)
        _ = SolverOptions.commandStart
        do {
            var command = try parseAsRoot(nil)
            try command.run()
        } catch let error as PlannerError {
            FileBytes.writeError("planner: " + error.message + "\n")
            Glibc.exit(error.code)
        } catch {
            exit(withError: error)
        }
    }
}
