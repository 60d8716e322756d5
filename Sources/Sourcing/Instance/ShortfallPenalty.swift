/// One segment of a shortfall curve: shortfall up to `upTo` of the buyer's
/// demand (a share, cumulative) costs `penalty` USD/t.
public struct PenaltySegment: Sendable, Equatable, Hashable {
    /// Cumulative share of demand, in (0, 1]; the last segment's is 1.
    public var upTo: Double
    /// USD per tonne of shortfall within this segment.
    public var penalty: Double

    public init(upTo: Double, penalty: Double) {
        self.upTo = upTo
        self.penalty = penalty
    }
}

/// A shortfall penalty: a number (USD/t, version 1) or, in version 2, a
/// convex curve of segments (docs/FORMULATION.md section 9).
///
/// A number `p` means the curve `[{upTo: 1, penalty: p}]`; the two forms
/// are kept apart only so an instance is written back as it was read.
public enum ShortfallPenalty: Sendable, Equatable, Hashable, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    /// One price for every tonne short.
    case flat(Double)
    /// Segments in order of `upTo`.
    case curve([PenaltySegment])

    public init(floatLiteral value: Double) { self = .flat(value) }
    public init(integerLiteral value: Int) { self = .flat(Double(value)) }

    /// The segments the model uses (a number is one segment up to 1).
    public var segments: [PenaltySegment] {
        switch self {
        case .flat(let p): return [PenaltySegment(upTo: 1, penalty: p)]
        case .curve(let segments): return segments
        }
    }

    /// The number of a flat penalty (nil for a curve).
    public var flatValue: Double? {
        if case .flat(let p) = self { return p }
        return nil
    }

    /// The penalty of the last (dearest) segment.
    public var highest: Double { segments.last?.penalty ?? 0 }
}
