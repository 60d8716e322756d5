import LinearModel
import Testing

/// The whole model's gap shared by the blocks of a decomposed MIP.
@Suite struct GapBudgetTests {
    /// Three blocks at a gap of 1%: until every block has started a block
    /// may stop at 1% of its own cost (8,500: 85); then at 1% of the whole
    /// cost less the others' gaps. Finished: costs 1,000 (bound 995) and 500 (exact); the
    /// last block at 8,500: 0.01 × (1,500 + 8,500) − 5 = 95.
    @Test func theLastBlockGetsWhatTheOthersLeave() {
        let budget = GapBudget(relativeGap: 0.01, blocks: 3)
        budget.started(0)
        budget.started(2)
        #expect(abs((budget.allowance(2, incumbent: 8_500, bound: 8_400) ?? -1) - 85) < 1e-9)
        budget.finished(0, cost: 1_000, bound: 995)
        budget.started(1)
        budget.finished(1, cost: 500, bound: 500)
        #expect(budget.allowance(2, incumbent: 8_500, bound: 8_400) == 95)
        // Its own relative gap may be wider than 1%: 95 / 8,500 = 1.12%.
        #expect((budget.allowance(2, incumbent: 8_500, bound: 8_400) ?? 0) / 8_500 > 0.01)
    }

    /// With the threads shared between the blocks every block counts as
    /// started from the outset, so no block stops at its own gap before
    /// the others report: the same three blocks, nothing until block 1 has
    /// reported; then 95.
    @Test func withSharedThreadsNoBlockStopsOnItsOwnGap() {
        let budget = GapBudget(relativeGap: 0.01, blocks: 3)
        for b in 0..<3 { budget.started(b) }
        budget.finished(0, cost: 1_000, bound: 995)
        #expect(budget.allowance(2, incumbent: 8_500, bound: 8_400) == nil)
        budget.started(1)
        #expect(budget.allowance(2, incumbent: 8_500, bound: 8_400) == nil)
        budget.finished(1, cost: 500, bound: 500)
        #expect(abs((budget.allowance(2, incumbent: 8_500, bound: 8_400) ?? -1) - 95) < 1e-9)
    }

    /// Two blocks still running share by their live gaps: block 1 at
    /// 4,000 over 3,990 leaves block 0 (at 6,000) 0.01 × 10,000 − 10 = 90;
    /// while block 1 has no incumbent yet, nothing: block 0 goes on.
    @Test func runningBlocksShareByTheirLiveGaps() {
        let budget = GapBudget(relativeGap: 0.01, blocks: 2)
        budget.started(0)
        budget.started(1)
        #expect(budget.allowance(0, incumbent: 6_000, bound: 5_900) == nil)
        // Block 1: 0.01 × 10,000 − 100 (block 0's live gap) = 0, up to rounding.
        #expect(abs(budget.allowance(1, incumbent: 4_000, bound: 3_990) ?? -1) < 1e-9)
        #expect(abs((budget.allowance(0, incumbent: 6_000, bound: 5_900) ?? -1) - 90) < 1e-9)
    }

    /// Nothing is allowed when the others already used the whole gap (a
    /// block then stops only proven); only the block's own gap when a cost
    /// is negative (the sum could be smaller than a part) or missing (10%
    /// of 100: 10).
    @Test func noAllowanceWhereItCouldBeTooLoose() {
        let spent = GapBudget(relativeGap: 0.001, blocks: 2)
        spent.started(0)
        spent.finished(0, cost: 100, bound: 90)
        spent.started(1)
        #expect(spent.allowance(1, incumbent: 100, bound: 100) == 0)
        let negative = GapBudget(relativeGap: 0.1, blocks: 2)
        negative.started(0)
        negative.finished(0, cost: -50, bound: -50)
        negative.started(1)
        #expect(abs((negative.allowance(1, incumbent: 100, bound: 99) ?? -1) - 10) < 1e-9)
        let missing = GapBudget(relativeGap: 0.1, blocks: 2)
        missing.started(0)
        missing.finished(0, cost: nil, bound: nil)
        missing.started(1)
        #expect(abs((missing.allowance(1, incumbent: 100, bound: 99) ?? -1) - 10) < 1e-9)
    }
}
