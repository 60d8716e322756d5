import Foundation
import Sourcing
import StrictJSON
import TestSupport
import Testing

/// The `--cut` and `--ban` shorthand of `planner whatif`.
@Suite("Scenario quick flags")
struct ScenarioQuickChangeTests {
    @Test(arguments: [
        ("CHN:gallium=100%", ScenarioChange.capacity(.factor(0), where: FacilitySelector(country: "CHN", mineral: "gallium"))),
        ("COD:cobalt:mine=40%", .capacity(.factor(0.6), where: FacilitySelector(country: "COD", mineral: "cobalt", stage: .mine))),
        (
            "CHN:rare-earths:refinery=12.5%",
            .capacity(.factor(0.875), where: FacilitySelector(country: "CHN", mineral: "rare-earths", stage: .refinery))
        ),
        ("mine-cobalt-COD=40%", .capacity(.factor(0.6), where: FacilitySelector(id: "mine-cobalt-COD"))),
        ("r1=0%", .capacity(.factor(1), where: FacilitySelector(id: "r1"))),
        ("USA:lithium=0.5%", .capacity(.factor(0.995), where: FacilitySelector(country: "USA", mineral: "lithium")))
    ])
    func cut(_ text: String, _ expected: ScenarioChange) throws {
        #expect(try QuickChange.parseCut(text) == expected)
    }

    @Test func cutFactorIsExactForWholePercentages() throws {
        for percent in 0...100 {
            guard case .capacity(.factor(let factor), _) = try QuickChange.parseCut("CHN:gallium=\(percent)%") else {
                Issue.record("not a capacity factor")
                continue
            }
            #expect(factor == Double(100 - percent) / 100, "\(percent)")
        }
    }

    @Test(arguments: [
        "CHN:gallium", "CHN:gallium=", "CHN:gallium=40", "CHN:gallium=150%", "CHN:gallium=-5%", "CHN:gallium=abc%",
        "CHN:gallium=1e2%", "CHN:gallium=%", "chn:gallium=10%", "CHINA:gallium=10%", "CHN:=10%", "CHN:gallium:smelter=10%",
        "CHN:gallium:mine:x=10%", "=10%", ""
    ])
    func badCut(_ text: String) {
        do {
            let change = try QuickChange.parseCut(text)
            Issue.record("\(text) parsed as \(change)")
        } catch {
            #expect(error.diagnostics.count == 1)
            let diagnostic = error.diagnostics[0]
            #expect(diagnostic.file == "command line")
            #expect(diagnostic.path == "--cut")
            #expect(diagnostic.severity == .error)
            #expect(diagnostic.message.hasPrefix(JSONWriter.quoted(text) + ": "), "\(diagnostic.message)")
        }
    }

    @Test func badCutMessage() {
        do {
            _ = try QuickChange.parseCut("CHN:gallium=150%")
        } catch {
            #expect(
                error.description
                    == #"command line: --cut: "CHN:gallium=150%": the cut 150% must be between 0% and 100% (expected COUNTRY:MINERAL[:STAGE]=P% or FACILITY-ID=P%, like CHN:gallium=100%)"#
            )
        }
    }

    @Test func ban() throws {
        #expect(try QuickChange.parseBan("CHN:graphite") == .block(Block(from: "CHN", mineral: "graphite")))
        #expect(try QuickChange.parseBan("COD") == .block(Block(from: "COD")))
    }

    @Test(arguments: ["", "CHN:", "chn:graphite", "China", "CHN:graphite:mine", ":graphite"])
    func badBan(_ text: String) {
        do {
            let change = try QuickChange.parseBan(text)
            Issue.record("\(text) parsed as \(change)")
        } catch {
            #expect(error.diagnostics.map(\.path) == ["--ban"])
            #expect(error.diagnostics.first?.file == "command line")
            #expect(error.diagnostics.first?.message.hasPrefix(JSONWriter.quoted(text) + ": ") == true)
        }
    }

    @Test func scenarioFromFlagsKeepsTheirOrderAndCollectsEveryProblem() throws {
        let scenario = try QuickChange.scenario(cuts: ["CHN:cobalt=50%", "m-cod=100%"], bans: ["COD:cobalt"], name: "flags")
        #expect(
            scenario
                == Scenario(
                    name: "flags",
                    changes: [
                        .capacity(.factor(0.5), where: FacilitySelector(country: "CHN", mineral: "cobalt")),
                        .capacity(.factor(0), where: FacilitySelector(id: "m-cod")),
                        .block(Block(from: "COD", mineral: "cobalt"))
                    ]))
        do {
            _ = try QuickChange.scenario(cuts: ["CHN:cobalt=50", "ok=1%"], bans: ["xx"])
            Issue.record("expected an error")
        } catch {
            #expect(error.diagnostics.map(\.path) == ["--cut", "--ban"])
        }
    }

    @Test func flagsApplyLikeAScenarioFile() throws {
        let scenario = try QuickChange.scenario(cuts: ["CHN:cobalt=50%", "CHN:cobalt:refinery=50%", "m-cod=40%"], bans: ["CHN:lithium"])
        let (result, warnings) = try applying(scenario.changes)
        #expect(result.mines.map(\.capacity) == [60, 25, 80])  // m-cod 100 * 0.6, m-chn 50 * 0.5
        #expect(result.refineries.map(\.capacity) == [30, 60, 40])  // r-chn 120 * 0.5 * 0.5
        #expect(result.policy.blocked == [Block(from: "CHN", mineral: "lithium")])
        #expect(warnings.isEmpty)
        // An unknown country in a flag is found when applied.
        let bad = try QuickChange.scenario(cuts: ["RUS:cobalt=10%"], bans: [])
        #expect(applyErrorPaths(bad.changes) == ["changes[0].where.country"])
    }
}
