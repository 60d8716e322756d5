import GLPK
import LinearModel
import Sourcing
import TestSupport
import Testing

/// Solving the independent blocks apart (in parallel) gives the monolithic
/// optimum, and the merged duals price the monolithic model correctly.
@Suite struct DecompositionTests {
    /// The decomposition is the solver's, not GLPK's: it is checked over
    /// GLPK and over the test double alike.
    @Test(arguments: [1, 2, 3, 4, 5, 6], [false, true])
    func blocksMatchMonolithic(seed: Int, mip: Bool) throws {
        let instance = InstanceGenerator(seed: UInt64(seed), minerals: 5, mines: 30, refineries: 20, buyers: 8, mip: mip).generate()
        try blocksMatchMonolithic(instance, mip: mip, GLPKSolver())
    }

    @Test(arguments: [1, 2, 3], [false, true])
    func blocksMatchMonolithicOnTheDouble(seed: Int, mip: Bool) throws {
        // Smaller instances: the double is dense.
        let instance = InstanceGenerator(seed: UInt64(seed), minerals: 4, mines: 10, refineries: 6, buyers: 4, mip: mip).generate()
        try blocksMatchMonolithic(instance, mip: mip, DenseSimplexSolver())
    }

    func blocksMatchMonolithic<S: Solver>(_ instance: Instance, mip: Bool, _ solver: S) throws {
        let built = try SourcingModel(Network(instance))
        var options = SolveOptions()
        options.mipDuals = mip
        let mono = try solver.solve(built.model, options: options)
        let split = try DecomposingSolver(solver, threads: 2, minimumBlockSize: 1).solve(built.model, options: options)
        #expect(Decomposition(built.model, minimumBlockSize: 1).blocks.count >= instance.minerals.count)
        #expect(split.termination.reason == mono.termination.reason)
        #expect(isClose(split.objective, mono.objective ?? .nan, relative: 1e-9))
        // Duals are valid for the merged plan: reduced costs recomputed from
        // the merged row duals equal the merged reduced costs (c - A^T y).
        if !mip, let y = split.rowDuals, let d = split.reducedCosts {
            var aty = [Double](repeating: 0, count: built.model.variableCount)
            for i in 0..<built.model.constraintCount {
                for k in built.model.rowStarts[i]..<built.model.rowStarts[i + 1] {
                    aty[Int(built.model.columnIndices[k])] += built.model.coefficients[k] * y[i]
                }
            }
            for j in 0..<built.model.variableCount {
                #expect(abs(built.model.objectiveCoefficients[j] - aty[j] - d[j]) <= 1e-6 * max(1, abs(d[j])))
            }
        }
    }
}

/// Re-solves (issue 6): a what-if that changes one mineral's data re-solves
/// only the block that holds it, warm, and reuses every other block's result
/// unchanged; the objective is the cold solve's.
@Suite struct IncrementalResolveTests {
    /// Ore each mine ships in `result`.
    static func shipped(_ base: SourcingModel, _ result: SolveResult) -> [Double] {
        base.network.instance.mines.indices.map { m in
            base.network.arcsOfMine[m].reduce(0.0) { total, a in
                total
                    + [base.variables.oreClean[a], base.variables.oreExposed[a]].reduce(0.0) {
                        $0 + ($1.map { result.values[$0.index] } ?? 0)
                    }
            }
        }
    }

    /// Re-solves `changed` warm, expects one block re-solved and the cold
    /// solve's optimum; returns the warm result.
    static func resolveOneBlock(_ solver: IncrementalSolver, _ changed: Instance) throws -> SolveResult {
        let model = try SourcingModel(Network(changed)).model
        let warm = try solver.solve(model)
        #expect(solver.lastResolvedBlocks == 1)
        let cold = try GLPKSolver().solve(model, options: .sourcing)
        #expect(warm.termination.reason == .optimal && cold.termination.reason == .optimal)
        #expect(isClose(warm.objective, cold.objective ?? .nan, relative: 1e-9))
        return warm
    }

    @Test(arguments: [1, 2, 3])
    func oneChangedMineralResolvesOneBlock(seed: Int) throws {
        let instance = InstanceGenerator(seed: UInt64(seed), minerals: 5, mines: 30, refineries: 20, buyers: 8, mip: false).generate()
        let base = try SourcingModel(Network(instance))
        let blocks = Decomposition(base.model, minimumBlockSize: 1).blocks
        #expect(blocks.count >= 5)
        let solver = try IncrementalSolver(base.model, options: .sourcing, minimumBlockSize: 1)
        let baseline = try solver.solve(base.model)
        #expect(solver.lastResolvedBlocks == 0)

        // Halve the capacity of the mine whose capacity row binds hardest
        // (the one that ships the most ore): one bound of one block changes.
        let shipped = Self.shipped(base, baseline)
        let mine = try #require(shipped.indices.max { shipped[$0] < shipped[$1] })
        #expect(shipped[mine] > 0)
        var changed = instance
        changed.mines[mine].capacity = shipped[mine] / 2
        let warm = try Self.resolveOneBlock(solver, changed)
        #expect(isClose(warm.objective, baseline.objective ?? .nan, relative: 1e-12) == false)

        // Every block but the mine's keeps the baseline's values exactly.
        let row = try #require(base.rows.mineCapacity[mine]).index
        for block in blocks where !block.constraints.contains(row) {
            #expect(block.variables.allSatisfy { warm.values[$0] == baseline.values[$0] })
        }
    }

    /// Version 2: a host cut of one by-product mine (its hostThroughput
    /// halved below what it ships) re-solves its mineral's block only, and
    /// reaches the cold solve's optimum; blocks stay per mineral although
    /// by-product hosts share labels across minerals.
    @Test(arguments: [1, 2, 3, 4])
    func hostCutResolvesOneBlock(seed: Int) throws {
        let instance = InstanceGenerator(seed: UInt64(seed), minerals: 5, mines: 30, refineries: 20, buyers: 8, v2: true).generate()
        let base = try SourcingModel(Network(instance))
        let blocks = Decomposition(base.model, minimumBlockSize: 1).blocks
        let minerals = Set(instance.buyers.flatMap(\.demand.keys)).count
        #expect(blocks.count >= minerals, "one block per mineral at least")
        let solver = try IncrementalSolver(base.model, options: .sourcing, minimumBlockSize: 1)
        let baseline = try solver.solve(base.model)
        let shipped = Self.shipped(base, baseline)
        guard
            let mine = instance.mines.indices.filter({ instance.mines[$0].byProduct != nil && shipped[$0] > 1 })
                .max(by: { shipped[$0] < shipped[$1] })
        else { return }
        let scenario = Scenario(changes: [.hostThroughput(.factor(0.25), where: FacilitySelector(id: instance.mines[mine].id))])
        let changed = try ScenarioApplier.apply(scenario, to: instance, scenarioFile: "cut.json").instance
        #expect(changed.mines[mine].effectiveCapacity < shipped[mine])
        let warm = try Self.resolveOneBlock(solver, changed)
        #expect((warm.objective ?? 0) > (baseline.objective ?? 0), "a binding host cut costs something")
    }
}

extension DecompositionTests {
    /// `--mip-gap` on a decomposed MIP is the whole model's gap (the blocks
    /// share it through ``GapBudget``): the plan's reported gap is within
    /// it, and so is its cost against the optimum proven at 1e-9.
    @Test(arguments: [1, 2, 3])
    func aLooseGapHoldsForTheWholeModel(seed: Int) throws {
        let instance = InstanceGenerator(seed: UInt64(seed), minerals: 6, mines: 60, refineries: 30, buyers: 12, mip: true).generate()
        let solver = SourcingSolver(DecomposingSolver(GLPKSolver(), threads: 2, minimumBlockSize: 1))
        let exact = try solver.plan(instance)
        let optimum = try #require(exact.objective)
        var options = PlanOptions()
        options.solve.relativeGap = 0.002
        let loose = try solver.plan(instance, options: options)
        let cost = try #require(loose.objective)
        #expect([.optimal, .feasible].contains(loose.status), "\(loose.status)")
        #expect((loose.mipGap ?? 1) <= 0.002 + 1e-12, "gap \(loose.mipGap ?? .nan)")
        // The contract's exit codes: optimal exactly when the whole gap is at most 1e-9.
        #expect((loose.status == .optimal) == ((loose.mipGap ?? 1) <= 1e-9), "\(loose.status) at gap \(loose.mipGap ?? .nan)")
        #expect(cost >= optimum - 1e-6 * optimum && (cost - optimum) / optimum <= 0.002 + 1e-12, "\(cost) against \(optimum)")
        #expect((loose.bestBound ?? .infinity) <= optimum + 1e-6 * optimum)
    }
}

extension DecompositionTests {
    /// A generated contract MIP of the race tests (version 1 or 2), its
    /// big-M model, the options of one search without a race, and that
    /// search's result on one thread: the reference optimum.
    static func raceCase(seed: Int, v2: Bool) throws -> (Instance, SourcingModel, SolveOptions, SolveResult) {
        let instance = InstanceGenerator(seed: UInt64(seed), minerals: 3, mines: 40, refineries: 20, buyers: 10, mip: true, v2: v2)
            .generate()
        let built = try SourcingModel(Network(instance))
        var alone = SolveOptions.sourcing
        alone.raceDelay = nil
        let reference = try DecomposingSolver(GLPKSolver(), threads: 1).solve(built.model, options: alone)
        return (instance, built, alone, reference)
    }

    /// The result's row activities and duals are `model`'s: one per row,
    /// each activity the row recomputed from the values.
    static func expectRowsOf(_ model: Model, in result: SolveResult) {
        #expect(result.rowActivities.count == model.constraintCount)
        #expect(result.rowDuals?.count == model.constraintCount)
        guard result.rowActivities.count == model.constraintCount else { return }
        for i in 0..<model.constraintCount {
            let (columns, values) = model.row(model.constraints[i])
            let activity = zip(columns, values).reduce(0) { $0 + $1.1 * result.values[Int($1.0)] }
            #expect(abs(activity - result.rowActivities[i]) <= 1e-6 * max(1, abs(activity)), "row \(i)")
        }
    }

    /// Each block's first search on the tight rows (``SolveOptions/searchModel``,
    /// docs/FORMULATION.md section 24), alone on one thread and raced on two
    /// with a time limit, keeps the optimum of the big-M model solved as it
    /// is, and the plan, its row activities and duals are the big-M model's
    /// (the plan checker and every row recomputed).
    @Test(arguments: [1, 2, 3], [false, true])
    func aSearchModelKeepsTheOptimum(seed: Int, v2: Bool) throws {
        let (instance, built, alone, reference) = try Self.raceCase(seed: seed, v2: v2)
        let optimum = try #require(reference.objective)
        let tight = try SourcingModel(Network(instance), formulation: .tight).model
        var searching = alone
        searching.searchModel = { tight }
        searching.mipDuals = true
        var racing = searching
        racing.raceDelay = 0
        racing.raceModel = { tight }
        racing.timeLimit = 600
        let model = built.model
        for (threads, options) in [(1, searching), (2, racing)] {
            let solved = try DecomposingSolver(GLPKSolver(), threads: threads, minimumBlockSize: 1).solve(model, options: options)
            #expect(solved.termination.reason == .optimal, "\(threads): \(solved.termination)")
            #expect(isClose(solved.objective, optimum, relative: 1e-9), "\(threads): \(solved.objective ?? .nan) against \(optimum)")
            #expect(checkPlan(instance, Plan(built, solved)).isValid)
            Self.expectRowsOf(model, in: solved)
        }
        // A search model with other columns is refused, naming the field.
        var wrong = alone
        let small = InstanceGenerator(seed: 99, minerals: 1, mines: 3, refineries: 2, buyers: 1, mip: true).generate()
        let shorter = try SourcingModel(Network(small)).model
        wrong.searchModel = { shorter }
        #expect(throws: ModelError.self) { try DecomposingSolver(GLPKSolver(), threads: 1).solve(model, options: wrong) }
    }

    /// A second search racing each block (``SearchRace``, joined at once:
    /// delay 0) never changes the optimum: generated contract MIPs, version
    /// 1 and 2, against the same model solved on one thread without a race;
    /// the plan passes the independent plan checker.
    @Test(arguments: [1, 2, 3, 4], [false, true])
    func aRaceKeepsTheOptimum(seed: Int, v2: Bool) throws {
        let (instance, built, _, reference) = try Self.raceCase(seed: seed, v2: v2)
        var racing = SolveOptions.sourcing
        racing.raceDelay = 0
        let raced = try DecomposingSolver(GLPKSolver(), threads: 2, minimumBlockSize: 1).solve(built.model, options: racing)
        #expect(raced.termination.reason == .optimal, "\(raced.termination)")
        #expect(isClose(raced.objective, try #require(reference.objective), relative: 1e-9), "\(raced.objective ?? .nan)")
        let check = checkPlan(instance, Plan(built, raced))
        #expect(check.isValid, "\(check.summary)")
        // The second search on the tight rows (docs/FORMULATION.md section
        // 21): the same optimum, and whichever search won, the plan, its row
        // activities and its duals are the big-M model's.
        let tight = try SourcingModel(Network(instance), formulation: .tight).model
        racing.raceModel = { tight }
        racing.mipDuals = true
        let mixed = try DecomposingSolver(GLPKSolver(), threads: 2, minimumBlockSize: 1).solve(built.model, options: racing)
        #expect(mixed.termination.reason == .optimal, "\(mixed.termination)")
        #expect(isClose(mixed.objective, try #require(reference.objective), relative: 1e-9), "\(mixed.objective ?? .nan)")
        #expect(checkPlan(instance, Plan(built, mixed)).isValid)
        Self.expectRowsOf(built.model, in: mixed)
        // Probes (section 22) from the start, each stopped after 1 ms: the
        // races reopen, free threads lift or join them, and the optimum and
        // the plan are the same.
        racing.raceExtraDelay = 0
        racing.raceExtraBudget = 0.001
        racing.raceExtraThreads = 2
        let probed = try DecomposingSolver(GLPKSolver(), threads: 2, minimumBlockSize: 1).solve(built.model, options: racing)
        #expect(probed.termination.reason == .optimal, "\(probed.termination)")
        #expect(isClose(probed.objective, try #require(reference.objective), relative: 1e-9), "\(probed.objective ?? .nan)")
        #expect(checkPlan(instance, Plan(built, probed)).isValid)
    }

    /// A plan the second search won on its own model, solved again on the
    /// solved model with its integers fixed. By hand: minimise 3x - y with
    /// x binary, y <= 10x (big-M) and y <= 4; the second model writes
    /// y <= 4x. Its plan x = 1, y = 4 on the first model: objective -1, row
    /// activities y - 10x = -6 and y = 4; the duals of the fixed LP are 0
    /// and -1 (y's bound row binds), the reduced cost of y is 0.
    @Test func aPlanWonOnTheOtherModelIsTheSolvedModels() throws {
        var model = Model(name: "big-M")
        let x = try model.addVariable("x", kind: .binary, objective: 3)
        let y = try model.addVariable("y", lower: 0, upper: .infinity, objective: -1)
        var bigM = LinearExpression()
        bigM.add(1, y)
        bigM.add(-10, x)
        try model.addConstraint(bigM <= 0)
        var cap = LinearExpression()
        cap.add(1, y)
        try model.addConstraint(cap <= 4)
        var won = SolveResult(termination: Termination(reason: .optimal, detail: "won"), primalStatus: .optimal)
        won.objective = -1
        won.bestBound = -1
        won.values = [1, 4]
        won.rowActivities = [0]  // the other model's single row y - 4x
        var options = SolveOptions.sourcing
        options.mipDuals = true
        let again = DecomposingSolver<GLPKSolver>.solvedAgain(won, on: model, base: GLPKSolver(), options: options)
        #expect(again.termination.detail == "won")
        #expect(isClose(again.objective, -1))
        #expect(again.values == [1, 4])
        #expect(again.rowActivities == [-6, 4])
        #expect(again.rowDuals == [0, -1])
        #expect(isClose(again.reducedCosts?[1], 0))
        // Without mipDuals the same plan and rows, no duals (as a MIP's solve).
        options.mipDuals = false
        let bare = DecomposingSolver<GLPKSolver>.solvedAgain(won, on: model, base: GLPKSolver(), options: options)
        #expect(bare.values == [1, 4] && bare.rowActivities == [-6, 4])
        #expect(bare.rowDuals == nil && bare.reducedCosts == nil && bare.basis == nil)
    }

    /// A second model that is not over the solved model's columns is refused
    /// with the field that differs.
    @Test func aRaceModelMustHaveTheSameColumns() throws {
        var model = Model(name: "a")
        let x = try model.addVariable("x", kind: .binary, objective: 1)
        var row = LinearExpression()
        row.add(1, x)
        try model.addConstraint(row <= 1)
        var other = model
        _ = try other.addVariable("extra", objective: 0)
        #expect(throws: ModelError.self) { try DecomposingSolver<GLPKSolver>.checkedSameColumns(other, for: model, field: "raceModel") }
        do {
            _ = try DecomposingSolver<GLPKSolver>.checkedSameColumns(other, for: model, field: "raceModel")
        } catch {
            #expect(error.location == "raceModel.variables" && error.value == "2 against 1", "\(error)")
        }
        var costly = model
        try costly.setObjectiveCoefficient(2, of: x)
        do {
            _ = try DecomposingSolver<GLPKSolver>.checkedSameColumns(costly, for: model, field: "raceModel")
            Issue.record("a different objective was taken")
        } catch {
            #expect(error.location == "raceModel.variables[0]", "\(error)")
        }
        #expect(try DecomposingSolver<GLPKSolver>.checkedSameColumns(model, for: model, field: "raceModel") != nil)
    }
}

extension DecompositionTests {
    /// The threads passed between the blocks' searches (``SearchGate``,
    /// docs/FORMULATION.md section 23) at every node (quantum 0), on one
    /// thread and on two: the optimum of the blocks run one after the other
    /// without slicing or racing; at a loose gap the whole model's gap holds
    /// against that optimum; the plan passes the independent plan checker.
    @Test(arguments: [1, 2, 3], [1, 2])
    func slicingKeepsTheOptimum(seed: Int, threads: Int) throws {
        let instance = InstanceGenerator(seed: UInt64(seed), minerals: 5, mines: 60, refineries: 30, buyers: 12, mip: true).generate()
        let built = try SourcingModel(Network(instance))
        var alone = SolveOptions.sourcing
        alone.raceDelay = nil
        alone.sliceQuantum = nil
        let reference = try DecomposingSolver(GLPKSolver(), threads: 1, minimumBlockSize: 1).solve(built.model, options: alone)
        let optimum = try #require(reference.objective)
        var sliced = SolveOptions.sourcing
        sliced.sliceQuantum = 0
        let solver = DecomposingSolver(GLPKSolver(), threads: threads, minimumBlockSize: 1)
        #expect(Decomposition(built.model, minimumBlockSize: 1).blocks.count >= 3)
        let exact = try solver.solve(built.model, options: sliced)
        #expect(exact.termination.reason == .optimal, "\(exact.termination)")
        #expect(isClose(exact.objective, optimum, relative: 1e-9), "\(exact.objective ?? .nan) against \(optimum)")
        #expect(checkPlan(instance, Plan(built, exact)).isValid)
        sliced.relativeGap = 0.002
        let loose = try solver.solve(built.model, options: sliced)
        let cost = try #require(loose.objective), bound = try #require(loose.bestBound)
        #expect(cost - bound <= 0.002 * cost + 1e-6, "\(cost) over \(bound)")
        #expect(cost >= optimum * (1 - 1e-9) && (cost - optimum) / optimum <= 0.002 + 1e-12, "\(cost) against \(optimum)")
        #expect(bound <= optimum * (1 + 1e-9))
    }
}
