import ArgumentParser
import Glibc

/// The `planner` command: sourcing plans and what-ifs over GLPK.
@main
struct Planner: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "planner",
        abstract: "Plan critical-mineral sourcing under price floors, tariffs and China-exposure caps.",
        discussion: """
            Exit codes: 0 optimal; 2 invalid input; 3 infeasible; 4 stopped by a limit \
            with a plan; 5 stopped by a limit without a plan; 6 solver failure; \
            7 unbounded; 64 command-line usage error; 1 an output file cannot be written.
            """,
        version: "0.1.0",
        subcommands: [SolveCommand.self, InitCommand.self, ValidateCommand.self, UpgradeCommand.self, ExportCommand.self, WhatIfCommand.self, ApplyCommand.self, StressCommand.self, FrontierCommand.self, SweepCommand.self, SweepMergeCommand.self, GenerateCommand.self, BuildCoalitionCommand.self, LPCommand.self],
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
        main(nil)
    }
}
