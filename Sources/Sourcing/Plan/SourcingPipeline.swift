public import LinearModel

/// The one path from instances to results that every command takes: a
/// plan, a what-if, a stress test, a sweep row and a frontier are each one
/// function here, over any ``LinearModel/ResolvingSolver``.
///
/// The solver is made per thread count (a sweep or stress test runs its
/// cases on one thread each; a plan uses ``threads``). With ``reuse``, a
/// what-if or sweep opens a ``LinearModel/SolveSession`` on the baseline's
/// model and hands it each scenario's model: the decomposing GLPK solver
/// then re-solves only the blocks a scenario changes, warm. Those models are
/// built without the domain presolve, whose fixings depend on the data and
/// would change the model's shape from one scenario to the next.
public struct SourcingPipeline: Sendable {
    /// The solver for a number of threads.
    public let makeSolver: @Sendable (_ threads: Int) -> any ResolvingSolver
    /// Threads of a plan (cases of a stress test or sweep run one per thread).
    public var threads: Int
    /// Solver options and whether an infeasible plan is explained.
    public var options: PlanOptions
    /// Whether what-ifs and sweeps re-solve the baseline's model in a session.
    public var reuse: Bool

    /// A pipeline over the solvers `makeSolver` returns.
    public init(
        threads: Int = 1, options: PlanOptions = PlanOptions(), reuse: Bool = true,
        solver makeSolver: @escaping @Sendable (_ threads: Int) -> any ResolvingSolver
    ) {
        self.makeSolver = makeSolver
        self.threads = max(1, threads)
        self.options = options
        self.reuse = reuse
    }

    /// A pipeline over one solver whatever the thread count.
    public init<S: ResolvingSolver>(_ solver: S, options: PlanOptions = PlanOptions(), reuse: Bool = true) {
        self.init(threads: 1, options: options, reuse: reuse, solver: { _ in solver })
    }

    // MARK: Plans

    /// The plan of a validated instance, solved cold with the domain presolve.
    public func plan(_ instance: Instance, threads: Int? = nil) throws -> Plan {
        try Self.plan(makeSolver(threads ?? self.threads), instance, options)
    }

    private static func plan<S: Solver>(_ solver: S, _ instance: Instance, _ options: PlanOptions) throws -> Plan {
        try SourcingSolver(solver).plan(instance, options: options)
    }

    /// Sessions open on a baseline's model, one per thread that asks.
    public func sessions(on baseline: Instance, threadsPerSession: Int = 1) -> BaselineSessions {
        BaselineSessions(baseline: baseline, pipeline: self, threads: threadsPerSession)
    }

    /// The plan of `instance` through a session on the baseline (warm when
    /// the model keeps the baseline's shape, cold otherwise).
    ///
    /// A MIP is solved cold, as ``plan(_:threads:)`` solves it (the start,
    /// the tight first search, the race and the shared gap of
    /// docs/FORMULATION.md sections 18-24): a session re-solves a MIP's
    /// blocks one after the other by GLPK's search alone, where a warm
    /// basis saves little (measured: a what-if of a 4,169-column generated
    /// v2 MIP ran past 10 minutes in a session, 0.5 s cold), and the
    /// search model the session was opened with is the baseline's.
    public func plan(_ instance: Instance, in sessions: BaselineSessions) throws -> Plan {
        let built = try SourcingModel(Network(instance), formulation: options.formulation)
        if built.isMIP { return try plan(instance, threads: sessions.threads) }
        let solveOptions = options.solveOptions(for: built)
        let result = try sessions.withSession(options: solveOptions) { try $0.solve(built.model) }
        var plan = Plan(built, result)
        if plan.status == .infeasible && options.explain {
            plan.explanation = try Self.explain(makeSolver(sessions.threads), built.network, options.solve)
        }
        return plan
    }

    private static func explain<S: Solver>(_ solver: S, _ network: Network, _ options: SolveOptions) throws -> Explanation {
        try SourcingSolver(solver).explain(network, options: options)
    }

    // MARK: What-ifs

    /// The baseline and the changed instance side by side, with a note on
    /// each change (`changes`: each with where it came from, in order).
    public func whatIf(
        base: Instance, changed: Instance, scenarioName: String,
        changes: [(origin: String, change: ScenarioChange)]
    ) throws -> PlanComparison {
        let baseline: Plan, after: Plan
        if reuse {
            let sessions = sessions(on: base, threadsPerSession: threads)
            baseline = try plan(base, in: sessions)
            after = try plan(changed, in: sessions)
        } else {
            baseline = try plan(base)
            after = try plan(changed)
        }
        var comparison = PlanComparison(baseline: baseline, scenario: after, scenarioName: scenarioName)
        comparison.changes = ChangeNote.notes(changes, instance: base, baseline: baseline)
        return comparison
    }

    /// Cuts each country, facility or mineral in turn (``StressTest/cut(_:name:each:factor:)``),
    /// `threads` cases at a time on one thread each; `shouldStop` ends it
    /// early (the finished cases are ranked), `caseFinished` is called after
    /// each case. A solver failure in any case throws.
    public func stress(
        _ base: Instance, each dimension: StressDimension, factor: Double,
        shouldStop: @Sendable () -> Bool = { false },
        caseFinished: @Sendable () -> Void = {}
    ) throws -> StressReport {
        let baseline = try plan(base)
        // Each case's instance is made by the thread that solves it, so
        // only the cases in flight are held in memory.
        let names = StressTest.names(base, each: dimension)
        let results = CaseResults<StressRow>(count: names.count)
        let baselineCost = baseline.objective
        parallelForEach(names.count, threads: threads, shouldStop: shouldStop) { k in
            results.set(
                k,
                Result {
                    let cut = StressTest.cut(base, name: names[k], each: dimension, factor: factor)
                    let plan = try self.plan(cut, threads: 1)
                    return StressRow(
                        name: names[k], status: plan.status, cost: plan.objective,
                        costIncrease: plan.objective.flatMap { o in baselineCost.map { clean(o - $0) } },
                        shortfallValue: plan.objective == nil ? nil : clean(plan.totalShortfallValue))
                })
            caseFinished()
        }
        let finished = try results.finished()
        return StressReport(
            dimension: dimension, factor: factor, baselineCost: baselineCost,
            rows: StressTest.rank(finished), cases: names.count)
    }

    /// One row of a sweep: `scenario` (or why it could not be read) applied
    /// to `base` and solved, through `sessions` when given. Never throws: an
    /// invalid scenario or a failed solve is a row with its reason.
    public func sweepRow(
        _ scenario: Result<Scenario, InstanceError>, base: Instance, scenarioFile: String,
        instanceFile: String, sessions: BaselineSessions?
    ) -> SweepRow {
        let changed: Instance
        do {
            changed = try ScenarioApplier.apply(
                scenario.get(), to: base, scenarioFile: scenarioFile,
                instanceFile: instanceFile
            ).0
        } catch {
            return SweepRow(
                status: "invalid", cost: nil, shortfallValue: nil,
                detail: error.diagnostics.first?.description ?? "invalid scenario")
        }
        do {
            let plan = try sessions.map { try self.plan(changed, in: $0) } ?? self.plan(changed, threads: 1)
            return SweepRow(
                status: plan.status.rawValue, cost: plan.objective,
                shortfallValue: plan.objective == nil ? nil : clean(plan.totalShortfallValue),
                detail: plan.status == .optimal ? "" : plan.detail)
        } catch {
            return SweepRow(status: "error", cost: nil, shortfallValue: nil, detail: "solver failure: \(error)")
        }
    }

    /// The least-cost frontier of a mineral's China-exposed share
    /// (``Frontier/trace(_:mineral:buyer:solver:options:progress:)``), on one thread.
    public func frontier(
        _ instance: Instance, mineral: String, buyer: String? = nil,
        progress: (@Sendable (_ breakpoints: Int, _ share: Double) -> Void)? = nil
    ) throws -> Frontier {
        try Self.frontier(makeSolver(1), instance, mineral, buyer, options.solve, progress)
    }

    private static func frontier<S: Solver>(
        _ solver: S, _ instance: Instance, _ mineral: String, _ buyer: String?, _ options: SolveOptions,
        _ progress: (@Sendable (Int, Double) -> Void)?
    ) throws -> Frontier {
        try Frontier.trace(instance, mineral: mineral, buyer: buyer, solver: solver, options: options, progress: progress)
    }
}

extension Plan {
    /// The shortfall of every delivery valued at its reference price (USD):
    /// unique at the optimum, comparable across minerals.
    public var totalShortfallValue: Double { deliveries.reduce(0) { $0 + $1.shortfallValue } }
}
