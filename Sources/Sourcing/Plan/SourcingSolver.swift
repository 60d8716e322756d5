public import LinearModel

/// Options of a sourcing solve.
public struct PlanOptions: Sendable {
    /// Solver options; by default ``LinearModel/SolveOptions/sourcing``.
    public var solve = SolveOptions.sourcing
    /// Explain an infeasible instance (two extra solves).
    public var explain = true
    /// How contract and supplier-limit rows are written: big-M (section 4
    /// as stated) by default; the others are experiments (docs/FORMULATION.md
    /// section 17: none is faster as the solved model on the generated MIPs).
    public var formulation = ContractFormulation.bigM
    /// For a MIP: round and repair the LP relaxation into a first plan and
    /// hand it to the search as its incumbent (``RoundingStart``; default on).
    public var roundingStart = true
    /// Branch-and-cut nodes per block of the start's search over the
    /// integers the relaxation leaves fractional (0: the roundings alone).
    public var neighbourhoodNodes = RoundingStart.defaultNeighbourhoodNodes
    /// For a MIP whose search gets a second one racing it: how the second
    /// search's model writes the contract and supplier-limit rows (the same
    /// variables and integer solutions, docs/FORMULATION.md section 21).
    /// Default tight: measured to end searches the big-M second search
    /// stalls on (BENCHMARKS.md, issue 17). nil, or the solved formulation:
    /// the second search solves the same model.
    public var raceFormulation: ContractFormulation? = .tight
    /// For a MIP: how the model each block's own (first) search solves
    /// writes the contract and supplier-limit rows (docs/FORMULATION.md
    /// section 24). Its plan is solved again on the solved model
    /// (``formulation``) with the integers fixed, so the plan, its duals
    /// and the exported model are the solved model's. Default tight
    /// (measured faster on the MIP ladder, BENCHMARKS.md, issue 17). nil,
    /// or the solved formulation: the first search solves the solved model.
    public var searchFormulation: ContractFormulation? = .tight

    public init() {}

    /// The solver options for `built`: duals of the fixed LP for a MIP, and
    /// how to build the first search's model (``searchFormulation``) and the
    /// race's second model (``raceFormulation``) when they differ from the
    /// solved one (the solver builds them only when it runs them).
    func solveOptions(for built: SourcingModel) -> SolveOptions {
        var options = solve
        options.mipDuals = built.isMIP
        guard built.isMIP else { return options }
        func rows(_ formulation: ContractFormulation) -> @Sendable () throws -> Model {
            if formulation == built.formulation { return { [model = built.model] in model } }
            return { try SourcingModel(built.network, mode: built.mode, presolve: built.domain, formulation: formulation).model }
        }
        // The second search solves the first's model unless told another
        // (one build when both run the same rows).
        let searched = searchFormulation ?? built.formulation
        if options.searchModel == nil, searched != built.formulation { options.searchModel = rows(searched) }
        if options.raceDelay != nil, options.raceModel == nil, let race = raceFormulation, race != searched {
            options.raceModel = rows(race)
        }
        return options
    }
}

extension SolveOptions {
    /// The defaults for sourcing models, chosen by `scripts/bench-choices` on
    /// the generator's ladder (BENCHMARKS.md, "Solver choices per block"):
    /// GLPK's general defaults except no LP presolve and no scaling. The
    /// sourcing LPs are flow networks with coefficients of 1, yields and
    /// shares, whose blocks GLPK's presolver barely shrinks; its scaling
    /// pass and the presolver's rebuild cost more simplex iterations than
    /// they save (0.68x the time at 1e5 flow variables, 0.74x at 3e5).
    public static var sourcing: SolveOptions {
        var options = SolveOptions()
        options.presolve = false
        options.scaling = .none
        return options
    }
}

/// Solves sourcing instances: build, solve, extract, and explain infeasibility.
public struct SourcingSolver<S: Solver>: Sendable {
    public let solver: S

    public init(_ solver: S) { self.solver = solver }

    /// The plan of a validated instance.
    public func plan(_ instance: Instance, options: PlanOptions = PlanOptions()) throws -> Plan {
        let clock = ContinuousClock()
        var t = clock.now
        func lap() -> Double { let now = clock.now; defer { t = now }; return (now - t).inSeconds }
        // Resolving the instance into arcs (blocked arcs and minerals a
        // receiver does not take are never enumerated) and the fixings of the
        // domain presolve, then the model itself.
        let network = Network(instance)
        let domain = DomainPresolve(network, mode: .plan)
        let presolveTime = lap()
        let built = try SourcingModel(network, mode: .plan, presolve: domain, formulation: options.formulation)
        let buildTime = lap()
        var solveOptions = options.solveOptions(for: built)
        var phases = [("presolve", presolveTime), ("build", buildTime)]
        // The start (docs/FORMULATION.md section 18) is built under a limit
        // (only a limit can end the search without a plan) and for a loose
        // gap. One within the gap asked of the relaxation bound answers the
        // MIP, and at a loose gap one the neighbourhood search has had its
        // go at (its plan, or a rounding it found no better than) is most
        // of the way there: both are offered at once. Otherwise it is
        // offered a quarter into the time limit, kept if better than what
        // the search has by then (an incumbent handed in at the root was
        // measured to slow GLPK's proof at tight gaps).
        let limited = solveOptions.timeLimit != nil || solveOptions.deadline != nil || solveOptions.nodeLimit != nil
        let loose = solveOptions.relativeGap >= RoundingStart.looseGap
        var offered: RoundingStart.Start?
        if built.isMIP && options.roundingStart && (limited || loose) && solveOptions.mipStart == nil {
            let start = try RoundingStart.start(
                built, solver: solver, options: options.solve, neighbourhoodNodes: options.neighbourhoodNodes)
            let answers = start.map { $0.gap <= solveOptions.relativeGap } ?? false
            let early = answers || (loose && options.neighbourhoodNodes > 0)
            if let start, limited || early {
                offered = start
                solveOptions.mipStart = start.values
                solveOptions.mipStartDelay = early ? 0 : solveOptions.effectiveTimeLimit.map { $0 / 4 } ?? 0
            }
            phases.append(("start", lap()))
        }
        let result = try solver.solve(built.model, options: solveOptions)
        let solveTime = lap()
        var plan = Plan(built, result)
        plan.startCost = offered?.cost
        plan.startSource = offered?.source
        plan.timings.phases = phases + [("solve", solveTime), ("extract", lap())]
        if plan.status == .infeasible && options.explain {
            plan.explanation = try explain(network, options: options.solve)
            plan.timings.phases.append(("explain", lap()))
        }
        return plan
    }

    /// The two steps of section 6 for an infeasible instance.
    public func explain(_ network: Network, options: SolveOptions) throws -> Explanation {
        var quiet = options
        quiet.mipDuals = false
        quiet.sensitivity = false
        var explanation = Explanation(totalShortfall: nil, shortfalls: [], totalCapExcess: nil, capNeeds: [])
        // Step 1: least total shortfall, every other rule kept.
        let step1 = try SourcingModel(network, mode: .minimizeShortfall)
        let r1 = try solver.solve(step1.model, options: quiet)
        if r1.hasSolution {
            explanation.totalShortfall = r1.objective.map(clean)
            for (d, demand) in network.demands.enumerated() {
                guard let u = step1.variables.shortfall[d].first else { continue }
                let tonnes = clean(r1.values[u.index])
                if tonnes > flowTolerance {
                    explanation.shortfalls.append(
                        .init(
                            buyer: network.instance.buyers[demand.buyer].id,
                            mineral: network.mineralIDs[demand.mineral], tonnes: tonnes))
                }
            }
        }
        // Step 2: every demand met, least total excess over the caps.
        let step2 = try SourcingModel(network, mode: .minimizeCapExcess)
        let r2 = try solver.solve(step2.model, options: quiet)
        if r2.hasSolution {
            explanation.totalCapExcess = r2.objective.map(clean)
            for (d, demand) in network.demands.enumerated() {
                guard let cap = demand.cap, let slack = step2.variables.capExcess[d] else { continue }
                let excess = clean(r2.values[slack.index])
                let needed = demand.tonnes > 0 ? clean(cap + excess / demand.tonnes) : cap
                explanation.capNeeds.append(
                    .init(
                        buyer: network.instance.buyers[demand.buyer].id,
                        mineral: network.mineralIDs[demand.mineral], cap: cap, needed: needed, excess: excess))
            }
        }
        return explanation
    }
}
