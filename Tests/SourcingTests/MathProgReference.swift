import Foundation
import GLPK
import Sourcing
import TestSupport

/// The optimum of an instance on models/sourcing.mod: GLPK's MathProg
/// translator on the independent reference formulation, not the model
/// the planner builds.
enum MathProgReference {
    /// The optimal cost, or nil when the reference model finds no optimum.
    static func optimum(_ instance: Instance) throws -> Double? {
        let data = FileManager.default.temporaryDirectory
            .appendingPathComponent("reference-\(UUID().uuidString).dat")
        try Data(try MathProgData.encode(instance).utf8).write(to: data)
        defer { try? FileManager.default.removeItem(at: data) }
        let run = try MathProg.solve(
            model: TestPaths.repository.appendingPathComponent("models/sourcing.mod").path,
            data: [data.path])
        return run.result.termination.reason == .optimal ? run.result.objective : nil
    }
}
