/// Whether the objective is minimised or maximised.
public enum ObjectiveSense: String, Sendable, Hashable, Codable {
    case minimize
    case maximize
}

/// A linear or mixed-integer program as plain data, independent of any solver.
///
/// Columns (variables) and rows (constraints) are stored column- and
/// row-compressed; every value is checked when it is added (see ``Guard``),
/// so a model that exists is one GLPK can take. A failed `add` or `set`
/// throws ``ModelError`` and leaves the model as it was.
///
/// ```swift
/// var model = Model(name: "knapsack")
/// let x = try model.addVariable("x", kind: .binary)
/// let y = try model.addVariable("y", kind: .binary)
/// try model.addConstraint(3 * x + 4 * y <= 5, name: "weight")
/// try model.maximize(5 * x + 6 * y)
/// ```
public struct Model: Sendable {
    let identity: ModelIdentity
    /// Free-text name of the model (written to files that carry one).
    public var name: String

    /// Lower bound of each variable (`-infinity` for none).
    public private(set) var variableLower: [Double] = []
    /// Upper bound of each variable (`+infinity` for none).
    public private(set) var variableUpper: [Double] = []
    /// Kind of each variable.
    public private(set) var variableKinds: [VariableKind] = []
    /// Name of each variable ("" when unnamed).
    public private(set) var variableNames: [String] = []
    /// Objective coefficient of each variable.
    public private(set) var objectiveCoefficients: [Double] = []
    /// Constant term of the objective.
    public private(set) var objectiveConstant: Double = 0
    /// Minimise or maximise.
    public private(set) var sense: ObjectiveSense = .minimize

    /// Row `i` has its terms at `rowStarts[i] ..< rowStarts[i + 1]`.
    public private(set) var rowStarts: [Int] = [0]
    /// Variable index of each non-zero, sorted within a row, no repeats.
    public private(set) var columnIndices: [Int32] = []
    /// Value of each non-zero.
    public private(set) var coefficients: [Double] = []
    /// Lower bound of each constraint (`-infinity` for none).
    public private(set) var constraintLower: [Double] = []
    /// Upper bound of each constraint (`+infinity` for none).
    public private(set) var constraintUpper: [Double] = []
    /// Name of each constraint ("" when unnamed).
    public private(set) var constraintNames: [String] = []

    /// An empty model.
    public init(name: String = "") {
        self.identity = .fresh()
        self.name = name
    }

    /// Number of variables.
    public var variableCount: Int { variableKinds.count }
    /// Number of constraints.
    public var constraintCount: Int { constraintLower.count }
    /// Number of non-zero coefficients in the constraints.
    public var nonzeroCount: Int { coefficients.count }
    /// Whether any variable is integer or binary.
    public var isMIP: Bool { variableKinds.contains { $0 != .continuous } }

    /// Every variable handle, in order.
    public var variables: [Variable] { (0..<variableCount).map { Variable(index: $0, owner: identity) } }
    /// Every constraint handle, in order.
    public var constraints: [ConstraintRef] {
        (0..<constraintCount).map { ConstraintRef(index: $0, owner: identity) }
    }

    /// The handle of variable number `index`, or nil when out of range.
    public func variable(at index: Int) -> Variable? {
        index >= 0 && index < variableCount ? Variable(index: index, owner: identity) : nil
    }

    /// The handle of constraint number `index`, or nil when out of range.
    public func constraint(at index: Int) -> ConstraintRef? {
        index >= 0 && index < constraintCount ? ConstraintRef(index: index, owner: identity) : nil
    }

    // MARK: Variables

    /// Adds a variable. Defaults: continuous, `0 <= x < +infinity`.
    ///
    /// A binary variable's bounds are intersected with [0, 1]. Bounds of
    /// magnitude >= 1e30 mean "no bound".
    @discardableResult
    public mutating func addVariable(
        _ name: String = "", lower: Double = 0, upper: Double = .infinity,
        kind: VariableKind = .continuous, objective: Double = 0
    ) throws(ModelError) -> Variable {
        let index = variableCount
        func location() -> String { Model.describe("variable", name, index) }
        if index >= ModelLimits.maxVariables {
            throw ModelError(
                .sizeLimit, at: location(), value: "\(index + 1)",
                "variables exceed GLPK's limit of \(ModelLimits.maxVariables)")
        }
        if !name.isEmpty { try ModelLimits.checkName(name, at: location()) }
        try ModelLimits.checkCoefficient(objective, at: location() + " objective coefficient")
        var (lo, hi) = try ModelLimits.normalizedBounds(lower: lower, upper: upper, at: location())
        if kind == .binary {
            lo = max(lo, 0)
            hi = min(hi, 1)
            if lo > hi {
                throw ModelError(
                    .boundOrder, at: location(), value: "[\(lower), \(upper)]",
                    "leaves no room in [0, 1] for a binary variable")
            }
        }
        variableLower.append(lo)
        variableUpper.append(hi)
        variableKinds.append(kind)
        variableNames.append(name)
        objectiveCoefficients.append(objective)
        return Variable(index: index, owner: identity)
    }

    /// Adds `count` unnamed variables with the same bounds and kind, in one
    /// step (the bulk form of ``addVariable(_:lower:upper:kind:objective:)``).
    public mutating func addVariables(
        _ count: Int, lower: Double = 0, upper: Double = .infinity, kind: VariableKind = .continuous
    ) throws(ModelError) -> [Variable] {
        let first = variableCount
        if count < 0 || first + count > ModelLimits.maxVariables {
            throw ModelError(
                .sizeLimit, at: "variables #\(first)...", value: "\(count)",
                "would exceed GLPK's limit of \(ModelLimits.maxVariables) variables")
        }
        var (lo, hi) = try ModelLimits.normalizedBounds(lower: lower, upper: upper, at: "variables #\(first)...")
        if kind == .binary {
            lo = max(lo, 0)
            hi = min(hi, 1)
            if lo > hi {
                throw ModelError(
                    .boundOrder, at: "variables #\(first)...", value: "[\(lower), \(upper)]",
                    "leaves no room in [0, 1] for a binary variable")
            }
        }
        variableLower.append(contentsOf: repeatElement(lo, count: count))
        variableUpper.append(contentsOf: repeatElement(hi, count: count))
        variableKinds.append(contentsOf: repeatElement(kind, count: count))
        variableNames.append(contentsOf: repeatElement("", count: count))
        objectiveCoefficients.append(contentsOf: repeatElement(0, count: count))
        let owner = identity
        return (first..<(first + count)).map { Variable(index: $0, owner: owner) }
    }

    /// Adds one unnamed continuous variable per objective coefficient, with
    /// the same bounds, in one step (the bulk form of
    /// ``addVariable(_:lower:upper:kind:objective:)`` for models that price
    /// every variable, such as flow networks).
    ///
    /// - Returns: the index of the first new variable; the others follow it.
    /// - Throws: ``ModelError`` for a coefficient that is not finite or of
    ///   magnitude 1e30 or more, bounds out of order, or too many variables;
    ///   nothing is added then.
    public mutating func addVariables(
        objectives: [Double], lower: Double = 0, upper: Double = .infinity
    ) throws(ModelError) -> Int {
        let first = variableCount
        let count = objectives.count
        if first + count > ModelLimits.maxVariables {
            throw ModelError(
                .sizeLimit, at: "variables #\(first)...", value: "\(count)",
                "would exceed GLPK's limit of \(ModelLimits.maxVariables) variables")
        }
        for (k, value) in objectives.enumerated() where !(abs(value) < ModelLimits.maxMagnitude) {
            try ModelLimits.checkCoefficient(value, at: Model.describe("variable", "", first + k) + " objective coefficient")
        }
        let (lo, hi) = try ModelLimits.normalizedBounds(lower: lower, upper: upper, at: "variables #\(first)...")
        variableLower.append(contentsOf: repeatElement(lo, count: count))
        variableUpper.append(contentsOf: repeatElement(hi, count: count))
        variableKinds.append(contentsOf: repeatElement(.continuous, count: count))
        variableNames.append(contentsOf: repeatElement("", count: count))
        objectiveCoefficients.append(contentsOf: objectives)
        return first
    }

    /// The variable at `index` of this model, unchecked beyond a debug
    /// assertion: for code that has just made the variable (bulk builders).
    public func variable(unchecked index: Int) -> Variable {
        assert(index >= 0 && index < variableCount, "variable #\(index) is not in the model")
        return Variable(index: index, owner: identity)
    }

    /// Changes the bounds of a variable (same rules as ``addVariable(_:lower:upper:kind:objective:)``).
    public mutating func setBounds(
        of variable: Variable, lower: Double, upper: Double
    ) throws(ModelError) {
        try check(variable)
        let location = describe(variable)
        var (lo, hi) = try ModelLimits.normalizedBounds(lower: lower, upper: upper, at: location)
        if variableKinds[variable.index] == .binary {
            lo = max(lo, 0)
            hi = min(hi, 1)
            if lo > hi {
                throw ModelError(
                    .boundOrder, at: location, value: "[\(lower), \(upper)]",
                    "leaves no room in [0, 1] for a binary variable")
            }
        }
        variableLower[variable.index] = lo
        variableUpper[variable.index] = hi
    }

    /// Changes the kind of a variable (binary intersects its bounds with [0, 1]).
    public mutating func setKind(of variable: Variable, _ kind: VariableKind) throws(ModelError) {
        try check(variable)
        if kind == .binary {
            let lo = max(variableLower[variable.index], 0)
            let hi = min(variableUpper[variable.index], 1)
            if lo > hi {
                throw ModelError(
                    .boundOrder, at: describe(variable), value: "[\(lo), \(hi)]",
                    "leaves no room in [0, 1] for a binary variable")
            }
            variableLower[variable.index] = lo
            variableUpper[variable.index] = hi
        }
        variableKinds[variable.index] = kind
    }

    // MARK: Constraints

    /// Adds `constraint` as a row; its expression's constant moves to the bounds.
    @discardableResult
    public mutating func addConstraint(
        _ constraint: LinearConstraint, name: String = ""
    ) throws(ModelError) -> ConstraintRef {
        let expression = constraint.expression
        let index = constraintCount
        func location() -> String { Model.describe("constraint", name, index) }
        if expression.owner != identity && expression.owner != .none {
            throw ModelError(
                .foreignHandle, at: location(), value: "",
                "uses a variable of another model")
        }
        let merged = expression.mergedTerms()
        let count = variableCount
        for term in merged where Int(term.index) >= count {
            throw ModelError(
                .foreignHandle, at: location(), value: "variable #\(term.index)",
                "is not a variable of this model")
        }
        try ModelLimits.checkCoefficient(expression.constant, at: location() + " constant")
        return try appendRow(
            merged,
            lower: constraint.lower - expression.constant,
            upper: constraint.upper - expression.constant,
            name: name, location: location)
    }

    /// Adds `lower <= sum(values[k] * x[indices[k]]) <= upper` from raw arrays
    /// (variable indices, zero-based). Repeated indices are merged.
    @discardableResult
    public mutating func addConstraint(
        indices: [Int], values: [Double], lower: Double, upper: Double, name: String = ""
    ) throws(ModelError) -> ConstraintRef {
        let location = Model.describe("constraint", name, constraintCount)
        if indices.count != values.count {
            throw ModelError(
                .foreignHandle, at: location, value: "\(indices.count) vs \(values.count)",
                "index and value arrays differ in length")
        }
        var expression = LinearExpression()
        expression.reserveCapacity(indices.count)
        for (k, index) in indices.enumerated() {
            guard let variable = variable(at: index) else {
                throw ModelError(
                    .foreignHandle, at: location, value: "variable #\(index)",
                    "is not a variable of this model")
            }
            expression.add(values[k], variable)
        }
        return try addConstraint(LinearConstraint(expression, lower: lower, upper: upper), name: name)
    }

    private mutating func appendRow(
        _ terms: [(index: Int32, coefficient: Double)],
        lower: Double, upper: Double, name: String, location: () -> String
    ) throws(ModelError) -> ConstraintRef {
        let index = constraintCount
        if index >= ModelLimits.maxConstraints {
            throw ModelError(
                .sizeLimit, at: location(), value: "\(index + 1)",
                "constraints exceed GLPK's limit of \(ModelLimits.maxConstraints)")
        }
        if coefficients.count + terms.count > ModelLimits.maxNonzeros {
            throw ModelError(
                .sizeLimit, at: location(), value: "\(coefficients.count + terms.count)",
                "non-zeros exceed GLPK's limit")
        }
        if !name.isEmpty { try ModelLimits.checkName(name, at: location()) }
        for term in terms where !(abs(term.coefficient) < ModelLimits.maxMagnitude) {
            try ModelLimits.checkCoefficient(
                term.coefficient, at: location() + " coefficient of " + describe(variableIndex: Int(term.index)))
        }
        let (lo, hi) = try ModelLimits.normalizedBounds(lower: lower, upper: upper, at: location())
        // Grow both arrays once, then fill them in one tight loop.
        let base = coefficients.count
        columnIndices.append(contentsOf: repeatElement(0, count: terms.count))
        coefficients.append(contentsOf: repeatElement(0, count: terms.count))
        terms.withUnsafeBufferPointer { source in
            columnIndices.withUnsafeMutableBufferPointer { columns in
                coefficients.withUnsafeMutableBufferPointer { values in
                    for k in 0..<source.count {
                        columns[base + k] = source[k].index
                        values[base + k] = source[k].coefficient
                    }
                }
            }
        }
        rowStarts.append(coefficients.count)
        constraintLower.append(lo)
        constraintUpper.append(hi)
        constraintNames.append(name)
        return ConstraintRef(index: index, owner: identity)
    }

    /// Adds many rows at once from compressed-row arrays: row `i` has the
    /// terms `columns[k] * values[k]` for `k` in `rowStarts[i] ..< rowStarts[i + 1]`
    /// and the bounds `lower[i] ... upper[i]` (the bulk form of
    /// ``addConstraint(_:name:)``, like GLPK's `glp_load_matrix`).
    ///
    /// Everything is checked before anything is added: column indices in
    /// range and not repeated within a row, values finite and below 1e30,
    /// bounds as for single rows. Rows whose terms are not sorted by column
    /// are sorted.
    public mutating func addConstraints(
        rowStarts starts: [Int], columns: [Int32], values: [Double], lower: [Double], upper: [Double]
    ) throws(ModelError) {
        let rows = lower.count
        let first = constraintCount
        func location(_ i: Int) -> String { "constraints #\(first + i)" }
        guard upper.count == rows, starts.count == rows + 1, starts.first == 0, starts.last == columns.count,
            values.count == columns.count
        else {
            throw ModelError(
                .foreignHandle, at: location(0), value: "\(rows) rows",
                "row starts, columns, values and bounds do not fit together")
        }
        if first + rows > ModelLimits.maxConstraints || coefficients.count + columns.count > ModelLimits.maxNonzeros {
            throw ModelError(
                .sizeLimit, at: location(0), value: "\(rows) rows, \(columns.count) non-zeros",
                "exceed GLPK's limits")
        }
        var normalized: [(Double, Double)] = []
        normalized.reserveCapacity(rows)
        var lastRow = [Int32](repeating: -1, count: variableCount)
        var unsorted: [Int] = []
        for i in 0..<rows {
            let start = starts[i], end = starts[i + 1]
            if start > end {
                throw ModelError(.foreignHandle, at: location(i), value: "\(start) > \(end)", "row starts must not decrease")
            }
            var previous: Int32 = -1
            for k in start..<end {
                let column = columns[k]
                if column < 0 || Int(column) >= variableCount {
                    throw ModelError(.foreignHandle, at: location(i), value: "variable #\(column)", "is not a variable of this model")
                }
                if lastRow[Int(column)] == Int32(truncatingIfNeeded: i) {
                    throw ModelError(.foreignHandle, at: location(i), value: "variable #\(column)", "appears twice in the row")
                }
                lastRow[Int(column)] = Int32(truncatingIfNeeded: i)
                if !(abs(values[k]) < ModelLimits.maxMagnitude) {
                    try ModelLimits.checkCoefficient(values[k], at: location(i) + " coefficient of " + describe(variableIndex: Int(column)))
                }
                if column < previous && unsorted.last != i { unsorted.append(i) }
                previous = column
            }
            normalized.append(try ModelLimits.normalizedBounds(lower: lower[i], upper: upper[i], at: location(i)))
        }
        let base = coefficients.count
        columnIndices.append(contentsOf: columns)
        coefficients.append(contentsOf: values)
        for i in unsorted {
            Model.sortTerms(&columnIndices, &coefficients, in: (base + starts[i])..<(base + starts[i + 1]))
        }
        rowStarts.append(contentsOf: starts.dropFirst().lazy.map { $0 + base })
        constraintLower.append(contentsOf: normalized.lazy.map(\.0))
        constraintUpper.append(contentsOf: normalized.lazy.map(\.1))
        constraintNames.append(contentsOf: repeatElement("", count: rows))
    }

    /// Sets every objective coefficient at once (zeros drop nothing: the
    /// array is the dense objective), its constant and its sense.
    public mutating func setObjective(
        coefficients dense: [Double], constant: Double = 0, sense: ObjectiveSense
    ) throws(ModelError) {
        if dense.count != variableCount {
            throw ModelError(
                .foreignHandle, at: "objective", value: "\(dense.count) coefficients",
                "needs one coefficient per variable (\(variableCount))")
        }
        for (j, value) in dense.enumerated() where !(abs(value) < ModelLimits.maxMagnitude) {
            try ModelLimits.checkCoefficient(value, at: "objective coefficient of " + describe(variableIndex: j))
        }
        try ModelLimits.checkCoefficient(constant, at: "objective constant")
        objectiveCoefficients = dense
        objectiveConstant = constant
        self.sense = sense
    }

    /// Reserves room, so that building a large model does not regrow its arrays.
    public mutating func reserveCapacity(variables: Int = 0, constraints: Int = 0, nonzeros: Int = 0) {
        variableLower.reserveCapacity(variables)
        variableUpper.reserveCapacity(variables)
        variableKinds.reserveCapacity(variables)
        variableNames.reserveCapacity(variables)
        objectiveCoefficients.reserveCapacity(variables)
        rowStarts.reserveCapacity(constraints + 1)
        constraintLower.reserveCapacity(constraints)
        constraintUpper.reserveCapacity(constraints)
        constraintNames.reserveCapacity(constraints)
        columnIndices.reserveCapacity(nonzeros)
        coefficients.reserveCapacity(nonzeros)
    }

    /// Changes the bounds of a constraint.
    public mutating func setBounds(
        of constraint: ConstraintRef, lower: Double, upper: Double
    ) throws(ModelError) {
        try check(constraint)
        let (lo, hi) = try ModelLimits.normalizedBounds(
            lower: lower, upper: upper, at: describe(constraint))
        constraintLower[constraint.index] = lo
        constraintUpper[constraint.index] = hi
    }

    /// Sets the coefficient of `variable` in `constraint` (0 removes it).
    /// Inserting a new non-zero shifts the later rows: O(non-zeros).
    public mutating func setCoefficient(
        _ value: Double, of variable: Variable, in constraint: ConstraintRef
    ) throws(ModelError) {
        try check(variable)
        try check(constraint)
        try ModelLimits.checkCoefficient(
            value, at: describe(constraint) + " coefficient of " + describe(variable))
        let range = rowStarts[constraint.index]..<rowStarts[constraint.index + 1]
        let column = Int32(variable.index)
        let position = columnIndices[range].firstIndex { $0 >= column } ?? range.upperBound
        if position < range.upperBound && columnIndices[position] == column {
            if value != 0 {
                coefficients[position] = value
                return
            }
            columnIndices.remove(at: position)
            coefficients.remove(at: position)
            for row in (constraint.index + 1)..<rowStarts.count { rowStarts[row] -= 1 }
        } else if value != 0 {
            columnIndices.insert(column, at: position)
            coefficients.insert(value, at: position)
            for row in (constraint.index + 1)..<rowStarts.count { rowStarts[row] += 1 }
        }
    }

    /// The terms of a constraint: variable indices (sorted) and values.
    public func row(_ constraint: ConstraintRef) -> (indices: ArraySlice<Int32>, values: ArraySlice<Double>) {
        let range = rowStarts[constraint.index]..<rowStarts[constraint.index + 1]
        return (columnIndices[range], coefficients[range])
    }

    // MARK: Objective

    /// Sets the objective to `expression` (its constant included) and its sense.
    public mutating func setObjective(
        _ expression: LinearExpression, sense: ObjectiveSense
    ) throws(ModelError) {
        if expression.owner != identity && expression.owner != .none {
            throw ModelError(.foreignHandle, at: "objective", value: "", "uses a variable of another model")
        }
        let merged = expression.mergedTerms()
        for term in merged {
            if Int(term.index) >= variableCount {
                throw ModelError(
                    .foreignHandle, at: "objective", value: "variable #\(term.index)",
                    "is not a variable of this model")
            }
            try ModelLimits.checkCoefficient(
                term.coefficient, at: "objective coefficient of " + describe(variableIndex: Int(term.index)))
        }
        try ModelLimits.checkCoefficient(expression.constant, at: "objective constant")
        objectiveCoefficients = Array(repeating: 0, count: variableCount)
        for term in merged { objectiveCoefficients[Int(term.index)] = term.coefficient }
        objectiveConstant = expression.constant
        self.sense = sense
    }

    /// Minimises `expression`.
    public mutating func minimize(_ expression: LinearExpression) throws(ModelError) {
        try setObjective(expression, sense: .minimize)
    }

    /// Maximises `expression`.
    public mutating func maximize(_ expression: LinearExpression) throws(ModelError) {
        try setObjective(expression, sense: .maximize)
    }

    /// Sets one objective coefficient.
    public mutating func setObjectiveCoefficient(_ value: Double, of variable: Variable) throws(ModelError) {
        try check(variable)
        try ModelLimits.checkCoefficient(value, at: "objective coefficient of " + describe(variable))
        objectiveCoefficients[variable.index] = value
    }

    /// Sets the objective constant.
    public mutating func setObjectiveConstant(_ value: Double) throws(ModelError) {
        try ModelLimits.checkCoefficient(value, at: "objective constant")
        objectiveConstant = value
    }

    /// Sets the objective sense.
    public mutating func setSense(_ sense: ObjectiveSense) { self.sense = sense }

    // MARK: Handles and descriptions

    /// Throws unless `variable` belongs to this model.
    public func check(_ variable: Variable) throws(ModelError) {
        if variable.owner != identity || variable.index < 0 || variable.index >= variableCount {
            throw ModelError(
                .foreignHandle, at: "variable #\(variable.index)", value: "",
                "is not a variable of this model")
        }
    }

    /// Throws unless `constraint` belongs to this model.
    public func check(_ constraint: ConstraintRef) throws(ModelError) {
        if constraint.owner != identity || constraint.index < 0 || constraint.index >= constraintCount {
            throw ModelError(
                .foreignHandle, at: "constraint #\(constraint.index)", value: "",
                "is not a constraint of this model")
        }
    }

    /// Whether `variable` is a handle of this model.
    public func owns(_ variable: Variable) -> Bool { (try? check(variable)) != nil }

    /// "variable 'x' (#3)", for messages.
    public func describe(_ variable: Variable) -> String { describe(variableIndex: variable.index) }

    /// "constraint 'cap' (#2)", for messages.
    public func describe(_ constraint: ConstraintRef) -> String {
        let name = constraint.index < constraintCount ? constraintNames[constraint.index] : ""
        return Model.describe("constraint", name, constraint.index)
    }

    func describe(variableIndex index: Int) -> String {
        let name = index >= 0 && index < variableCount ? variableNames[index] : ""
        return Model.describe("variable", name, index)
    }

    static func describe(_ what: String, _ name: String, _ index: Int) -> String {
        name.isEmpty ? "\(what) #\(index)" : "\(what) '\(name)' (#\(index))"
    }
}

extension Model {
    /// The model restricted to `variables` and `constraints` (every variable
    /// of those rows must be among `variables`; others are dropped), with
    /// variables and rows renumbered in the order given. The objective
    /// constant is left out.
    func restricted(to variables: [Int], constraints: [Int]) -> Model {
        var sub = Model(name: name)
        sub.sense = sense
        sub.variableLower = variables.map { variableLower[$0] }
        sub.variableUpper = variables.map { variableUpper[$0] }
        sub.variableKinds = variables.map { variableKinds[$0] }
        sub.variableNames = variables.map { variableNames[$0] }
        sub.objectiveCoefficients = variables.map { objectiveCoefficients[$0] }
        var position = [Int32](repeating: -1, count: variableCount)
        for (k, j) in variables.enumerated() { position[j] = Int32(k) }
        var nonzeros = 0
        for i in constraints { nonzeros += rowStarts[i + 1] - rowStarts[i] }
        sub.columnIndices.reserveCapacity(nonzeros)
        sub.coefficients.reserveCapacity(nonzeros)
        sub.rowStarts.reserveCapacity(constraints.count + 1)
        for i in constraints {
            let first = sub.columnIndices.count
            var sorted = true, previous: Int32 = -1
            for k in rowStarts[i]..<rowStarts[i + 1] {
                let local = position[Int(columnIndices[k])]
                guard local >= 0 else { continue }
                if local < previous { sorted = false }
                previous = local
                sub.columnIndices.append(local)
                sub.coefficients.append(coefficients[k])
            }
            if !sorted { Model.sortTerms(&sub.columnIndices, &sub.coefficients, in: first..<sub.columnIndices.count) }
            sub.rowStarts.append(sub.columnIndices.count)
        }
        sub.constraintLower = constraints.map { constraintLower[$0] }
        sub.constraintUpper = constraints.map { constraintUpper[$0] }
        sub.constraintNames = constraints.map { constraintNames[$0] }
        return sub
    }

    /// Sorts the terms in `range` of the parallel column and value arrays
    /// of compressed rows by column.
    static func sortTerms(_ columns: inout [Int32], _ values: inout [Double], in range: Range<Int>) {
        let terms = zip(columns[range], values[range]).sorted { $0.0 < $1.0 }
        for (offset, term) in terms.enumerated() {
            columns[range.lowerBound + offset] = term.0
            values[range.lowerBound + offset] = term.1
        }
    }
}
