/// An exposure cap: the largest exposed share of what is delivered, hard
/// (version 1) or, in version 2, soft at `penalty` USD per exposed tonne
/// above the share (docs/FORMULATION.md section 11).
public struct ExposureCap: Sendable, Equatable, Hashable, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    /// Share in [0, 1].
    public var share: Double
    /// USD per exposed tonne above the share; nil: a hard cap.
    public var penalty: Double?

    public init(share: Double, penalty: Double? = nil) {
        self.share = share
        self.penalty = penalty
    }

    public init(floatLiteral value: Double) { self.init(share: value) }
    public init(integerLiteral value: Int) { self.init(share: Double(value)) }

    /// Whether the cap may be exceeded at a price.
    public var isSoft: Bool { penalty != nil }
}
