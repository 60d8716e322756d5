import Foundation
import TestSupport
import Testing

/// The help pages, as a user reads them (issue 16): each command opens with
/// what it answers and examples, solver tuning sits under its own heading
/// with GLPK-level flags hidden, developer commands stand apart. Snapshots
/// in Tests/PlannerTests/HelpSnapshots; after a deliberate change,
/// regenerate them with `HELP_SNAPSHOT_REGENERATE=1 swift test --filter HelpSnapshotTests`.
@Suite struct HelpSnapshotTests {
    static let pages: [[String]] = [
        ["--help"], ["solve", "--help"], ["validate", "--help"], ["init", "--help"], ["whatif", "--help"],
        ["stress", "--help"], ["frontier", "--help"], ["sweep", "--help"], ["generate", "--help"]
    ]

    @Test(arguments: pages)
    func helpMatchesItsSnapshot(_ arguments: [String]) throws {
        let run = try Planner.run(arguments, environment: ["COLUMNS": "100"])
        #expect(run.status == 0)
        let name = (arguments.first == "--help" ? "planner" : arguments[0]) + ".txt"
        let snapshot = TestPaths.repository.appendingPathComponent("Tests/PlannerTests/HelpSnapshots/" + name)
        if TestPaths.flag("HELP_SNAPSHOT_REGENERATE") {
            try Data(run.stdout.utf8).write(to: snapshot)
        }
        let expected = try String(contentsOf: snapshot, encoding: .utf8)
        #expect(run.stdout == expected, "planner \(arguments.joined(separator: " ")) differs from \(name)")
    }

    /// Every flag is described, and the GLPK-level ones are hidden from the
    /// short help but listed by --help-hidden.
    @Test func everyFlagIsDescribedAndTuningIsHidden() throws {
        let short = try Planner.run(["solve", "--help"]).stdout
        #expect(!short.contains("--branching") && !short.contains("--cuts"))
        let hidden = try Planner.run(["solve", "--help-hidden"]).stdout
        #expect(hidden.contains("--branching") && hidden.contains("--cuts") && hidden.contains("--scaling"))
        for arguments in Self.pages where arguments != ["--help"] {
            let page = try Planner.run([arguments[0], "--help-hidden"]).stdout
            // An option line ends at its name when it has no description.
            let lines = page.split(separator: "\n", omittingEmptySubsequences: false)
            for (k, line) in lines.enumerated() where line.hasPrefix("  -") {
                let described =
                    line.contains("  ") && line.trimmingCharacters(in: .whitespaces).contains("  ")
                    || (k + 1 < lines.count && lines[k + 1].hasPrefix("                        "))
                #expect(described, "\(arguments[0]): \(line) has no description")
            }
        }
        let root = try Planner.run(["--help"]).stdout
        #expect(root.contains("DEVELOPER TOOLS SUBCOMMANDS"))
        #expect(root.range(of: "PLAN SUBCOMMANDS")!.lowerBound < root.range(of: "DEVELOPER TOOLS SUBCOMMANDS")!.lowerBound)
    }
}
