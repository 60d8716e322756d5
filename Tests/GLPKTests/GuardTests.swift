import Foundation
import GLPK
import LinearModel
import TestSupport
import Testing

/// One test per ``Guard``: the documented error is thrown before GLPK sees
/// the value, and the model is still usable (and solves) afterwards.
@Suite struct GuardTests {
    /// A small valid model: min x + y, x + y >= 1; optimum 1.
    func baseModel() throws -> (Model, Variable, Variable) {
        var model = Model()
        let x = try model.addVariable("x")
        let y = try model.addVariable("y")
        try model.addConstraint(x + y >= 1, name: "cover")
        try model.minimize(x + y)
        return (model, x, y)
    }

    func expectGuard(_ guardName: Guard, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected guard \(guardName), nothing was thrown")
        } catch let error as ModelError {
            #expect(error.guardName == guardName, "\(error)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    func expectStillSolves(_ model: Model, rows: Int = 1, columns: Int = 2) throws {
        #expect(model.constraintCount == rows && model.variableCount == columns)
        let result = try GLPKSolver().solve(model, options: SolveOptions())
        #expect(result.termination.reason == .optimal)
        #expect(isClose(result.objective, 1))
    }

    @Test func everyGuardHasATest() {
        // Keeps this suite in step with the list of guards.
        let tested: Set<Guard> = [
            .nonFiniteValue, .magnitudeTooLarge, .invalidBound, .boundOrder, .foreignHandle,
            .nameTooLong, .nameControlCharacter, .sizeLimit, .invalidOption, .invalidPath,
            .fileFormat, .precondition,
            .glpkFailure
        ]  // FatalErrorRecoveryTests
        #expect(tested == Set(Guard.allCases))
    }

    @Test func nonFiniteValues() throws {
        var (model, x, y) = try baseModel()
        expectGuard(.nonFiniteValue) { try model.addConstraint(Double.nan * x + y <= 1) }
        expectGuard(.nonFiniteValue) { try model.addConstraint(Double.infinity * x <= 1) }
        expectGuard(.nonFiniteValue) { try model.minimize(x + Double.nan) }
        expectGuard(.nonFiniteValue) { try model.setObjectiveCoefficient(.infinity, of: x) }
        expectGuard(.nonFiniteValue) { try model.addVariable("z", objective: .nan) }
        expectGuard(.nonFiniteValue) { try model.setCoefficient(.nan, of: x, in: model.constraints[0]) }
        try expectStillSolves(model)
    }

    @Test func magnitudes() throws {
        var (model, x, _) = try baseModel()
        expectGuard(.magnitudeTooLarge) { try model.addConstraint(1e30 * x <= 1) }
        expectGuard(.magnitudeTooLarge) { try model.setObjectiveCoefficient(-Double.greatestFiniteMagnitude, of: x) }
        // Bounds of 1e30 and beyond mean "no bound", not -1.8e308.
        let free = try model.addVariable("free", lower: -.greatestFiniteMagnitude, upper: 1e30)
        #expect(model.variableLower[free.index] == -.infinity && model.variableUpper[free.index] == .infinity)
        try expectStillSolves(model, columns: 3)
    }

    @Test func invalidBounds() throws {
        var (model, x, _) = try baseModel()
        expectGuard(.invalidBound) { try model.addVariable("z", lower: .nan) }
        expectGuard(.invalidBound) { try model.addVariable("z", lower: .infinity) }
        expectGuard(.invalidBound) { try model.setBounds(of: x, lower: 0, upper: -.infinity) }
        expectGuard(.invalidBound) { try model.addConstraint(LinearConstraint(1 * x, lower: .nan, upper: 1)) }
        try expectStillSolves(model)
    }

    @Test func boundOrder() throws {
        var (model, x, _) = try baseModel()
        expectGuard(.boundOrder) { try model.addVariable("z", lower: 2, upper: 1) }
        expectGuard(.boundOrder) { try model.setBounds(of: x, lower: 5, upper: 4) }
        expectGuard(.boundOrder) { try model.addConstraint(LinearConstraint(1 * x, lower: 3, upper: 2)) }
        expectGuard(.boundOrder) { try model.addVariable("b", lower: 2, upper: 3, kind: .binary) }
        // lb == ub is fine (GLPK wants GLP_FX, the loader maps it).
        let fixed = try model.addVariable("fixed", lower: 0.5, upper: 0.5)
        #expect(model.variableLower[fixed.index] == 0.5)
        try expectStillSolves(model, columns: 3)
    }

    @Test func foreignHandles() throws {
        var (model, x, _) = try baseModel()
        var other = Model()
        let alien = try other.addVariable("alien")
        let alienRow = try other.addConstraint(alien <= 1)
        expectGuard(.foreignHandle) { try model.addConstraint(x + alien <= 1) }
        expectGuard(.foreignHandle) { try model.minimize(1 * alien) }
        expectGuard(.foreignHandle) { try model.setBounds(of: alien, lower: 0, upper: 1) }
        expectGuard(.foreignHandle) { try model.setBounds(of: alienRow, lower: 0, upper: 1) }
        expectGuard(.foreignHandle) { try model.addConstraint(indices: [0, 7], values: [1, 1], lower: 0, upper: 1) }
        expectGuard(.foreignHandle) { try model.addConstraint(indices: [0], values: [1, 2], lower: 0, upper: 1) }
        try expectStillSolves(model)
    }

    @Test func names() throws {
        var (model, _, _) = try baseModel()
        expectGuard(.nameTooLong) { try model.addVariable(String(repeating: "n", count: 256)) }
        expectGuard(.nameTooLong) {
            try model.addConstraint(LinearConstraint(LinearExpression(), lower: 0, upper: 0), name: String(repeating: "é", count: 128))
        }
        expectGuard(.nameControlCharacter) { try model.addVariable("tab\there") }
        expectGuard(.nameControlCharacter) { try model.addVariable("nul\u{0}") }
        try model.addVariable(String(repeating: "n", count: 255))  // the longest allowed
        try expectStillSolves(model, columns: 3)
        // A model name is checked when the model reaches GLPK.
        model.name = String(repeating: "m", count: 300)
        expectGuard(.nameTooLong) { _ = try GLPKSolver().solve(model, options: SolveOptions()) }
    }

    @Test func sizeLimit() throws {
        // Exceeding 100,000,000 columns would take gigabytes to reach; the
        // limit is checked against the documented constant instead.
        #expect(ModelLimits.maxVariables == 100_000_000)
        #expect(ModelLimits.maxNonzeros < Int(Int32.max))
    }

    @Test func invalidOptions() throws {
        let (model, _, _) = try baseModel()
        let cases: [(inout SolveOptions) -> Void] = [
            { $0.timeLimit = -1 }, { $0.timeLimit = .nan }, { $0.timeLimit = .infinity },
            { $0.iterationLimit = -5 }, { $0.iterationLimit = Int(Int32.max) + 1 },
            { $0.nodeLimit = -1 }, { $0.relativeGap = .nan }, { $0.relativeGap = -0.1 }
        ]
        for change in cases {
            var options = SolveOptions()
            change(&options)
            expectGuard(.invalidOption) { _ = try GLPKSolver().solve(model, options: options) }
        }
        try expectStillSolves(model)
    }

    @Test func paths() throws {
        let (model, _, _) = try baseModel()
        let long = "/tmp/" + String(repeating: "p", count: 5000) + ".mps"
        expectGuard(.invalidPath) { _ = try ModelFile.read(long) }
        expectGuard(.invalidPath) { try ModelFile.write(model, to: long) }
        expectGuard(.invalidPath) { _ = try ModelFile.read("") }
        expectGuard(.invalidPath) { _ = try ModelFile.read("/tmp/a\u{0}b.mps") }
        try expectStillSolves(model)
    }

    @Test func fileFormat() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("guard-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.lp")
        try Data("Minimize\n obj: x + \nSubject To\n c1: x >= 1 garbage ???\nEnd\n".utf8).write(to: bad)
        do {
            _ = try ModelFile.read(bad.path)
            Issue.record("malformed LP file was accepted")
        } catch {
            #expect(error.guardName == .fileFormat)
            #expect(error.reason.contains("bad.lp:3: missing variable name"), "\(error)")  // GLPK's message and line
        }
        expectGuard(.fileFormat) { _ = try ModelFile.read(dir.appendingPathComponent("missing.mps").path) }
        expectGuard(.fileFormat) { _ = try ModelFile.read(dir.appendingPathComponent("x.unknown").path) }
        // A failed write leaves nothing behind.
        let (model, _, _) = try baseModel()
        expectGuard(.fileFormat) { try ModelFile.write(model, to: dir.appendingPathComponent("no-such-dir/out.mps").path) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["bad.lp"])
        try expectStillSolves(model)
    }

    @Test func precondition() throws {
        // Ranging of an infeasible LP is not attempted (GLPK aborts without
        // an optimal basis): the result simply carries no ranging.
        var model = Model()
        let x = try model.addVariable("x")
        try model.addConstraint(x >= 2)
        try model.addConstraint(x <= 1)
        var options = SolveOptions()
        options.sensitivity = true
        let result = try GLPKSolver().solve(model, options: options)
        #expect(result.termination.reason == .infeasible && result.ranging == nil)
        // The fatal-error hook is the last line of defence: a problem
        // destroyed by it is reported, not reused.
        #expect(Guard.precondition.rawValue == "precondition")
    }
}
