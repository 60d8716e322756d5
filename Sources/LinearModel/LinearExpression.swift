/// A linear expression `sum(coefficient * variable) + constant`.
///
/// Build expressions with `+`, `-` and `*` by constants, or accumulate into
/// one expression with ``add(_:_:)``, `+=` and the `sum` functions, which
/// append to a single buffer (no temporary per term). Repeated variables are
/// kept as written and merged when the expression enters a model.
public struct LinearExpression: Sendable {
    /// The terms as written: variable index and coefficient (may repeat).
    public var terms: [(index: Int32, coefficient: Double)] { storage }
    @usableFromInline var storage: [(index: Int32, coefficient: Double)]
    /// The constant part.
    public var constant: Double
    @usableFromInline var owner: ModelIdentity
    /// True while the terms are strictly increasing by index with no zero
    /// coefficient, so merging them is a no-op (the common case of sums).
    @usableFromInline var isCanonical = true

    /// The empty expression, or a constant.
    public init(_ constant: Double = 0) {
        self.storage = []
        self.constant = constant
        self.owner = .none
    }

    /// `coefficient * variable`.
    public init(_ variable: Variable, coefficient: Double = 1) {
        self.storage = [(Int32(truncatingIfNeeded: variable.index), coefficient)]
        self.constant = 0
        self.owner = variable.owner
        self.isCanonical = coefficient != 0
    }

    /// Reserves room for `count` terms.
    @inlinable
    public mutating func reserveCapacity(_ count: Int) { storage.reserveCapacity(count) }

    /// Appends `coefficient * variable`.
    /// (A model holds at most ``ModelLimits/maxVariables`` variables, so an
    /// index always fits in 32 bits.)
    @inlinable
    public mutating func add(_ coefficient: Double, _ variable: Variable) {
        let index = Int32(truncatingIfNeeded: variable.index)
        if isCanonical, coefficient == 0 || (storage.last.map { $0.index >= index } ?? false) { isCanonical = false }
        storage.append((index, coefficient))
        if variable.owner != owner { owner = owner.combined(with: variable.owner) }
    }

    /// Appends `coefficient * variable` when there is a variable and the
    /// coefficient is not zero (for models that leave out variables the data
    /// fixes at zero).
    @inlinable
    public mutating func add(_ coefficient: Double, _ variable: Variable?) {
        if let variable, coefficient != 0 { add(coefficient, variable) }
    }

    /// Appends `scale * other`.
    public mutating func add(_ other: LinearExpression, scaledBy scale: Double = 1) {
        storage.reserveCapacity(storage.count + other.storage.count)
        isCanonical = false
        if scale == 1 {
            storage.append(contentsOf: other.storage)
        } else {
            for term in other.storage { storage.append((term.index, term.coefficient * scale)) }
        }
        constant += scale * other.constant
        owner = owner.combined(with: other.owner)
    }

    /// The sum of the variables.
    @inlinable
    public static func sum(_ variables: some Sequence<Variable>) -> LinearExpression {
        var result = LinearExpression()
        result.reserveCapacity(variables.underestimatedCount)
        for variable in variables { result.add(1, variable) }
        return result
    }

    /// The sum of `coefficient * variable` over a sequence, in one buffer.
    @inlinable
    public static func sum<S: Sequence>(
        _ elements: S, _ term: (S.Element) throws -> (Double, Variable)
    ) rethrows -> LinearExpression {
        var result = LinearExpression()
        result.reserveCapacity(elements.underestimatedCount)
        for element in elements {
            let (coefficient, variable) = try term(element)
            result.add(coefficient, variable)
        }
        return result
    }

    /// The terms merged by variable (sorted by index), zeros dropped.
    public func mergedTerms() -> [(index: Int32, coefficient: Double)] {
        if isCanonical { return storage }
        var sorted = true
        var previous: Int32 = -1
        for term in storage {
            if term.index <= previous { sorted = false; break }
            previous = term.index
        }
        if sorted {
            return storage.contains { $0.coefficient == 0 } ? storage.filter { $0.coefficient != 0 } : storage
        }
        let ordered = storage.sorted { $0.index < $1.index }
        var merged: [(index: Int32, coefficient: Double)] = []
        merged.reserveCapacity(ordered.count)
        for term in ordered {
            if let last = merged.last, last.index == term.index {
                merged[merged.count - 1].coefficient = last.coefficient + term.coefficient
            } else {
                merged.append(term)
            }
        }
        return merged.filter { $0.coefficient != 0 }
    }
}

extension Sequence where Element == LinearExpression {
    /// The sum of the expressions, accumulated in one buffer.
    public func sum() -> LinearExpression {
        var result = LinearExpression()
        for expression in self { result.add(expression) }
        return result
    }
}

// MARK: - Arithmetic

extension LinearExpression {
    public static func + (lhs: LinearExpression, rhs: LinearExpression) -> LinearExpression {
        var result = lhs
        result.add(rhs)
        return result
    }
    public static func + (lhs: LinearExpression, rhs: Variable) -> LinearExpression {
        var result = lhs
        result.add(1, rhs)
        return result
    }
    public static func + (lhs: Variable, rhs: LinearExpression) -> LinearExpression {
        var result = rhs
        result.add(1, lhs)
        return result
    }
    public static func + (lhs: LinearExpression, rhs: Double) -> LinearExpression {
        var result = lhs
        result.constant += rhs
        return result
    }
    public static func + (lhs: Double, rhs: LinearExpression) -> LinearExpression { rhs + lhs }

    public static func - (lhs: LinearExpression, rhs: LinearExpression) -> LinearExpression {
        var result = lhs
        result.add(rhs, scaledBy: -1)
        return result
    }
    public static func - (lhs: LinearExpression, rhs: Variable) -> LinearExpression {
        var result = lhs
        result.add(-1, rhs)
        return result
    }
    public static func - (lhs: Variable, rhs: LinearExpression) -> LinearExpression {
        var result = LinearExpression(lhs)
        result.add(rhs, scaledBy: -1)
        return result
    }
    public static func - (lhs: LinearExpression, rhs: Double) -> LinearExpression {
        var result = lhs
        result.constant -= rhs
        return result
    }
    public static func - (lhs: Double, rhs: LinearExpression) -> LinearExpression {
        var result = LinearExpression(lhs)
        result.add(rhs, scaledBy: -1)
        return result
    }
    public static prefix func - (operand: LinearExpression) -> LinearExpression {
        var result = LinearExpression()
        result.add(operand, scaledBy: -1)
        return result
    }

    public static func * (lhs: Double, rhs: LinearExpression) -> LinearExpression {
        var result = LinearExpression()
        result.add(rhs, scaledBy: lhs)
        return result
    }
    public static func * (lhs: LinearExpression, rhs: Double) -> LinearExpression { rhs * lhs }

    public static func += (lhs: inout LinearExpression, rhs: LinearExpression) { lhs.add(rhs) }
    public static func += (lhs: inout LinearExpression, rhs: Variable) { lhs.add(1, rhs) }
    public static func += (lhs: inout LinearExpression, rhs: Double) { lhs.constant += rhs }
    public static func -= (lhs: inout LinearExpression, rhs: LinearExpression) { lhs.add(rhs, scaledBy: -1) }
    public static func -= (lhs: inout LinearExpression, rhs: Variable) { lhs.add(-1, rhs) }
    public static func -= (lhs: inout LinearExpression, rhs: Double) { lhs.constant -= rhs }
}

extension Variable {
    public static func + (lhs: Variable, rhs: Variable) -> LinearExpression {
        var result = LinearExpression(lhs)
        result.add(1, rhs)
        return result
    }
    public static func + (lhs: Variable, rhs: Double) -> LinearExpression { LinearExpression(lhs) + rhs }
    public static func + (lhs: Double, rhs: Variable) -> LinearExpression { LinearExpression(rhs) + lhs }
    public static func - (lhs: Variable, rhs: Variable) -> LinearExpression {
        var result = LinearExpression(lhs)
        result.add(-1, rhs)
        return result
    }
    public static func - (lhs: Variable, rhs: Double) -> LinearExpression { LinearExpression(lhs) - rhs }
    public static func - (lhs: Double, rhs: Variable) -> LinearExpression {
        LinearExpression(rhs, coefficient: -1) + lhs
    }
    public static prefix func - (operand: Variable) -> LinearExpression {
        LinearExpression(operand, coefficient: -1)
    }
    public static func * (lhs: Double, rhs: Variable) -> LinearExpression {
        LinearExpression(rhs, coefficient: lhs)
    }
    public static func * (lhs: Variable, rhs: Double) -> LinearExpression {
        LinearExpression(lhs, coefficient: rhs)
    }
}
