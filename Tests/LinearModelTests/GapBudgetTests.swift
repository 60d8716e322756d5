import LinearModel
import Testing

/// The whole model's gap shared by the blocks of a decomposed MIP.
@Suite struct GapBudgetTests {
    /// Three blocks at a gap of 1%: nothing is allowed until two are done;
    /// then the last may use 1% of the whole cost less the others' gaps.
    /// Finished: costs 1,000 (bound 995) and 500 (exact); the last block's
    /// incumbent 8,500: 0.01 × (1,500 + 8,500) − 5 = 95.
    @Test func theLastBlockGetsWhatTheOthersLeave() {
        let budget = GapBudget(relativeGap: 0.01, blocks: 3)
        #expect(budget.allowance(incumbent: 8_500) == nil)
        budget.finished(cost: 1_000, bound: 995)
        #expect(budget.allowance(incumbent: 8_500) == nil)
        budget.finished(cost: 500, bound: 500)
        #expect(budget.allowance(incumbent: 8_500) == 95)
        // Its own relative gap may be wider than 1%: 95 / 8,500 = 1.12%.
        #expect((budget.allowance(incumbent: 8_500) ?? 0) / 8_500 > 0.01)
    }

    /// Nothing is allowed when the others already used the whole gap, when
    /// a cost is negative (the sum could be smaller than a part) or missing.
    @Test func noAllowanceWhereItCouldBeTooLoose() {
        let spent = GapBudget(relativeGap: 0.001, blocks: 2)
        spent.finished(cost: 100, bound: 90)
        #expect(spent.allowance(incumbent: 100) == nil)
        let negative = GapBudget(relativeGap: 0.1, blocks: 2)
        negative.finished(cost: -50, bound: -50)
        #expect(negative.allowance(incumbent: 100) == nil)
        let missing = GapBudget(relativeGap: 0.1, blocks: 2)
        missing.finished(cost: nil, bound: nil)
        #expect(missing.allowance(incumbent: 100) == nil)
        let incumbent = GapBudget(relativeGap: 0.1, blocks: 2)
        incumbent.finished(cost: 10, bound: 10)
        #expect(incumbent.allowance(incumbent: -1) == nil)
    }
}
