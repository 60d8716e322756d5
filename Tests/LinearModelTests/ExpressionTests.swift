import LinearModel
import TestSupport
import Testing

@Suite struct ExpressionTests {
    @Test func duplicateTermsMergeAndConstantsMove() throws {
        var model = Model()
        let x = try model.addVariable("x")
        let y = try model.addVariable("y")
        // 2x + 3y - x + 4 - y <= 10  is  x + 2y <= 6
        let c = try model.addConstraint(2 * x + 3 * y - x + 4 - y <= 10)
        let row = model.row(c)
        #expect(Array(row.indices) == [0, 1])
        #expect(Array(row.values) == [1, 2])
        #expect(model.constraintUpper[c.index] == 6)
        #expect(model.constraintLower[c.index] == -.infinity)
        // Terms that cancel leave no non-zero.
        let d = try model.addConstraint(x - x + y >= 1)
        #expect(Array(model.row(d).indices) == [1])
    }

    @Test func sumsUseOneBuffer() throws {
        var model = Model()
        let xs = try (0..<1000).map { try model.addVariable("x\($0)") }
        let total = LinearExpression.sum(xs)
        #expect(total.terms.count == 1000)
        let weighted = LinearExpression.sum(xs.enumerated()) { (Double($0.offset), $0.element) }
        #expect(weighted.mergedTerms().count == 999)  // coefficient 0 dropped
        let combined = [total, weighted].sum()
        #expect(combined.mergedTerms().count == 1000)
    }

    @Test func setCoefficientInsertsAndRemoves() throws {
        var model = Model()
        let x = try model.addVariable("x")
        let y = try model.addVariable("y")
        let z = try model.addVariable("z")
        let c0 = try model.addConstraint(x + z <= 1)
        let c1 = try model.addConstraint(y <= 1)
        try model.setCoefficient(5, of: y, in: c0)
        #expect(Array(model.row(c0).indices) == [0, 1, 2])
        #expect(Array(model.row(c0).values) == [1, 5, 1])
        #expect(Array(model.row(c1).indices) == [1])
        try model.setCoefficient(0, of: x, in: c0)
        #expect(Array(model.row(c0).indices) == [1, 2])
        #expect(Array(model.row(c1).values) == [1])
    }
}
