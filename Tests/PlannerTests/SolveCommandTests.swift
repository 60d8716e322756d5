import Foundation
import GLPK
import LinearModel
import Sourcing
import StrictJSON
import Synchronization
import TestSupport
import Testing

/// `planner solve`, `validate`, `export` and `lp` from the outside.
@Suite struct SolveCommandTests {
    static let smallInstances: [String] = {
        let dir = TestPaths.repository.appendingPathComponent("instances/small")
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [])
            .filter { $0.hasSuffix(".json") }.sorted().map { "instances/small/" + $0 } + ["instances/coalition-2026.json"]
    }()

    /// Every instance in `instances/`: the planner's optimum equals the one
    /// glpsol's translator reaches on models/sourcing.mod with the exported
    /// data (solved in-process through MathProg), within 1e-6 relative.
    @Test(arguments: smallInstances)
    func crossCheckWithMathProg(_ path: String) throws {
        let solve = try Planner.run(["solve", path, "--format", "json"])
        let data = try Planner.run(["export", path, "--to", "mathprog-data"])
        #expect(data.status == 0, "\(data.stderr)")
        let dat = try Planner.temporaryDirectory().appendingPathComponent("data.dat")
        try Data(data.stdout.utf8).write(to: dat)
        let run = try MathProg.solve(
            model: TestPaths.repository.appendingPathComponent("models/sourcing.mod").path,
            data: [dat.path])
        let plan = try JSONParser.parse(solve.stdoutData)
        if solve.status == 0 {
            #expect(run.result.termination.reason == .optimal)
            let objective = try #require(plan["objective"]?.numberValue)
            #expect(isClose(run.result.objective, objective, relative: 1e-6), "\(path)")
        } else {
            #expect(solve.status == 3)
            #expect(run.result.termination.reason == .infeasible)
        }
    }

    @Test func exitCodesAndExplanation() throws {
        let ok = try Planner.run(["solve", "instances/small/tagging.json"])
        #expect(ok.status == 0)
        #expect(ok.stdout.hasPrefix("status: optimal (the cheapest plan that meets every rule)\n"))
        #expect(ok.stdout.contains("\ntotal cost: 14,900 USD\n"), "\(ok.stdout)")
        let infeasible = try Planner.run(["solve", "instances/small/infeasible.json", "--format", "json"])
        #expect(infeasible.status == 3)
        let plan = try JSONParser.parse(infeasible.stdoutData)
        #expect(plan["status"]?.stringValue == "infeasible")
        // instances/small/infeasible.md: step 1 62.5 t (us-buyer graphite), step 2 share 0.70.
        #expect(plan["explanation"]?["totalShortfall"]?.numberValue == 62.5)
        let needs = plan["explanation"]?["capNeeds"]?.arrayElements ?? []
        #expect(needs.count == 1 && needs.first?["needed"]?.numberValue.map { isClose($0, 0.7) } == true)
        let capacity = try Planner.run(["solve", "instances/small/infeasible-capacity.json", "--format", "json"])
        #expect(capacity.status == 3)
        let explanation = try JSONParser.parse(capacity.stdoutData)["explanation"]
        #expect(explanation?["totalShortfall"]?.numberValue == 10)
        #expect(explanation?["capsAloneRestoreFeasibility"]?.boolValue == false)
        // Usage errors are 64; invalid files 2.
        #expect(try Planner.run(["solve", "--format", "xml"]).status == 64)
        #expect(try Planner.run(["solve", "/no/such/file.json"]).status == 2)
    }

    @Test func invalidInstanceNamesFileAndPath() throws {
        let dir = try Planner.temporaryDirectory()
        let file = dir.appendingPathComponent("bad.json")
        try Data(
            #"{"format": "sourcing-instance/1", "minerals": [{"id": "co"}], "countries": [{"code": "USA", "coalition": true}], "mines": [{"id": "m", "mineral": "co", "country": "USA", "capacity": -5, "price": 1}]}"#
                .utf8
        ).write(to: file)
        for command in [["solve"], ["validate"], ["export", "--to", "mathprog-data"]] {
            let run = try Planner.run(command + [file.path])
            #expect(run.status == 2)
            #expect(run.stderr.contains("bad.json") && run.stderr.contains("mines[0].capacity"), "\(run.stderr)")
            #expect(run.stdout.isEmpty)
        }
    }

    /// Solving twice gives byte-identical JSON and CSV.
    @Test func deterministicOutput() throws {
        for path in ["instances/small/supplier-limit.json", "instances/small/tagging.json"] {
            let a = try Planner.run(["solve", path, "--format", "json"])
            let b = try Planner.run(["solve", path, "--format", "json"])
            #expect(a.stdoutData == b.stdoutData && !a.stdoutData.isEmpty)
            let d1 = try Planner.temporaryDirectory(), d2 = try Planner.temporaryDirectory()
            #expect(try Planner.run(["solve", path, "--format", "csv", "--output-dir", d1.path]).status == 0)
            #expect(try Planner.run(["solve", path, "--format", "csv", "--output-dir", d2.path]).status == 0)
            let files = try FileManager.default.contentsOfDirectory(atPath: d1.path).sorted()
            #expect(files.contains("product_flows.csv") && files.contains("summary.csv"))
            for name in files {
                #expect(try Data(contentsOf: d1.appendingPathComponent(name)) == Data(contentsOf: d2.appendingPathComponent(name)))
            }
        }
    }

    /// Stdout carries only the plan, even with GLPK talking (-v).
    @Test func jsonParsesWhileVerbose() throws {
        let run = try Planner.run(["solve", "instances/small/contract-mip.json", "--format", "json", "-v"])
        #expect(run.status == 0)
        #expect(!run.stderr.isEmpty)  // the solver log went to stderr
        let plan = try JSONParser.parse(run.stdoutData)
        #expect(plan["objective"]?.numberValue == 6700)
        // The phases of the benchmark suite, each timed apart, in order.
        let phases = try #require(run.stderr.split(separator: "\n").last { $0.hasPrefix("planner: ") && $0.contains("non-zeros;") })
        let names = phases.split(separator: ";")[1].split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces).split(separator: " ")[0]
        }
        #expect(names == ["decode", "validate", "presolve", "build", "solve", "extract", "write"])
        // contract-mip.md: everything is in the USA (chinaExposure 0), so the
        // presolve drops the exposed tag of the one ore arc (mine-e -> ref-e)
        // and of the three feed-none sources' product arcs: 4 variables.
        #expect(run.stderr.contains("domain presolve left out 4 variables"))
        #expect(run.stderr.contains("tags: mines 1, refineries 3, caps 0"))
    }

    /// --output writes atomically; on error nothing is left behind.
    @Test func outputFileIsAtomic() throws {
        let dir = try Planner.temporaryDirectory()
        let target = dir.appendingPathComponent("plan.json")
        #expect(try Planner.run(["solve", "instances/small/floors.json", "--format", "json", "--output", target.path]).status == 0)
        #expect(try JSONParser.parse(Data(contentsOf: target))["objective"]?.numberValue == 51_800)
        // A crashed worker (test hook) leaves no output and exits 6.
        let crashed = dir.appendingPathComponent("crashed.json")
        let crash = try Planner.run(
            ["solve", "instances/small/floors.json", "--format", "json", "--output", crashed.path],
            environment: ["PLANNER_TEST_WORKER_CRASH": "1"])
        #expect(crash.status == 6)
        #expect(!FileManager.default.fileExists(atPath: crashed.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["plan.json"])
        // An output that cannot be written (the path is a directory; a folder
        // that does not exist) exits 1 naming the path and the system's
        // reason, and leaves no temporary file behind.
        let folder = dir.appendingPathComponent("folder.json")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        let intoFolder = try Planner.run(["solve", "instances/small/floors.json", "--output", folder.path])
        #expect(intoFolder.status == 1)
        #expect(intoFolder.stderr.contains("\(folder.path): cannot be written: Is a directory"))
        let missing = dir.appendingPathComponent("no/such/plan.json")
        let intoNothing = try Planner.run(["export", "instances/small/floors.json", "--to", "mps", "--output", missing.path])
        #expect(intoNothing.status != 0)
        #expect(intoNothing.stderr.contains("\(missing.path)"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["folder.json", "plan.json"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    /// --output through a symbolic link replaces the link's target and keeps
    /// the link; to a named pipe (like /dev/stdout, a pipe or terminal) the
    /// plan is written in place and the pipe stays a pipe. Renaming a
    /// temporary file over either would have replaced it with a plain file.
    @Test func outputsThroughLinksAndPipesStayInPlace() throws {
        let dir = try Planner.temporaryDirectory()
        let real = dir.appendingPathComponent("real.json"), link = dir.appendingPathComponent("link.json")
        try Data("old".utf8).write(to: real)
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "real.json")
        #expect(try Planner.run(["solve", "instances/small/floors.json", "--format", "json", "--output", link.path]).status == 0)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == "real.json")
        #expect(try JSONParser.parse(Data(contentsOf: real))["objective"]?.numberValue == 51_800)
        let fifo = dir.appendingPathComponent("plan.fifo")
        #expect(mkfifo(fifo.path, 0o644) == 0)
        let received = Mutex<Data?>(nil)
        let reader = Thread {
            // open blocks until the planner opens the pipe for writing.
            let descriptor = open(fifo.path, O_RDONLY)
            var data = Data(), chunk = [UInt8](repeating: 0, count: 4096)
            while descriptor >= 0 {
                let count = read(descriptor, &chunk, chunk.count)
                if count <= 0 { break }
                data.append(contentsOf: chunk[0..<count])
            }
            if descriptor >= 0 { close(descriptor) }
            received.withLock { $0 = data }
        }
        reader.start()
        #expect(try Planner.run(["solve", "instances/small/floors.json", "--format", "json", "--output", fifo.path]).status == 0)
        var waited = 0
        while received.withLock({ $0 }) == nil && waited < 100 { usleep(50_000); waited += 1 }
        let plan = try #require(received.withLock { $0 })
        #expect(try JSONParser.parse(plan)["objective"]?.numberValue == 51_800)
        var status = stat()
        #expect(stat(fifo.path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFIFO)
    }

    /// The worker hands its report back through a pipe: a plan larger than
    /// the pipe's 64 KiB buffer arrives whole, byte for byte what the same
    /// solve writes in-process (no pipe), and the JSON objective agrees
    /// with the text report's.
    @Test func largeReportsCrossThePipeWhole() throws {
        let dir = try Planner.temporaryDirectory()
        let instance = dir.appendingPathComponent("generated.json").path
        #expect(
            try Planner.run([
                "generate", "--seed", "3", "--minerals", "4", "--mines", "120", "--refineries", "60",
                "--buyers", "30", "--output", instance
            ]).status == 0)
        let forked = try Planner.run(["solve", instance, "--format", "json"])
        let inProcess = try Planner.run(["solve", instance, "--format", "json", "--in-process"])
        #expect(forked.status == 0 && inProcess.status == 0)
        #expect(forked.stdoutData.count > 65_536)
        #expect(forked.stdoutData == inProcess.stdoutData)
        let objective = try #require(try JSONParser.parse(forked.stdoutData)["objective"]?.numberValue)
        // The same solve as a CSV summary, through the pipe as several files.
        let tables = dir.appendingPathComponent("tables")
        #expect(try Planner.run(["solve", instance, "--format", "csv", "--output-dir", tables.path]).status == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: tables.path).sorted()
        #expect(
            files == [
                "deliveries.csv", "delivery_countries.csv", "delivery_mining_countries.csv", "delivery_risk.csv",
                "facilities.csv", "mineral_countries.csv", "minerals.csv", "ore_flows.csv",
                "product_flows.csv", "shadow_prices.csv", "summary.csv"
            ])
        let summary = try String(contentsOf: tables.appendingPathComponent("summary.csv"), encoding: .utf8)
        #expect(summary.contains(JSONWriter.format(objective)) || summary.contains(formatNumber(objective)))
    }

    /// The time limit is a hard wall-clock limit: a worker that hangs is
    /// stopped (test hook: it stalls for 60 s) and the command exits 5.
    @Test func hardTimeLimit() throws {
        let start = Date()
        let run = try Planner.run(
            ["solve", "instances/small/floors.json", "--time-limit", "0.5"],
            environment: ["PLANNER_TEST_WORKER_STALL": "60"])
        #expect(run.status == 5)
        #expect(Date().timeIntervalSince(start) < 10)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("time limit"))
    }

    /// Started with SIGCHLD ignored (`trap '' CHLD`), the planner still sees
    /// its worker's exit code: infeasible.md is infeasible (exit 3), and a
    /// time-limited solve of floors.md ends optimal (51,800 USD), not stopped.
    @Test func workerExitSeenWithSIGCHLDIgnored() throws {
        let infeasible = try Planner.run(["solve", "instances/small/infeasible.json"], shell: "trap '' CHLD")
        #expect(infeasible.status == 3)
        let limited = try Planner.run(
            ["solve", "instances/small/floors.json", "--format", "json", "--time-limit", "30"],
            shell: "trap '' CHLD")
        #expect(limited.status == 0)
        #expect(try JSONParser.parse(limited.stdoutData)["objective"]?.numberValue == 51_800)
    }

    @Test func exportWritesSolvableModels() throws {
        let dir = try Planner.temporaryDirectory()
        for (to, name) in [("mps", "m.mps"), ("lp", "m.lp"), ("free-mps", "m.fmps"), ("glpk", "m.glpk")] {
            let path = dir.appendingPathComponent(name).path
            #expect(try Planner.run(["export", "instances/small/contract-mip.json", "--to", to, "--output", path]).status == 0)
            let lp = try Planner.run(["lp", path, "--format", "json"])
            #expect(lp.status == 0)
            #expect(try JSONParser.parse(lp.stdoutData)["objective"]?.numberValue == 6700)
        }
    }

    @Test func validateReportsSizes() throws {
        let run = try Planner.run(["validate", "instances/small/tagging.json"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("valid sourcing-instance/1"))
    }

    /// `planner lp` on the test sets: the exit codes of the spec.
    @Test(.enabled(if: TestPaths.has("testsets"), "../shared/testsets is absent"))
    func lpExitCodes() throws {
        let dir = try #require(TestPaths.sharedFolder("testsets"))
        let afiro = try Planner.run(["lp", dir.appendingPathComponent("netlib/afiro.mps.gz").path, "--format", "json"])
        #expect(afiro.status == 0)
        #expect(isClose(try JSONParser.parse(afiro.stdoutData)["objective"]?.numberValue, -464.7531428571, relative: 1e-9))
        #expect(try Planner.run(["lp", dir.appendingPathComponent("infeasible/box1.mps.gz").path]).status == 3)
        let unbounded = try readCSV(dir.appendingPathComponent("infeasible/expected.csv")).first { $0["expected"] == "unbounded" }
        if let name = unbounded?["name"] {
            #expect(try Planner.run(["lp", dir.appendingPathComponent("infeasible/\(name).mps.gz").path]).status == 7)
        }
        let gt2 = try Planner.run(["lp", dir.appendingPathComponent("miplib/gt2.mps.gz").path, "--time-limit", "60"])
        #expect(gt2.status == 0)
    }
}
