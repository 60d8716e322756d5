import Foundation
import GLPK
import LinearModel
import Sourcing
import StrictJSON
import TestSupport
import Testing

@Suite struct FrontierTests {
    /// Demand 10 t; CHN source at 100 USD/t (10 t, exposed), AUS source at
    /// 150 USD/t (6 t, clean); shortfall 1,000 USD/t. By hand: share 1 costs
    /// 1,000; down to 0.4 each exposed tonne moves to AUS (+50 USD/t, i.e.
    /// 5 USD per percentage point): 1,300 at 0.4; below, AUS is full and
    /// each tonne goes short (+900 USD/t, 90 USD per point): 4,900 at 0.
    static let instance = TestModels.frontierInstance

    @Test func handSolvedBreakpoints() throws {
        let url = try Planner.temporaryDirectory().appendingPathComponent("frontier.json")
        try Data(Self.instance.utf8).write(to: url)
        let svg = url.deletingLastPathComponent().appendingPathComponent("f.svg")
        let run = try Planner.run(["frontier", url.path, "--mineral", "gallium", "--format", "csv", "--svg", svg.path])
        #expect(run.status == 0, "\(run.stderr)")
        // The figures, then the stamp's three columns on every row.
        let lines = run.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(
            lines.map { $0.prefix(5).joined(separator: ",") } == [
                "share,exposed_t,cost_usd,shortfall_t,marginal_cost_usd_per_point", "1,10,1000,0,", "0.4,4,1300,0,5", "0,0,4900,4,90"
            ], "\(run.stdout)")
        #expect(lines.first?.suffix(3) == ["input_sha256", "glpk_version", "planner_version"])
        #expect(lines.dropFirst().allSatisfy { $0.count == 8 && $0[5] == Substring(SHA256.hex(Data(Self.instance.utf8))) })
        // The chart: labelled axes and one marker per breakpoint.
        let chart = try String(contentsOf: svg, encoding: .utf8)
        #expect(chart.hasPrefix("<svg") && chart.contains("China-exposed share of demand (%)") && chart.contains("least total cost (USD)"))
        #expect(chart.components(separatedBy: "class=\"breakpoint\"").count - 1 == 3)
    }

    /// On the coalition instance: every breakpoint's cost equals a separate
    /// cold solve with the exposure row fixed there, and the midpoint of each
    /// segment lies on the straight line (nothing is missed in between).
    @Test(arguments: ["graphite", "lithium", "cobalt", "rare-earths"])
    func breakpointsMatchSeparateSolves(_ mineral: String) throws {
        let path = TestPaths.repository.appendingPathComponent("instances/coalition-2026.json").path
        let instance = try InstanceLoader.load(path: path).instance
        guard instance.minerals.contains(where: { $0.id == mineral }) else { return }
        let frontier = try Frontier.trace(instance, mineral: mineral, solver: GLPKSolver())
        #expect(frontier.points.count >= 2)
        func cost(atShare share: Double) throws -> Double {
            let restricted = Frontier.restrict(instance, to: mineral)
            let built = try SourcingModel(Network(restricted))
            var model = built.model
            var exposed = LinearExpression()
            for d in built.network.demands { for a in d.arcs { exposed.add(1, built.variables.productExposed[a]) } }
            try model.addConstraint(exposed <= share * frontier.demand)
            let block = try GLPKSolver().solve(model, options: SolveOptions())
            let unconstrained = try GLPKSolver().solve(built.model, options: SolveOptions())
            let full = try GLPKSolver().solve(SourcingModel(Network(instance)).model, options: SolveOptions())
            return (block.objective ?? .nan) + (full.objective ?? .nan) - (unconstrained.objective ?? .nan)
        }
        for point in frontier.points {
            #expect(isClose(try cost(atShare: point.share), point.cost, relative: 1e-8), "\(mineral) at \(point.share)")
        }
        for (a, b) in zip(frontier.points, frontier.points.dropFirst()) {
            let mid = (a.share + b.share) / 2
            #expect(isClose(try cost(atShare: mid), (a.cost + b.cost) / 2, relative: 1e-8), "\(mineral) between \(a.share) and \(b.share)")
        }
    }
}

/// Regressions of issue 13: the frontier of an instance it does not support
/// is refused as such (exit 2, not 3 "infeasible"), and `--format json`
/// prints JSON, not the text table.
@Suite struct FrontierCommandRegressionTests {
    @Test func unsupportedInstanceIsNotInfeasible() throws {
        let run = try Planner.run(["frontier", "instances/small/contract-mip.json", "--mineral", "lithium"])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("needs an LP"), "\(run.stderr)")
    }

    @Test func jsonFormatPrintsJSON() throws {
        let run = try Planner.run(["frontier", "instances/small/tagging.json", "--mineral", "graphite", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let value = try JSONParser.parse(run.stdoutData)
        #expect(value["format"]?.stringValue == "sourcing-frontier/1")
        let points = value["points"]?.arrayElements ?? []
        #expect(points.first?["cost"]?.numberValue == 14_900)
        #expect(points.count >= 2)
    }
}
