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

@Suite struct BulkTests {
    /// The bulk API builds the same rows as the expression API (rows with
    /// unsorted terms are sorted), and refuses bad input before adding anything.
    @Test func bulkRowsMatchExpressions() throws {
        var a = Model(), b = Model()
        let x = try a.addVariables(3)
        _ = try b.addVariables(3)
        try a.addConstraint(2 * x[0] + 3 * x[2] <= 4)
        try a.addConstraint(LinearConstraint(x[1] - x[0], lower: -1, upper: 1))
        try b.addConstraints(
            rowStarts: [0, 2, 4], columns: [2, 0, 1, 0], values: [3, 2, 1, -1],
            lower: [-.infinity, -1], upper: [4, 1])
        #expect(a.rowStarts == b.rowStarts && a.columnIndices == b.columnIndices && a.coefficients == b.coefficients)
        #expect(a.constraintLower == b.constraintLower && a.constraintUpper == b.constraintUpper)
        try b.setObjective(coefficients: [1, 0, 2], constant: 5, sense: .maximize)
        #expect(b.objectiveCoefficients == [1, 0, 2] && b.objectiveConstant == 5 && b.sense == .maximize)
        let before = b.constraintCount
        let bad: [([Int], [Int32], [Double])] = [
            ([0, 2], [0, 0], [1, 1]),  // repeated column
            ([0, 1], [7], [1]),  // no such variable
            ([0, 1], [1], [.nan]),  // NaN
            ([0, 1], [1], [1e31]),  // magnitude
            ([0, 3], [0, 1], [1, 1])  // starts do not fit
        ]
        for (starts, columns, values) in bad {
            #expect(throws: ModelError.self) {
                try b.addConstraints(rowStarts: starts, columns: columns, values: values, lower: [0], upper: [1])
            }
        }
        #expect(throws: ModelError.self) {
            try b.addConstraints(rowStarts: [0, 1], columns: [0], values: [1], lower: [2], upper: [1])
        }
        #expect(throws: ModelError.self) { try b.setObjective(coefficients: [1], sense: .minimize) }
        #expect(b.constraintCount == before)
    }
}

@Suite struct BulkVariableTests {
    /// `addVariables(objectives:)` makes the same variables as single adds,
    /// and refuses a bad coefficient before adding any.
    @Test func bulkVariablesMatchSingleAdds() throws {
        var a = Model(), b = Model()
        _ = try a.addVariable("first")
        _ = try b.addVariable("first")
        for cost in [3.5, 0, -2] { _ = try a.addVariable(objective: cost) }
        #expect(try b.addVariables(objectives: [3.5, 0, -2]) == 1)
        #expect(a.objectiveCoefficients == b.objectiveCoefficients)
        #expect(a.variableLower == b.variableLower && a.variableUpper == b.variableUpper)
        #expect(a.variableKinds == b.variableKinds && a.variableNames == b.variableNames)
        #expect(b.variable(unchecked: 3) == b.variables[3])
        for bad in [Double.nan, .infinity, 1e30] {
            #expect(throws: ModelError.self) { try b.addVariables(objectives: [1, bad]) }
        }
        #expect(throws: ModelError.self) { try b.addVariables(objectives: [1], lower: 2, upper: 1) }
        #expect(b.variableCount == 4)
    }
}

@Suite struct DecompositionBlockTests {
    /// Components packed into one block keep the model's variable order:
    /// x0-x2-x4 and x1-x3 are two components of 3 and 2 variables, x5 a
    /// third of 1; with a minimum block size of 4 the first two share a
    /// block (variables 0...4, rows in model order) and x5 joins the last.
    @Test func packedComponentsKeepModelOrder() throws {
        var model = Model()
        let x = try model.addVariables(6)
        try model.addConstraint(x[0] + x[2] <= 1)  // row 0
        try model.addConstraint(x[1] + x[3] <= 1)  // row 1
        try model.addConstraint(x[2] + x[4] <= 1)  // row 2
        try model.addConstraint(x[5] <= 1)  // row 3
        let packed = Decomposition(model, minimumBlockSize: 4)
        #expect(packed.blocks.map(\.variables) == [[0, 1, 2, 3, 4], [5]])
        #expect(packed.blocks.map(\.constraints) == [[0, 1, 2], [3]])
        let apart = Decomposition(model, minimumBlockSize: 1)
        #expect(apart.blocks.map(\.variables) == [[0, 2, 4], [1, 3], [5]])
        #expect(apart.blocks.map(\.constraints) == [[0, 2], [1], [3]])
        let whole = Decomposition(Model(), minimumBlockSize: 4)
        #expect(whole.blocks.map(\.variables) == [[]])
    }
}
