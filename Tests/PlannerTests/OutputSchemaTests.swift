import Foundation
import StrictJSON
import TestSupport
import Testing

/// Whether Python's jsonschema is importable (scripts/check-schemas needs it).
private let jsonschemaAvailable: Bool = {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "import jsonschema"]
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
}()

/// Every JSON output of every command validates against its schema in
/// schemas/ (issue 15), and the check fails on a broken output.
@Suite(.serialized) struct OutputSchemaTests {
    static func check(_ dir: URL) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", TestPaths.repository.appendingPathComponent("scripts/check-schemas").path, "--outputs", dir.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test(.enabled(if: jsonschemaAvailable, "Python's jsonschema is not installed (apt-get install python3-jsonschema); skipped"))
    func everyOutputMatchesItsSchema() throws {
        let dir = try Planner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var runs: [(String, [String])] = []
        for name in ["tagging", "contract-mip", "infeasible", "soft-cap", "byproduct", "shortage-shared", "supplier-limit"] {
            runs.append(("plan-\(name).json", ["solve", "instances/small/\(name).json"]))
        }
        runs += [
            ("plan-coalition.json", ["solve"]),
            ("whatif-antimony.json", ["whatif", "--scenario", "instances/scenarios/antimony-controls.json"]),
            ("whatif-infeasible.json", ["whatif", "instances/small/infeasible-capacity.json", "--cut", "src-chl=50%"]),
            ("whatif-mip.json", ["whatif", "instances/small/contract-mip.json", "--cut", "mine-e=50%"]),
            ("stress-country.json", ["stress", "instances/small/export-ban.json", "--each", "country", "--quiet"]),
            ("stress-facility.json", ["stress", "instances/small/shortage-shared.json", "--each", "facility", "--quiet"]),
            ("frontier.json", ["frontier", "instances/small/tagging.json", "--mineral", "graphite", "--quiet"]),
            ("lp.json", ["lp", "--model", "models/sourcing.mod", "--data", "models/data/tagging.dat"]),
            (
                "report.json",
                [
                    "report", "instances/small/byproduct.json", "--scenario", "instances/small/scenarios/byproduct-host-cut.json",
                    "--stress", "facility", "--frontier", "germanium", "--quiet"
                ]
            )
        ]
        for (file, arguments) in runs {
            let run = try Planner.run(arguments + ["--format", "json", "-o", dir.appendingPathComponent(file).path])
            #expect([0, 3].contains(run.status), "\(arguments): \(run.stderr)")
        }
        for (file, extra) in [("sweep.jsonl", [String]()), ("sweep-timings.jsonl", ["--timings"])] {
            let run = try Planner.run(
                [
                    "sweep", "instances/small/byproduct.json", "--scenarios", "instances/small/scenarios", "--quiet", "-o",
                    dir.appendingPathComponent(file).path
                ] + extra)
            #expect(run.status == 0, "\(run.stderr)")
        }
        let good = try Self.check(dir)
        #expect(good.status == 0, "\(good.output)")
        #expect(good.output.contains("check-schemas: \(runs.count + 2) outputs valid"), "\(good.output)")

        // A plan without its objective, and with a key no schema lists, is refused.
        let broken = try Planner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: broken) }
        let plan = try JSONParser.parse(Data(contentsOf: dir.appendingPathComponent("plan-tagging.json")))
        let members = (plan.objectMembers ?? []).filter { $0.key != "objective" } + [("surprise", JSONValue.number(1))]
        try JSONWriter.encode(.object(members)).write(to: broken.appendingPathComponent("plan.json"))
        let bad = try Self.check(broken)
        #expect(bad.status == 1, "\(bad.output)")
        #expect(bad.output.contains("'objective' is a required property") && bad.output.contains("surprise"), "\(bad.output)")
    }
}
