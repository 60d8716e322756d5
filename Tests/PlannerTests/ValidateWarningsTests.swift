import Foundation
import Sourcing
import TestSupport
import Testing

/// `planner validate` warns, with the numbers, about instances that cannot
/// be served (issue 16).
@Suite struct ValidateWarningsTests {
    static func write(_ json: String) throws -> String {
        let url = try Planner.temporaryDirectory().appendingPathComponent("i.json")
        try Data(json.utf8).write(to: url)
        return url.path
    }

    @Test func mineralNobodyProduces() throws {
        let file = try Self.write(
            """
            {"format": "sourcing-instance/2",
             "minerals": [{"id": "cobalt"}, {"id": "gallium"}],
             "countries": [{"code": "USA", "coalition": true}],
             "refineries": [{"id": "r", "mineral": "cobalt", "country": "USA", "capacity": 10, "fee": 1, "feed": "none"}],
             "buyers": [{"id": "b", "country": "USA", "demand": {"cobalt": 5, "gallium": 2}}]}
            """)
        let run = try Planner.run(["validate", file])
        #expect(run.status == 0)
        #expect(run.stderr.contains("buyers[0].demand.gallium: warning: no refinery can deliver gallium to b"), "\(run.stderr)")
        #expect(run.stderr.contains("the demand is hard: the instance is infeasible"))
        #expect(!run.stderr.contains("demand.cobalt"))
    }

    @Test func demandFiveTimesTheWorldsCapacity() throws {
        let file = try Self.write(
            """
            {"format": "sourcing-instance/2",
             "minerals": [{"id": "cobalt", "shortfallPenalty": 100}],
             "countries": [{"code": "USA", "coalition": true}],
             "mines": [{"id": "m", "mineral": "cobalt", "country": "USA", "capacity": 20, "price": 1}],
             "refineries": [{"id": "r", "mineral": "cobalt", "country": "USA", "capacity": 100, "fee": 1}],
             "buyers": [{"id": "b", "country": "USA", "demand": {"cobalt": 100}}]}
            """)
        let run = try Planner.run(["validate", file])
        #expect(
            run.stderr.contains("minerals[0]: warning: cobalt: 100 t demanded in all, 5x what every facility together can make (20 t)"),
            "\(run.stderr)")
        #expect(
            run.stderr.contains("buyers[0].demand.cobalt: warning: 100 t demanded, but the refineries that can reach b make at most 20 t"),
            "\(run.stderr)")
    }

    @Test func capsThatNeedMoreCleanCapacityThanExists() throws {
        let run = try Planner.run(["validate", "instances/small/infeasible.json"])
        #expect(run.stderr.contains("the hard exposure caps need at least 80 t of China-free product"), "\(run.stderr)")
        #expect(run.stderr.contains("China-free capacity is at most 30 t"))
    }

    @Test func servableInstancesGetNoSuchWarning() throws {
        let run = try Planner.run(["validate", "instances/small/tagging.json"])
        #expect(!run.stderr.contains("warning"), "\(run.stderr)")
    }
}
