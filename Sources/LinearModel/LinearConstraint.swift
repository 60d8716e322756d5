/// A linear constraint `lower <= expression <= upper`, not yet in a model.
///
/// Write it with `<=`, `>=` or `.==` between an expression (or variable) and
/// a number or another expression; a ranged row with
/// ``LinearConstraint/init(_:lower:upper:)``. The expression's constant is
/// moved into the bounds when the constraint is added. (Swift's `==` is left
/// for `Equatable`; an equality constraint is spelled `.==`.)
public struct LinearConstraint: Sendable {
    /// The left-hand side.
    public var expression: LinearExpression
    /// Lower bound on the expression (`-infinity` for none).
    public var lower: Double
    /// Upper bound on the expression (`+infinity` for none).
    public var upper: Double

    /// `lower <= expression <= upper`.
    public init(_ expression: LinearExpression, lower: Double, upper: Double) {
        self.expression = expression
        self.lower = lower
        self.upper = upper
    }
}

infix operator .== : ComparisonPrecedence

extension LinearExpression {
    public static func <= (lhs: LinearExpression, rhs: Double) -> LinearConstraint {
        LinearConstraint(lhs, lower: -.infinity, upper: rhs)
    }
    public static func >= (lhs: LinearExpression, rhs: Double) -> LinearConstraint {
        LinearConstraint(lhs, lower: rhs, upper: .infinity)
    }
    public static func .== (lhs: LinearExpression, rhs: Double) -> LinearConstraint {
        LinearConstraint(lhs, lower: rhs, upper: rhs)
    }
    public static func <= (lhs: LinearExpression, rhs: LinearExpression) -> LinearConstraint {
        lhs - rhs <= 0
    }
    public static func >= (lhs: LinearExpression, rhs: LinearExpression) -> LinearConstraint {
        lhs - rhs >= 0
    }
    public static func .== (lhs: LinearExpression, rhs: LinearExpression) -> LinearConstraint {
        lhs - rhs .== 0
    }
}

extension Variable {
    public static func <= (lhs: Variable, rhs: Double) -> LinearConstraint { LinearExpression(lhs) <= rhs }
    public static func >= (lhs: Variable, rhs: Double) -> LinearConstraint { LinearExpression(lhs) >= rhs }
    public static func .== (lhs: Variable, rhs: Double) -> LinearConstraint { LinearExpression(lhs) .== rhs }
    public static func .== (lhs: Variable, rhs: Variable) -> LinearConstraint { lhs - rhs .== 0 }
    public static func <= (lhs: Variable, rhs: Variable) -> LinearConstraint { lhs - rhs <= 0 }
    public static func >= (lhs: Variable, rhs: Variable) -> LinearConstraint { lhs - rhs >= 0 }
    public static func <= (lhs: Variable, rhs: LinearExpression) -> LinearConstraint { lhs - rhs <= 0 }
    public static func >= (lhs: Variable, rhs: LinearExpression) -> LinearConstraint { lhs - rhs >= 0 }
    public static func .== (lhs: Variable, rhs: LinearExpression) -> LinearConstraint { lhs - rhs .== 0 }
    public static func <= (lhs: LinearExpression, rhs: Variable) -> LinearConstraint { lhs - rhs <= 0 }
    public static func >= (lhs: LinearExpression, rhs: Variable) -> LinearConstraint { lhs - rhs >= 0 }
    public static func .== (lhs: LinearExpression, rhs: Variable) -> LinearConstraint { lhs - rhs .== 0 }
}
