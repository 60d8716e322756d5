import Foundation
import Sourcing
import StrictJSON
import TestSupport
import Testing

/// what-if commands on a hand-solved instance and on the scenario files.
@Suite struct WhatIfTests {
    /// One buyer (USA) wants 10 t of graphite; two sources need no ore:
    /// AUS at 100 USD/t (10 t) and CAN at 150 USD/t (20 t); shortfall costs
    /// 1,000 USD/t. By hand: the baseline buys 10 t from AUS, 1,000 USD.
    /// Cutting AUS moves the 10 t to CAN: 1,500 USD (+500). Cutting CAN
    /// changes nothing. Cutting both leaves 10 t short: 10,000 USD.
    static let instance = """
        {"format": "sourcing-instance/1",
         "minerals": [{"id": "graphite", "shortfallPenalty": 1000}],
         "countries": [{"code": "AUS", "coalition": true}, {"code": "CAN", "coalition": true}, {"code": "USA", "coalition": true}],
         "refineries": [{"id": "aus", "mineral": "graphite", "country": "AUS", "capacity": 10, "fee": 100, "feed": "none"},
                        {"id": "can", "mineral": "graphite", "country": "CAN", "capacity": 20, "fee": 150, "feed": "none"}],
         "buyers": [{"id": "oem", "country": "USA", "demand": {"graphite": 10}}]}
        """

    func write() throws -> URL {
        let url = try Planner.temporaryDirectory().appendingPathComponent("two-sources.json")
        try Data(Self.instance.utf8).write(to: url)
        return url
    }

    @Test func cutMovesSupplyToTheSecondSource() throws {
        let file = try write()
        let run = try Planner.run(["whatif", file.path, "--cut", "AUS:graphite=100%", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try JSONParser.parse(run.stdoutData)
        #expect(json["baseline"]?["objective"]?.numberValue == 1000)
        #expect(json["whatIf"]?["objective"]?.numberValue == 1500)
        let moved = json["flowChanges"]?.arrayElements ?? []
        #expect(moved.contains { $0["refinery"]?.stringValue == "can" && $0["delta"]?.numberValue == 10 })
        #expect(moved.contains { $0["refinery"]?.stringValue == "aus" && $0["delta"]?.numberValue == -10 })
        let both = try Planner.run(["whatif", file.path, "--cut", "AUS:graphite=100%", "--cut", "can=100%", "--format", "json"])
        let after = try JSONParser.parse(both.stdoutData)["whatIf"]
        #expect(after?["objective"]?.numberValue == 10_000)
        #expect(after?["deliveries"]?.arrayElements?.first?["shortfall"]?.numberValue == 10)
        // A ban of AUS exports (AUS -> USA is cross-border) acts like the cut.
        let ban = try Planner.run(["whatif", file.path, "--ban", "AUS:graphite", "--format", "json"])
        #expect(try JSONParser.parse(ban.stdoutData)["whatIf"]?["objective"]?.numberValue == 1500)
        #expect(try Planner.run(["whatif", file.path, "--cut", "nonsense"]).status == 2)
    }

    @Test func stressRanksCountries() throws {
        let file = try write()
        let run = try Planner.run(["stress", file.path, "--each", "country", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = try JSONParser.parse(run.stdoutData)["rows"]?.arrayElements ?? []
        #expect(rows.map { $0["name"]?.stringValue ?? "" } == ["AUS", "CAN"])
        #expect(rows.first?["costIncrease"]?.numberValue == 500)
        #expect(rows.last?["costIncrease"]?.numberValue == 0)
        // Half of AUS: 5 t move to CAN, +250.
        let half = try Planner.run(["stress", file.path, "--each", "facility", "--factor", "0.5", "--format", "json"])
        let first = try JSONParser.parse(half.stdoutData)["rows"]?.arrayElements?.first
        #expect(first?["name"]?.stringValue == "aus" && first?["costIncrease"]?.numberValue == 250)
    }

    @Test func applyWritesAValidInstance() throws {
        let dir = try Planner.temporaryDirectory()
        let out = dir.appendingPathComponent("changed.json")
        let run = try Planner.run(["apply", "instances/coalition-2026.json", "instances/scenarios/drc-cobalt-quota.json", "-o", out.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try Planner.run(["validate", out.path]).status == 0)
    }

    /// A sweep that reuses the model (warm block re-solves) gives the
    /// objectives of cold solves on every scenario.
    @Test func warmSweepEqualsCold() throws {
        let dir = try Planner.temporaryDirectory()
        let warm = dir.appendingPathComponent("warm.csv").path, cold = dir.appendingPathComponent("cold.csv").path
        #expect(try Planner.run(["sweep", "--scenarios", "instances/scenarios", "-o", warm]).status == 0)
        #expect(try Planner.run(["sweep", "--scenarios", "instances/scenarios", "-o", cold, "--no-reuse"]).status == 0)
        let a = try readCSV(URL(fileURLWithPath: warm)), b = try readCSV(URL(fileURLWithPath: cold))
        #expect(a.count == b.count && a.count >= 8)
        for (x, y) in zip(a, b) {
            #expect(x["name"] == y["name"] && x["status"] == "optimal")
            #expect(isClose(Double(x["cost_usd"] ?? ""), Double(y["cost_usd"] ?? "") ?? .nan, relative: 1e-9), "\(x["name"] ?? "")")
        }
    }

    /// N shards merged equal one unsharded run, byte for byte.
    @Test func shardsMergeToTheFullSweep() throws {
        let dir = try Planner.temporaryDirectory()
        let full = dir.appendingPathComponent("full.csv").path
        #expect(try Planner.run(["sweep", "--scenarios", "instances/scenarios", "-o", full]).status == 0)
        var parts: [String] = []
        for i in 1...3 {
            let part = dir.appendingPathComponent("part\(i).csv").path
            #expect(try Planner.run(["sweep", "--scenarios", "instances/scenarios", "-o", part, "--shard", "\(i)/3"]).status == 0)
            parts.append(part)
        }
        let merged = dir.appendingPathComponent("merged.csv").path
        #expect(try Planner.run(["sweep-merge", "-o", merged] + parts).status == 0)
        let a = try Data(contentsOf: URL(fileURLWithPath: full)), b = try Data(contentsOf: URL(fileURLWithPath: merged))
        #expect(a == b && a.count > 100)
        // Resume: a sweep cut after its first rows finishes the rest only.
        let lines = String(decoding: a, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let partial = dir.appendingPathComponent("partial.csv").path
        try Data((lines.prefix(4).joined(separator: "\n") + "\n" + "5,half-writ").utf8).write(to: URL(fileURLWithPath: partial))
        #expect(try Planner.run(["sweep", "--scenarios", "instances/scenarios", "-o", partial, "--resume"]).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: partial)) == a)
    }
}
