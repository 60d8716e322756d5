import Foundation
import Sourcing
import StrictJSON
import TestSupport
import Testing

/// Nothing lost silently (issue 14): every write is checked, a command whose
/// output cannot be written exits 1 with the reason, and a sweep never
/// leaves a torn row, mixes inputs and outputs, or reads a scenario file as
/// lines.
@Suite(.serialized) struct OutputIntegrityTests {
    /// Mounts a tmpfs of `size` at a fresh folder; nil (with a note) where
    /// mounting is not allowed (not root).
    static func mountTmpfs(size: String, readOnly: Bool = false) throws -> URL? {
        let dir = try Planner.temporaryDirectory()
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=\(size)" + (readOnly ? ",ro" : ""), "tmpfs", dir.path]
        mount.standardError = FileHandle.nullDevice
        try mount.run()
        mount.waitUntilExit()
        guard mount.terminationStatus == 0 else {
            FileHandle.standardError.write(Data("note: cannot mount a tmpfs (not root?): the full-disk tests are skipped\n".utf8))
            return nil
        }
        return dir
    }

    static func unmount(_ dir: URL) {
        let umount = Process()
        umount.executableURL = URL(fileURLWithPath: "/bin/umount")
        umount.arguments = [dir.path]
        try? umount.run()
        umount.waitUntilExit()
    }

    @Test(arguments: [
        ["solve", "instances/small/tagging.json"], ["solve", "instances/small/tagging.json", "--format", "json"],
        ["validate", "instances/small/tagging.json"], ["generate", "--seed", "1"],
        ["export", "instances/small/tagging.json", "--to", "mathprog-data"], ["upgrade", "instances/small/floors.json"],
        ["whatif", "instances/small/tagging.json", "--cut", "CHN:graphite=50%"],
        ["stress", "instances/small/tagging.json", "--each", "country"],
        ["frontier", "instances/small/tagging.json", "--mineral", "graphite"],
        ["lp", "--model", "models/sourcing.mod", "--data", "models/data/tagging.dat"]
    ])
    func fullStandardOutputExitsOne(_ arguments: [String]) throws {
        let run = try Planner.run(arguments, shell: "exec >/dev/full")
        #expect(run.status == 1, "\(arguments): \(run.stderr)")
        #expect(run.stderr.contains("cannot be written: No space left on device"), "\(run.stderr)")
    }

    @Test func closedStandardOutputExitsOne() throws {
        let run = try Planner.run(["solve", "instances/small/tagging.json"], shell: "exec >&-")
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("standard output: cannot be written"), "\(run.stderr)")
    }

    @Test func unwritableModelFilesExitOne() throws {
        #expect(try Planner.run(["export", "instances/small/tagging.json", "--to", "mps", "-o", "/nonexistent/x.mps"]).status == 1)
        #expect(
            try Planner.run([
                "lp", "--model", "models/sourcing.mod", "--data", "models/data/tagging.dat",
                "--output", "/nonexistent/x.txt"
            ]).status == 1)
    }

    /// A dangling symbolic link given to -o stays a link; the file it names is written.
    @Test func danglingLinkStaysALink() throws {
        let dir = try Planner.temporaryDirectory()
        let link = dir.appendingPathComponent("plan.json").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real.json")
        let run = try Planner.run(["solve", "instances/small/tagging.json", "--format", "json", "-o", link])
        #expect(run.status == 0, "\(run.stderr)")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == "real.json")
        let written = try Data(contentsOf: dir.appendingPathComponent("real.json"))
        #expect(try JSONParser.parse(written)["objective"]?.numberValue == 14_900)
    }

    @Test func readOnlyOutputFolderIsAClearError() throws {
        guard let dir = try Self.mountTmpfs(size: "64k", readOnly: true) else { return }
        defer { Self.unmount(dir) }
        let run = try Planner.run([
            "whatif", "instances/small/tagging.json", "--cut", "CHN:graphite=50%", "--format", "csv",
            "--output-dir", dir.appendingPathComponent("out").path
        ])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("cannot be written: Read-only file system"), "\(run.stderr)")
        #expect(!run.stderr.contains("CocoaError"))
    }

    /// A sweep on a disk too small for its output exits 1 and leaves only
    /// complete rows (the failed write is cut back).
    @Test func sweepOnAFullDiskExitsOneWithCompleteRows() throws {
        guard let dir = try Self.mountTmpfs(size: "4k") else { return }
        defer { Self.unmount(dir) }
        let scenarios = try Planner.temporaryDirectory().appendingPathComponent("many.jsonl")
        let lines = (0..<300).map { i in
            #"{"format": "sourcing-scenario/1", "name": "cut \#(i) with a long name to fill a small disk quickly and quickly", "changes": [{"capacity": {"factor": 0.\#(100 + i)}, "where": {"country": "CHN"}}]}"#
        }
        try Data(lines.joined(separator: "\n").utf8).write(to: scenarios)
        let output = dir.appendingPathComponent("out.csv")
        let run = try Planner.run(["sweep", "instances/small/tagging.json", "--scenarios", scenarios.path, "-o", output.path])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("No space left on device"), "\(run.stderr)")
        let text = try String(contentsOf: output, encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        let rows = try readCSV(output)
        #expect(rows.count > 5 && rows.count < 300)
        #expect(rows.allSatisfy { $0["status"] == "optimal" && Double($0["cost_usd"] ?? "") != nil })
    }

    @Test func sweepRefusesToOverwriteItsInput() throws {
        let dir = try Planner.temporaryDirectory()
        let scenarios = dir.appendingPathComponent("s.jsonl")
        let line =
            #"{"format": "sourcing-scenario/1", "name": "half", "changes": [{"capacity": {"factor": 0.5}, "where": {"country": "CHN"}}]}"#
        try Data((line + "\n").utf8).write(to: scenarios)
        let run = try Planner.run(["sweep", "instances/small/tagging.json", "--scenarios", scenarios.path, "-o", scenarios.path])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(try String(contentsOf: scenarios, encoding: .utf8) == line + "\n")
    }

    /// `--scenarios FILE.json` is one scenario, not lines of JSON.
    @Test func singleScenarioFileIsOneScenario() throws {
        let dir = try Planner.temporaryDirectory()
        let output = dir.appendingPathComponent("out.csv")
        let run = try Planner.run([
            "sweep", "instances/coalition-2026.json", "--scenarios",
            "instances/scenarios/gallium-germanium-ban.json", "-o", output.path
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = try readCSV(output)
        #expect(rows.count == 1)
        #expect(rows.first?["status"] == "optimal")
    }
}
