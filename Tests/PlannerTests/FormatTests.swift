import Foundation
import Sourcing
import StrictJSON
import TestSupport
import Testing

/// Every command with `--format` writes each format its report declares,
/// in that format, and refuses every other one as a usage error (64)
/// before it reads or solves anything.
@Suite struct FormatTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let command: String
        let arguments: [String]
        let formats: [ReportFormat]
        /// Whether CSV is one file per table in --output-dir (else one table on stdout).
        let csvFolder: Bool
        /// How the text report begins.
        let textOpening: String
        var testDescription: String { command }
    }

    static let cases: [Case] = [
        Case(
            command: "solve", arguments: ["solve", "instances/small/tagging.json"], formats: Plan.formats,
            csvFolder: true, textOpening: "status: optimal"),
        Case(
            command: "whatif", arguments: ["whatif", "instances/small/export-ban.json", "--cut", "AUS:graphite=50%"],
            formats: PlanComparison.formats, csvFolder: true, textOpening: "what-if: --cut AUS:graphite=50%"),
        Case(
            command: "stress", arguments: ["stress", "instances/small/shortage-shared.json", "--each", "facility", "--quiet"],
            formats: StressReport.formats, csvFolder: false, textOpening: "baseline cost: 42,000 USD"),
        Case(
            command: "frontier", arguments: ["frontier", "instances/small/tagging.json", "--mineral", "graphite", "--quiet"],
            formats: Frontier.formats, csvFolder: false, textOpening: "frontier of graphite (all buyers): 60 t demanded"),
        Case(
            command: "report",
            arguments: [
                "report", "instances/small/byproduct.json", "--scenario", "instances/small/scenarios/byproduct-host-cut.json", "--quiet"
            ],
            formats: Briefing.formats, csvFolder: false, textOpening: ""),
        Case(
            command: "lp", arguments: ["lp", "--model", "models/sourcing.mod", "--data", "models/data/tagging.dat"],
            formats: ModelReport.formats, csvFolder: false, textOpening: "status:     optimal")
    ]

    @Test(arguments: cases)
    func declaredFormatsAreWritten(_ c: Case) throws {
        for format in c.formats {
            var arguments = c.arguments + ["--format", format.rawValue]
            let folder = try Planner.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: folder) }
            if format == .csv && c.csvFolder { arguments += ["--output-dir", folder.path] }
            let run = try Planner.run(arguments)
            #expect(run.status == 0, "\(c.command) --format \(format): \(run.stderr)")
            switch format {
            case .text:
                #expect(run.stdout.trimmingCharacters(in: .whitespaces).hasPrefix(c.textOpening), "\(c.command): \(run.stdout.prefix(80))")
            case .json:
                let value = try JSONParser.parse(run.stdoutData)
                #expect(value.objectMembers != nil, "\(c.command): JSON is not an object")
            case .csv:
                let texts: [String]
                if c.csvFolder {
                    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
                    #expect(!files.isEmpty && files.allSatisfy { $0.hasSuffix(".csv") }, "\(c.command): \(files)")
                    texts = try files.map { try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }
                    #expect(run.stdout.isEmpty)
                } else {
                    texts = [run.stdout]
                }
                for text in texts {
                    // A header line of comma-separated names, then rows with as many fields.
                    let lines = text.split(separator: "\n")
                    let header = try #require(lines.first).split(separator: ",", omittingEmptySubsequences: false)
                    #expect(header.allSatisfy { !$0.isEmpty && !$0.contains(" ") }, "\(c.command): \(header)")
                }
            case .html:
                #expect(run.stdout.hasPrefix("<!DOCTYPE html>"), "\(c.command): \(run.stdout.prefix(80))")
            }
        }
    }

    @Test(arguments: cases)
    func undeclaredFormatsAreUsageErrors(_ c: Case) throws {
        let undeclared = ReportFormat.allCases.filter { !c.formats.contains($0) }.map(\.rawValue) + ["xml"]
        for format in undeclared {
            // A missing instance too: the format is refused before any file is read.
            let arguments = c.arguments.map { $0.hasPrefix("instances/") ? "no-such-file.json" : $0 } + ["--format", format]
            let run = try Planner.run(arguments)
            #expect(run.status == 64, "\(c.command) --format \(format): \(run.status) \(run.stderr)")
            #expect(run.stdout.isEmpty)
            #expect(run.stderr.contains("'\(format)' is invalid for '--format"), "\(run.stderr)")
        }
    }

    /// The sweep writes CSV or JSON Lines and nothing else.
    @Test func sweepFormats() throws {
        let folder = try Planner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try Planner.run([
            "sweep", "instances/small/byproduct.json", "--scenarios", "instances/small/scenarios",
            "-o", folder.appendingPathComponent("rows.txt").path, "--format", "html", "--quiet"
        ])
        #expect(run.status == 64, "\(run.stderr)")
        for format in ["csv", "jsonl"] {
            let output = folder.appendingPathComponent("rows-\(format).txt")
            let done = try Planner.run([
                "sweep", "instances/small/byproduct.json", "--scenarios", "instances/small/scenarios",
                "-o", output.path, "--format", format, "--quiet"
            ])
            #expect(done.status == 0, "\(done.stderr)")
            let text = try String(contentsOf: output, encoding: .utf8)
            if format == "csv" {
                #expect(text.hasPrefix("index,name,status,cost_usd,shortfall_value_usd,detail,fingerprint\n"))
            } else {
                let first = try #require(text.split(separator: "\n").first)
                #expect(try JSONParser.parse(Data(first.utf8)).objectMembers != nil)
            }
            #expect(text.contains("58500"), "the host cut costs 58 500 (byproduct.md)")
            // The summary on stdout: the rows by status and the costliest scenario.
            #expect(done.stdout.hasPrefix("sweep: 1 scenario in \(output.path) (1 optimal)"), "\(done.stdout)")
            #expect(done.stdout.contains("\nhighest cost: byproduct-host-cut 58,500 USD\n"), "\(done.stdout)")
        }
    }
}
