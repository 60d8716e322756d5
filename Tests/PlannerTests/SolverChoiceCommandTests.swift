import Foundation
import GLPK
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

    /// `planner lp` solves a model file's independent blocks apart, as its
    /// help says (it used to take `--decompose` and solve one problem): one
    /// `solve:` line per block under -v, and the optimum of the one GLPK
    /// problem `--no-decompose` solves (the bundled LP, ten blocks, also
    /// against glpsol's translator on models/sourcing.mod; a generated
    /// two-mineral contract MIP, two blocks).
    @Test func lpSolvesAModelFilesBlocksApart() throws {
        let dir = try Planner.temporaryDirectory()
        let lp = dir.appendingPathComponent("coalition.mps").path
        #expect(try Planner.run(["export", "--to", "mps", "--output", lp]).status == 0)
        let instance = dir.appendingPathComponent("g.json").path
        #expect(
            try Planner.run([
                "generate", "--seed", "1", "--minerals", "2", "--mines", "60", "--refineries", "30", "--buyers", "10", "--mip",
                "--output", instance
            ]).status == 0)
        let mip = dir.appendingPathComponent("g.mps").path
        #expect(try Planner.run(["export", instance, "--to", "mps", "--output", mip]).status == 0)
        for (file, blocks) in [(lp, 10), (mip, 2)] {
            let apart = try Planner.run(["lp", file, "--format", "json", "-v"])
            let whole = try Planner.run(["lp", file, "--format", "json", "-v", "--no-decompose"])
            #expect(apart.status == 0 && whole.status == 0, "\(apart.stderr) \(whole.stderr)")
            func solves(_ log: String) -> Int { log.split(separator: "\n").count { $0.hasPrefix("solve: ") } }
            #expect(solves(apart.stderr) == blocks, "\(apart.stderr)")
            #expect(solves(whole.stderr) == 1, "\(whole.stderr)")
            let cost = try #require(JSONParser.parse(apart.stdoutData)["objective"]?.numberValue)
            #expect(isClose(try JSONParser.parse(whole.stdoutData)["objective"]?.numberValue, cost, relative: 1e-9), "\(file)")
        }
        let data = try Planner.run(["export", "--to", "mathprog-data"])
        let dat = dir.appendingPathComponent("coalition.dat")
        try Data(data.stdout.utf8).write(to: dat)
        let glpsol = try MathProg.solve(model: TestPaths.repository.appendingPathComponent("models/sourcing.mod").path, data: [dat.path])
        let apart = try Planner.run(["lp", lp, "--format", "json"])
        let optimum = try #require(glpsol.result.objective)
        #expect(isClose(try JSONParser.parse(apart.stdoutData)["objective"]?.numberValue, optimum, relative: 1e-9))
    }

    /// The sourcing model's own options are refused by `planner lp` (a model
    /// file is solved as written), not taken and ignored.
    @Test(arguments: [
        ["--contract-formulation", "tight"], ["--race-formulation", "arcs"], ["--search-formulation", "tight"], ["--no-rounding-start"]
    ])
    func lpRefusesSourcingOptions(_ flags: [String]) throws {
        let run = try Planner.run(["lp", "instances/small/contract-mip.json"] + flags)
        #expect(run.status == 64, "\(flags): \(run.status) \(run.stderr)")
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains(flags[0]), "\(run.stderr)")
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
