import LinearModel
import Testing

/// Two searches of one MIP sharing incumbents and bounds (``SearchRace``).
@Suite struct SearchRaceTests {
    /// A search's result as the Driver reports it.
    static func result(
        _ reason: TerminationReason, limit: Limit? = nil, objective: Double?, bound: Double?, values: [Double] = [1, 0]
    ) -> SolveResult {
        var r = SolveResult(
            termination: Termination(reason: reason, limit: limit, detail: "test"),
            primalStatus: objective == nil ? .none : (reason == .optimal ? .optimal : .feasible))
        r.objective = objective
        r.bestBound = bound
        if objective != nil { r.values = values }
        return r
    }

    /// The helper (searcher 1) is offered a better plan found by the first
    /// search, only at a heuristic point; the first search is never offered
    /// one (its path stays the one it runs alone).
    @Test func onlyTheHelperTakesTheOthersPlans() {
        let race = SearchRace(minimize: true, relativeGap: 1e-9, budget: nil)
        var plan: [Double] = [2, 7]
        plan.withUnsafeBufferPointer { race.found(0, objective: 1_000, values: $0) }
        var buffer: [Double] = [0, 0]
        let atNode = buffer.withUnsafeMutableBufferPointer { race.poll(1, own: 1_200, bound: 900, heuristic: false, into: $0) }
        #expect(atNode == .none)
        let atHeuristic = buffer.withUnsafeMutableBufferPointer { race.poll(1, own: 1_200, bound: 900, heuristic: true, into: $0) }
        #expect(atHeuristic == .offer)
        #expect(buffer == [2, 7])
        // Not better than the helper's own: nothing to offer.
        let notBetter = buffer.withUnsafeMutableBufferPointer { race.poll(1, own: 1_000, bound: 900, heuristic: true, into: $0) }
        #expect(notBetter == .none)
        // The first search is not offered the helper's better plan.
        plan = [3, 3]
        plan.withUnsafeBufferPointer { race.found(1, objective: 950, values: $0) }
        let first = buffer.withUnsafeMutableBufferPointer { race.poll(0, own: 1_000, bound: 900, heuristic: true, into: $0) }
        #expect(first == .none)
    }

    /// Both stop once the best plan of either and the better bound of the
    /// two meet the gap: plan 1,000 (helper), bounds 990 (first: gap 10,
    /// running) then 998 (helper): gap 2 <= 0.005 × 1,000 = 5, but not
    /// <= 0.001 × 1,000 = 1.
    @Test func theRacesGapIsTheBestPlanAgainstTheBetterBound() {
        for (gap, stops) in [(0.005, true), (0.001, false)] {
            let race = SearchRace(minimize: true, relativeGap: gap, budget: nil)
            let plan: [Double] = [1]
            var buffer: [Double] = [0]
            plan.withUnsafeBufferPointer { race.found(1, objective: 1_000, values: $0) }
            let first = buffer.withUnsafeMutableBufferPointer { race.poll(0, own: 1_010, bound: 990, heuristic: false, into: $0) }
            #expect(first == .none)
            let answer = buffer.withUnsafeMutableBufferPointer { race.poll(1, own: 1_000, bound: 998, heuristic: false, into: $0) }
            #expect((answer == .stop) == stops, "gap \(gap): \(answer)")
            #expect(race.outcome == (stops ? .gap : .running))
            #expect(race.liveGap == 2)
        }
    }

    /// Maximising: the better bound is the smaller one.
    @Test func maximisingOrdersTheOtherWay() {
        let race = SearchRace(minimize: false, relativeGap: 0.01, budget: nil)
        let plan: [Double] = [1]
        var buffer: [Double] = [0]
        plan.withUnsafeBufferPointer { race.found(0, objective: 500, values: $0) }
        _ = buffer.withUnsafeMutableBufferPointer { race.poll(0, own: 500, bound: 520, heuristic: false, into: $0) }
        _ = buffer.withUnsafeMutableBufferPointer { race.poll(1, own: nil, bound: 507, heuristic: false, into: $0) }
        // Gap |500 − 507| = 7 > 5: running; the bound 504 then closes it (4 <= 5).
        #expect(race.outcome == .running)
        let answer = buffer.withUnsafeMutableBufferPointer { race.poll(1, own: nil, bound: 504, heuristic: false, into: $0) }
        #expect(answer == .stop)
    }

    /// Once a search has ended the other is told to stop, and a helper can
    /// no longer join.
    @Test func anEndedRaceStopsTheOtherAndTakesNoHelper() {
        let race = SearchRace(minimize: true, relativeGap: 1e-9, budget: nil)
        #expect(race.open)
        race.end()
        var buffer: [Double] = [0]
        let answer = buffer.withUnsafeMutableBufferPointer { race.poll(1, own: nil, bound: nil, heuristic: true, into: $0) }
        #expect(answer == .ended)
        #expect(!race.join())
        #expect(race.awaitHelper() == nil)
    }

    /// Combining: a search that proved its optimum decides; otherwise the
    /// better plan with the better bound, ended as the race ended.
    @Test func combiningTheTwoResults() throws {
        let race = SearchRace(minimize: true, relativeGap: 1e-9, budget: nil)
        let stopped = Self.result(.feasible, objective: 1_010, bound: 990)
        let proven = Self.result(.optimal, objective: 1_000, bound: 1_000, values: [0, 1])
        let both = race.choose(stopped, proven).result
        #expect(both.termination.reason == .optimal && both.objective == 1_000 && both.values == [0, 1])
        #expect(both.statistics.helperNodes == 0)

        // Both stopped by the time limit: plan 1,000, bound max(990, 995).
        let timed = race.choose(
            Self.result(.feasible, limit: .time, objective: 1_010, bound: 990),
            Self.result(.feasible, objective: 1_000, bound: 995)
        ).result
        #expect(timed.termination.reason == .feasible && timed.termination.limit == .time)
        #expect(timed.objective == 1_000 && timed.bestBound == 995)

        // Stopped at the race's gap, asked 1e-9: the plan is optimal.
        let closing = SearchRace(minimize: true, relativeGap: 1e-9, budget: nil)
        let plan: [Double] = [0, 1]
        var buffer: [Double] = [0, 0]
        plan.withUnsafeBufferPointer { closing.found(1, objective: 1_000, values: $0) }
        _ = buffer.withUnsafeMutableBufferPointer { closing.poll(0, own: 1_010, bound: 1_000, heuristic: false, into: $0) }
        #expect(closing.outcome == .gap)
        let closed = closing.choose(
            Self.result(.feasible, limit: .gap, objective: 1_010, bound: 1_000),
            Self.result(.feasible, objective: 1_000, bound: 990, values: [0, 1])
        ).result
        #expect(closed.termination.reason == .optimal && closed.objective == 1_000 && closed.bestBound == 1_000)
        #expect(closed.values == [0, 1])
    }

    /// Which search's plan the race ends with (the solved model's plan must
    /// be recomputed when the second search ran another model): a proof
    /// decides, then the better plan; a tie is the first search's; the
    /// relaxation bound is always the first search's.
    @Test func whoseThePlan() {
        let race = SearchRace(minimize: true, relativeGap: 1e-9, budget: nil)
        var first = Self.result(.feasible, limit: .time, objective: 1_010, bound: 990)
        first.relaxationBound = 900
        var second = Self.result(.optimal, objective: 1_000, bound: 1_000, values: [0, 1])
        second.relaxationBound = 950
        let proven = race.choose(first, second)
        #expect(proven.fromSecond && proven.result.values == [0, 1] && proven.result.relaxationBound == 900)
        #expect(!race.choose(Self.result(.optimal, objective: 1_000, bound: 1_000), second).fromSecond)
        let timed = Self.result(.feasible, limit: .time, objective: 1_000, bound: 990)
        #expect(!race.choose(timed, Self.result(.feasible, objective: 1_000, bound: 995, values: [0, 1])).fromSecond)
        #expect(race.choose(first, Self.result(.feasible, objective: 1_005, bound: 995, values: [0, 1])).fromSecond)
        #expect(!race.choose(first, nil).fromSecond)
    }

    /// A probe (a helper on a budget) past its budget is stopped without
    /// ending the race: the race reopens to a helper (not to a second
    /// probe), the first search runs on, and the probe's plan and bound
    /// still count: first 1,010 (bound 990, stopped by time), probe 1,000
    /// (bound 995) gives plan 1,000 with bound 995.
    @Test func aProbePastItsBudgetGivesUpAndTheRaceGoesOn() {
        let race = SearchRace(minimize: true, relativeGap: 1e-9, budget: nil)
        #expect(race.openToProbe && race.joinAsProbe(budget: 0))
        #expect(!race.open && !race.join() && race.probing)
        var buffer: [Double] = [0, 0]
        let probeAnswer = buffer.withUnsafeMutableBufferPointer { race.poll(1, own: 1_000, bound: 995, heuristic: false, into: $0) }
        #expect(probeAnswer == .ended)
        #expect(race.outcome == .running)
        let firstAnswer = buffer.withUnsafeMutableBufferPointer { race.poll(0, own: 1_010, bound: 990, heuristic: false, into: $0) }
        #expect(firstAnswer == .none)
        race.helperReturned(Self.result(.feasible, objective: 1_000, bound: 995, values: [0, 1]), probe: true)
        #expect(race.open && !race.openToProbe && !race.probing)
        // The first search ends by time; no helper joined after the probe.
        race.end()
        let helper = race.awaitHelper()
        #expect(helper?.objective == 1_000 && helper?.bestBound == 995)
        let (result, fromSecond) = race.choose(Self.result(.feasible, limit: .time, objective: 1_010, bound: 990), helper)
        #expect(fromSecond && result.objective == 1_000 && result.bestBound == 995 && result.values == [0, 1])
        #expect(result.termination.limit == .time)
    }

    /// A free thread lifts a probe's budget: the probe is not stopped and
    /// its return ends the race like any helper's.
    @Test func aLiftedProbeRunsToTheRacesEnd() {
        let race = SearchRace(minimize: true, relativeGap: 1e-9, budget: nil)
        #expect(race.joinAsProbe(budget: 0))
        #expect(race.liftProbe())
        #expect(!race.liftProbe())
        var buffer: [Double] = [0]
        let answer = buffer.withUnsafeMutableBufferPointer { race.poll(1, own: nil, bound: 5, heuristic: false, into: $0) }
        #expect(answer == .none)
        race.helperReturned(Self.result(.optimal, objective: 5, bound: 5, values: [1]), probe: true)
        #expect(race.outcome == .ended && !race.open)
        #expect(race.awaitHelper()?.objective == 5)
    }

    /// A probe's leftover and a later helper's result as one: a proof
    /// decides (either one), else the better plan with the better bound
    /// (maximising: the smaller bound), node counts added.
    @Test func aProbesLeftoverMergesWithTheHelpersResult() throws {
        var probe = Self.result(.feasible, objective: 1_000, bound: 990, values: [1, 1])
        probe.statistics.nodes = 7
        var later = Self.result(.feasible, objective: 1_005, bound: 995, values: [2, 2])
        later.statistics.nodes = 5
        let both = try #require(SearchRace.merged(probe, later, minimize: true))
        #expect(both.objective == 1_000 && both.bestBound == 995 && both.values == [1, 1] && both.statistics.nodes == 12)
        let proven = try #require(SearchRace.merged(probe, Self.result(.optimal, objective: 1_002, bound: 1_002), minimize: true))
        #expect(proven.termination.reason == .optimal && proven.objective == 1_002)
        let maximised = try #require(SearchRace.merged(probe, later, minimize: false))
        #expect(maximised.objective == 1_005 && maximised.bestBound == 990)
        #expect(SearchRace.merged(nil, later, minimize: true)?.objective == 1_005)
    }
}
