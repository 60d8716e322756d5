/// A facility that recovers its mineral from a host stream it does not
/// control (gallium from alumina, germanium from zinc, cobalt from copper):
/// its output is at most `ratio` x `hostThroughput` (docs/FORMULATION.md
/// section 12).
public struct ByProduct: Sendable, Equatable, Hashable {
    /// A free label of the host stream (`"alumina"`, `"zinc"`); it only
    /// selects facilities in scenarios, it links nothing.
    public var host: String
    /// t/year of host material processed.
    public var hostThroughput: Double
    /// t of product per t of host.
    public var ratio: Double

    public init(host: String, hostThroughput: Double, ratio: Double) {
        self.host = host
        self.hostThroughput = hostThroughput
        self.ratio = ratio
    }

    /// ratio x hostThroughput, t of product.
    public var limit: Double { ratio * hostThroughput }
}
