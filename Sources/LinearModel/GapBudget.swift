import Synchronization

/// The relative gap of a whole decomposed MIP, shared by its blocks.
///
/// The blocks of a decomposed model share no row, so the model's cost and
/// bound are the sums of the blocks'. `--mip-gap g` asks for
/// |Σ cost − Σ bound| ≤ g · |Σ cost|, not for each block alone to reach g:
/// once every other block is solved, the last block may stop as soon as its
/// own absolute gap fits in what the others left of g times the whole cost.
/// A block holding almost all the difficulty (measured: one block of the
/// 36k-flow instance of issue 17 took 176,397 nodes while the seven others
/// took 221 to 571) then stops at the model's gap, not at the same
/// relative gap on its own cost.
///
/// Only for costs that are not negative (a sum of non-negative costs is at
/// least each part, so the allowance is never looser than asked).
public final class GapBudget: Sendable {
    /// The relative gap asked of the whole model.
    public let relativeGap: Double
    /// How many blocks the model has.
    public let blocks: Int
    private let state = Mutex<(finished: Int, cost: Double, gap: Double, negative: Bool)>((0, 0, 0, false))

    public init(relativeGap: Double, blocks: Int) {
        self.relativeGap = relativeGap
        self.blocks = blocks
    }

    /// Records a finished block: its cost and best bound (an LP block's
    /// bound is its cost). A block without a cost leaves the budget shut.
    public func finished(cost: Double?, bound: Double?) {
        state.withLock { s in
            s.finished += 1
            guard let cost, let bound, cost.isFinite, bound.isFinite, cost >= 0 else {
                s.negative = true
                return
            }
            s.cost += cost
            s.gap += abs(cost - bound)
        }
    }

    /// The absolute gap the last unfinished block may stop at, with its
    /// incumbent's cost `incumbent`; nil while another block is unfinished
    /// (its gap is not known yet) or when a cost is negative or missing.
    public func allowance(incumbent: Double) -> Double? {
        state.withLock { s in
            guard s.finished == blocks - 1, !s.negative, incumbent >= 0, incumbent.isFinite else { return nil }
            let allowed = relativeGap * (s.cost + incumbent) - s.gap
            return allowed >= 0 ? allowed : nil
        }
    }
}
