/// The version of the instance format, and so of the model's meaning
/// (docs/FORMULATION.md section 8).
public enum InstanceVersion: Int, Sendable, Equatable, Comparable, CaseIterable {
    /// `sourcing-instance/1`: price floors raise coalition producers' prices.
    case v1 = 1
    /// `sourcing-instance/2`: border floor, curves, soft caps, by-products.
    case v2 = 2

    /// The `format` value of a file of this version.
    public var formatName: String { "sourcing-instance/\(rawValue)" }

    /// The version whose `format` value is `name`, if any.
    public init?(formatName name: String) {
        guard let version = Self.allCases.first(where: { $0.formatName == name }) else { return nil }
        self = version
    }

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}
