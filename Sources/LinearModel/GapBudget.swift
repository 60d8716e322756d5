import Synchronization

/// The relative gap of a whole decomposed MIP, shared by its blocks.
///
/// The blocks of a decomposed model share no row, so the model's cost and
/// bound are the sums of the blocks'. `--mip-gap g` asks for
/// |Σ cost − Σ bound| ≤ g · |Σ cost|, not for each block alone to reach g.
/// Once every block has started, each running block publishes its live
/// incumbent and bound (from GLPK's callback), and a block may stop as soon
/// as the finished blocks' gaps, the other running blocks' live gaps and its
/// own fit in g times the whole cost. A live gap only shrinks as its search
/// goes on (its incumbent falls by more than g times as much as the budget
/// does), so what a block stopped on still holds when the others finish.
/// A block holding almost all the difficulty (measured: one block of the
/// 36k-flow instance of issue 17 took 176,397 nodes while the seven others
/// took 221 to 571) then stops at the model's gap, not at the same relative
/// gap on its own cost.
///
/// Only for costs that are not negative (a sum of non-negative costs is at
/// least each part, so the allowance is never looser than asked).
public final class GapBudget: Sendable {
    /// The relative gap asked of the whole model.
    public let relativeGap: Double
    /// How many blocks the model has.
    public let blocks: Int

    private enum Phase { case waiting, running, finished }
    private struct State {
        var phase: [Phase]
        /// Running: the live incumbent and bound (nil until known); finished: the final ones.
        var cost: [Double?]
        var bound: [Double?]
        var shut = false
    }
    private let state: Mutex<State>

    public init(relativeGap: Double, blocks: Int) {
        self.relativeGap = relativeGap
        self.blocks = blocks
        self.state = Mutex(
            State(
                phase: Array(repeating: .waiting, count: blocks), cost: Array(repeating: nil, count: blocks),
                bound: Array(repeating: nil, count: blocks)))
    }

    /// Block `slot` has started its search.
    public func started(_ slot: Int) {
        state.withLock { s in if slot >= 0 && slot < blocks { s.phase[slot] = .running } }
    }

    /// Records a finished block: its cost and best bound (an LP block's
    /// bound is its cost). A block without a cost shuts the budget.
    public func finished(_ slot: Int, cost: Double?, bound: Double?) {
        state.withLock { s in
            guard slot >= 0 && slot < blocks else { return }
            s.phase[slot] = .finished
            guard let cost, let bound, cost.isFinite, bound.isFinite, cost >= 0 else {
                s.shut = true
                return
            }
            s.cost[slot] = cost
            s.bound[slot] = bound
        }
    }

    /// The absolute gap block `slot` may stop at, its search now at
    /// `incumbent` over `bound` (recorded as its live state): what the
    /// whole model's gap leaves it once every block has started and every
    /// running one has an incumbent. Before every block has started, or
    /// when a cost is negative or missing, the relative gap on its own cost
    /// (g·|incumbent|, GLPK's own test), which meets the request too. nil
    /// (go on) while a started block has no incumbent, or for a slot out of
    /// range or a figure not finite. (With the threads shared between the
    /// blocks, ``SearchGate``, every block counts as started from the
    /// outset, so no block stops on its own gap while others have yet to
    /// report.)
    public func allowance(_ slot: Int, incumbent: Double, bound: Double) -> Double? {
        state.withLock { s in
            guard slot >= 0 && slot < blocks, incumbent.isFinite, bound.isFinite else { return nil }
            let own = relativeGap * abs(incumbent)
            guard incumbent >= 0 else { return own }
            s.cost[slot] = incumbent
            s.bound[slot] = bound
            guard !s.shut else { return own }
            if s.phase.contains(.waiting) { return own }
            var cost = 0.0, gap = 0.0
            for b in 0..<blocks {
                guard let c = s.cost[b], let l = s.bound[b] else { return nil }
                cost += c
                if b != slot { gap += abs(c - l) }
            }
            return max(0, relativeGap * cost - gap)
        }
    }
}

/// One block's handle on a ``GapBudget`` (what a solve of that block is given).
public final class GapBudgetShare: Sendable {
    public let budget: GapBudget
    public let slot: Int

    public init(_ budget: GapBudget, slot: Int) {
        self.budget = budget
        self.slot = slot
    }

    /// ``GapBudget/allowance(_:incumbent:bound:)`` for this block.
    public func allowance(incumbent: Double, bound: Double) -> Double? {
        budget.allowance(slot, incumbent: incumbent, bound: bound)
    }
}
