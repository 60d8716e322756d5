import Foundation
import Sourcing
import StrictJSON
import TestSupport
import Testing

/// The solve worker and the limits around it (issue 14): a worker never
/// outlives its parent, and a time limit that GLPK cannot count is a usage
/// error before any solve.
@Suite(.serialized) struct ProcessSafetyTests {
    /// The children of `pid` (from /proc).
    static func children(of pid: Int32) -> [Int32] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.flatMap { task -> [Int32] in
            let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? ""
            return text.split(separator: " ").compactMap { Int32($0) }
        }
    }

    static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
        // A zombie (state Z) has ended.
        return !(stat.split(separator: ")").last?.trimmingCharacters(in: .whitespaces).hasPrefix("Z") ?? true)
    }

    /// A MIP that GLPK works on for minutes (issue 17's 36k-flow instance).
    static func longMIP() throws -> URL {
        let dir = try Planner.temporaryDirectory()
        let file = dir.appendingPathComponent("long.json")
        let generated = try Planner.run([
            "generate", "--seed", "3", "--minerals", "8", "--mines", "500", "--refineries", "250",
            "--buyers", "60", "--mip", "-o", file.path
        ])
        #expect(generated.status == 0)
        return file
    }

    @Test(arguments: [SIGKILL, SIGTERM])
    func workerDiesWithItsParent(_ signal: Int32) throws {
        let file = try Self.longMIP()
        let process = Process()
        process.executableURL =
            Planner.executable.path.isEmpty || !FileManager.default.fileExists(atPath: Planner.executable.path)
            ? TestPaths.repository.appendingPathComponent(".build/debug/planner") : Planner.executable
        process.arguments = ["solve", file.path, "--no-decompose", "--format", "json"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let parent = process.processIdentifier
        var worker: Int32?
        for _ in 0..<200 where worker == nil {
            usleep(50_000)
            worker = Self.children(of: parent).first
        }
        let child = try #require(worker, "the planner forked no worker")
        usleep(300_000)
        #expect(Self.isAlive(child))
        kill(parent, signal)
        process.waitUntilExit()
        var gone = false
        for _ in 0..<100 where !gone {
            usleep(50_000)
            gone = !Self.isAlive(child)
        }
        if !gone { kill(child, SIGKILL) }
        #expect(gone, "the worker \(child) outlived its parent by more than 5 s after signal \(signal)")
    }

    @Test(arguments: ["1e16", "0", "-1", "nan", "inf", "2000001"])
    func timeLimitOutOfRangeIsAUsageError(_ value: String) throws {
        let run = try Planner.run(["solve", "instances/small/tagging.json", "--time-limit=\(value)"])
        #expect(run.status == 64, "\(value): \(run.stderr)")
        #expect(run.stderr.contains("--time-limit"), "\(run.stderr)")
    }

    @Test func largestTimeLimitSolves() throws {
        let run = try Planner.run(["solve", "instances/small/tagging.json", "--time-limit", "2000000", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
    }

    /// One wall-clock limit per command (issue 14): a what-if solves a
    /// baseline and a scenario, each in blocks, and used to apply the limit
    /// to every block (a 1 s limit ran 8.3 s). Now the whole command stops
    /// at the limit; 5 s leaves room for start-up and the worker's grace.
    @Test func whatIfHonoursOneLimitForTheCommand() throws {
        let file = try Self.longMIP()
        let started = Date()
        let run = try Planner.run(["whatif", file.path, "--cut", "CHN:m1=50%", "--time-limit", "1"])
        let elapsed = Date().timeIntervalSince(started)
        #expect([4, 5].contains(run.status), "\(run.stderr)")
        #expect(elapsed < 5, "whatif with --time-limit 1 took \(elapsed) s")
    }
}

/// `planner lp` runs MathProg and model files in the worker that protects
/// `solve` (issue 14): a crash, a runaway translation or a model too large
/// for the memory limit ends as a clear error with exit 5 or 6.
@Suite struct LPWorkerTests {
    static func write(_ text: String, _ name: String) throws -> String {
        let url = try Planner.temporaryDirectory().appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test func deepExpressionCrashIsContained() throws {
        let depth = 200_000
        let model = try Self.write(
            "var x >= 0;\nminimize z: " + String(repeating: "(", count: depth) + "x"
                + String(repeating: ")", count: depth) + ";\nend;\n", "deep.mod")
        let run = try Planner.run(["lp", "--model", model])
        #expect(run.status == 6, "\(run.stderr)")
        #expect(run.stderr.contains("the solver process died"), "\(run.stderr)")
    }

    @Test func runawaySetStopsAtTheTimeLimit() throws {
        let model = try Self.write("set I := 1..1000000000;\nvar x{I} >= 0;\nminimize z: sum{i in I} x[i];\nend;\n", "runaway.mod")
        let run = try Planner.run(["lp", "--model", model, "--time-limit", "1"])
        #expect(run.status == 5, "\(run.stderr)")
        #expect(run.stderr.contains("time limit"), "\(run.stderr)")
    }

    @Test func modelBeyondTheMemoryLimitFails() throws {
        let model = try Self.write(
            "param n := 1e9;\nset I := 1..n;\nparam a{i in I} := i;\nvar x >= 0;\nminimize z: x + sum{i in I} a[i];\nend;\n", "memory.mod")
        let run = try Planner.run(["lp", "--model", model, "--memory-limit", "0.5"])
        #expect([5, 6].contains(run.status), "\(run.stderr)")
    }

    @Test func inputLargerThanTheLimitIsRefusedBeforeReading() throws {
        let url = try Planner.temporaryDirectory().appendingPathComponent("big.lp")
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: 1_100_000_000)  // sparse: no disk used
        try handle.close()
        let run = try Planner.run(["lp", url.path])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("exceeds the limit of 1073741824 bytes"), "\(run.stderr)")
    }

    @Test func ordinaryModelsStillSolve() throws {
        let run = try Planner.run(["lp", "--model", "models/sourcing.mod", "--data", "models/data/tagging.dat", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try JSONParser.parse(run.stdoutData)["objective"]?.numberValue == 14_900)
    }
}
