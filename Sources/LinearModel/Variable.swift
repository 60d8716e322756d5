/// The kind of values a variable may take.
public enum VariableKind: String, Sendable, Hashable, Codable {
    /// Any real value within the bounds.
    case continuous
    /// Integer values within the bounds (fractional bounds are rounded inwards).
    case integer
    /// 0 or 1.
    case binary
}

/// A handle to a variable of one ``Model``: its index, tied to that model.
///
/// Handles are small values; using a handle with a model other than the one
/// that created it (or a copy of it) is rejected with ``ModelError``.
public struct Variable: Hashable, Sendable, Comparable {
    /// Zero-based position of the variable in its model.
    public let index: Int
    @usableFromInline let owner: ModelIdentity

    init(index: Int, owner: ModelIdentity) {
        self.index = index
        self.owner = owner
    }

    public static func < (lhs: Variable, rhs: Variable) -> Bool { lhs.index < rhs.index }
}

/// A handle to a constraint (a row) of one ``Model``.
public struct ConstraintRef: Hashable, Sendable, Comparable {
    /// Zero-based position of the constraint in its model.
    public let index: Int
    let owner: ModelIdentity

    init(index: Int, owner: ModelIdentity) {
        self.index = index
        self.owner = owner
    }

    public static func < (lhs: ConstraintRef, rhs: ConstraintRef) -> Bool { lhs.index < rhs.index }
}

/// Identity shared by a model and its copies; 0 means "no model".
@usableFromInline
struct ModelIdentity: Hashable, Sendable {
    @usableFromInline let raw: UInt64
    @usableFromInline static let none = ModelIdentity(raw: 0)
    @usableFromInline static let mixed = ModelIdentity(raw: .max)

    @usableFromInline init(raw: UInt64) { self.raw = raw }

    static func fresh() -> ModelIdentity {
        var generator = SystemRandomNumberGenerator()
        return ModelIdentity(raw: generator.next(upperBound: UInt64.max - 1) + 1)
    }

    /// The identity of an expression that combines terms of `self` and `other`.
    @inlinable
    func combined(with other: ModelIdentity) -> ModelIdentity {
        if self == other || other == .none { return self }
        if self == .none { return other }
        return .mixed
    }
}
