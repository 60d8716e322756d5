import Foundation
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
        let generated = try Planner.run(["generate", "--seed", "3", "--minerals", "8", "--mines", "500", "--refineries", "250",
                                         "--buyers", "60", "--mip", "-o", file.path])
        #expect(generated.status == 0)
        return file
    }

    @Test(arguments: [SIGKILL, SIGTERM])
    func workerDiesWithItsParent(_ signal: Int32) throws {
        let file = try Self.longMIP()
        let process = Process()
        process.executableURL = Planner.executable.path.isEmpty || !FileManager.default.fileExists(atPath: Planner.executable.path)
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
