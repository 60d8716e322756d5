import Foundation
import GLPK
import LinearModel
import TestSupport
import Testing

/// The MathProg reference model solved in-process, against the optima
/// derived by hand in `instances/small/*.md`.
@Suite struct MathProgTests {
    static let handOptima: [(String, Double?)] = [
        ("tagging", 14_900), ("floors", 51_800), ("tariff-reverse", 64_700), ("diversification", 100_500),
        ("coalition-offtake", 107_000), ("export-ban", 30_500), ("shortfall-penalty", 16_200),
        ("contract-mip", 6_700), ("supplier-limit", 21_700), ("supplier-share", 46_000), ("infeasible", nil),
        ("infeasible-capacity", nil)
    ]

    static let modelPath = TestPaths.repository.appendingPathComponent("models/sourcing.mod").path

    @Test(arguments: handOptima.map(\.0))
    func referenceModelReachesHandOptimum(_ name: String) throws {
        let expected = Self.handOptima.first { $0.0 == name }?.1
        let data = TestPaths.repository.appendingPathComponent("models/data/\(name).dat").path
        let run = try MathProg.solve(model: Self.modelPath, data: [data])
        if let expected {
            #expect(run.result.termination.reason == .optimal)
            #expect(isClose(run.result.objective, expected))
            // The model prints its own objective after the solve statement.
            let printed = run.output.last { $0.hasPrefix("OBJECTIVE ") }
            #expect(isClose(printed.flatMap { Double($0.dropFirst(10)) }, expected))
        } else {
            #expect(run.result.termination.reason == .infeasible)
            #expect(!run.output.contains { $0.hasPrefix("OBJECTIVE ") })
        }
    }

    @Test func translateOnlyGivesTheModel() throws {
        let data = TestPaths.repository.appendingPathComponent("models/data/tagging.dat").path
        let model = try MathProg.translate(model: Self.modelPath, data: [data])
        #expect(model.variableCount > 0 && model.constraintCount > 0)
        let result = try GLPKSolver().solve(model, options: SolveOptions())
        #expect(isClose(result.objective, 14_900))
    }

    @Test func syntaxErrorNamesTheLine() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).mod")
        try Data("var x >= 0;\nminimize z: x +;\nend;\n".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        do {
            _ = try MathProg.translate(model: url.path)
            Issue.record("a malformed model was accepted")
        } catch {
            #expect(error.guardName == .fileFormat)
            #expect(error.reason.contains(":2:"), "\(error)")
        }
    }
}
