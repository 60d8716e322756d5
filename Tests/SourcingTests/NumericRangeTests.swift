import Foundation
import GLPK
import LinearModel
import Sourcing
import StrictJSON
import TestSupport
import Testing

/// Numbers GLPK solves correctly, or a clear refusal (issue 14): a cost far
/// above the instance's scale made GLPK report a wrong optimum as optimal;
/// a subnormal yield hung the solve.
@Suite struct NumericRangeTests {
    static let base = InstanceGenerator(seed: 5, minerals: 4, mines: 40, refineries: 16, buyers: 8).generate()

    static func withUnusedMine(price: Double) -> Instance {
        var instance = base
        instance.mines.append(Mine(id: "mine-unused", mineral: "m1", country: "AUS", capacity: 100, price: price))
        return instance
    }

    static func plan(_ instance: Instance) throws -> Plan {
        var options = PlanOptions()
        options.explain = false
        return try SourcingSolver(GLPKSolver()).plan(instance, options: options)
    }

    /// The issue's case: an unused mine priced at 1e15 is refused at its
    /// path (GLPK reported an optimum 51% too high); so is 1e12 (0.008% too
    /// high) and anything above a million times the median price or fee.
    @Test(arguments: [1e15, 1e12, 1e11])
    func hugeCostIsRefusedAtItsPath(_ price: Double) {
        let problems = validate(Self.withUnusedMine(price: price), file: "g.json").filter { $0.severity == .error }
        #expect(problems.map(\.path) == ["mines[40].price"], "\(problems)")
        #expect(problems.first?.message.contains("median price or fee") == true)
    }

    /// Below the limit the answer is exact: the unused mine changes nothing.
    @Test(arguments: [1e6, 1e9])
    func largeCostBelowTheLimitKeepsTheOptimum(_ price: Double) throws {
        let instance = Self.withUnusedMine(price: price)
        #expect(validate(instance, file: "g.json").allSatisfy { $0.severity != .error })
        let expected = try #require(try Self.plan(Self.base).objective)
        #expect(isClose(try Self.plan(instance).objective, expected, relative: 1e-12))
    }

    @Test func subnormalNumbersAreRefused() {
        var instance = Self.base
        instance.refineries[0].yield = 1e-310
        instance.mines[0].capacity = 5e-324
        instance.buyers[0].exposureCap["*"] = ExposureCap(share: 1e-320)
        let problems = validate(instance, file: "g.json").filter { $0.severity == .error }
        #expect(Set(problems.map(\.path)) == ["refineries[0].yield", "mines[0].capacity", "buyers[0].exposureCap[\"*\"]"], "\(problems)")
        #expect(problems.allSatisfy { $0.message.contains("subnormal") })
    }

    /// The limits hold after a scenario too: a price factor that pushes a
    /// mine past the limit is refused by the applier.
    @Test func scenarioCannotPushACostPastTheLimit() {
        let scenario = Scenario(changes: [.price(.factor(1e8), where: FacilitySelector(id: Self.base.mines[0].id))])
        do {
            _ = try ScenarioApplier.apply(scenario, to: Self.base, scenarioFile: "s.json")
            Issue.record("the scenario was applied")
        } catch {
            #expect(error.diagnostics.contains { $0.path == "changes" && $0.message.contains("mines[0].price") }, "\(error.diagnostics)")
        }
    }

    /// A tonnage of 1e30 passed validation and failed the solve at
    /// `variable #0`; tonnages above 1e12 t are refused at their path.
    @Test func hugeTonnagesAreRefused() {
        var instance = Self.base
        instance.mines[0].capacity = 1e30
        instance.buyers[0].demand[instance.buyers[0].demand.keys.sorted()[0]] = 2e12
        let problems = validate(instance, file: "g.json").filter { $0.severity == .error }
        #expect(problems.count == 2, "\(problems)")
        #expect(problems.first?.path == "mines[0].capacity")
        #expect(problems.last?.path.hasPrefix("buyers[0].demand") == true)
    }

    /// A non-zero tonnage a million times below the instance's median
    /// capacity or demand is warned about at its path (GLPK's tolerance may
    /// read it as 0); 0 and ordinary small tonnages are not.
    @Test func tinyTonnagesAreWarnedAbout() throws {
        var instance = Self.base
        let key = try #require(instance.buyers[1].demand.keys.sorted().first)
        instance.mines[1].capacity = 1e-9
        instance.mines[2].capacity = 0
        instance.buyers[1].demand[key] = 2e-8
        let diagnostics = validate(instance, file: "g.json")
        #expect(!diagnostics.contains { $0.severity == .error }, "\(diagnostics)")
        let small = diagnostics.filter { $0.message.contains("median capacity or demand") }
        #expect(small.map(\.path) == ["mines[1].capacity", JSONPath.appending("buyers[1].demand", key: key)], "\(small)")
        #expect(small.allSatisfy { $0.severity == .warning })
        #expect(!validate(Self.base, file: "g.json").contains { $0.message.contains("median capacity or demand") })
    }
}
