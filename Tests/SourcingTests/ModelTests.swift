import Foundation
import GLPK
import LinearModel
import Sourcing
import TestSupport
import Testing

/// The sourcing model built in Swift reaches the optima derived by hand in
/// `instances/small/*.md`.
@Suite struct ModelTests {
    static let handOptima: [(String, Double?)] = [
        ("tagging", 14_900), ("floors", 51_800), ("tariff-reverse", 64_700), ("diversification", 100_500),
        ("coalition-offtake", 107_000), ("export-ban", 30_500), ("shortfall-penalty", 16_200),
        ("contract-mip", 6_700), ("supplier-limit", 21_700), ("infeasible", nil), ("infeasible-capacity", nil),
    ]

    static func load(_ name: String) throws -> Instance {
        let path = TestPaths.repository.appendingPathComponent("instances/small/\(name).json").path
        return try InstanceLoader.load(path: path).instance
    }

    @Test(arguments: handOptima.map(\.0))
    func handOptimum(_ name: String) throws {
        let expected = Self.handOptima.first { $0.0 == name }?.1
        let built = try SourcingModel(Network(try Self.load(name)))
        let result = try GLPKSolver().solve(built.model, options: SolveOptions())
        if let expected {
            #expect(result.termination.reason == .optimal, "\(name): \(result.termination)")
            #expect(isClose(result.objective, expected), "\(name): \(result.objective ?? .nan)")
        } else {
            #expect(result.termination.reason == .infeasible, "\(name): \(result.termination)")
        }
    }
}
