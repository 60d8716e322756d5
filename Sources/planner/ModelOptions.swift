import ArgumentParser
import Sourcing

/// Options of the sourcing model that `planner solve` and the what-if
/// commands build from an instance. `planner lp` solves a model file as
/// written, so it does not take them (ArgumentParser refuses them there as
/// unknown options, exit 64).
struct ModelOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "How contract and supplier-limit rows are written: bigM (default, section 4 as stated), bounds (the smallest big-M coefficients), tight (those and the per-arc rows that tighten) or arcs (big-M and those rows); experiments, section 17.",
            visibility: .hidden))
    var contractFormulation: ContractFormulation = .bigM

    @Option(
        name: .customLong("race-formulation"),
        help: ArgumentHelp(
            "For a MIP: how the racing second search's model writes the contract rows (section 21); same as --contract-formulation: one model.",
            valueName: "formulation", visibility: .hidden))
    var raceFormulation: ContractFormulation?

    @Option(
        name: .customLong("search-formulation"),
        help: ArgumentHelp(
            "For a MIP: how the model each block's first search solves writes the contract rows (section 24; default tight; bigM: the solved model's rows); its plan is solved again on --contract-formulation's model.",
            valueName: "formulation", visibility: .hidden))
    var searchFormulation: ContractFormulation?

    @Flag(
        inversion: .prefixedNo,
        help: ArgumentHelp(
            "For a MIP: round and repair the LP relaxation into the search's first incumbent (default on; docs/FORMULATION.md section 18).",
            visibility: .hidden))
    var roundingStart = true

    @Option(
        help: ArgumentHelp(
            "For a MIP's start: branch-and-cut nodes per block of the search over the integers the relaxation leaves fractional (0: the roundings alone; docs/FORMULATION.md section 18).",
            visibility: .hidden))
    var neighbourhoodNodes: Int = RoundingStart.defaultNeighbourhoodNodes

    func validate() throws {
        if neighbourhoodNodes < 0 { throw ValidationError("--neighbourhood-nodes must be >= 0") }
    }
}
