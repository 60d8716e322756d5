import Foundation
import GLPK
import LinearModel
import TestSupport
import Testing

/// The public test sets of `../shared/testsets` (skipped with a note when
/// that folder is absent; they are not copied into the repository).
///
/// All 91 Netlib problems run in CI (about 40 s on two cores).
@Suite struct TestSetTests {
    let solver = GLPKSolver()

    struct Problem: Sendable, CustomTestStringConvertible {
        let name: String
        let path: String
        let expected: String
        var testDescription: String { name }
    }

    static func entries(_ folder: String, file: String, column: String) -> [Problem] {
        guard let dir = TestPaths.sharedFolder("testsets/\(folder)"),
            let rows = try? readCSV(dir.appendingPathComponent(file))
        else { return [] }
        return rows.compactMap { row in
            guard let name = row["name"], let value = row[column] else { return nil }
            return Problem(name: name, path: dir.appendingPathComponent("\(name).mps.gz").path, expected: value)
        }
    }

    /// Where GLPK's documented optimum (glpk-doc netlib.txt, copied into
    /// optima.csv) disagrees with the value Netlib itself publishes, the
    /// Netlib value is used, with the reason.
    ///
    /// - pilot: optima.csv has -557.4831533 (an old GLPK run); Netlib's
    ///   README publishes -5.5748972928E+02, which GLPK 5.0 reaches with and
    ///   without presolve (-557.48972930 and -557.48970620 with glpsol).
    static let netlibCorrections: [String: Double] = ["pilot": -5.5748972928e+02]

    static let netlib: [Problem] = entries("netlib", file: "optima.csv", column: "optimum")

    @Test(.enabled(if: TestPaths.has("testsets/netlib"), "../shared/testsets/netlib is absent"), arguments: netlib)
    func netlibOptimum(_ problem: Problem) throws {
        let model = try ModelFile.read(problem.path)
        let result = try solver.solve(model, options: SolveOptions())
        let optimum = try #require(Self.netlibCorrections[problem.name] ?? Double(problem.expected))
        #expect(result.termination.reason == .optimal, "\(problem.name): \(result.termination)")
        #expect(
            isClose(result.objective, optimum, relative: 1e-6),
            "\(problem.name): \(result.objective ?? .nan) vs \(optimum)")
    }

    static let miplib: [Problem] = entries("miplib", file: "optima.csv", column: "optimum")

    @Test(.enabled(if: TestPaths.has("testsets/miplib"), "../shared/testsets/miplib is absent"), arguments: miplib)
    func miplibOptimum(_ problem: Problem) throws {
        let model = try ModelFile.read(problem.path)
        #expect(model.isMIP)
        var options = SolveOptions()
        options.timeLimit = 120
        let result = try solver.solve(model, options: options)
        let optimum = try #require(Double(problem.expected))
        #expect(result.termination.reason == .optimal, "\(problem.name): \(result.termination)")
        #expect(
            isClose(result.objective, optimum, relative: 1e-6),
            "\(problem.name): \(result.objective ?? .nan) vs \(optimum)")
    }

    static let infeasible: [Problem] = entries("infeasible", file: "expected.csv", column: "expected")

    @Test(
        .enabled(if: TestPaths.has("testsets/infeasible"), "../shared/testsets/infeasible is absent"),
        arguments: infeasible, [true, false])
    func infeasibleOrUnbounded(_ problem: Problem, presolve: Bool) throws {
        let model = try ModelFile.read(problem.path)
        var options = SolveOptions()
        options.presolve = presolve
        let result = try solver.solve(model, options: options)
        #expect(result.termination.reason.rawValue == problem.expected, "\(problem.name): \(result.termination)")
        #expect(result.values.isEmpty && result.objective == nil)
    }
}
