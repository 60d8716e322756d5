import Foundation
import Sourcing
import StrictJSON
import TestSupport
import Testing

/// What-if headlines say exactly what was changed, lists that are cut say
/// so, and a change that changes nothing says why (issue 16).
@Suite struct WhatIfHeadlineTests {
    /// The file's scenario and a flag together: the title and the JSON name both.
    @Test func combinedTitleNamesEveryChange() throws {
        let run = try Planner.run([
            "whatif", "--scenario", "instances/scenarios/antimony-controls.json", "--ban", "CHN:gallium", "--format", "json"
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let value = try JSONParser.parse(run.stdoutData)
        let title = value["scenario"]?.stringValue ?? ""
        #expect(title.contains("antimony") && title.contains("--ban CHN:gallium"), "\(title)")
        let changes = value["changes"]?.arrayElements ?? []
        #expect(
            changes.map { $0["origin"]?.stringValue ?? "" } == ["scenario instances/scenarios/antimony-controls.json", "--ban CHN:gallium"])
        #expect(changes.last?["change"]?["block"]?["mineral"]?.stringValue == "gallium")
        let text = try Planner.run(["whatif", "--scenario", "instances/scenarios/antimony-controls.json", "--ban", "CHN:gallium"])
        #expect(text.stdout.hasPrefix("what-if: China's antimony licensing"))
        #expect(text.stdout.contains("+ --ban CHN:gallium\n"))
    }

    /// The antimony ban split by who goes short: the only antimony buyer
    /// outside the coalition is China's own (buyer-CHN, 33,000 t in
    /// instances/coalition-2026.json), named so, never short; the
    /// coalition's 78,871 t carry the whole loss.
    @Test func outsideBuyersAreNamed() throws {
        let run = try Planner.run(["whatif", "--scenario", "instances/scenarios/antimony-controls.json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("; buyers outside the coalition (CHN) 0 -> 0 t of 33,000 t (0% -> 0%)\n"), "\(run.stdout.prefix(900))")
        #expect(run.stdout.contains("  coalition buyers 1,871 -> 17,271 t of 78,871 t"), "\(run.stdout.prefix(900))")
        // Antimony's own cost: the ban changes no other mineral's block, so
        // its change is the whole total's (+0.386% of the total).
        let lines = run.stdout.split(separator: "\n")
        let total = try #require(lines.first { $0.hasPrefix("total cost: ") })
        let antimony = try #require(lines.first { $0.hasPrefix("  antimony cost ") })
        #expect(total.contains("(+614,968,437 USD, "), "\(total)")
        #expect(antimony.contains("(+614,968,437 USD, +8.45%)"), "\(antimony)")
    }

    /// The headline says what goes short, per mineral, in tonnes of its
    /// demand. shortage-shared.md: one source of 120 t for 150 t demanded,
    /// 30 t short; halving it leaves 60 t, so 90 t are short (20% -> 60%).
    @Test func headlineSaysWhatGoesShort() throws {
        let run = try Planner.run(["whatif", "instances/small/shortage-shared.json", "--cut", "co-src=50%"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("\nshort cobalt: 30 -> 90 t of 150 t demanded (20% -> 60%)\n"), "\(run.stdout)")
        // Its cost, by hand (shortage-shared.md): 42,000 -> 336,000 USD.
        #expect(
            run.stdout.contains(
                "\n  cobalt cost (delivered at landed cost, plus shortfall penalties): 42,000 USD -> 336,000 USD (+294,000 USD, +700%)\n"),
            "\(run.stdout)")
        // A change that moves no shortfall adds no such line.
        let none = try Planner.run(["whatif", "instances/small/tagging.json", "--cut", "CHN:graphite=50%"])
        #expect(!none.stdout.contains("\nshort "), "\(none.stdout)")
    }

    /// A list over 15 rows says how many it left out; --all and JSON list every row.
    @Test func cutListsSaySo() throws {
        let args = ["whatif", "--scenario", "instances/scenarios/antimony-controls.json", "--ban", "CHN:gallium"]
        let text = try Planner.run(args)
        #expect(text.stdout.contains("more rows left out of"), "\(text.stdout.suffix(500))")
        let all = try Planner.run(args + ["--all"])
        #expect(!all.stdout.contains("left out of"))
        let json = try JSONParser.parse(try Planner.run(args + ["--format", "json"]).stdoutData)
        #expect((json["flowChanges"]?.arrayElements?.count ?? 0) > 15)
    }

    /// A cut that does not bind says so with the numbers.
    @Test func nonBindingCutIsNamed() throws {
        // tagging.md: mine-aus ships 10 t of its 100 t; a 50% cut leaves 50 t.
        let run = try Planner.run(["whatif", "instances/small/tagging.json", "--cut", "mine-aus=50%"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(
            run.stdout.contains(
                "no effect: does not bind: the 1 selected facility used 10 t of 100 t; the change leaves 50 t, so nothing moves"),
            "\(run.stdout)")
        #expect(run.stdout.contains("(+0 USD, +0%)"))
    }

    /// A "*" cap that per-mineral caps override is named as changing nothing.
    @Test func overriddenStarCapIsNamed() throws {
        let dir = try Planner.temporaryDirectory()
        let scenario = dir.appendingPathComponent("star.json")
        try Data(
            #"{"format": "sourcing-scenario/1", "name": "star cap", "changes": [{"exposureCap": {"set": 0.1}, "where": {"mineral": "*"}}]}"#
                .utf8
        )
        .write(to: scenario)
        let instance = dir.appendingPathComponent("i.json")
        try Data(
            """
            {"format": "sourcing-instance/2",
             "minerals": [{"id": "cobalt"}],
             "countries": [{"code": "USA", "coalition": true}, {"code": "CHN", "coalition": false}],
             "refineries": [{"id": "r-chn", "mineral": "cobalt", "country": "CHN", "capacity": 10, "fee": 1, "feed": "none"},
                            {"id": "r-usa", "mineral": "cobalt", "country": "USA", "capacity": 10, "fee": 2, "feed": "none"}],
             "buyers": [{"id": "b1", "country": "USA", "demand": {"cobalt": 4}, "exposureCap": {"cobalt": 0.5}},
                        {"id": "b2", "country": "USA", "demand": {"cobalt": 4}, "exposureCap": {"cobalt": 0.5}}]}
            """.utf8
        ).write(to: instance)
        let run = try Planner.run(["whatif", instance.path, "--scenario", scenario.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("the \"*\" cap is overridden by per-mineral caps for all 2 selected buyers"), "\(run.stdout)")
    }
}

/// Long work shows progress and keeps what it finished on Ctrl-C (issue 16).
@Suite(.serialized) struct LongWorkTests {
    @Test func interruptedStressKeepsItsFinishedRows() throws {
        let process = Process()
        process.executableURL =
            FileManager.default.fileExists(atPath: Planner.executable.path)
            ? Planner.executable : TestPaths.repository.appendingPathComponent(".build/debug/planner")
        process.arguments = ["stress", "--each", "facility", "--format", "csv", "--threads", "1"]
        process.currentDirectoryURL = TestPaths.repository
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        usleep(2_500_000)
        kill(process.processIdentifier, SIGINT)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130, "\(message)")
        let rows = String(decoding: data, as: UTF8.self).split(separator: "\n").count - 1
        #expect(rows >= 1 && rows < 239, "\(rows) rows")
        #expect(message.contains("interrupted: \(rows) of 239 cases finished"), "\(message)")
    }

    /// A solve past a second says it is still working; --quiet silences it.
    @Test func longSolveShowsItIsWorking() throws {
        let file = try Planner.temporaryDirectory().appendingPathComponent("long.json").path
        #expect(
            try Planner.run([
                "generate", "--seed", "3", "--minerals", "8", "--mines", "500", "--refineries", "250",
                "--buyers", "60", "--mip", "-o", file
            ]).status == 0)
        let loud = try Planner.run(["solve", file, "--time-limit", "2", "--format", "json"])
        #expect(loud.stderr.contains("planner: solving... 1 s"), "\(loud.stderr)")
        let quiet = try Planner.run(["solve", file, "--time-limit", "2", "--format", "json", "--quiet"])
        #expect(!quiet.stderr.contains("solving..."), "\(quiet.stderr)")
        #expect([4, 5].contains(quiet.status))
    }

    @Test func quietStressPrintsNoProgress() throws {
        let run = try Planner.run(["stress", "instances/small/tagging.json", "--each", "country", "--quiet"])
        #expect(run.status == 0)
        #expect(!run.stderr.contains("cases/s"), "\(run.stderr)")
        let loud = try Planner.run(["stress", "instances/small/tagging.json", "--each", "country"])
        #expect(loud.stderr.contains("cases/s"), "\(loud.stderr)")
    }
}

/// "Did you mean" for values, and flag errors that name the flag (issue 16).
@Suite struct DidYouMeanTests {
    @Test(arguments: [
        (
            ["--cut", "CHN:Graphite=50%"],
            #"--cut CHN:Graphite=50%: selects nothing: mineral "Graphite" is not listed in minerals (did you mean "graphite"?)"#
        ),
        (
            ["--cut", "CHN:galium=50%"],
            #"--cut CHN:galium=50%: selects nothing: mineral "galium" is not listed in minerals (did you mean "gallium"?)"#
        ),
        (
            ["--cut", "mine-cobalt-DRC=40%"],
            #"--cut mine-cobalt-DRC=40%: selects nothing: no mine or refinery has id "mine-cobalt-DRC" (did you mean "mine-cobalt-COD"?)"#
        ),
        (["--ban", "XXX:gallium"], #"--ban XXX:gallium: country "XXX" is not listed in countries"#)
    ])
    func flagErrorsNameTheFlag(_ flags: [String], _ expected: String) throws {
        let run = try Planner.run(["whatif"] + flags)
        #expect(run.status == 2)
        #expect(run.stderr.contains(expected), "\(run.stderr)")
        #expect(!run.stderr.contains("changes[0]") && !run.stderr.contains("policy.blocked"), "\(run.stderr)")
    }

    @Test func instanceValuesGetASuggestion() throws {
        let file = try Planner.temporaryDirectory().appendingPathComponent("i.json")
        try Data(
            """
            {"format": "sourcing-instance/2",
             "minerals": [{"id": "gallium"}],
             "countries": [{"code": "USA", "coalition": true}],
             "refineries": [{"id": "r", "mineral": "galium", "country": "USA", "capacity": 1, "fee": 1, "feed": "none"}],
             "buyers": [{"id": "b", "country": "usa", "demand": {"Gallium": 1}}]}
            """.utf8
        ).write(to: file)
        let run = try Planner.run(["validate", file.path])
        #expect(run.status == 2)
        #expect(
            run.stderr.contains(#"refineries[0].mineral: mineral "galium" is not listed in minerals (did you mean "gallium"?)"#),
            "\(run.stderr)")
        #expect(run.stderr.contains(#"buyers[0].country: country "usa" is not listed in countries (did you mean "USA"?"#), "\(run.stderr)")
        #expect(
            run.stderr.contains(#"buyers[0].demand.Gallium: mineral "Gallium" is not listed in minerals (did you mean "gallium"?)"#),
            "\(run.stderr)")
    }

    /// Binding capacities are ranked by how much the what-if raised their
    /// value, so a capacity short in every plan (here r-p, whose tonne saves
    /// the 10,000 penalty less its fee) does not head a what-if about
    /// another mineral. By hand: the baseline fills r-a (fee 1) and takes
    /// 5 t from r-b (fee 5), so r-a saves 5 - 1 = 4; cutting r-b to 2 t
    /// leaves 3 t short at 100, so r-a saves 99 and r-b 95.
    @Test func bindingCapacitiesRankByTheRise() throws {
        let dir = try Planner.temporaryDirectory()
        let instance = dir.appendingPathComponent("i.json")
        try Data(
            """
            {"format": "sourcing-instance/2",
             "minerals": [{"id": "cobalt", "shortfallPenalty": 100}, {"id": "pd", "shortfallPenalty": 10000}],
             "countries": [{"code": "USA", "coalition": true}],
             "refineries": [{"id": "r-a", "mineral": "cobalt", "country": "USA", "capacity": 10, "fee": 1, "feed": "none"},
                            {"id": "r-b", "mineral": "cobalt", "country": "USA", "capacity": 10, "fee": 5, "feed": "none"},
                            {"id": "r-p", "mineral": "pd", "country": "USA", "capacity": 1, "fee": 1, "feed": "none"}],
             "buyers": [{"id": "b1", "country": "USA", "demand": {"cobalt": 15, "pd": 2}}]}
            """.utf8
        ).write(to: instance)
        let run = try Planner.run(["whatif", instance.path, "--cut", "r-b=80%", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = try JSONParser.parse(run.stdoutData)["bindingCapacities"]?.arrayElements ?? []
        #expect(rows.map { $0["facility"]?.stringValue ?? "" } == ["r-a", "r-b", "r-p"])
        #expect(rows.map { $0["savedBefore"]?.numberValue ?? -1 } == [4, 0, 9999])
        #expect(rows.map { $0["savedAfter"]?.numberValue ?? -1 } == [99, 95, 9999])
    }
}
