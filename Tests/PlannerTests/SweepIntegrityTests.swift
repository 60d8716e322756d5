import Foundation
import Sourcing
import StrictJSON
import TestSupport
import Testing

/// Sweeps that cannot mix, lose or duplicate rows (issue 14).
@Suite(.serialized) struct SweepIntegrityTests {
    /// `count` scenarios as JSON Lines (capacity cuts of China's facilities, by 1% steps).
    static func scenarios(_ count: Int, in dir: URL, name: (Int) -> String = { "cut \($0)" }) throws -> URL {
        let url = dir.appendingPathComponent("s.jsonl")
        let lines = (0..<count).map { i -> String in
            let scenario = Scenario(
                name: name(i), changes: [.capacity(.factor(1 - Double(i % 90) / 100), where: FacilitySelector(country: "CHN"))])
            return String(decoding: JSONWriter.encode(ScenarioEncoder.jsonValue(scenario), style: .compact), as: UTF8.self)
        }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
        return url
    }

    static func bytes(_ url: URL) throws -> Data { try Data(contentsOf: url) }

    /// The same sweep with 1 and 2 threads, in 3 shards merged, and killed
    /// then resumed: byte-identical files.
    @Test func sameRowsWhateverTheRun() throws {
        let dir = try Planner.temporaryDirectory()
        let list = try Self.scenarios(120, in: dir)
        let instance = "instances/coalition-2026.json"
        let one = dir.appendingPathComponent("one.csv"), two = dir.appendingPathComponent("two.csv")
        #expect(try Planner.run(["sweep", instance, "--scenarios", list.path, "-o", one.path, "--threads", "1"]).status == 0)
        #expect(try Planner.run(["sweep", instance, "--scenarios", list.path, "-o", two.path, "--threads", "2"]).status == 0)
        #expect(try Self.bytes(one) == Self.bytes(two))
        var parts: [String] = []
        for shard in 1...3 {
            let part = dir.appendingPathComponent("part\(shard).csv").path
            #expect(try Planner.run(["sweep", instance, "--scenarios", list.path, "-o", part, "--shard", "\(shard)/3"]).status == 0)
            parts.append(part)
        }
        let merged = dir.appendingPathComponent("merged.csv")
        #expect(try Planner.run(["sweep-merge", "-o", merged.path] + parts).status == 0)
        #expect(try Self.bytes(merged) == Self.bytes(one))

        // Kill a sweep part-way (SIGKILL), then resume it.
        let killed = dir.appendingPathComponent("killed.csv")
        let process = Process()
        process.executableURL =
            FileManager.default.fileExists(atPath: Planner.executable.path)
            ? Planner.executable : TestPaths.repository.appendingPathComponent(".build/debug/planner")
        process.arguments = ["sweep", instance, "--scenarios", list.path, "-o", killed.path, "--threads", "1"]
        process.currentDirectoryURL = TestPaths.repository
        process.standardError = FileHandle.nullDevice
        try process.run()
        var rows = 0
        for _ in 0..<400 where rows < 10 {
            usleep(25_000)
            rows = ((try? String(contentsOf: killed, encoding: .utf8)) ?? "").split(separator: "\n").count - 1
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let partial = try String(contentsOf: killed, encoding: .utf8).split(separator: "\n").count - 1
        #expect(partial >= 1 && partial < 120, "killed after \(partial) rows")
        let resumed = try Planner.run(["sweep", instance, "--scenarios", list.path, "-o", killed.path, "--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try Self.bytes(killed) == Self.bytes(one))
    }

    /// Resuming with another scenario list, instance or options is refused
    /// and leaves the file untouched.
    @Test func resumeRefusesAnotherSweep() throws {
        let dir = try Planner.temporaryDirectory()
        let list = try Self.scenarios(4, in: dir)
        let output = dir.appendingPathComponent("out.csv")
        #expect(try Planner.run(["sweep", "instances/small/tagging.json", "--scenarios", list.path, "-o", output.path]).status == 0)
        let before = try Self.bytes(output)
        let other = try Self.scenarios(5, in: try Planner.temporaryDirectory())
        for arguments in [
            ["instances/small/tagging.json", "--scenarios", other.path],
            ["instances/small/export-ban.json", "--scenarios", list.path],
            ["instances/small/tagging.json", "--scenarios", list.path, "--timings"]
        ] {
            let run = try Planner.run(["sweep"] + arguments + ["-o", output.path, "--resume"])
            #expect(run.status == 2, "\(arguments): \(run.stderr)")
            #expect(try Self.bytes(output) == before)
        }
        // The same sweep resumes (nothing left to do) and changes nothing.
        #expect(
            try Planner.run(["sweep", "instances/small/tagging.json", "--scenarios", list.path, "-o", output.path, "--resume"]).status == 0)
        #expect(try Self.bytes(output) == before)
    }

    /// A name with a line break and quotes survives a resume (rows are parsed, not split by lines).
    @Test func namesWithLineBreaksSurviveResume() throws {
        let dir = try Planner.temporaryDirectory()
        let list = try Self.scenarios(8, in: dir) { "cut \($0)\nsecond line, \"quoted\"" }
        let full = dir.appendingPathComponent("full.csv"), part = dir.appendingPathComponent("part.csv")
        #expect(try Planner.run(["sweep", "instances/small/tagging.json", "--scenarios", list.path, "-o", full.path]).status == 0)
        // A copy with only its first three records, then resumed.
        let text = try String(contentsOf: full, encoding: .utf8)
        let table = try CSVRows.parse(text)
        #expect(table.count == 8)
        var records = 0, cut = text.startIndex
        var inQuotes = false
        for index in text.indices {
            if text[index] == "\"" { inQuotes.toggle() }
            if text[index] == "\n" && !inQuotes {
                records += 1
                if records == 4 { cut = text.index(after: index); break }
            }
        }
        try Data(text[..<cut].utf8).write(to: part)
        #expect(
            try Planner.run(["sweep", "instances/small/tagging.json", "--scenarios", list.path, "-o", part.path, "--resume"]).status == 0)
        #expect(try Self.bytes(part) == Self.bytes(full))
    }

    @Test func aSecondWriterIsRefused() throws {
        let dir = try Planner.temporaryDirectory()
        let list = try Self.scenarios(200, in: dir)
        let output = dir.appendingPathComponent("out.csv")
        let process = Process()
        process.executableURL =
            FileManager.default.fileExists(atPath: Planner.executable.path)
            ? Planner.executable : TestPaths.repository.appendingPathComponent(".build/debug/planner")
        process.arguments = ["sweep", "instances/coalition-2026.json", "--scenarios", list.path, "-o", output.path, "--threads", "1"]
        process.currentDirectoryURL = TestPaths.repository
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) }; process.waitUntilExit() }
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: output.path) { usleep(20_000) }
        usleep(200_000)
        let second = try Planner.run(["sweep", "instances/coalition-2026.json", "--scenarios", list.path, "-o", output.path, "--resume"])
        #expect(second.status == 2, "\(second.stderr)")
        #expect(second.stderr.contains("another sweep is writing it"), "\(second.stderr)")
    }

    /// An invalid scenario becomes a row with its reason, the sweep goes on
    /// and exits 8; an existing output is not replaced without --force.
    @Test func invalidRowsAndForce() throws {
        let dir = try Planner.temporaryDirectory()
        let list = dir.appendingPathComponent("s.jsonl")
        let good =
            #"{"format": "sourcing-scenario/1", "name": "half", "changes": [{"capacity": {"factor": 0.5}, "where": {"country": "CHN"}}]}"#
        let bad =
            #"{"format": "sourcing-scenario/1", "name": "nowhere", "changes": [{"capacity": {"factor": 0.5}, "where": {"country": "XXX"}}]}"#
        try Data([good, bad, good].joined(separator: "\n").utf8).write(to: list)
        let output = dir.appendingPathComponent("out.csv")
        let run = try Planner.run(["sweep", "instances/small/tagging.json", "--scenarios", list.path, "-o", output.path])
        #expect(run.status == 8, "\(run.stderr)")
        let rows = try CSVRows.parse(try String(contentsOf: output, encoding: .utf8))
        #expect(rows.map { $0["status"] } == ["optimal", "invalid", "optimal"])
        #expect(rows[1]["detail"]?.contains("where.country") == true)
        #expect(try Planner.run(["sweep", "instances/small/tagging.json", "--scenarios", list.path, "-o", output.path]).status == 2)
        #expect(
            try Planner.run(["sweep", "instances/small/tagging.json", "--scenarios", list.path, "-o", output.path, "--force"]).status == 8)
    }

    @Test func mergeRefusesMissingAndOverlappingShards() throws {
        let dir = try Planner.temporaryDirectory()
        let list = try Self.scenarios(6, in: dir)
        var parts: [String] = []
        for shard in 1...2 {
            let part = dir.appendingPathComponent("p\(shard).csv").path
            #expect(
                try Planner.run(["sweep", "instances/small/tagging.json", "--scenarios", list.path, "-o", part, "--shard", "\(shard)/2"])
                    .status == 0)
            parts.append(part)
        }
        let merged = dir.appendingPathComponent("m.csv").path
        #expect(try Planner.run(["sweep-merge", "-o", merged, parts[0]]).status == 2)
        #expect(try Planner.run(["sweep-merge", "-o", merged, parts[0], "--partial"]).status == 0)
        #expect(try Planner.run(["sweep-merge", "-o", merged, parts[0], parts[0], parts[1]]).status == 2)
        #expect(try Planner.run(["sweep-merge", "-o", merged] + parts).status == 0)
    }
}

/// RFC 4180 rows for the tests (quoted fields with commas, quotes, line breaks).
enum CSVRows {
    static func parse(_ text: String) throws -> [[String: String]] {
        var records: [[String]] = [], record: [String] = [], field = "", quoted = false
        var chars = Array(text), i = 0
        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < chars.count && chars[i + 1] == "\"" { field.append("\""); i += 1 } else { quoted = false }
                } else {
                    field.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                record.append(field); field = ""
            } else if c == "\n" {
                record.append(field); field = ""; records.append(record); record = []
            } else {
                field.append(c)
            }
            i += 1
        }
        chars = []
        guard let header = records.first else { return [] }
        return records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0).map { ($0, $1) }) }
    }
}
