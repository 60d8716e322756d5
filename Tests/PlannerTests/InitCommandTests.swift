import Foundation
import Sourcing
import StrictJSON
import TestSupport
import Testing

/// `planner init` writes a starting instance that validates (without a
/// warning) and solves (issue 16).
@Suite struct InitCommandTests {
    @Test func startingInstanceValidatesAndSolves() throws {
        let file = try Planner.temporaryDirectory().appendingPathComponent("mine.json").path
        let run = try Planner.run(["init", "-o", file])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("What it holds"))
        let (instance, warnings) = try InstanceLoader.load(path: file)
        #expect(warnings.isEmpty, "\(warnings)")
        #expect(instance.minerals.count == 2)
        #expect(instance.minerals.contains { $0.priceFloor != nil })
        #expect(instance.buyers.contains { !$0.exposureCap.isEmpty })
        let validate = try Planner.run(["validate", file])
        #expect(validate.status == 0 && !validate.stderr.contains("warning"), "\(validate.stderr)")
        let solve = try Planner.run(["solve", file, "--format", "json"])
        #expect(solve.status == 0, "\(solve.stderr)")
        #expect(try JSONParser.parse(solve.stdoutData)["status"]?.stringValue == "optimal")
        // An existing file is kept unless --force.
        #expect(try Planner.run(["init", "-o", file]).status == 2)
        #expect(try Planner.run(["init", "-o", file, "--force"]).status == 0)
    }
}
