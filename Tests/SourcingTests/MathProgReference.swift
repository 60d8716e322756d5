import Foundation
import GLPK
import LinearModel
import Sourcing
import TestSupport

/// The optimum of an instance on models/sourcing.mod: GLPK's MathProg
/// translator on the independent reference formulation, not the model
/// the planner builds.
enum MathProgReference {
    /// The reference model's result on the instance's exported data.
    static func solve(_ instance: Instance) throws -> SolveResult {
        let data = FileManager.default.temporaryDirectory
            .appendingPathComponent("reference-\(UUID().uuidString).dat")
        try Data(try MathProgData.encode(instance).utf8).write(to: data)
        defer { try? FileManager.default.removeItem(at: data) }
        return try MathProg.solve(
            model: TestPaths.repository.appendingPathComponent("models/sourcing.mod").path,
            data: [data.path]
        ).result
    }

    /// The optimal cost, or nil when the reference model finds no optimum.
    static func optimum(_ instance: Instance) throws -> Double? {
        let result = try solve(instance)
        return result.termination.reason == .optimal ? result.objective : nil
    }
}
