import Foundation
import Sourcing
import TestSupport
import Testing

/// Every action and selector of docs/FORMULATION.md section 7 on the small
/// instance of ``scenarioTestInstance()``, against hand-computed values.
@Suite("Scenario applier")
struct ScenarioApplierTests {
    // MARK: capacity

    @Test func capacityFactorsMultiply() throws {
        let half = ScenarioChange.capacity(.factor(0.5), where: FacilitySelector(id: "m-cod"))
        let (result, warnings) = try applying([half, half])
        #expect(result.mines[0].capacity == 25)  // 100 * 0.5 * 0.5
        #expect(result.mines[1].capacity == 50)
        #expect(result.refineries.map(\.capacity) == [120, 60, 40])
        #expect(warnings.isEmpty)
    }

    @Test func capacitySetByCountryMineralAndStage() throws {
        let cut = ScenarioChange.capacity(.set(0), where: FacilitySelector(country: "CHN", mineral: "cobalt", stage: .refinery))
        let (result, _) = try applying([cut])
        #expect(result.refineries.map(\.capacity) == [0, 60, 40])  // r-li is lithium: untouched
        #expect(result.mines.map(\.capacity) == [100, 50, 80])  // m-chn is a mine: untouched
    }

    @Test func capacityStageMineByCountry() throws {
        let (result, _) = try applying([.capacity(.factor(0.6), where: FacilitySelector(country: "CHN", stage: .mine))])
        #expect(result.mines.map(\.capacity) == [100, 30, 80])
        #expect(result.refineries.map(\.capacity) == [120, 60, 40])
    }

    @Test func emptyWhereSelectsEveryFacility() throws {
        let (result, _) = try applying([.capacity(.factor(2), where: FacilitySelector())])
        #expect(result.mines.map(\.capacity) == [200, 100, 160])
        #expect(result.refineries.map(\.capacity) == [240, 120, 80])
    }

    @Test func factorThenSetThenFactor() throws {
        let at = FacilitySelector(id: "r-usa")
        let (result, _) = try applying([
            .capacity(.factor(3), where: at), .capacity(.set(40), where: at),
            .capacity(.factor(0.25), where: at)
        ])
        #expect(result.refineries[1].capacity == 10)
    }

    // MARK: price

    @Test func priceOnRefineriesIsTheFee() throws {
        let (result, _) = try applying([.price(.factor(1.5), where: FacilitySelector(mineral: "cobalt", stage: .refinery))])
        #expect(result.refineries.map(\.fee) == [7.5, 12, 3])
        #expect(result.mines.map(\.price) == [10, 12, 7])
    }

    @Test func priceOnMinesAndRefineries() throws {
        let (result, _) = try applying([
            .price(.factor(0.5), where: FacilitySelector(mineral: "lithium")),
            .price(.set(11), where: FacilitySelector(id: "m-cod"))
        ])
        #expect(result.mines.map(\.price) == [11, 12, 3.5])
        #expect(result.refineries.map(\.fee) == [5, 8, 1.5])
    }

    // MARK: demand

    @Test func demandFactorByMineral() throws {
        let (result, _) = try applying([.demand(.factor(1.2), where: BuyerSelector(mineral: "cobalt"))])
        #expect(result.buyers[0].demand == ["cobalt": 60, "lithium": 20])
        #expect(result.buyers[1].demand == ["cobalt": 12])
    }

    @Test func demandSetByBuyerTouchesEveryEntry() throws {
        let (result, _) = try applying([.demand(.set(5), where: BuyerSelector(buyer: "b-usa"))])
        #expect(result.buyers[0].demand == ["cobalt": 5, "lithium": 5])
        #expect(result.buyers[1].demand == ["cobalt": 10])
    }

    @Test func demandByCountryAndEmptyWhere() throws {
        let (byCountry, _) = try applying([.demand(.factor(0), where: BuyerSelector(country: "AUS"))])
        #expect(byCountry.buyers[1].demand == ["cobalt": 0])
        #expect(byCountry.buyers[0].demand == ["cobalt": 50, "lithium": 20])
        let (all, _) = try applying([.demand(.factor(0.5), where: BuyerSelector()), .demand(.factor(0.5), where: BuyerSelector())])
        #expect(all.buyers[0].demand == ["cobalt": 12.5, "lithium": 5])
        #expect(all.buyers[1].demand == ["cobalt": 2.5])
    }

    @Test func demandNeverAddsAnEntry() throws {
        // lithium is selected only where a buyer already demands it.
        let (result, _) = try applying([.demand(.set(7), where: BuyerSelector(mineral: "lithium"))])
        #expect(result.buyers[0].demand == ["cobalt": 50, "lithium": 7])
        #expect(result.buyers[1].demand == ["cobalt": 10])
    }

    // MARK: exposureCap

    @Test func exposureCapAddsAndReplaces() throws {
        let (result, _) = try applying([
            .exposureCap(set: 0.1, where: ExposureCapSelector(buyer: "b-usa", mineral: "cobalt")),  // replaces 0.3
            .exposureCap(set: 0.5, where: ExposureCapSelector(buyer: "b-usa", mineral: "lithium"))  // adds
        ])
        #expect(result.buyers[0].exposureCap == ["cobalt": 0.1, "lithium": 0.5])
        #expect(result.buyers[1].exposureCap == [:])
    }

    @Test func exposureCapStarKeyByCountryAndForEveryBuyer() throws {
        let (byCountry, _) = try applying([.exposureCap(set: 0.2, where: ExposureCapSelector(country: "AUS", mineral: "*"))])
        #expect(byCountry.buyers[1].exposureCap == ["*": 0.2])
        #expect(byCountry.buyers[0].exposureCap == ["cobalt": 0.3])
        let (all, _) = try applying([.exposureCap(set: 0, where: ExposureCapSelector(mineral: "*"))])
        #expect(all.buyers[0].exposureCap == ["cobalt": 0.3, "*": 0])
        #expect(all.buyers[1].exposureCap == ["*": 0])
    }

    // MARK: Mineral values

    @Test func mineralValuesSetOneOrEvery() throws {
        let (result, _) = try applying([
            .priceFloor(set: 900, where: MineralSelector(mineral: "cobalt")),
            .referencePrice(set: 40_000, where: MineralSelector(mineral: "lithium")),
            .shortfallPenalty(set: 1_000, where: MineralSelector())
        ])
        #expect(
            result.minerals == [
                Mineral(id: "cobalt", priceFloor: 900, shortfallPenalty: 1_000),
                Mineral(id: "lithium", referencePrice: 40_000, shortfallPenalty: 1_000)
            ])
    }

    @Test func priceFloorForEveryMineral() throws {
        let (result, _) = try applying([.priceFloor(set: 0, where: MineralSelector())])
        #expect(result.minerals.map(\.priceFloor) == [0, 0])
    }

    // MARK: block, unblock

    @Test func blockAppends() throws {
        let ban = Block(from: "CHN", mineral: "cobalt")
        let (result, _) = try applying([.block(ban), .block(Block(from: "COD", to: "USA"))])
        #expect(result.policy.blocked == [ban, Block(from: "COD", to: "USA")])
        #expect(result.policy.externalTariff == 0.1)
    }

    @Test func unblockRemovesEveryEqualEntry() throws {
        var instance = scenarioTestInstance()
        let ban = Block(from: "CHN", mineral: "cobalt")
        instance.policy.blocked = [ban, Block(from: "CHN"), ban, Block(from: "CHN", to: "USA", mineral: "cobalt")]
        let (result, warnings) = try applying([.unblock(ban)], to: instance)
        #expect(result.policy.blocked == [Block(from: "CHN"), Block(from: "CHN", to: "USA", mineral: "cobalt")])
        #expect(warnings.isEmpty)
    }

    @Test func unblockAfterBlockRestores() throws {
        let ban = Block(from: "CHN")
        let (result, _) = try applying([.block(ban), .unblock(ban)])
        #expect(result.policy.blocked == [])
    }

    @Test func unblockRemovingNothingIsAWarning() throws {
        var instance = scenarioTestInstance()
        instance.policy.blocked = [Block(from: "CHN", mineral: "cobalt")]
        let (result, warnings) = try applying([.unblock(Block(from: "CHN"))], to: instance)
        #expect(result == instance)
        #expect(
            warnings.map(\.description)
                == [#"s.json: changes[0].unblock: warning: removes nothing: policy.blocked has no entry equal to {"from":"CHN"}"#])
        // With no blocked list at all.
        let (_, none) = try applying([.unblock(Block(mineral: "lithium"))])
        #expect(none.map(\.path) == ["changes[0].unblock"])
        #expect(none.allSatisfy { $0.severity == .warning })
    }

    // MARK: policy

    @Test func policySetsOnlyThePresentFields() throws {
        var instance = scenarioTestInstance()
        instance.policy.blocked = [Block(from: "CHN")]
        instance.policy.maxCountryShare = 0.9
        let (result, _) = try applying(
            [.policy(Policy(defaultTransportCost: 15, minCoalitionShare: 0.4, shortfallPenalty: 2_000))],
            to: instance)
        #expect(
            result.policy
                == Policy(
                    defaultTransportCost: 15, externalTariff: 0.1, maxCountryShare: 0.9,
                    minCoalitionShare: 0.4, shortfallPenalty: 2_000, blocked: [Block(from: "CHN")]))
    }

    @Test func policyBlockedReplacesTheList() throws {
        var instance = scenarioTestInstance()
        instance.policy.blocked = [Block(from: "CHN"), Block(from: "COD")]
        let (result, _) = try applying(
            [.policy(Policy(externalTariff: 2.5, maxCountryShare: 0.5, blocked: [Block(to: "USA")]))],
            to: instance)
        #expect(result.policy == Policy(externalTariff: 2.5, maxCountryShare: 0.5, blocked: [Block(to: "USA")]))
    }

    // MARK: Order and the unchanged rest

    @Test func noChangesLeavesTheInstance() throws {
        let (result, warnings) = try applying([])
        #expect(result == scenarioTestInstance())
        #expect(warnings.isEmpty)
    }

    @Test func onlySelectedValuesChange() throws {
        let (result, _) = try applying([.capacity(.set(1), where: FacilitySelector(id: "m-aus"))])
        var expected = scenarioTestInstance()
        expected.mines[2].capacity = 1
        #expect(result == expected)
    }

    // MARK: Selections that select nothing

    @Test func unknownCountryIsNamed() {
        let found = applyDiagnostics([.capacity(.factor(0.5), where: FacilitySelector(country: "XXX"))])
        #expect(
            found.map(\.description)
                == [#"s.json: changes[0].where.country: selects nothing: country "XXX" is not listed in countries"#])
    }

    @Test func lowerCaseCountryGetsAHint() {
        let found = applyDiagnostics([.capacity(.factor(0.5), where: FacilitySelector(country: "chn"))])
        #expect(found.map(\.path) == ["changes[0].where.country"])
        #expect(found.first?.message.contains(#"did you mean "CHN"?"#) == true)
    }

    @Test func listedCountryWithoutFacilities() {
        let found = applyDiagnostics([.price(.factor(0.5), where: FacilitySelector(country: "FIN"))])
        #expect(found.map(\.description) == [#"s.json: changes[0].where.country: selects nothing: no mine or refinery is in "FIN""#])
    }

    @Test func eachFieldThatAloneSelectsNothingIsNamed() {
        #expect(
            applyErrorPaths([.capacity(.set(0), where: FacilitySelector(id: "nope", country: "CHN", mineral: "nickel"))])
                == ["changes[0].where.id", "changes[0].where.mineral"])
        #expect(applyErrorPaths([.capacity(.set(0), where: FacilitySelector(mineral: "*"))]) == ["changes[0].where.mineral"])
    }

    @Test func fieldsThatTogetherSelectNothingNameTheWhere() {
        // CHN has facilities, lithium has some, there are mines: no CHN lithium mine.
        let found = applyDiagnostics([.capacity(.set(0), where: FacilitySelector(country: "CHN", mineral: "lithium", stage: .mine))])
        #expect(found.map(\.path) == ["changes[0].where"])
        #expect(
            found.first?.message
                == #"selects nothing: no mine or refinery matches all of {"country":"CHN","mineral":"lithium","stage":"mine"} (each alone selects some)"#
        )
    }

    @Test func stageWithoutFacilities() {
        var instance = scenarioTestInstance()
        instance.mines = []
        #expect(
            applyErrorPaths([.capacity(.set(0), where: FacilitySelector(stage: .mine))], to: instance)
                == ["changes[0].where.stage"])
        instance.refineries = []
        #expect(applyErrorPaths([.capacity(.set(0), where: FacilitySelector())], to: instance) == ["changes[0].where"])
    }

    @Test func demandSelectionsThatSelectNothing() {
        #expect(applyErrorPaths([.demand(.set(1), where: BuyerSelector(buyer: "nobody"))]) == ["changes[0].where.buyer"])
        #expect(applyErrorPaths([.demand(.set(1), where: BuyerSelector(country: "CHN"))]) == ["changes[0].where.country"])
        #expect(applyErrorPaths([.demand(.set(1), where: BuyerSelector(mineral: "nickel"))]) == ["changes[0].where.mineral"])
        // b-aus exists and lithium is demanded (by b-usa), but b-aus does not demand lithium.
        #expect(applyErrorPaths([.demand(.set(1), where: BuyerSelector(buyer: "b-aus", mineral: "lithium"))]) == ["changes[0].where"])
        var noDemand = scenarioTestInstance()
        noDemand.buyers[1].demand = [:]
        #expect(applyErrorPaths([.demand(.set(1), where: BuyerSelector(buyer: "b-aus"))], to: noDemand) == ["changes[0].where.buyer"])
    }

    @Test func exposureCapSelectionsThatSelectNothing() {
        #expect(applyErrorPaths([.exposureCap(set: 0.1, where: ExposureCapSelector(mineral: "nickel"))]) == ["changes[0].where.mineral"])
        #expect(
            applyErrorPaths([.exposureCap(set: 0.1, where: ExposureCapSelector(buyer: "x", mineral: "cobalt"))]) == [
                "changes[0].where.buyer"
            ])
        #expect(
            applyErrorPaths([.exposureCap(set: 0.1, where: ExposureCapSelector(country: "FIN", mineral: "*"))])
                == ["changes[0].where.country"])
        #expect(
            applyErrorPaths([.exposureCap(set: 0.1, where: ExposureCapSelector(buyer: "b-aus", country: "USA", mineral: "*"))])
                == ["changes[0].where"])
    }

    @Test func mineralSelectionsThatSelectNothing() {
        #expect(applyErrorPaths([.referencePrice(set: 1, where: MineralSelector(mineral: "nickel"))]) == ["changes[0].where.mineral"])
        #expect(applyErrorPaths([.shortfallPenalty(set: 1, where: MineralSelector())], to: Instance()) == ["changes[0].where"])
    }

    // MARK: Changes that would make the instance invalid

    @Test func overflowingFactorNamesTheFactor() {
        let at = FacilitySelector(id: "m-cod")
        let found = applyDiagnostics([.capacity(.set(1e11), where: at), .capacity(.factor(1e300), where: at)])
        #expect(
            found.map(\.description)
                == ["s.json: changes[1].capacity.factor: makes the instance invalid: mines[0].capacity: inf must be a finite number >= 0"])
    }

    @Test func instancePathsNameTheEntityOfTheWholeInstance() {
        // r-li is refineries[2], b-aus is buyers[1]: the paths are those of the instance.
        #expect(
            applyDiagnostics([.price(.set(.infinity), where: FacilitySelector(mineral: "lithium", stage: .refinery))])
                .map(\.message) == ["makes the instance invalid: refineries[2].fee: inf must be a finite number >= 0"])
        #expect(
            applyDiagnostics([.demand(.set(-2), where: BuyerSelector(country: "AUS"))]).map(\.message)
                == ["makes the instance invalid: buyers[1].demand.cobalt: -2 must be >= 0"])
        #expect(
            applyDiagnostics([.exposureCap(set: 2, where: ExposureCapSelector(buyer: "b-aus", mineral: "*"))]).map(\.message)
                == [#"makes the instance invalid: buyers[1].exposureCap["*"]: 2 must be in [0, 1]"#])
    }

    @Test func generatedInstanceStaysValid() throws {
        let instance = InstanceGenerator(seed: 7, minerals: 4, mines: 60, refineries: 40, buyers: 15, mip: true).generate()
        let mineral = try #require(instance.minerals.first?.id)
        let country = try #require(instance.refineries.first?.country)
        let (result, _) = try applying(
            [
                .capacity(.factor(0.5), where: FacilitySelector(mineral: mineral)),
                .capacity(.set(0), where: FacilitySelector(country: country, stage: .refinery)),
                .demand(.factor(1.5), where: BuyerSelector()),
                .exposureCap(set: 0.25, where: ExposureCapSelector(mineral: mineral)),
                .block(Block(from: country))
            ], to: instance)
        for (old, new) in zip(instance.mines, result.mines) {
            #expect(new.capacity == (old.mineral == mineral ? old.capacity * 0.5 : old.capacity))
        }
        for (old, new) in zip(instance.refineries, result.refineries) {
            let expected = old.country == country ? 0 : (old.mineral == mineral ? old.capacity * 0.5 : old.capacity)
            #expect(new.capacity == expected)
        }
        #expect(result.buyers.allSatisfy { $0.exposureCap[mineral] == 0.25 })
    }

    @Test func invalidSetValuesNameTheSet() {
        #expect(
            applyErrorPaths([.exposureCap(set: 1.5, where: ExposureCapSelector(mineral: "cobalt"))])
                == ["changes[0].exposureCap.set", "changes[0].exposureCap.set"])  // one per buyer
        #expect(applyErrorPaths([.priceFloor(set: -1, where: MineralSelector(mineral: "cobalt"))]) == ["changes[0].priceFloor.set"])
        #expect(applyErrorPaths([.demand(.set(-.infinity), where: BuyerSelector(buyer: "b-aus"))]) == ["changes[0].demand.set"])
        #expect(applyErrorPaths([.price(.factor(-1), where: FacilitySelector(id: "r-li"))]) == ["changes[0].price.factor"])
    }

    @Test func blockNamingAnUnlistedCountry() {
        var instance = scenarioTestInstance()
        instance.policy.blocked = [Block(from: "CHN")]
        let found = applyDiagnostics([.block(Block(from: "RUS", mineral: "cobalt"))], to: instance)
        #expect(
            found.map(\.description)
                == [
                    #"s.json: changes[0].block.from: makes the instance invalid: policy.blocked[1].from: country "RUS" is not listed in countries"#
                ])
        #expect(applyErrorPaths([.block(Block(mineral: "nickel"))]) == ["changes[0].block.mineral"])
    }

    @Test func policyValuesNameTheField() {
        #expect(applyErrorPaths([.policy(Policy(maxCountryShare: 1.5))]) == ["changes[0].policy.maxCountryShare"])
        #expect(
            applyErrorPaths([.policy(Policy(blocked: [Block(from: "CHN"), Block(to: "XYZ")]))])
                == ["changes[0].policy.blocked[1].to"])
    }

    @Test func everyErrorIsCollectedAndFailedChangesAreSkipped() {
        let changes: [ScenarioChange] = [
            .capacity(.factor(0.5), where: FacilitySelector(country: "XXX")),
            .capacity(.factor(0.5), where: FacilitySelector(id: "m-cod")),
            .block(Block(from: "RUS")),
            .capacity(.factor(0.5), where: FacilitySelector(id: "m-cod")),
            .demand(.set(1), where: BuyerSelector(buyer: "nobody"))
        ]
        let found = applyDiagnostics(changes)
        #expect(found.map(\.path) == ["changes[0].where.country", "changes[2].block.from", "changes[4].where.buyer"])
        #expect(found.allSatisfy { $0.severity == .error && $0.file == "s.json" })
    }

    // MARK: Warnings a change brings about

    @Test func capacityCutBelowMinVolumeIsAWarning() throws {
        let (result, warnings) = try applying([.capacity(.set(10), where: FacilitySelector(id: "r-usa"))])
        #expect(result.refineries[1].capacity == 10)
        #expect(
            warnings.map(\.description) == [
                "s.json: changes[0].capacity.set: warning: refineries[1].minVolume: minVolume 20 is above capacity 10: the facility can never be contracted"
            ])
        // A second cut on the same facility does not repeat it.
        let (_, twice) = try applying([
            .capacity(.set(10), where: FacilitySelector(id: "r-usa")),
            .capacity(.factor(0.5), where: FacilitySelector(id: "r-usa"))
        ])
        #expect(twice.count == 2)
        #expect(twice.map(\.path) == ["changes[0].capacity.set", "changes[1].capacity.factor"])
    }

    @Test func emptyBlockIsAWarning() throws {
        let (result, warnings) = try applying([.block(Block())])
        #expect(result.policy.blocked == [Block()])
        #expect(warnings.map(\.path) == ["changes[0].block"])
        #expect(warnings.first?.message == "policy.blocked[0]: an empty block {} blocks every cross-border arc")
    }

    @Test func warningsOfTheInstanceItselfAreNotRepeated() throws {
        var instance = scenarioTestInstance()
        instance.refineries[1].minVolume = 100  // above capacity 60 already
        let (_, warnings) = try applying([.capacity(.factor(0.5), where: FacilitySelector(id: "m-cod"))], to: instance)
        #expect(warnings.isEmpty)
    }

    @Test func anInvalidInstanceIsRefusedWithItsOwnDiagnostics() {
        var instance = scenarioTestInstance()
        instance.mines[0].capacity = -1
        do {
            _ = try ScenarioApplier.apply(Scenario(), to: instance, scenarioFile: "s.json", instanceFile: "i.json")
            Issue.record("expected an error")
        } catch {
            #expect(error.diagnostics.map(\.description) == ["i.json: mines[0].capacity: -1 must be >= 0"])
        }
    }

    // MARK: Small instances of the repository

    @Test func everyActionKeepsTheSmallInstancesValid() throws {
        let files = try smallInstanceFiles()
        #expect(!files.isEmpty)
        for url in files {
            let (instance, _) = try InstanceLoader.load(path: url.path)
            guard let mineral = instance.minerals.first?.id, let country = instance.countries.first?.code,
                !instance.buyers.isEmpty, !(instance.mines.isEmpty && instance.refineries.isEmpty)
            else { continue }
            let changes: [ScenarioChange] = [
                .capacity(.factor(0.5), where: FacilitySelector()),
                .price(.factor(1.1), where: FacilitySelector()),
                .demand(.factor(0.9), where: BuyerSelector()),
                .exposureCap(set: 0.9, where: ExposureCapSelector(mineral: "*")),
                .priceFloor(set: 1, where: MineralSelector(mineral: mineral)),
                .referencePrice(set: 2, where: MineralSelector()),
                .shortfallPenalty(set: 1e6, where: MineralSelector()),
                .block(Block(to: country, mineral: mineral)),
                .policy(Policy(defaultTransportCost: 1, minCoalitionShare: 0))
            ]
            let (result, _) = try applying(changes, to: instance)
            #expect(result.mines.map(\.capacity) == instance.mines.map { $0.capacity * 0.5 }, "\(url.lastPathComponent)")
            #expect(result.refineries.map(\.fee) == instance.refineries.map { $0.fee * 1.1 }, "\(url.lastPathComponent)")
            #expect(result.policy.blocked?.last == Block(to: country, mineral: mineral), "\(url.lastPathComponent)")
        }
    }
}
