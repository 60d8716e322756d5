/// The figures of one sweep row: every one unique at the optimum (the
/// cost; the shortfall valued at reference prices), so a row does not
/// depend on warm or cold starts, threads, shards or resume.
public struct SweepRow: Sendable, Equatable {
    /// The plan's status, or `invalid` (the scenario could not be read or
    /// applied) or `error` (the solver failed).
    public var status: String
    /// Total cost (nil without a plan).
    public var cost: Double?
    /// The shortfall valued at reference prices (nil without a plan).
    public var shortfallValue: Double?
    /// Why the row is not optimal (empty when it is).
    public var detail: String

    public init(status: String, cost: Double?, shortfallValue: Double?, detail: String) {
        self.status = status
        self.cost = cost
        self.shortfallValue = shortfallValue
        self.detail = detail
    }

    /// The row's status, cost, shortfall value and detail, as printed.
    public var fields: [String] { [status, formatNumber(cost), formatNumber(shortfallValue), detail] }

    /// Whether the row is invalid or failed (a sweep with such rows exits 8).
    public var failed: Bool { status == "invalid" || status == "error" }
}
