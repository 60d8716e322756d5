import Glibc
import Synchronization

/// Two branch-and-cut searches of the same MIP, run on two threads with
/// different strategies, sharing what each finds (docs/FORMULATION.md
/// section 20).
///
/// The first search (searcher 0, the block's own) runs with the options it
/// was given; a second (searcher 1, a helper) joins when a thread is free.
/// Each publishes every new incumbent; at a heuristic point the helper takes
/// a better one found by the first search (GLPK's `glp_ios_heur_sol`), so it
/// prunes with the best plan known, while the first search keeps the path
/// it runs alone. Each publishes its best bound: the race's bound
/// is the better of the two, its incumbent the best of both, and both stop
/// once that gap fits the relative gap asked (or the whole model's share,
/// ``GapBudgetShare``). When one search ends (proven optimal, or stopped),
/// the other is stopped at its next callback.
public final class SearchRace: Sendable {
    /// Whether the objective is minimised (the sense orders incumbents and bounds).
    public let minimize: Bool
    /// The relative gap asked of the race (``SolveOptions/relativeGap``).
    public let relativeGap: Double
    /// The whole model's gap when the race is one block of a decomposed MIP.
    public let budget: GapBudgetShare?

    /// Why a race stopped its searches.
    public enum Outcome: Sendable, Equatable {
        /// Still running.
        case running
        /// The race's incumbent and bound met the gap.
        case gap
        /// A search ended by itself (proven, infeasible, or a limit).
        case ended
    }

    private struct State {
        var incumbent: Double?
        var values: [Double] = []
        var from = -1
        var bounds: [Double?] = [nil, nil]
        var outcome = Outcome.running
        var helper = false
        var helperResult: SolveResult?
        var helperDone = false
        /// A probe (a helper with a time budget) has run on this race.
        var probed = false
        /// The running probe's budget ends then (nil: no probe, or its
        /// budget lifted by a free thread).
        var probeUntil: ContinuousClock.Instant?
        /// The running probe was told to stop at its budget.
        var probeStopping = false
        /// What a probe that gave up left: its plan and bound still count.
        var probeResult: SolveResult?
        var started: ContinuousClock.Instant?
        var deadline: ContinuousClock.Instant?
    }
    private let state = Mutex(State())

    public init(minimize: Bool, relativeGap: Double, budget: GapBudgetShare?) {
        self.minimize = minimize
        self.relativeGap = relativeGap
        self.budget = budget
    }

    private func better(_ a: Double, than b: Double) -> Bool { minimize ? a < b : a > b }

    // MARK: The searches' side (from GLPK's callback)

    /// A search's new incumbent (`values` 0-based, one per variable).
    public func found(_ searcher: Int, objective: Double, values: UnsafeBufferPointer<Double>) {
        state.withLock { s in
            guard objective.isFinite, s.incumbent.map({ better(objective, than: $0) }) ?? true else { return }
            s.incumbent = objective
            s.values = Array(values)
            s.from = searcher
        }
    }

    /// What searcher `searcher` should do now, its own incumbent `own` (nil:
    /// none) and bound `bound` (nil: unknown): `.offer` with the race's
    /// incumbent copied into `into` (0-based) when it is better than its own
    /// and `heuristic` (GLPK takes a solution only at a heuristic point),
    /// `.stop` when the race's gap is met, `.ended` when the race is over.
    public func poll(
        _ searcher: Int, own: Double?, bound: Double?, heuristic: Bool, into: UnsafeMutableBufferPointer<Double>
    ) -> Answer {
        state.withLock { s in
            if s.outcome != .running { return .ended }
            if let bound, bound.isFinite, searcher >= 0, searcher < s.bounds.count {
                if s.bounds[searcher].map({ better($0, than: bound) }) ?? true { s.bounds[searcher] = bound }
            }
            // A probe past its budget stops; the race goes on.
            if searcher != 0, let until = s.probeUntil, ContinuousClock.now >= until {
                s.probeUntil = nil
                s.probeStopping = true
                return .ended
            }
            if let own, own.isFinite, s.incumbent.map({ better(own, than: $0) }) ?? true {
                // Its own incumbent without the values (a plan GLPK took from a
                // heuristic of its own is published at IBINGO; this keeps the
                // gap test right in between).
                if s.incumbent == nil || s.from == searcher { s.incumbent = own }
            }
            // The race's gap: the best incumbent against the better bound.
            if let incumbent = s.incumbent, let raceBound = Self.best(s.bounds, minimize: minimize) {
                let gap = abs(incumbent - raceBound)
                let allowed: Double? =
                    if let budget { budget.allowance(incumbent: incumbent, bound: raceBound) } else {
                        relativeGap * max(abs(incumbent), 1e-300)
                    }
                if let allowed, gap <= allowed, relativeGap > 0 || gap == 0 {
                    s.outcome = .gap
                    return .stop
                }
            }
            // Only the helper takes the other's plans: the first search runs
            // the path it would run alone (a plan handed to it was measured to
            // lengthen its proof 5x on one instance, and its path stays
            // reproducible); it only ends sooner when the race does.
            if heuristic, searcher != 0, s.from >= 0, s.from != searcher, let incumbent = s.incumbent,
                own.map({ better(incumbent, than: $0) }) ?? true, s.values.count == into.count
            {
                _ = into.update(fromContentsOf: s.values)
                return .offer
            }
            return .none
        }
    }

    /// What ``poll(_:own:bound:heuristic:into:)`` asks of a search.
    public enum Answer: Sendable { case none, offer, stop, ended }

    private static func best(_ bounds: [Double?], minimize: Bool) -> Double? {
        let known = bounds.compactMap { $0 }
        return minimize ? known.max() : known.min()
    }

    // MARK: The coordinator's side

    /// The first search has started, to end by `deadline` (nil: no limit);
    /// a helper waits for its head start and ends by the same deadline.
    public func start(deadline: ContinuousClock.Instant?) {
        state.withLock { s in
            if s.started == nil {
                s.started = .now
                s.deadline = deadline
            }
        }
    }

    /// The first search's deadline (nil: none).
    public var deadline: ContinuousClock.Instant? { state.withLock { $0.deadline } }

    /// Seconds since the first search started (nil: not yet).
    public var elapsed: Double? { state.withLock { s in s.started.map { (ContinuousClock.now - $0).inSecondsValue } } }

    /// A helper joins; false when the race is over or already has one.
    public func join() -> Bool {
        state.withLock { s in
            guard s.outcome == .running, !s.helper else { return false }
            s.helper = true
            return true
        }
    }

    /// Whether the race is still open to a helper.
    public var open: Bool { state.withLock { s in s.outcome == .running && !s.helper } }

    /// Whether the race is open to a probe: open, and no probe has run on it.
    public var openToProbe: Bool { state.withLock { s in s.outcome == .running && !s.helper && !s.probed } }

    /// A probe joins: a helper that stops after `budget` seconds without
    /// ending the race (the race stays open to another helper and keeps the
    /// probe's plan and bound), unless a free thread lifts the budget
    /// (``liftProbe()``); false when the race is over, has a helper, or had
    /// a probe.
    public func joinAsProbe(budget: Double) -> Bool {
        state.withLock { s in
            guard s.outcome == .running, !s.helper, !s.probed else { return false }
            s.helper = true
            s.probed = true
            s.probeUntil = .now + .seconds(budget)
            return true
        }
    }

    /// Whether a probe is running on the race and may still stop at its
    /// budget (a free thread should lift it, or wait for the race to reopen).
    public var probing: Bool { state.withLock { s in s.outcome == .running && (s.probeUntil != nil || s.probeStopping) } }

    /// A free thread lifts the running probe's budget: the probe goes on as
    /// a helper to the race's end. False when there is no budget to lift
    /// (no probe, or it is already stopping).
    public func liftProbe() -> Bool {
        state.withLock { s in
            guard s.outcome == .running, s.probeUntil != nil else { return false }
            s.probeUntil = nil
            return true
        }
    }

    /// The race's live absolute gap (nil: no incumbent or bound yet), for a
    /// helper choosing which race to join.
    public var liveGap: Double? {
        state.withLock { s in
            guard let incumbent = s.incumbent, let bound = Self.best(s.bounds, minimize: minimize) else { return nil }
            return abs(incumbent - bound)
        }
    }

    /// A search has ended by itself: the other stops at its next callback.
    public func end() { state.withLock { s in if s.outcome == .running { s.outcome = .ended } } }

    /// Why the race stopped.
    public var outcome: Outcome { state.withLock { $0.outcome } }

    /// The helper's result (its search over, whatever ended it).
    public func helperFinished(_ result: SolveResult?) { helperReturned(result, probe: false) }

    /// A helper's search has returned. A probe stopped at its budget gives
    /// up: the race stays open to another helper and keeps the probe's plan
    /// and bound for ``choose(_:_:)``. Any other return ends the race.
    public func helperReturned(_ result: SolveResult?, probe: Bool) {
        state.withLock { s in
            s.probeUntil = nil
            if probe, s.probeStopping {
                s.probeStopping = false
                s.probeResult = Self.merged(s.probeResult, result, minimize: minimize)
                s.helper = false
                return
            }
            s.helperResult = result
            s.helperDone = true
            if s.outcome == .running { s.outcome = .ended }
        }
    }

    /// Waits for the helper, if one joined, and returns its result (merged
    /// with what a probe that gave up left, ``merged(_:_:minimize:)``).
    public func awaitHelper() -> SolveResult? {
        while true {
            let (joined, done, result, probe) = state.withLock { s in (s.helper, s.helperDone, s.helperResult, s.probeResult) }
            if !joined || done { return Self.merged(probe, result, minimize: minimize) }
            usleepSeconds(0.002)
        }
    }

    /// Two helper results as one: a proven optimum if either is one (the
    /// later first); else the one with the better plan (the later on a tie),
    /// with the better bound of the two and both node counts.
    public static func merged(_ earlier: SolveResult?, _ later: SolveResult?, minimize: Bool) -> SolveResult? {
        guard let earlier else { return later }
        guard let later else { return earlier }
        var result = outranks(earlier, later, minimize: minimize) ? earlier : later
        if !proven(earlier) && !proven(later), let bound = best([earlier.bestBound, later.bestBound], minimize: minimize) {
            result.bestBound = bound
        }
        result.statistics.nodes = earlier.statistics.nodes + later.statistics.nodes
        result.statistics.iterations = earlier.statistics.iterations + later.statistics.iterations
        return result
    }

    /// Whether a search's result proves its optimum (not stopped by a limit).
    static func proven(_ r: SolveResult) -> Bool { r.termination.reason == .optimal && r.termination.limit == nil }

    /// Whether `a` is the better of two searches' results: it proves its
    /// optimum and `b` does not, or neither does and `a` has the better plan
    /// (or a plan against none). A tie is not better.
    static func outranks(_ a: SolveResult, _ b: SolveResult, minimize: Bool) -> Bool {
        if proven(b) { return false }
        if proven(a) { return true }
        switch (a.hasSolution ? a.objective : nil, b.hasSolution ? b.objective : nil) {
        case (let x?, let y?): return minimize ? x < y : x > y
        case (.some, nil): return true
        default: return false
        }
    }

    /// The result of the race from its searches' results (`second`: the
    /// helper's, nil when none joined): a proven optimum when either search
    /// proved one; otherwise the better plan with the better bound of the
    /// two, ended as the race ended (its gap, or the first search's limit).
    /// The relaxation bound is the first search's (the solved model's).
    /// `fromSecond`: whether the result's plan is the second search's (a
    /// plan both found is the first's).
    public func choose(_ first: SolveResult, _ second: SolveResult?) -> (result: SolveResult, fromSecond: Bool) {
        let results = [first] + (second.map { [$0] } ?? [])
        let picked = second.map { Self.outranks($0, first, minimize: minimize) } == true ? 1 : 0
        var result = results[picked]
        if !results.contains(where: Self.proven) {
            if let bound = Self.best(results.map(\.bestBound), minimize: minimize) { result.bestBound = bound }
            if outcome == .gap && result.hasSolution {
                let optimal = relativeGap <= 1e-9
                result.termination =
                    optimal
                    ? Termination(reason: .optimal, detail: "integer optimal within relative gap \(relativeGap)")
                    : Termination(reason: .feasible, limit: .gap, detail: "relative gap \(relativeGap) reached")
                result.primalStatus = optimal ? .optimal : .feasible
                if optimal, let objective = result.objective { result.bestBound = objective }
            } else if let limited = results.first(where: { $0.termination.limit != nil && $0.termination.limit != .gap }) {
                // Stopped by a limit: the search that hit it says which.
                result.termination = Termination(
                    reason: result.hasSolution ? .feasible : .noSolutionFound, limit: limited.termination.limit,
                    detail: limited.termination.detail)
                result.primalStatus = result.hasSolution ? .feasible : .none
            }
        }
        result.relaxationBound = first.relaxationBound ?? second?.relaxationBound
        result.statistics.nodes = results.reduce(0) { $0 + $1.statistics.nodes }
        result.statistics.iterations = results.reduce(0) { $0 + $1.statistics.iterations }
        result.statistics.mipStart = first.statistics.mipStart
        result.statistics.seconds = results.map(\.statistics.seconds).max() ?? 0
        result.statistics.helperNodes = second.map(\.statistics.nodes)
        return (result, picked == 1)
    }
}

/// Sleeps the calling thread.
func usleepSeconds(_ seconds: Double) {
    var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
    _ = nanosleep(&request, nil)
}

/// One search's handle on a ``SearchRace`` (what its solve is given).
public final class SearchRaceEntry: Sendable {
    public let race: SearchRace
    /// 0: the block's own search; 1: the helper.
    public let searcher: Int

    public init(_ race: SearchRace, searcher: Int) {
        self.race = race
        self.searcher = searcher
    }
}
