import Foundation
import StrictJSON
import TestSupport
import Testing

/// `planner report` and the summary-first text of `planner solve` (issue 15).
@Suite struct ReportCommandTests {
    /// The text opens with the summary; the tables come with --detail only.
    /// tagging.md: 60 t of graphite delivered for 14,900 USD, all of it
    /// refined in the USA (HHI 10,000, single-source).
    @Test func solveOpensWithTheSummary() throws {
        let plain = try Planner.run(["solve", "instances/small/tagging.json"])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(!plain.stdout.contains("[ore_flows]"))
        let lines = plain.stdout.split(separator: "\n").map(String.init)
        let row = try #require(lines.first { $0.hasPrefix("graphite ") && $0.contains("USA 100%") }, "\(plain.stdout)")
        #expect(row.contains("10,000") && row.contains("single-source"), "\(row)")
        let supply = try #require(lines.first { $0.hasPrefix("graphite ") && !$0.contains("USA") })
        // demand 60, delivered 60, short 0; landed cost 14,900 / 60 = 248.33 -> "248".
        #expect(supply.split(separator: " ", omittingEmptySubsequences: true).prefix(6) == ["graphite", "60", "60", "0", "0%", "0"])
        #expect(supply.contains(" 248 "), "\(supply)")
        let detail = try Planner.run(["solve", "instances/small/tagging.json", "--detail"])
        let summaryAt = try #require(detail.stdout.range(of: "total cost: 14,900 USD"))
        let tablesAt = try #require(detail.stdout.range(of: "[ore_flows]"))
        #expect(summaryAt.lowerBound < tablesAt.lowerBound)
        let byBuyer = try Planner.run(["solve", "instances/small/tagging.json", "--by-buyer"])
        // tagging.md: the capped buyer takes 24 of its 40 t exposed (60%, its cap), the open one all 20 t.
        let buyerRows = byBuyer.stdout.split(separator: "\n").filter { $0.hasPrefix("capped ") || $0.hasPrefix("open ") }
        #expect(buyerRows.count == 2 && buyerRows[0].contains(" 60%  60% ") && buyerRows[1].contains(" 100% "), "\(byBuyer.stdout)")
    }

    /// The report's JSON holds each result in its own format; the HTML has
    /// every section asked for.
    @Test func reportCarriesEveryPart() throws {
        let args = [
            "report", "instances/small/byproduct.json", "--scenario", "instances/small/scenarios/byproduct-host-cut.json",
            "--stress", "facility", "--quiet"
        ]
        let json = try Planner.run(args + ["--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let value = try JSONParser.parse(json.stdoutData)
        #expect(value["format"]?.stringValue == "sourcing-report/1")
        #expect(value["plan"]?["format"]?.stringValue == "sourcing-plan/1")
        #expect(value["whatIfs"]?.arrayElements?.first?["format"]?.stringValue == "sourcing-whatif/1")
        #expect(value["stress"]?["format"]?.stringValue == "sourcing-stress/1")
        // byproduct.md: 44,000 USD.
        #expect(value["plan"]?["objective"]?.numberValue == 44_000)
        let html = try Planner.run(args)
        #expect(html.status == 0)
        for id in ["summary", "cost", "flows", "scenario-1", "stress", "stamp"] {
            #expect(html.stdout.contains("<section id=\"\(id)\""), "no section \(id)")
        }
        #expect(html.stdout.contains("@media print"))
    }

    /// Bad input is named and exits 2; an undeclared format is a usage error.
    @Test func badInputIsRefused() throws {
        let mineral = try Planner.run(["report", "instances/small/tagging.json", "--frontier", "unobtainium"])
        #expect(mineral.status == 2 && mineral.stderr.contains("--frontier unobtainium"), "\(mineral.stderr)")
        let scenario = try Planner.run(["report", "instances/small/tagging.json", "--scenario", "no-such.json"])
        #expect(scenario.status == 2, "\(scenario.stderr)")
        let format = try Planner.run(["report", "instances/small/tagging.json", "--format", "text"])
        #expect(format.status == 64, "\(format.stderr)")
        #expect(format.stdout.isEmpty)
    }
}
