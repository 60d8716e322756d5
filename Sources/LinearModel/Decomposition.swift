import Dispatch
import Glibc
import Synchronization

/// The connected components of a model's constraint graph (variables joined
/// by the rows they share), packed into blocks that can be solved apart.
///
/// Blocks share no row and no variable, so the optimum of the model is the
/// sum of the blocks' optima, and each block's duals are valid for the whole.
public struct Decomposition: Sendable {
    /// One block: its variables and rows, in model order.
    public struct Block: Sendable {
        public var variables: [Int]
        public var constraints: [Int]
    }

    public let blocks: [Block]

    /// Components of `model`, small ones packed together so that no block has
    /// fewer than `minimumBlockSize` variables (unless the model is smaller).
    public init(_ model: Model, minimumBlockSize: Int = 256) {
        let n = model.variableCount, m = model.constraintCount
        var parent = Array(0..<n)
        func find(_ x: Int) -> Int {
            var root = x
            while parent[root] != root { root = parent[root] }
            var node = x
            while parent[node] != root { let next = parent[node]; parent[node] = root; node = next }
            return root
        }
        for i in 0..<m {
            let start = model.rowStarts[i], end = model.rowStarts[i + 1]
            guard start < end else { continue }
            let first = find(Int(model.columnIndices[start]))
            for k in (start + 1)..<end {
                let other = find(Int(model.columnIndices[k]))
                if other != first { parent[other] = first }
            }
        }
        // Components in order of their first variable (an array by root,
        // not a dictionary: this runs on every decomposed solve).
        var componentOf = [Int](repeating: -1, count: n)
        var componentOfRoot = [Int](repeating: -1, count: n)
        var sizes: [Int] = []
        for j in 0..<n {
            let root = find(j)
            if componentOfRoot[root] < 0 {
                componentOfRoot[root] = sizes.count
                sizes.append(0)
            }
            let c = componentOfRoot[root]
            componentOf[j] = c
            sizes[c] += 1
        }
        // Pack small components together, keeping order.
        var blockOfComponent = [Int](repeating: 0, count: sizes.count)
        var blockSizes: [Int] = []
        var currentSize = 0, currentFirst = 0
        for c in sizes.indices {
            currentSize += sizes[c]
            if currentSize >= minimumBlockSize {
                for cc in currentFirst...c { blockOfComponent[cc] = blockSizes.count }
                blockSizes.append(currentSize)
                currentSize = 0
                currentFirst = c + 1
            }
        }
        if currentFirst < sizes.count || blockSizes.isEmpty {
            for cc in currentFirst..<sizes.count { blockOfComponent[cc] = blockSizes.count }
            blockSizes.append(currentSize)
        }
        var blocks = blockSizes.map { size -> Block in
            var block = Block(variables: [], constraints: [])
            block.variables.reserveCapacity(size)
            return block
        }
        // Variables in model order within each block (so no block needs
        // sorting); rows go with their variables' block, empty rows with block 0.
        for j in 0..<n { blocks[blockOfComponent[componentOf[j]]].variables.append(j) }
        for i in 0..<m {
            let start = model.rowStarts[i], end = model.rowStarts[i + 1]
            let b = start < end ? blockOfComponent[componentOf[Int(model.columnIndices[start])]] : 0
            blocks[b].constraints.append(i)
        }
        self.blocks = blocks
    }

    /// The sub-model of one block (objective constant left out): a direct
    /// copy of the block's bounds, kinds, names and rows, renumbered. The
    /// model was checked when it was built, so nothing is checked again.
    public func subModel(_ model: Model, _ block: Block) throws(ModelError) -> Model {
        model.restricted(to: block.variables, constraints: block.constraints)
    }

    /// The rows of `other`, a model over the same variables, block by block
    /// (each row goes with its variables' block, empty rows with block 0);
    /// nil when a row of `other` joins two blocks, so `other` does not split
    /// as the model does.
    public func rows(of other: Model) -> [[Int]]? {
        var blockOf = [Int](repeating: 0, count: other.variableCount)
        for (b, block) in blocks.enumerated() { for j in block.variables where j < blockOf.count { blockOf[j] = b } }
        var rows = [[Int]](repeating: [], count: blocks.count)
        for i in 0..<other.constraintCount {
            let start = other.rowStarts[i], end = other.rowStarts[i + 1]
            let b = start < end ? blockOf[Int(other.columnIndices[start])] : 0
            for k in start..<end where blockOf[Int(other.columnIndices[k])] != b { return nil }
            rows[b].append(i)
        }
        return rows
    }
}

/// A solver that splits a model into its independent blocks, solves them
/// with `base` on up to `threads` threads, and merges the results: the
/// objective is the sum, values, duals, reduced costs, bases and ranging are
/// scattered back into the model's order.
public struct DecomposingSolver<Base: Solver>: Solver {
    public let base: Base
    /// Worker threads (each block is solved whole on one thread).
    public var threads: Int
    /// Components smaller than this are packed together.
    public var minimumBlockSize: Int

    public init(_ base: Base, threads: Int = 2, minimumBlockSize: Int = 256) {
        self.base = base
        self.threads = max(1, threads)
        self.minimumBlockSize = minimumBlockSize
    }

    public func solve(_ model: Model, options: SolveOptions) throws -> SolveResult {
        try options.validate()
        let decomposition = Decomposition(model, minimumBlockSize: minimumBlockSize)
        // A second search may race a MIP's block on a thread left free
        // (``SearchRace``); a MIP that does not split is one block for it.
        let racing = model.isMIP && threads > 1 && options.raceDelay != nil && options.race == nil && !options.relaxationFirst
        // The first searches solve ``SolveOptions/searchModel`` when it has
        // the model's columns and splits as the model does.
        let searchModel =
            model.isMIP && !options.relaxationFirst
            ? try Self.checkedSameColumns(options.searchModel?(), for: model, field: "searchModel") : nil
        let searchRows = searchModel.flatMap { decomposition.rows(of: $0) }
        // One block with neither a race nor a search model is the base's solve.
        if decomposition.blocks.count <= 1 && !racing && searchRows == nil { return try base.solve(model, options: options) }
        let blocks = decomposition.blocks
        var blockOptions = options
        blockOptions.startingBasis = nil
        // A starting basis of the model's shape is cut into the blocks'.
        let wholeBasis = options.startingBasis.flatMap { basis in
            basis.rows.count == model.constraintCount && basis.columns.count == model.variableCount ? basis : nil
        }
        if options.relaxationFirst && model.isMIP {
            let subModels = try blocks.map { try decomposition.subModel(model, $0) }
            return try solveRelaxationsFirst(model, blocks, subModels, options: blockOptions)
        }
        // Largest blocks first, so two threads finish together. Each thread
        // cuts out its block's sub-model just before solving it, so the
        // copies are made in parallel and freed block by block.
        let order = blocks.indices.sorted { blocks[$0].variables.count > blocks[$1].variables.count }
        let sharedOptions = blockOptions
        let base = self.base
        let start = options.mipStart
        // A MIP under a time limit: each block, when it starts, gets its
        // share of the time left, in proportion to its integer variables
        // among those of the blocks not yet started (times the threads), so
        // the largest blocks cannot use it all and leave the last ones
        // stopped inside their relaxation; time a block does not use passes
        // to the later ones, and a block without integers is not limited.
        let deadline = model.isMIP ? options.effectiveTimeLimit.map { ContinuousClock.now + .seconds($0) } : nil
        // The solves again of plans found on another model end by then.
        let late = deadline.map { $0 + .seconds(Self.solveAgainGrace) }
        let weights = order.map { b in blocks[b].variables.count { model.variableKinds[$0] != .continuous } }
        let totalWeight = weights.reduce(0, +)
        let startedWeight = Atomic<Int>(0)
        let threads = self.threads
        // The model's gap is shared: the last block to finish may stop at
        // what the others leave of it (``GapBudget``).
        let budget =
            model.isMIP && options.relativeGap > 0 && blocks.count > 1
            ? GapBudget(relativeGap: options.relativeGap, blocks: blocks.count) : nil
        let shares = order.indices.map { k in budget.map { GapBudgetShare($0, slot: k) } }
        // The threads pass between the blocks' searches (``SearchGate``):
        // every block starts on a thread of its own, only `threads` of them
        // run at once, in equal shares. Every block has then started, for
        // the budget, from the outset.
        let gate = options.sliceQuantum.flatMap { quantum in
            model.isMIP && blocks.count > 1 ? SearchGate(tokens: threads, slots: order.count, quantum: quantum, deadline: deadline) : nil
        }
        if gate != nil, let budget { order.indices.forEach(budget.started) }
        let minimize = model.sense == .minimize
        let races: [SearchRace?] = order.indices.map { k in
            racing && weights[k] > 0
                ? SearchRace(minimize: minimize, relativeGap: options.relativeGap, budget: shares[k]) : nil
        }
        // Threads left free once every block has started help the races.
        let helpers = racing ? threads - 1 : 0
        // With ``SolveOptions/raceExtraThreads``, helpers beyond the threads
        // join races once every block has started (none left waiting for a
        // thread) and a race has run ``SolveOptions/raceExtraDelay``, until
        // every block has finished.
        let extra = racing ? options.raceExtraThreads : 0
        let finishedBlocks = Atomic<Int>(0)
        let startedBlocks = Atomic<Int>(0)
        let subModel: @Sendable (Int) throws -> Model = { k in try decomposition.subModel(model, blocks[order[k]]) }
        let firstModel: (@Sendable (Int) throws -> Model)? =
            if let searchModel, let searchRows {
                { k in searchModel.restricted(to: blocks[order[k]].variables, constraints: searchRows[order[k]]) }
            } else {
                nil
            }
        // The second searches solve ``SolveOptions/raceModel`` when it has
        // the model's columns and splits as the model does, else the first
        // searches' model.
        let raceModel = try racing ? Self.checkedSameColumns(options.raceModel?(), for: model, field: "raceModel") : nil
        let raceRows = raceModel.flatMap { decomposition.rows(of: $0) }
        let helperModel: @Sendable (Int) throws -> Model =
            if let raceModel, let raceRows {
                { k in raceModel.restricted(to: blocks[order[k]].variables, constraints: raceRows[order[k]]) }
            } else {
                firstModel ?? subModel
            }
        // Whether a plan of either search is of another model than the block's own.
        let helperOnOther = raceRows != nil || firstModel != nil
        // A second search's plan on another model is solved again: its duals come from there.
        let helperOptions = {
            var o = sharedOptions
            if helperOnOther { o.mipDuals = false }
            return o
        }()
        // One block's solve (k < order.count), or a free thread's part in the
        // races (the indices past the blocks, taken once every block started).
        let solveBlock: @Sendable (Int) -> Result<SolveResult, any Error> = { k in
            defer { if k < order.count { finishedBlocks.add(1, ordering: .relaxed) } }
            guard k < order.count else {
                // With the gate, a spare thread: it runs once every unfinished block has one.
                if gate?.enterSpare() ?? true {
                    Self.help(races, helperOptions, base: base, subModel: helperModel)
                    gate?.leaveSpare()
                }
                return .failure(ModelError(.precondition, at: "race", value: "", "a helper has no result of its own"))
            }
            gate?.enter(k)
            defer { gate?.leave(k) }
            startedBlocks.add(1, ordering: .relaxed)
            var blockOptions = Self.withStart(sharedOptions, start, blocks[order[k]], model)
            blockOptions.gapBudget = shares[k]
            // A basis of the solved model's rows does not fit a search model's.
            if let wholeBasis, firstModel == nil {
                let block = blocks[order[k]]
                blockOptions.startingBasis = Basis(
                    rows: block.constraints.map { wholeBasis.rows[$0] }, columns: block.variables.map { wholeBasis.columns[$0] })
            }
            blockOptions.gate = gate.map { SearchGateEntry($0, slot: k) }
            budget?.started(k)
            if let deadline {
                let left = max(0.001, (deadline - .now).inSecondsValue)
                blockOptions.deadline = nil
                if gate != nil || weights[k] == 0 {
                    // The gate shares the threads: every block runs to the deadline.
                    blockOptions.timeLimit = left
                } else {
                    let before = startedWeight.add(weights[k], ordering: .relaxed).oldValue
                    let share = Double(weights[k]) / Double(max(1, totalWeight - before))
                    blockOptions.timeLimit = min(left, left * Double(threads) * share)
                }
            }
            if let race = races[k] {
                blockOptions.race = SearchRaceEntry(race, searcher: 0)
                race.start(deadline: blockOptions.effectiveTimeLimit.map { ContinuousClock.now + .seconds($0) })
            }
            let options = blockOptions
            // Kept while the block runs: a plan the second search wins with
            // on the race's model is solved again on it.
            let own = Result { try subModel(k) }
            // With a search model the first search solves the block's rows of it.
            let searched = firstModel.map { first in Result { try first(k) } } ?? own
            // A plan of the search model is solved again: its duals come from there.
            var searchOptions = options
            if firstModel != nil { searchOptions.mipDuals = false }
            let chosenOptions = searchOptions
            var result = searched.flatMap { sub in Result { try base.solve(sub, options: chosenOptions) } }
            if let race = races[k] {
                race.end()
                let helper = race.awaitHelper()
                result = result.map { first in
                    let (combined, fromHelper) = race.choose(first, helper)
                    guard fromHelper ? helperOnOther : firstModel != nil, let sub = try? own.get() else { return combined }
                    return Self.solvedAgain(combined, on: sub, base: base, options: sharedOptions, until: late)
                }
            } else if firstModel != nil, let sub = try? own.get() {
                result = result.map { Self.solvedAgain($0, on: sub, base: base, options: sharedOptions, until: late) }
            }
            let solved = try? result.get()
            budget?.finished(k, cost: solved?.objective, bound: solved.flatMap { $0.bestBound ?? $0.objective })
            return result
        }
        let slots = Mutex<[Result<SolveResult, any Error>]>([])
        parallelForEach(1 + extra, threads: 1 + extra) { lane in
            if lane == 0 {
                let workers = gate == nil ? threads : order.count + helpers
                let results = parallelMap(order.count + helpers, threads: workers, solveBlock)
                slots.withLock { $0 = results }
            } else {
                let lane = ExtraLane(
                    done: { finishedBlocks.load(ordering: .relaxed) >= order.count },
                    allStarted: {
                        // No block waiting for a thread: with the gate, none paused either.
                        startedBlocks.load(ordering: .relaxed) >= order.count && gate?.noneWaiting != false
                    })
                Self.help(races, helperOptions, base: base, extra: lane, subModel: helperModel)
            }
        }
        let results = slots.withLock { $0 }
        // Back from largest-first order to block order.
        var rank = [Int](repeating: 0, count: blocks.count)
        for (k, b) in order.enumerated() { rank[b] = k }
        return Self.merge(model, blocks, try blocks.indices.map { try results[rank[$0]].get() })
    }

    /// Seconds past a MIP's time limit by which the solves again of its
    /// blocks' plans (``solvedAgain(_:on:base:options:until:)``) end: the
    /// command's worker is stopped 2 s past the limit, and the plan must be
    /// written before then.
    public static var solveAgainGrace: Double { 1.0 }

    /// A thread beyond ``threads`` (``SolveOptions/raceExtraThreads``): it
    /// helps until every block has finished, and only once every block has
    /// started.
    struct ExtraLane {
        let done: () -> Bool
        let allStarted: () -> Bool
    }

    /// A free thread's part in the races: while a race is open (its first
    /// search running, no helper yet), wait until one has run
    /// ``SolveOptions/raceDelay`` seconds, join the one with the largest
    /// live gap (unknown gaps first, then the larger block), and run the
    /// second search on its block to the race's end. On an `extra` lane:
    /// ``SolveOptions/raceExtraDelay``, and as a probe on
    /// ``SolveOptions/raceExtraBudget`` (section 22).
    static func help(
        _ races: [SearchRace?], _ options: SolveOptions, base: Base, extra: ExtraLane? = nil, subModel: (Int) throws -> Model
    ) {
        let delay = extra == nil ? options.raceDelay ?? 0 : options.raceExtraDelay
        let budget = extra == nil ? nil : options.raceExtraBudget
        while true {
            let open = races.indices.filter { (budget == nil ? races[$0]?.open : races[$0]?.openToProbe) == true }
            if let extra {
                if extra.done() { return }
                if open.isEmpty || !extra.allStarted() {
                    usleepSeconds(0.005)
                    continue
                }
            } else if open.isEmpty {
                // A probe running: this thread is free, so the probe goes on
                // to the race's end (or, stopping already, its race reopens).
                guard let probed = races.first(where: { $0?.probing == true }), let probed else { return }
                if !probed.liftProbe() { usleepSeconds(0.002) }
                continue
            }
            // Ready: started, and past its head start.
            let ready = open.filter { (races[$0]?.elapsed ?? -1) >= delay }
            guard !ready.isEmpty else {
                usleepSeconds(0.005)
                continue
            }
            let gaps = ready.map { races[$0]?.liveGap ?? .infinity }
            guard let pick = ready.indices.max(by: { gaps[$0] < gaps[$1] || (gaps[$0] == gaps[$1] && ready[$0] > ready[$1]) }),
                let race = races[ready[pick]], budget.map({ race.joinAsProbe(budget: $0) }) ?? race.join()
            else { continue }
            var helper = options
            helper.branching = options.raceBranching
            helper.backtracking = options.raceBacktracking
            helper.cuts = options.raceCuts
            helper.mipStart = nil
            helper.gapBudget = nil
            helper.gate = nil
            helper.startingBasis = nil
            helper.deadline = nil
            helper.timeLimit = race.deadline.map { max(0.001, ($0 - .now).inSecondsValue) }
            helper.race = SearchRaceEntry(race, searcher: 1)
            let chosen = helper
            let result = try? base.solve(subModel(ready[pick]), options: chosen)
            race.helperReturned(result, probe: budget != nil)
        }
    }

    /// ``SolveOptions/raceModel`` or ``SolveOptions/searchModel`` (`field`)
    /// when set: checked to have `model`'s columns (count, kinds, bounds,
    /// objective and sense), else an error naming what differs.
    public static func checkedSameColumns(_ other: Model?, for model: Model, field: String) throws(ModelError) -> Model? {
        guard let other else { return nil }
        func differs(_ what: String, _ value: String) -> ModelError {
            ModelError(.invalidOption, at: "\(field).\(what)", value: value, "must be the solved model's")
        }
        if other.variableCount != model.variableCount {
            throw differs("variables", "\(other.variableCount) against \(model.variableCount)")
        }
        if other.sense != model.sense { throw differs("sense", other.sense.rawValue) }
        if other.objectiveConstant != model.objectiveConstant { throw differs("objectiveConstant", "\(other.objectiveConstant)") }
        for j in 0..<model.variableCount {
            if other.variableKinds[j] != model.variableKinds[j] || other.variableLower[j] != model.variableLower[j]
                || other.variableUpper[j] != model.variableUpper[j]
                || other.objectiveCoefficients[j] != model.objectiveCoefficients[j]
            {
                throw differs("variables[\(j)]", other.variableNames[j])
            }
        }
        return other
    }

    /// A plan a search found on another model than `model` (a second search's
    /// ``SolveOptions/raceModel``, a first search's ``SolveOptions/searchModel``),
    /// solved again on the block's own model with its integers fixed, so the
    /// values, row activities, duals and basis are the solved model's; the
    /// termination, bounds and statistics stay the race's. When that solve
    /// fails the plan is kept with its row activities recomputed, no duals.
    /// Without a plan, nothing of the other model's rows is kept. The solve
    /// again is one LP (the integers fixed and made continuous) that stops
    /// by `until` when given, keeping the plan without duals if it has not
    /// ended by then.
    public static func solvedAgain(
        _ won: SolveResult, on model: Model, base: Base, options: SolveOptions, until: ContinuousClock.Instant? = nil
    ) -> SolveResult {
        var result = won
        guard won.hasSolution else {
            result.rowActivities = []
            result.rowDuals = nil
            result.ranging = nil
            result.basis = nil
            result.kkt = nil
            return result
        }
        // The integers fixed at the plan's values and made continuous: one
        // LP, whose duals are the fixed LP's (as ``SolveOptions/mipDuals``).
        var fixed = model
        var fixable = won.values.count == model.variableCount
        if fixable {
            for j in 0..<model.variableCount where model.variableKinds[j] != .continuous {
                let v = won.values[j].rounded()
                let variable = fixed.variable(unchecked: j)
                do {
                    try fixed.setBounds(of: variable, lower: v, upper: v)
                    try fixed.setKind(of: variable, .continuous)
                } catch { fixable = false }
            }
        }
        var o = options
        o.sensitivity = false
        o.race = nil
        o.raceModel = nil
        o.searchModel = nil
        o.raceDelay = nil
        o.mipStart = nil
        o.gapBudget = nil
        o.timeLimit = nil
        o.deadline = until
        if fixable, let again = try? base.solve(fixed, options: o), again.hasSolution,
            again.values.count == model.variableCount, again.rowActivities.count == model.constraintCount
        {
            result.values = again.values
            result.rowActivities = again.rowActivities
            result.rowDuals = options.mipDuals ? again.rowDuals : nil
            result.reducedCosts = options.mipDuals ? again.reducedCosts : nil
            result.basis = nil
            result.kkt = again.kkt
            result.objective = again.objective
            if result.termination.reason == .optimal && result.termination.limit == nil { result.bestBound = again.objective }
            result.statistics.iterations += again.statistics.iterations
            return result
        }
        result.rowActivities = (0..<model.constraintCount).map { i in
            (model.rowStarts[i]..<model.rowStarts[i + 1]).reduce(0) { sum, k in
                k < model.columnIndices.count && Int(model.columnIndices[k]) < won.values.count
                    ? sum + model.coefficients[k] * won.values[Int(model.columnIndices[k])] : sum
            }
        }
        result.rowDuals = nil
        result.reducedCosts = nil
        result.basis = nil
        result.kkt = nil
        return result
    }

    /// `options` with a block's part of the whole model's `start` (a start
    /// of the wrong length is handed on as one, so the block drops it).
    static func withStart(_ options: SolveOptions, _ start: [Double]?, _ block: Decomposition.Block, _ model: Model) -> SolveOptions {
        guard let start else { return options }
        var o = options
        o.mipStart = start.count == model.variableCount ? block.variables.map { start[$0] } : []
        return o
    }

    /// ``SolveOptions/relaxationFirst``: every block's LP relaxation, then
    /// branch-and-cut on the blocks that need it, most fractional first, each
    /// from its relaxation's basis.
    private func solveRelaxationsFirst(
        _ model: Model, _ blocks: [Decomposition.Block], _ subModels: [Model], options: SolveOptions
    ) throws -> SolveResult {
        let base = self.base
        let bySize = blocks.indices.sorted { blocks[$0].variables.count > blocks[$1].variables.count }
        var relaxed = subModels
        for b in relaxed.indices where relaxed[b].isMIP {
            for (j, kind) in relaxed[b].variableKinds.enumerated() where kind != .continuous {
                try relaxed[b].setKind(of: relaxed[b].variable(unchecked: j), .continuous)
            }
        }
        var relaxationOptions = options
        relaxationOptions.mipDuals = false
        let lpOptions = relaxationOptions
        let relaxedModels = relaxed
        let firstPass = parallelMap(bySize.count, threads: threads) { k in
            Result { try base.solve(relaxedModels[bySize[k]], options: lpOptions) }
        }
        var relaxations = [SolveResult?](repeating: nil, count: blocks.count)
        for (k, b) in bySize.enumerated() { relaxations[b] = try firstPass[k].get() }
        let iterations = relaxations.reduce(0) { $0 + ($1?.statistics.iterations ?? 0) }
        // An infeasible or unbounded relaxation decides the whole model.
        for (b, relaxation) in relaxations.enumerated() {
            guard let reason = relaxation?.termination.reason else { continue }
            let verdict: TerminationReason? =
                switch reason {
                case .infeasible: .infeasible
                case .unbounded, .infeasibleOrUnbounded: .infeasibleOrUnbounded
                default: nil
                }
            if let verdict {
                var result = SolveResult(
                    termination: Termination(
                        reason: verdict, detail: "LP relaxation of block \(b + 1) of \(blocks.count): \(reason.rawValue)"))
                result.statistics.iterations = iterations
                return result
            }
        }
        // Fractional integer variables of each optimal relaxation: the most
        // fractional block is likely the longest search, so it starts first.
        func fractional(_ b: Int) -> Int {
            guard let r = relaxations[b], r.termination.reason == .optimal, r.values.count == subModels[b].variableCount
            else { return Int.max }
            return zip(subModels[b].variableKinds, r.values).count { kind, x in
                kind != .continuous && abs(x - x.rounded()) > 1e-6
            }
        }
        let mipBlocks = bySize.filter { subModels[$0].isMIP }
        let ranked = mipBlocks.enumerated().map { (position: $0.offset, block: $0.element, score: fractional($0.element)) }
        let order = ranked.sorted { $0.score != $1.score ? $0.score > $1.score : $0.position < $1.position }.map(\.block)
        let warm: [SolveOptions] = order.map { b in
            var o = Self.withStart(options, options.mipStart, blocks[b], model)
            if let r = relaxations[b], r.termination.reason == .optimal { o.startingBasis = r.basis }
            return o
        }
        let secondPass = parallelMap(order.count, threads: threads) { k in
            Result { try base.solve(subModels[order[k]], options: warm[k]) }
        }
        var parts = relaxations
        for (k, b) in order.enumerated() {
            var part = try secondPass[k].get()
            part.statistics.iterations += relaxations[b]?.statistics.iterations ?? 0
            parts[b] = part
        }
        // Blocks without integer variables keep their relaxation: it is their solve.
        return Self.merge(
            model, blocks,
            parts.map {
                $0
                    ?? SolveResult(
                        termination: Termination(
                            reason: .numericalError, detail: "block without a result"))
            })
    }

    /// Merges the results of a decomposition's blocks into one for `model`.
    public static func merge(_ model: Model, _ blocks: [Decomposition.Block], _ parts: [SolveResult]) -> SolveResult {
        // Termination: the worst block decides.
        let rank: [TerminationReason: Int] = [
            .optimal: 0, .feasible: 1, .noSolutionFound: 2, .unbounded: 3,
            .infeasibleOrUnbounded: 4, .infeasible: 5, .numericalError: 6
        ]
        let worst = parts.max { (rank[$0.termination.reason] ?? 0) < (rank[$1.termination.reason] ?? 0) } ?? parts[0]
        var result = SolveResult(termination: worst.termination)
        result.statistics.iterations = parts.reduce(0) { $0 + $1.statistics.iterations }
        result.statistics.nodes = parts.reduce(0) { $0 + $1.statistics.nodes }
        let helpers = parts.compactMap(\.statistics.helperNodes)
        result.statistics.helperNodes = helpers.isEmpty ? nil : helpers.reduce(0, +)
        // A start counts as accepted when a block took its part; as
        // infeasible when any block dropped its part.
        let starts = parts.compactMap(\.statistics.mipStart)
        if !starts.isEmpty {
            result.statistics.mipStart =
                starts.contains(.infeasible) ? .infeasible : (starts.contains(.accepted) ? .accepted : .notBetter)
        }
        result.statistics.seconds = parts.map(\.statistics.seconds).max() ?? 0
        guard parts.allSatisfy(\.hasSolution) else { return result }
        result.primalStatus = parts.allSatisfy { $0.primalStatus == .optimal } ? .optimal : .feasible
        result.objective = parts.reduce(model.objectiveConstant) { $0 + ($1.objective ?? 0) }
        // The blocks share nothing, so their bounds add up (an LP block's is its optimum).
        if model.isMIP {
            let relaxations = parts.map { $0.relaxationBound ?? ($0.primalStatus == .optimal ? $0.objective : nil) }
            if relaxations.allSatisfy({ $0 != nil }) {
                result.relaxationBound = relaxations.reduce(model.objectiveConstant) { $0 + ($1 ?? 0) }
            }
            let bounds = parts.map { $0.bestBound ?? ($0.primalStatus == .optimal ? $0.objective : nil) }
            if bounds.allSatisfy({ $0 != nil }) {
                result.bestBound = bounds.reduce(model.objectiveConstant) { $0 + ($1 ?? 0) }
            }
        }
        let n = model.variableCount, m = model.constraintCount
        result.values = [Double](repeating: 0, count: n)
        result.rowActivities = [Double](repeating: 0, count: m)
        let withDuals = parts.allSatisfy { $0.rowDuals != nil && $0.reducedCosts != nil }
        var duals = [Double](repeating: 0, count: m), costs = [Double](repeating: 0, count: n)
        let withBasis = parts.allSatisfy { $0.basis != nil }
        var rowStatus = [BasisStatus](repeating: .basic, count: m), columnStatus = [BasisStatus](repeating: .basic, count: n)
        var kkt: KKTReport? = parts.allSatisfy { $0.kkt != nil } ? KKTReport() : nil
        for (block, part) in zip(blocks, parts) {
            for (k, j) in block.variables.enumerated() {
                result.values[j] = part.values[k]
                if withDuals, let rc = part.reducedCosts { costs[j] = rc[k] }
                if withBasis, let basis = part.basis { columnStatus[j] = basis.columns[k] }
            }
            for (k, i) in block.constraints.enumerated() {
                result.rowActivities[i] = part.rowActivities[k]
                if withDuals, let d = part.rowDuals { duals[i] = d[k] }
                if withBasis, let basis = part.basis { rowStatus[i] = basis.rows[k] }
            }
            if let r = part.kkt, var total = kkt {
                total.primalEqualityAbsolute = max(total.primalEqualityAbsolute, r.primalEqualityAbsolute)
                total.primalEqualityRelative = max(total.primalEqualityRelative, r.primalEqualityRelative)
                total.primalBoundAbsolute = max(total.primalBoundAbsolute, r.primalBoundAbsolute)
                total.primalBoundRelative = max(total.primalBoundRelative, r.primalBoundRelative)
                total.dualEqualityAbsolute = max(total.dualEqualityAbsolute, r.dualEqualityAbsolute)
                total.dualEqualityRelative = max(total.dualEqualityRelative, r.dualEqualityRelative)
                total.dualBoundAbsolute = max(total.dualBoundAbsolute, r.dualBoundAbsolute)
                total.dualBoundRelative = max(total.dualBoundRelative, r.dualBoundRelative)
                kkt = total
            }
        }
        if withDuals { result.rowDuals = duals; result.reducedCosts = costs }
        if withBasis { result.basis = Basis(rows: rowStatus, columns: columnStatus) }
        result.kkt = kkt
        return result
    }
}

/// Runs `body(k)` for k in 0..<count on up to `threads` threads, each taking
/// the next index when it is free, until every index is done or
/// `shouldStop()` is true before an index is taken.
///
/// The threads are plain POSIX threads, joined before the function returns,
/// not Dispatch's pool: the solve runs in a worker forked from the planner,
/// and a 2-thread decomposed solve of the coalition instance in that worker
/// hung in about 1.5% of runs with `DispatchQueue.concurrentPerform` (0 of
/// 300 in process, 0 of 300 with one thread).
public func parallelForEach(
    _ count: Int, threads: Int, shouldStop: @Sendable () -> Bool = { false }, _ body: @Sendable (Int) -> Void
) {
    let workers = max(1, min(threads, count))
    let next = Atomic<Int>(0)
    withoutActuallyEscaping(shouldStop) { shouldStop in
        withoutActuallyEscaping(body) { body in
            let loop: @Sendable () -> Void = {
                while !shouldStop() {
                    let k = next.add(1, ordering: .relaxed).oldValue
                    if k >= count { break }
                    body(k)
                }
            }
            guard workers > 1 else { loop(); return }
            final class Box: Sendable {  // hands the loop to a pthread
                let run: @Sendable () -> Void
                init(_ run: @escaping @Sendable () -> Void) { self.run = run }
            }
            var started: [pthread_t] = []
            for _ in 1..<workers {
                var thread = pthread_t()
                let context = Unmanaged.passRetained(Box(loop)).toOpaque()
                let code = pthread_create(
                    &thread, nil,
                    { raw in
                        guard let raw else { return nil }
                        Unmanaged<Box>.fromOpaque(raw).takeRetainedValue().run()
                        return nil
                    }, context)
                if code == 0 {
                    started.append(thread)
                } else {
                    Unmanaged<Box>.fromOpaque(context).release()
                }
            }
            loop()
            for thread in started { pthread_join(thread, nil) }
        }
    }
}

/// Runs `body(k)` for k in 0..<count on up to `threads` threads (each takes
/// the next index when it is free) and returns the results in index order.
public func parallelMap<T: Sendable>(_ count: Int, threads: Int, _ body: @Sendable (Int) -> T) -> [T] {
    let slots = Mutex<[T?]>(Array(repeating: nil, count: count))
    parallelForEach(count, threads: threads) { k in
        let value = body(k)
        slots.withLock { $0[k] = value }
    }
    return slots.withLock { $0.compactMap { $0 } }
}
