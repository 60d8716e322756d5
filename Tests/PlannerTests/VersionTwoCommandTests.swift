import Foundation
import Sourcing
import StrictJSON
import TestSupport
import Testing

/// Version 2 from the outside: `planner upgrade`, the note on reading a `/1`
/// file, v2 reports, and exit 2 with the path on bad v2 input.
@Suite struct VersionTwoCommandTests {
    static func objective(_ run: PlannerRun) throws -> Double {
        try #require(try JSONParser.parse(run.stdoutData)["objective"]?.numberValue)
    }

    /// A `/1` file solves with one note on stderr; `planner upgrade` writes
    /// the `/2` file, which solves to the same optimum with no note.
    @Test func upgradeKeepsTheOptimumAndTheNoteIsPrintedOnce() throws {
        let v1 = try Planner.run(["solve", "instances/small/floors.json", "--format", "json"])
        #expect(v1.status == 0)
        let notes = v1.stderr.split(separator: "\n").filter { $0.contains("read as sourcing-instance/1") }
        #expect(notes.count == 1, "\(v1.stderr)")
        #expect(try Self.objective(v1) == 51_800)
        let plan = try JSONParser.parse(v1.stdoutData)
        #expect(plan["instanceFormat"]?.stringValue == "sourcing-instance/1")
        #expect(plan["breakdown"]?["floorPremium"]?.numberValue == 4_000)

        let dir = try Planner.temporaryDirectory()
        let upgraded = dir.appendingPathComponent("floors-v2.json").path
        let upgrade = try Planner.run(["upgrade", "instances/small/floors.json", "-o", upgraded])
        #expect(upgrade.status == 0, "\(upgrade.stderr)")
        let text = try String(contentsOfFile: upgraded, encoding: .utf8)
        #expect(text.contains("\"format\": \"sourcing-instance/2\""))
        #expect(!text.contains("priceFloor"))
        let v2 = try Planner.run(["solve", upgraded, "--format", "json"])
        #expect(v2.status == 0)
        #expect(!v2.stderr.contains("read as sourcing-instance/1"))
        #expect(try Self.objective(v2) == 51_800)
        let plan2 = try JSONParser.parse(v2.stdoutData)
        #expect(plan2["instanceFormat"]?.stringValue == "sourcing-instance/2")
        #expect(plan2["breakdown"]?["floorPremium"]?.numberValue == 0)
        // A /2 file is written unchanged (canonical form).
        let again = try Planner.run(["upgrade", upgraded])
        #expect(again.stdout == text)
    }

    /// Bad v2 input: exit 2, the file and the path on stderr, never a crash.
    @Test(arguments: [
        (#""shortfallPenalty": [{"upTo": 0.6, "penalty": 1}, {"upTo": 0.4, "penalty": 2}]"#, "minerals[0].shortfallPenalty[1].upTo"),
        (#""shortfallPenalty": [{"upTo": 0.6, "penalty": 1}]"#, "minerals[0].shortfallPenalty[0].upTo"),
        (#""shortfallPenalty": [{"upTo": 0.6, "penalty": 3}, {"upTo": 1, "penalty": 2}]"#, "minerals[0].shortfallPenalty[1].penalty")
    ])
    func badCurvesExitTwoWithThePath(_ field: String, _ path: String) throws {
        let dir = try Planner.temporaryDirectory()
        let file = dir.appendingPathComponent("bad.json")
        let json = """
            {"format": "sourcing-instance/2",
             "minerals": [{"id": "cobalt", \(field)}],
             "countries": [{"code": "USA", "coalition": true}],
             "buyers": [{"id": "b", "country": "USA", "demand": {"cobalt": 1}}]}
            """
        try Data(json.utf8).write(to: file)
        for command in ["validate", "solve"] {
            let run = try Planner.run([command, file.path])
            #expect(run.status == 2, "\(command): \(run.stderr)")
            #expect(run.stderr.contains("\(file.path): \(path):"), "\(command): \(run.stderr)")
        }
    }

    @Test func softCapWithoutShareAndByProductWithoutHostExitTwo() throws {
        let dir = try Planner.temporaryDirectory()
        let file = dir.appendingPathComponent("bad.json")
        let json = """
            {"format": "sourcing-instance/2",
             "minerals": [{"id": "cobalt"}],
             "countries": [{"code": "USA", "coalition": true}],
             "mines": [{"id": "m", "mineral": "cobalt", "country": "USA", "capacity": 5, "price": 1, "byProduct": {"hostThroughput": 10, "ratio": 0.1}}],
             "buyers": [{"id": "b", "country": "USA", "demand": {"cobalt": 1}, "exposureCap": {"cobalt": {"penalty": 4}}}]}
            """
        try Data(json.utf8).write(to: file)
        let run = try Planner.run(["validate", file.path])
        #expect(run.status == 2)
        #expect(run.stderr.contains("mines[0].byProduct.host"), "\(run.stderr)")
        #expect(run.stderr.contains("buyers[0].exposureCap.cobalt.share"), "\(run.stderr)")
    }

    /// A v2 field in a /1 file, and a v2 scenario action on a /1 instance.
    @Test func version2InVersion1ExitsTwo() throws {
        let dir = try Planner.temporaryDirectory()
        let file = dir.appendingPathComponent("v1.json")
        let json = """
            {"format": "sourcing-instance/1",
             "minerals": [{"id": "cobalt"}],
             "countries": [{"code": "USA", "coalition": true}],
             "buyers": [{"id": "b", "country": "USA", "demand": {"cobalt": 1}, "shortfallPenalty": {"cobalt": 5}}]}
            """
        try Data(json.utf8).write(to: file)
        let run = try Planner.run(["validate", file.path])
        #expect(run.status == 2)
        #expect(run.stderr.contains("buyers[0].shortfallPenalty: unknown key"), "\(run.stderr)")

        let scenario = dir.appendingPathComponent("host.json")
        try Data(#"{"format": "sourcing-scenario/1", "changes": [{"hostThroughput": {"factor": 0.5}, "where": {}}]}"#.utf8)
            .write(to: scenario)
        let applied = try Planner.run(["apply", "instances/small/floors.json", scenario.path])
        #expect(applied.status == 2)
        #expect(applied.stderr.contains("changes[0].hostThroughput: needs a sourcing-instance/2 instance"), "\(applied.stderr)")
    }

    /// A generated v2 instance: the text report shows the v2 lines; CSV has
    /// the new columns; JSON deliveries carry landed cost and marginal price.
    @Test func version2ReportsCarryTheNewFigures() throws {
        let dir = try Planner.temporaryDirectory()
        let file = dir.appendingPathComponent("g.json").path
        #expect(
            try Planner.run([
                "generate", "--seed", "2", "--minerals", "3", "--mines", "20", "--refineries", "10",
                "--buyers", "6", "--v2", "-o", file
            ]).status == 0)
        let text = try Planner.run(["solve", file])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("floor levy (inside tariff):"))
        #expect(text.stdout.contains("cap excess"))
        #expect(text.stdout.contains("unique at the optimum: the total cost"))
        let json = try JSONParser.parse(try Planner.run(["solve", file, "--format", "json"]).stdoutData)
        let deliveries = json["deliveries"]?.arrayElements ?? []
        #expect(!deliveries.isEmpty)
        for d in deliveries where (d["delivered"]?.numberValue ?? 0) > 0 {
            #expect(d["landedCost"]?.numberValue != nil)
            #expect(d["marginalPrice"]?.numberValue != nil)
        }
        let csvDir = dir.appendingPathComponent("csv").path
        #expect(try Planner.run(["solve", file, "--format", "csv", "--output-dir", csvDir]).status == 0)
        let header = try String(contentsOfFile: csvDir + "/deliveries.csv", encoding: .utf8).split(separator: "\n").first ?? ""
        #expect(
            header
                == "buyer,mineral,demand_t,delivered_t,shortfall_t,shortfall_cost_usd,shortfall_value_usd,exposed_share,cap,cap_penalty_usd_per_t,cap_excess_t,landed_cost_usd_per_t,marginal_price_usd_per_t"
        )
    }

    /// Every `/1` instance the repository ships: `planner solve` notes once
    /// that it read version 1, and the file `planner upgrade` writes solves
    /// to the same optimum (or is infeasible as well).
    @Test func everyShippedVersion1FileKeepsItsOptimumThroughTheCommands() throws {
        let dir = try Planner.temporaryDirectory()
        let files = SolveCommandTests.smallInstances.filter { path in
            (try? String(contentsOfFile: TestPaths.repository.appendingPathComponent(path).path, encoding: .utf8))?
                .contains("\"sourcing-instance/1\"") == true
        }
        #expect(files.count >= 11)
        for path in files {
            let v1 = try Planner.run(["solve", path, "--format", "json"])
            #expect(v1.stderr.components(separatedBy: "read as sourcing-instance/1").count == 2, "\(path)")
            let out = dir.appendingPathComponent(URL(fileURLWithPath: path).lastPathComponent).path
            #expect(try Planner.run(["upgrade", path, "-o", out]).status == 0)
            let v2 = try Planner.run(["solve", out, "--format", "json"])
            #expect(v2.status == v1.status, "\(path)")
            if v1.status == 0 {
                #expect(isClose(try Self.objective(v2), try Self.objective(v1), relative: 1e-9), "\(path)")
            }
        }
    }

    /// A sweep over a `/2` instance: host cuts and curves as scenarios, warm
    /// re-solves equal to cold ones.
    @Test func sweepOnAVersion2Instance() throws {
        let dir = try Planner.temporaryDirectory()
        let file = dir.appendingPathComponent("g.json").path
        #expect(
            try Planner.run([
                "generate", "--seed", "4", "--minerals", "4", "--mines", "40", "--refineries", "16",
                "--buyers", "10", "--v2", "-o", file
            ]).status == 0)
        let scenarios = dir.appendingPathComponent("s.jsonl").path
        let lines = [
            #"{"format": "sourcing-scenario/1", "name": "zinc halved", "changes": [{"hostThroughput": {"factor": 0.5}, "where": {"host": "zinc"}}]}"#,
            #"{"format": "sourcing-scenario/1", "name": "all hosts cut", "changes": [{"hostThroughput": {"factor": 0.1}, "where": {}}]}"#,
            #"{"format": "sourcing-scenario/1", "name": "steeper curves", "changes": [{"shortfallPenalty": {"set": [{"upTo": 0.1, "penalty": 10000}, {"upTo": 1, "penalty": 900000}]}, "where": {"country": "USA", "mineral": "*"}}]}"#,
            #"{"format": "sourcing-scenario/1", "name": "hard caps", "changes": [{"exposureCap": {"set": 0.2}, "where": {"mineral": "*"}}]}"#
        ]
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: scenarios))
        let warm = dir.appendingPathComponent("warm.csv").path, cold = dir.appendingPathComponent("cold.csv").path
        let w = try Planner.run(["sweep", file, "--scenarios", scenarios, "-o", warm])
        #expect(w.status == 0, "\(w.stderr)")
        #expect(try Planner.run(["sweep", file, "--scenarios", scenarios, "-o", cold, "--no-reuse"]).status == 0)
        let a = try readCSV(URL(fileURLWithPath: warm)), b = try readCSV(URL(fileURLWithPath: cold))
        #expect(a.count == 4 && b.count == 4)
        for (x, y) in zip(a, b) {
            #expect(x["name"] == y["name"] && x["status"] == "optimal", "\(x)")
            #expect(isClose(Double(x["cost_usd"] ?? ""), Double(y["cost_usd"] ?? "") ?? .nan, relative: 1e-9), "\(x["name"] ?? "")")
        }
    }
}
