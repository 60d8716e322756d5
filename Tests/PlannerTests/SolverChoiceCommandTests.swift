import Foundation
import Sourcing
import StrictJSON
import TestSupport
import Testing

/// The solver-choice flags of `planner solve` and `planner lp` (issue 6).
@Suite struct SolverChoiceCommandTests {
    /// Every MIP choice, decomposed and monolithic, on contract-mip.json:
    /// the hand optimum of instances/small/contract-mip.md is 6 700 USD
    /// (LP relaxation 4 650).
    static let mipFlags: [[String]] = [
        ["--branching", "first"], ["--branching", "last"], ["--branching", "most"], ["--branching", "dth"],
        ["--branching", "pcost"],
        ["--backtrack", "dfs"], ["--backtrack", "bfs"], ["--backtrack", "best-projection"], ["--backtrack", "best-bound"],
        ["--mip-preprocessing", "none"], ["--mip-preprocessing", "root"],
        ["--cuts", "gomory"], ["--cuts", "mir"], ["--cuts", "cover"], ["--cuts", "clique"], ["--cuts", "all"],
        ["--cuts", "gomory,mir,clique"], ["--cuts", "none"],
        ["--heuristics", "none"], ["--heuristics", "rounding,fpump"], ["--heuristics", "proxy", "--proxy-time-limit", "2"],
        ["--heuristics", "all"],
        ["--mip-presolve"], ["--no-mip-presolve"],
        ["--scaling", "none"], ["--scaling", "geometric"], ["--scaling", "equilibrate"],
        ["--no-presolve", "--initial-basis", "standard"], ["--no-presolve", "--initial-basis", "bixby"],
        ["--relaxation-first"], ["--no-relaxation-first"]
    ]

    @Test(arguments: mipFlags, [false, true])
    func contractMIP(_ flags: [String], monolithic: Bool) throws {
        let run = try Planner.run(
            ["solve", "instances/small/contract-mip.json", "--format", "json"]
                + flags + (monolithic ? ["--no-decompose"] : []))
        #expect(run.status == 0, "\(flags): \(run.stderr)")
        #expect(try JSONParser.parse(run.stdoutData)["objective"]?.numberValue == 6700, "\(flags)")
    }

    /// LP choices on floors.json (hand optimum 51 800 USD, instances/small/floors.md).
    static let lpFlags: [[String]] = {
        var flags: [[String]] = []
        for presolve in [["--presolve"], ["--no-presolve"]] {
            for scaling in ["auto", "geometric", "equilibrate", "none"] {
                for basis in ["standard", "advanced", "bixby"] {
                    flags.append(presolve + ["--scaling", scaling, "--initial-basis", basis])
                }
            }
        }
        return flags
    }()

    @Test(arguments: lpFlags)
    func floorsLP(_ flags: [String]) throws {
        let run = try Planner.run(["solve", "instances/small/floors.json", "--format", "json"] + flags)
        #expect(run.status == 0, "\(flags): \(run.stderr)")
        #expect(try JSONParser.parse(run.stdoutData)["objective"]?.numberValue == 51_800, "\(flags)")
    }

    /// `planner lp` takes the same flags (the exported contract-mip model: 6 700).
    @Test func lpCommandTakesTheFlags() throws {
        let dir = try Planner.temporaryDirectory()
        let mps = dir.appendingPathComponent("m.mps").path
        #expect(try Planner.run(["export", "instances/small/contract-mip.json", "--to", "mps", "--output", mps]).status == 0)
        let run = try Planner.run([
            "lp", mps, "--format", "json", "--branching", "most", "--backtrack", "dfs",
            "--cuts", "all", "--heuristics", "all", "--proxy-time-limit", "1", "--mip-presolve",
            "--scaling", "equilibrate"
        ])
        #expect(run.status == 0, "\(run.stderr)")
        // Cuts may leave the last bit off: 6699.999999999999.
        #expect(isClose(try JSONParser.parse(run.stdoutData)["objective"]?.numberValue, 6700, relative: 1e-9))
    }

    /// Bad values are usage errors (exit 64, like every other bad flag of the
    /// planner) named on stderr, with nothing on stdout and no solve.
    static let badFlags: [[String]] = [
        ["--scaling", "fast"], ["--initial-basis", "crash"], ["--branching", "best"], ["--backtrack", "lifo"],
        ["--mip-preprocessing", "some"], ["--cuts", "bogus"], ["--cuts", "gomory,,mir"], ["--cuts", ""],
        ["--cuts", "all,mir"], ["--heuristics", "pump"], ["--heuristics", "rounding;proxy"],
        ["--proxy-time-limit", "-1"], ["--proxy-time-limit", "nan"], ["--proxy-time-limit", "inf"],
        ["--proxy-time-limit", "1e12"], ["--proxy-time-limit", "soon"]
    ]

    @Test(arguments: badFlags)
    func badValuesAreRefused(_ flags: [String]) throws {
        for command in [["solve", "instances/small/contract-mip.json"], ["lp", "instances/small/contract-mip.json"]] {
            let run = try Planner.run(command + flags)
            #expect(run.status == 64, "\(command) \(flags): \(run.status) \(run.stderr)")
            #expect(run.stdout.isEmpty)
            #expect(run.stderr.contains(flags[0]), "\(run.stderr)")
        }
    }
}
