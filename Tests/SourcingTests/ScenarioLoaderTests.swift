import Foundation
import Sourcing
import TestSupport
import Testing

/// The strict reading of `sourcing-scenario/1` files: every action, and each
/// structural error with its exact path.
@Suite("Scenario loader")
struct ScenarioLoaderTests {
    static let everyAction = """
        {
          "format": "sourcing-scenario/1",
          "name": "every action",
          "source": "tests",
          "changes": [
            {"capacity": {"factor": 0.5}, "where": {"country": "CHN", "mineral": "gallium", "stage": "refinery"}},
            {"capacity": {"set": 100}, "where": {"id": "m1"}},
            {"where": {}, "price": {"factor": 1.25}},
            {"demand": {"set": 40}, "where": {"buyer": "b1", "country": "USA", "mineral": "cobalt"}},
            {"exposureCap": {"set": 0.2}, "where": {"mineral": "*", "country": "USA"}},
            {"priceFloor": {"set": 900}, "where": {"mineral": "cobalt"}},
            {"referencePrice": {"set": 0}, "where": {}},
            {"shortfallPenalty": {"set": 1e6}, "where": {"mineral": "lithium"}},
            {"hostThroughput": {"factor": 0.5}, "where": {"host": "zinc"}},
            {"block": {"from": "CHN", "mineral": "graphite"}},
            {"unblock": {}},
            {"policy": {"externalTariff": 2.5, "maxCountryShare": 0.4, "blocked": [{"to": "USA"}]}}
          ]
        }
        """

    static let everyActionValue = Scenario(
        name: "every action", source: "tests",
        changes: [
            .capacity(.factor(0.5), where: FacilitySelector(country: "CHN", mineral: "gallium", stage: .refinery)),
            .capacity(.set(100), where: FacilitySelector(id: "m1")),
            .price(.factor(1.25), where: FacilitySelector()),
            .demand(.set(40), where: BuyerSelector(buyer: "b1", country: "USA", mineral: "cobalt")),
            .exposureCap(set: 0.2, where: ExposureCapSelector(country: "USA", mineral: "*")),
            .priceFloor(set: 900, where: MineralSelector(mineral: "cobalt")),
            .referencePrice(set: 0, where: MineralSelector()),
            .shortfallPenalty(set: 1e6, where: MineralSelector(mineral: "lithium")),
            .hostThroughput(.factor(0.5), where: FacilitySelector(host: "zinc")),
            .block(Block(from: "CHN", mineral: "graphite")),
            .unblock(Block()),
            .policy(Policy(externalTariff: 2.5, maxCountryShare: 0.4, blocked: [Block(to: "USA")]))
        ])

    @Test func decodesEveryAction() throws {
        let scenario = try ScenarioLoader.decode(Data(Self.everyAction.utf8), file: "s.json")
        #expect(scenario == Self.everyActionValue)
        #expect(scenario.changes.map(\.action) == [.capacity] + ScenarioAction.allCases)
    }

    @Test func minimalScenario() throws {
        let scenario = try ScenarioLoader.decode(Data(#"{"format": "sourcing-scenario/1", "changes": []}"#.utf8), file: "s.json")
        #expect(scenario == Scenario())
    }

    @Test func byteOrderMarkIsIgnored() throws {
        let data = Data([0xEF, 0xBB, 0xBF]) + Data(#"{"format": "sourcing-scenario/1", "changes": []}"#.utf8)
        #expect(try ScenarioLoader.decode(data, file: "s.json") == Scenario())
    }

    // MARK: Top level

    @Test func formatAndChangesAreRequired() {
        #expect(
            scenarioDiagnostics("{}").map(\.description) == [
                #"s.json: format: required field is missing (expected "sourcing-scenario/1")"#,
                "s.json: changes: required field is missing (a list of changes; [] applies none)"
            ])
    }

    @Test func wrongFormat() {
        #expect(
            scenarioDiagnostics(#"{"format": "sourcing-scenario/2", "changes": []}"#).map(\.description)
                == [#"s.json: format: "sourcing-scenario/2" is not supported (expected "sourcing-scenario/1")"#])
        let instance = scenarioDiagnostics(#"{"format": "sourcing-instance/1", "changes": []}"#)
        #expect(instance.map(\.path) == ["format"])
        #expect(instance.first?.message.hasSuffix("this looks like an instance file, not a scenario") == true)
        #expect(scenarioDiagnostics(#"{"format": 1, "changes": []}"#).map(\.path) == ["format"])
    }

    @Test func topLevelProblems() {
        let found = scenarioDiagnostics(#"{"format": "sourcing-scenario/1", "nmae": "x", "source": null, "changes": {}}"#)
        #expect(
            found.map(\.description) == [
                #"s.json: nmae: unknown key "nmae" (did you mean "name"?)"#,
                "s.json: source: expected a string, found null (null is not allowed; omit the key instead)",
                "s.json: changes: expected an array, found an empty object"
            ])
        #expect(scenarioDiagnostics("[]").map(\.description) == ["s.json: expected an object, found an empty array"])
    }

    @Test func syntaxErrorsAndNonFiniteNumbersStopWithTheirPath() {
        let syntax = scenarioDiagnostics(#"{"format": "sourcing-scenario/1", "changes": [}"#)
        #expect(syntax.count == 1)
        #expect(syntax.first?.message.hasPrefix("syntax error at line 1") == true)
        let huge = scenarioDiagnostics(#"{"format": "sourcing-scenario/1", "changes": [{"capacity": {"factor": 1e400}, "where": {}}]}"#)
        #expect(huge.map(\.path) == ["changes[0].capacity.factor"])
        #expect(huge.first?.message.contains("does not fit a finite double") == true)
    }

    @Test func duplicateKeysAreErrors() {
        #expect(
            scenarioErrorPaths(changes: #"{"capacity": {"factor": 0.5}, "where": {"country": "CHN", "country": "COD"}}"#)
                == ["changes[0].where.country"])
        #expect(scenarioDiagnostics(#"{"format": "sourcing-scenario/1", "changes": [], "changes": []}"#).map(\.path) == ["changes"])
    }

    // MARK: Changes

    @Test func twoActionsInOneChange() {
        let found = scenarioDiagnostics(
            #"{"format": "sourcing-scenario/1", "changes": [{"capacity": {"factor": 0.5}, "price": {"factor": 2}, "where": {}}]}"#)
        #expect(
            found.map(\.description) == [
                #"s.json: changes[0].price: a second action in one change (it already has "capacity"); a change has exactly one action: write one change per action"#
            ])
    }

    @Test func noAction() {
        #expect(scenarioErrorPaths(changes: #"{"where": {}}"#) == ["changes[0]"])
        #expect(scenarioErrorPaths(changes: "{}") == ["changes[0]"])
        #expect(scenarioErrorPaths(changes: #"{"capcity": {"factor": 0.5}, "where": {}}"#) == ["changes[0].capcity"])
        #expect(scenarioErrorPaths(changes: "5") == ["changes[0]"])
    }

    @Test func whereIsRequiredOnSelectingActions() {
        let found = scenarioDiagnostics(#"{"format": "sourcing-scenario/1", "changes": [{"capacity": {"factor": 0.5}}]}"#)
        #expect(
            found.map(\.description)
                == [#"s.json: changes[0].where: required field is missing: "capacity" selects (where {} selects everything)"#])
        for action in ScenarioAction.allCases where action.selects {
            let amount = action.amountKeys.contains("factor") ? #"{"factor": 1}"# : #"{"set": 0}"#
            #expect(scenarioErrorPaths(changes: #"{"\#(action.rawValue)": \#(amount)}"#) == ["changes[0].where"], "\(action)")
        }
    }

    @Test func whereIsRefusedOnActionsThatDoNotSelect() {
        #expect(scenarioErrorPaths(changes: #"{"block": {"from": "CHN"}, "where": {}}"#) == ["changes[0].where"])
        #expect(scenarioErrorPaths(changes: #"{"unblock": {"from": "CHN"}, "where": {"country": "CHN"}}"#) == ["changes[0].where"])
        #expect(scenarioErrorPaths(changes: #"{"policy": {}, "where": {}}"#) == ["changes[0].where"])
    }

    // MARK: Amounts

    @Test func negativeFactor() {
        let found = scenarioDiagnostics(#"{"format": "sourcing-scenario/1", "changes": [{"capacity": {"factor": -0.5}, "where": {}}]}"#)
        #expect(found.map(\.description) == ["s.json: changes[0].capacity.factor: -0.5 must be >= 0"])
        #expect(scenarioErrorPaths(changes: #"{"demand": {"set": -1}, "where": {}}"#) == ["changes[0].demand.set"])
        #expect(scenarioErrorPaths(changes: #"{"priceFloor": {"set": -1}, "where": {}}"#) == ["changes[0].priceFloor.set"])
    }

    @Test func zeroFactorIsAllowed() throws {
        #expect(try decodeChanges(#"{"capacity": {"factor": 0}, "where": {}}"#) == [.capacity(.factor(0), where: FacilitySelector())])
    }

    @Test func amountShapes() {
        #expect(scenarioErrorPaths(changes: #"{"capacity": {"factor": 0.5, "set": 3}, "where": {}}"#) == ["changes[0].capacity"])
        #expect(scenarioErrorPaths(changes: #"{"capacity": {}, "where": {}}"#) == ["changes[0].capacity"])
        #expect(scenarioErrorPaths(changes: #"{"capacity": 0.5, "where": {}}"#) == ["changes[0].capacity"])
        #expect(scenarioErrorPaths(changes: #"{"capacity": {"factr": 0.5}, "where": {}}"#) == ["changes[0].capacity.factr"])
        #expect(scenarioErrorPaths(changes: #"{"capacity": {"factor": "half"}, "where": {}}"#) == ["changes[0].capacity.factor"])
        #expect(scenarioErrorPaths(changes: #"{"price": {"set": null}, "where": {}}"#) == ["changes[0].price.set"])
    }

    @Test func setOnlyActionsRefuseAFactor() {
        let found = scenarioDiagnostics(#"{"format": "sourcing-scenario/1", "changes": [{"priceFloor": {"factor": 2}, "where": {}}]}"#)
        #expect(found.map(\.description) == [#"s.json: changes[0].priceFloor.factor: "priceFloor" takes only set, not factor"#])
        #expect(
            scenarioErrorPaths(changes: #"{"exposureCap": {"factor": 0.5}, "where": {"mineral": "*"}}"#)
                == ["changes[0].exposureCap.factor"])
    }

    @Test func exposureCapIsAShare() {
        #expect(scenarioErrorPaths(changes: #"{"exposureCap": {"set": 1.5}, "where": {"mineral": "*"}}"#) == ["changes[0].exposureCap.set"])
    }

    // MARK: where

    @Test func whereProblems() {
        #expect(scenarioErrorPaths(changes: #"{"capacity": {"factor": 1}, "where": {"country": 5}}"#) == ["changes[0].where.country"])
        #expect(scenarioErrorPaths(changes: #"{"capacity": {"factor": 1}, "where": {"country": null}}"#) == ["changes[0].where.country"])
        #expect(scenarioErrorPaths(changes: #"{"capacity": {"factor": 1}, "where": "CHN"}"#) == ["changes[0].where"])
        #expect(scenarioErrorPaths(changes: #"{"capacity": {"factor": 1}, "where": {"stage": "smelter"}}"#) == ["changes[0].where.stage"])
        #expect(scenarioErrorPaths(changes: #"{"demand": {"factor": 1}, "where": {"stage": "mine"}}"#) == ["changes[0].where.stage"])
        #expect(scenarioErrorPaths(changes: #"{"demand": {"factor": 1}, "where": {"id": "b1"}}"#) == ["changes[0].where.id"])
        #expect(scenarioErrorPaths(changes: #"{"capacity": {"factor": 1}, "where": {"buyer": "b1"}}"#) == ["changes[0].where.buyer"])
        #expect(scenarioErrorPaths(changes: #"{"priceFloor": {"set": 1}, "where": {"country": "CHN"}}"#) == ["changes[0].where.country"])
    }

    @Test func unknownWhereKeyListsTheAllowedOnes() {
        let found = scenarioDiagnostics(#"{"format": "sourcing-scenario/1", "changes": [{"price": {"set": 1}, "where": {"owner": "x"}}]}"#)
        #expect(
            found.map(\.description)
                == [#"s.json: changes[0].where.owner: unknown key "owner" (allowed in the where of price: id, country, mineral, stage)"#])
    }

    @Test func exposureCapNeedsWhereMineral() {
        let found = scenarioDiagnostics(
            #"{"format": "sourcing-scenario/1", "changes": [{"exposureCap": {"set": 0.5}, "where": {"buyer": "b1"}}]}"#)
        #expect(found.map(\.path) == ["changes[0].where.mineral"])
        #expect(found.first?.message.hasPrefix("required field is missing") == true)
    }

    // MARK: Entries

    @Test func blockedEntryProblems() {
        #expect(scenarioErrorPaths(changes: #"{"block": {"form": "CHN"}}"#) == ["changes[0].block.form"])
        #expect(scenarioErrorPaths(changes: #"{"unblock": {"from": 1}}"#) == ["changes[0].unblock.from"])
        #expect(scenarioErrorPaths(changes: #"{"block": ["CHN"]}"#) == ["changes[0].block"])
    }

    @Test func policyProblems() {
        #expect(scenarioErrorPaths(changes: #"{"policy": {"maxCountryShare": 2}}"#) == ["changes[0].policy.maxCountryShare"])
        #expect(scenarioErrorPaths(changes: #"{"policy": {"externalTariff": -1}}"#) == ["changes[0].policy.externalTariff"])
        #expect(scenarioErrorPaths(changes: #"{"policy": {"tariff": 1}}"#) == ["changes[0].policy.tariff"])
        #expect(scenarioErrorPaths(changes: #"{"policy": {"blocked": {}}}"#) == ["changes[0].policy.blocked"])
        #expect(
            scenarioErrorPaths(changes: #"{"policy": {"blocked": [{"from": "CHN"}, {"to": null}]}}"#)
                == ["changes[0].policy.blocked[1].to"])
    }

    @Test func policyAboveOneTariffAndEmptyPolicy() throws {
        #expect(
            try decodeChanges(#"{"policy": {"externalTariff": 3}}, {"policy": {}}"#)
                == [.policy(Policy(externalTariff: 3)), .policy(Policy())])
    }

    // MARK: Everything at once

    @Test func everyProblemIsCollected() {
        let json = """
            {
              "format": "sourcing-scenario/1",
              "changes": [
                {"capacity": {"factor": -1}, "where": {"country": 3}},
                {"block": {"from": "CHN"}, "unblock": {"from": "CHN"}},
                {"demand": {"set": 1}},
                {"price": {"factor": 1}, "where": {"stage": "smelter"}},
                {"exposureCap": {"set": 2}, "where": {}}
              ],
              "extra": true
            }
            """
        #expect(
            scenarioDiagnostics(json).map(\.path) == [
                "changes[0].capacity.factor", "changes[0].where.country",
                "changes[1].unblock",
                "changes[2].where",
                "changes[3].where.stage",
                "changes[4].exposureCap.set", "changes[4].where.mineral",
                "extra"
            ])
        #expect(scenarioDiagnostics(json).allSatisfy { $0.severity == .error && $0.file == "s.json" })
    }

    // MARK: Files

    @Test func loadNamesTheFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scenario-loader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("cut.json")
        try Data(Self.everyAction.utf8).write(to: file)
        #expect(try ScenarioLoader.load(path: file.path) == Self.everyActionValue)

        func failure(_ path: String) -> [String] {
            do {
                _ = try ScenarioLoader.load(path: path)
                return []
            } catch {
                return error.diagnostics.map(\.description)
            }
        }
        let missing = directory.appendingPathComponent("missing.json").path
        #expect(failure(missing) == ["\(missing): no such file"])
        #expect(failure(directory.path) == ["\(directory.path): is a directory, not a scenario file"])
    }

    /// The scenario files of the repository (instances/scenarios), when present.
    @Test func repositoryScenariosDecodeAndRoundTrip() throws {
        let folder = TestPaths.repository.appendingPathComponent("instances/scenarios")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names.sorted() where name.hasSuffix(".json") {
            let path = folder.appendingPathComponent(name).path
            let scenario = try ScenarioLoader.load(path: path)
            #expect(!scenario.changes.isEmpty, "\(name)")
            #expect(try ScenarioLoader.decode(ScenarioEncoder.encode(scenario), file: name) == scenario, "\(name)")
        }
    }
}
