import Foundation
import GLPK
import LinearModel
import Sourcing
import TestSupport
import Testing

/// Version 2 of the contract (docs/FORMULATION.md sections 8 to 13): the upgrade of `/1`
/// files, the strict reading of the new fields with their error paths, and
/// the version rules of scenarios.
@Suite("Model version 2")
struct VersionTwoTests {
    static func plan(_ instance: Instance, on engine: Engine = .glpk) throws -> Plan {
        var options = PlanOptions()
        options.explain = false
        return try engine.plan(instance, options: options)
    }

    /// Every `/1` instance the repository ships.
    static func version1Files() throws -> [URL] {
        let coalition = TestPaths.repository.appendingPathComponent("instances/coalition-2026.json")
        return try (smallInstanceFiles() + [coalition]).filter { url in
            let text = try String(contentsOf: url, encoding: .utf8)
            return text.contains("\"sourcing-instance/1\"")
        }
    }

    // MARK: Upgrade (section 1)

    /// Reading a `/1` file and upgrading it keeps the version 1 optimum, on
    /// every `/1` instance in the repository (their floors, tariffs and
    /// feed-none sources included); the upgraded file is a valid `/2`
    /// instance with no floor that reads back to itself.
    /// (The coalition instance is too large for the dense test double.)
    @Test(arguments: Engine.allCases)
    func upgradeKeepsTheVersion1OptimumOfEveryShippedInstance(_ engine: Engine) throws {
        let files = try Self.version1Files()
        #expect(files.count >= 11, "the repository's /1 instances: \(files.map(\.lastPathComponent))")
        for url in files where engine != .double || url.lastPathComponent != "coalition-2026.json" {
            let (instance, _) = try InstanceLoader.load(path: url.path)
            #expect(instance.version == .v1)
            let upgraded = instance.upgraded()
            #expect(upgraded.version == .v2)
            #expect(upgraded.minerals.allSatisfy { $0.priceFloor == nil }, "\(url.lastPathComponent)")
            let text = InstanceEncoder.encode(upgraded)
            let (reread, _) = try InstanceLoader.decode(text, file: url.lastPathComponent)
            #expect(reread == upgraded, "\(url.lastPathComponent): the upgraded file reads back to itself")
            #expect(reread.upgraded() == reread, "a /2 instance is upgraded to itself")
            let before = try Self.plan(instance, on: engine), after = try Self.plan(reread, on: engine)
            #expect(before.status == after.status, "\(url.lastPathComponent)")
            if let a = before.objective {
                #expect(
                    isClose(after.objective, a, relative: 1e-9),
                    "\(url.lastPathComponent): v1 \(a) vs upgraded \(after.objective ?? .nan)")
                // The v1 report keeps its floor premium; the /2 one has none.
                #expect(after.breakdown?.floorPremium == 0)
                #expect(after.breakdown?.floorLevy == 0, "no floor is left to levy")
            }
        }
    }

    /// The floors instance: its v1 floor premium of 4 000 moves into the prices.
    @Test(arguments: Engine.allCases)
    func upgradeMovesTheFloorIntoPrices(_ engine: Engine) throws {
        let url = TestPaths.repository.appendingPathComponent("instances/small/floors.json")
        let (instance, _) = try InstanceLoader.load(path: url.path)
        let upgraded = instance.upgraded()
        #expect(upgraded.mines.map(\.price) == [500, 420])  // AUS raised, IDN outside the zone
        #expect(upgraded.refineries.map(\.fee) == [100, 500, 510])  // a mined refinery's fee and IDN's source unchanged
        let plan = try Self.plan(instance, on: engine)
        #expect(isClose(plan.breakdown?.floorPremium, 4_000))
        #expect(isClose(try Self.plan(upgraded, on: engine).objective, 51_800))
    }

    /// The same upgrade on generated /1 instances with floors everywhere.
    @Test(arguments: Engine.allCases, 1...12)
    func upgradeKeepsGeneratedOptima(_ engine: Engine, _ seed: Int) throws {
        var instance = InstanceGenerator(seed: UInt64(seed), minerals: 3, mines: 15, refineries: 9, buyers: 6).generate()
        for k in instance.minerals.indices { instance.minerals[k].priceFloor = (instance.minerals[k].referencePrice ?? 1000) * 0.9 }
        let before = try Self.plan(instance, on: engine), after = try Self.plan(instance.upgraded(), on: engine)
        #expect(before.status == after.status)
        if let a = before.objective { #expect(isClose(after.objective, a, relative: 1e-9), "seed \(seed)") }
    }

    // MARK: Reading /2 files: the new value forms and their errors

    static let v2 = #""format": "sourcing-instance/2","#

    static func v2JSON(
        minerals: String = #"[{"id": "cobalt"}, {"id": "lithium"}]"#,
        mines: String = #"[{"id": "m1", "mineral": "cobalt", "country": "CHN", "capacity": 100, "price": 10}]"#,
        buyers: String = #"[{"id": "b1", "country": "USA", "demand": {"cobalt": 50}}]"#,
        policy: String = "{}"
    ) -> String {
        instanceJSON(format: v2, minerals: minerals, mines: mines, buyers: buyers, policy: policy)
    }

    @Test func readsEveryNewForm() throws {
        let json = Self.v2JSON(
            minerals:
                #"[{"id": "cobalt", "shortfallPenalty": [{"upTo": 0.2, "penalty": 100}, {"upTo": 1, "penalty": 100}]}, {"id": "lithium"}]"#,
            mines:
                #"[{"id": "m1", "mineral": "cobalt", "country": "CHN", "capacity": 100, "price": 10, "byProduct": {"host": "copper", "hostThroughput": 5000, "ratio": 0.01}}]"#,
            buyers:
                #"[{"id": "b1", "country": "USA", "demand": {"cobalt": 50}, "exposureCap": {"*": {"share": 0.3, "penalty": 50}, "cobalt": 0.5}, "shortfallPenalty": {"*": 7, "cobalt": [{"upTo": 1, "penalty": 9}]}}]"#,
            policy: #"{"shortfallPenalty": [{"upTo": 0.5, "penalty": 1}, {"upTo": 1, "penalty": 2}]}"#)
        let (instance, warnings) = try InstanceLoader.decode(Data(json.utf8), file: "v2.json")
        #expect(warnings.isEmpty)
        #expect(instance.version == .v2)
        #expect(
            instance.minerals[0].shortfallPenalty
                == .curve([PenaltySegment(upTo: 0.2, penalty: 100), PenaltySegment(upTo: 1, penalty: 100)]))
        #expect(instance.mines[0].byProduct == ByProduct(host: "copper", hostThroughput: 5000, ratio: 0.01))
        #expect(instance.mines[0].effectiveCapacity == 50)
        #expect(instance.buyers[0].exposureCap["*"] == ExposureCap(share: 0.3, penalty: 50))
        #expect(instance.buyers[0].exposureCap["cobalt"] == 0.5)
        #expect(instance.buyers[0].shortfallPenalty == ["*": 7, "cobalt": .curve([PenaltySegment(upTo: 1, penalty: 9)])])
        // Written back canonically, it reads back the same.
        let (again, _) = try InstanceLoader.decode(InstanceEncoder.encode(instance), file: "again.json")
        #expect(again == instance)
    }

    /// Each bad input of the issue, with the path docs/FORMULATION.md section 9 names.
    @Test(arguments: [
        // out-of-order segments
        (
            #"[{"id": "cobalt", "shortfallPenalty": [{"upTo": 0.5, "penalty": 1}, {"upTo": 0.3, "penalty": 2}, {"upTo": 1, "penalty": 3}]}]"#,
            "minerals[0].shortfallPenalty[1].upTo"
        ),
        // a last upTo other than 1
        (
            #"[{"id": "cobalt", "shortfallPenalty": [{"upTo": 0.5, "penalty": 1}, {"upTo": 0.9, "penalty": 2}]}]"#,
            "minerals[0].shortfallPenalty[1].upTo"
        ),
        // decreasing penalties
        (
            #"[{"id": "cobalt", "shortfallPenalty": [{"upTo": 0.5, "penalty": 5}, {"upTo": 1, "penalty": 2}]}]"#,
            "minerals[0].shortfallPenalty[1].penalty"
        ),
        // an empty curve names the curve itself
        (#"[{"id": "cobalt", "shortfallPenalty": []}]"#, "minerals[0].shortfallPenalty"),
        // an upTo outside (0, 1]
        (
            #"[{"id": "cobalt", "shortfallPenalty": [{"upTo": 0, "penalty": 1}, {"upTo": 1, "penalty": 2}]}]"#,
            "minerals[0].shortfallPenalty[0].upTo"
        ),
        // a segment without penalty, and an unknown key in a segment
        (#"[{"id": "cobalt", "shortfallPenalty": [{"upTo": 1}]}]"#, "minerals[0].shortfallPenalty[0].penalty"),
        (#"[{"id": "cobalt", "shortfallPenalty": [{"upTo": 1, "penalty": 2, "cost": 3}]}]"#, "minerals[0].shortfallPenalty[0].cost"),
        // a negative penalty
        (#"[{"id": "cobalt", "shortfallPenalty": [{"upTo": 1, "penalty": -2}]}]"#, "minerals[0].shortfallPenalty[0].penalty")
    ])
    func curveErrorsNameTheirPath(_ minerals: String, _ path: String) {
        let paths = errorPaths(Self.v2JSON(minerals: minerals))
        #expect(paths == [path], "\(minerals)")
    }

    @Test func buyerCurveErrorsNameTheirPath() {
        let buyers =
            #"[{"id": "b1", "country": "USA", "demand": {"cobalt": 50}, "shortfallPenalty": {"cobalt": [{"upTo": 0.6, "penalty": 1}, {"upTo": 0.5, "penalty": 1}], "nickel": 5}}]"#
        #expect(
            errorPaths(Self.v2JSON(buyers: buyers))
                == ["buyers[0].shortfallPenalty.cobalt[1].upTo", "buyers[0].shortfallPenalty.nickel"])
        // A key for a listed mineral the buyer does not demand is a warning.
        let warned = diagnostics(
            Self.v2JSON(buyers: #"[{"id": "b1", "country": "USA", "demand": {"cobalt": 50}, "shortfallPenalty": {"lithium": 5}}]"#))
        #expect(warned.map(\.path) == ["buyers[0].shortfallPenalty.lithium"])
        #expect(warned.allSatisfy { $0.severity == .warning })
    }

    @Test func softCapAndByProductErrorsNameTheirPath() {
        let noShare = #"[{"id": "b1", "country": "USA", "demand": {"cobalt": 50}, "exposureCap": {"cobalt": {"penalty": 5}}}]"#
        #expect(errorPaths(Self.v2JSON(buyers: noShare)) == ["buyers[0].exposureCap.cobalt.share"])
        let badShare =
            #"[{"id": "b1", "country": "USA", "demand": {"cobalt": 50}, "exposureCap": {"cobalt": {"share": 1.5, "penalty": 5}}}]"#
        #expect(errorPaths(Self.v2JSON(buyers: badShare)) == ["buyers[0].exposureCap.cobalt.share"])
        let noHost =
            #"[{"id": "m1", "mineral": "cobalt", "country": "CHN", "capacity": 100, "price": 10, "byProduct": {"hostThroughput": 5, "ratio": 0.1}}]"#
        #expect(errorPaths(Self.v2JSON(mines: noHost)) == ["mines[0].byProduct.host"])
        let emptyHost =
            #"[{"id": "m1", "mineral": "cobalt", "country": "CHN", "capacity": 100, "price": 10, "byProduct": {"host": "", "hostThroughput": 5, "ratio": -0.1}}]"#
        #expect(errorPaths(Self.v2JSON(mines: emptyHost)) == ["mines[0].byProduct.host", "mines[0].byProduct.ratio"])
    }

    /// A v2 field or value form in a `/1` file is an unknown key or a type
    /// error at its path.
    @Test func version2FieldsInAVersion1FileAreRefused() {
        let curve = instanceJSON(minerals: #"[{"id": "cobalt", "shortfallPenalty": [{"upTo": 1, "penalty": 1}]}]"#)
        #expect(errorPaths(curve) == ["minerals[0].shortfallPenalty"])
        let soft = instanceJSON(
            buyers: #"[{"id": "b1", "country": "USA", "demand": {"cobalt": 50}, "exposureCap": {"cobalt": {"share": 0.5, "penalty": 1}}}]"#)
        #expect(errorPaths(soft) == ["buyers[0].exposureCap.cobalt"])
        let buyerPenalty = instanceJSON(
            buyers: #"[{"id": "b1", "country": "USA", "demand": {"cobalt": 50}, "shortfallPenalty": {"cobalt": 5}}]"#)
        let refused = errors(buyerPenalty)
        #expect(refused.map(\.path) == ["buyers[0].shortfallPenalty"])
        #expect(refused.first?.message.contains("sourcing-instance/2") == true)
        let byProduct = instanceJSON(
            mines:
                #"[{"id": "m1", "mineral": "cobalt", "country": "CHN", "capacity": 100, "price": 10, "byProduct": {"host": "zinc", "hostThroughput": 5, "ratio": 0.1}}]"#
        )
        #expect(errorPaths(byProduct) == ["mines[0].byProduct"])
    }

    @Test func floorWithoutReferencePriceWarnsInVersion2Only() {
        let minerals = #"[{"id": "cobalt", "priceFloor": 500}, {"id": "lithium"}]"#
        let warned = diagnostics(Self.v2JSON(minerals: minerals))
        #expect(warned.map(\.path) == ["minerals[0].priceFloor"])
        #expect(warned.first?.severity == .warning)
        #expect(diagnostics(instanceJSON(minerals: minerals)).isEmpty, "version 1's floor needs no reference price")
    }

    // MARK: Scenarios and versions (section 7)

    @Test func version2ActionsOnAVersion1InstanceAreRefused() throws {
        let instance = scenarioTestInstance()
        #expect(instance.version == .v1)
        let changes: [ScenarioChange] = [
            .hostThroughput(.factor(0.5), where: FacilitySelector()),
            .buyerShortfallPenalty(set: 5, where: ExposureCapSelector(mineral: "*")),
            .exposureCap(set: ExposureCap(share: 0.2, penalty: 10), where: ExposureCapSelector(mineral: "*")),
            .shortfallPenalty(set: .curve([PenaltySegment(upTo: 1, penalty: 3)]), where: MineralSelector()),
            .exposureCap(set: 0.2, where: ExposureCapSelector(mineral: "*"))  // a v1 form: fine
        ]
        #expect(
            applyErrorPaths(changes, to: instance) == [
                "changes[0].hostThroughput", "changes[1].shortfallPenalty", "changes[2].exposureCap", "changes[3].shortfallPenalty"
            ])
        // The same changes apply to the upgraded instance, except the host
        // cut, which selects nothing there (no facility has a byProduct).
        #expect(applyErrorPaths(changes, to: instance.upgraded()) == ["changes[0].where"])
    }

    @Test func hostThroughputCutsTheByProductCapacity() throws {
        var instance = scenarioTestInstance().upgraded()
        instance.mines[0].byProduct = ByProduct(host: "zinc", hostThroughput: 1000, ratio: 0.05)
        let (changed, _) = try ScenarioApplier.apply(
            Scenario(changes: [.hostThroughput(.factor(0.5), where: FacilitySelector(host: "zinc"))]),
            to: instance, scenarioFile: "s.json")
        #expect(changed.mines[0].byProduct?.hostThroughput == 500)
        #expect(changed.mines[0].effectiveCapacity == min(instance.mines[0].capacity, 25))
        // A host label no facility carries is named; a field matching only
        // facilities without a byProduct selects nothing.
        #expect(
            applyErrorPaths([.hostThroughput(.factor(0.5), where: FacilitySelector(host: "copper"))], to: instance)
                == ["changes[0].where.host"])
        if let other = instance.mines.dropFirst().first {
            #expect(
                applyErrorPaths([.hostThroughput(.set(1), where: FacilitySelector(id: other.id))], to: instance)
                    == ["changes[0].where.id"])
        }
    }

    @Test func buyerPenaltyScenarioSetsTheBuyersKey() throws {
        let instance = scenarioTestInstance().upgraded()
        let buyer = try #require(instance.buyers.first)
        let curve = ShortfallPenalty.curve([PenaltySegment(upTo: 0.5, penalty: 10), PenaltySegment(upTo: 1, penalty: 20)])
        let (changed, _) = try ScenarioApplier.apply(
            Scenario(changes: [.buyerShortfallPenalty(set: curve, where: ExposureCapSelector(buyer: buyer.id, mineral: "*"))]),
            to: instance, scenarioFile: "s.json")
        #expect(changed.buyers[0].shortfallPenalty["*"] == curve)
        #expect(changed.buyers.dropFirst().allSatisfy { $0.shortfallPenalty.isEmpty })
        // A decreasing curve makes the instance invalid: the error names the change.
        let bad = ShortfallPenalty.curve([PenaltySegment(upTo: 0.5, penalty: 30), PenaltySegment(upTo: 1, penalty: 20)])
        #expect(
            applyErrorPaths([.buyerShortfallPenalty(set: bad, where: ExposureCapSelector(mineral: "*"))], to: instance)
                .allSatisfy { $0 == "changes[0].shortfallPenalty.set" })
    }

    @Test func scenarioFilesReadTheNewForms() throws {
        let changes = try decodeChanges(
            """
            {"shortfallPenalty": {"set": [{"upTo": 0.2, "penalty": 1}, {"upTo": 1, "penalty": 2}]}, "where": {"country": "USA", "mineral": "*"}},
            {"shortfallPenalty": {"set": 4}, "where": {"mineral": "cobalt"}},
            {"exposureCap": {"set": {"share": 0.2, "penalty": 30}}, "where": {"mineral": "cobalt"}},
            {"hostThroughput": {"set": 100}, "where": {"host": "alumina", "country": "CHN"}}
            """)
        #expect(
            changes == [
                .buyerShortfallPenalty(
                    set: .curve([PenaltySegment(upTo: 0.2, penalty: 1), PenaltySegment(upTo: 1, penalty: 2)]),
                    where: ExposureCapSelector(country: "USA", mineral: "*")),
                .shortfallPenalty(set: 4, where: MineralSelector(mineral: "cobalt")),
                .exposureCap(set: ExposureCap(share: 0.2, penalty: 30), where: ExposureCapSelector(mineral: "cobalt")),
                .hostThroughput(.set(100), where: FacilitySelector(country: "CHN", host: "alumina"))
            ])
        // Round trip through the encoder.
        let scenario = Scenario(changes: changes)
        #expect(try ScenarioLoader.decode(ScenarioEncoder.encode(scenario), file: "s.json") == scenario)
        // A buyer key without mineral, and a soft cap without penalty.
        #expect(
            scenarioErrorPaths(changes: #"{"shortfallPenalty": {"set": 4}, "where": {"buyer": "b1"}}"#)
                == ["changes[0].where.mineral"])
        #expect(
            scenarioErrorPaths(changes: #"{"exposureCap": {"set": {"share": 0.2}}, "where": {"mineral": "*"}}"#)
                == ["changes[0].exposureCap.set.penalty"])
    }
}
