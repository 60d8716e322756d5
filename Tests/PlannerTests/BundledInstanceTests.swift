import Foundation
import Sourcing
import StrictJSON
import TestSupport
import Testing

/// The planner carries the reference instance inside itself (issue 16): a
/// copied binary solves it from any folder, and the carried copy is the
/// committed file.
@Suite struct BundledInstanceTests {
    @Test func copiedBinarySolvesTheBundledInstanceFromAnotherFolder() throws {
        let dir = try Planner.temporaryDirectory()
        let source =
            FileManager.default.fileExists(atPath: Planner.executable.path)
            ? Planner.executable : TestPaths.repository.appendingPathComponent(".build/debug/planner")
        let copy = dir.appendingPathComponent("planner")
        try FileManager.default.copyItem(at: source, to: copy)
        let process = Process()
        process.executableURL = copy
        process.arguments = ["solve", "--format", "json"]
        process.currentDirectoryURL = dir
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let plan = try JSONParser.parse(data)
        let expected = try InstanceLoader.load(path: TestPaths.repository.appendingPathComponent("instances/coalition-2026.json").path)
        #expect(plan["instanceFormat"]?.stringValue == expected.instance.version.formatName)
        #expect(plan["instance"]?.stringValue == "coalition-2026")
        // The same bytes as the file: the stamp's input hash.
        let file = try Data(contentsOf: TestPaths.repository.appendingPathComponent("instances/coalition-2026.json"))
        #expect(plan["stamp"]?["inputSHA256"]?.stringValue == SHA256.hex(file))
    }

    /// `Sources/planner/BundledInstance.swift` is what `build-coalition`
    /// generates from the data now (regenerate with `swift run build-coalition`).
    @Test func carriedCopyEqualsTheBuild() throws {
        let dir = try Planner.temporaryDirectory()
        let json = dir.appendingPathComponent("c.json").path, swift = dir.appendingPathComponent("b.swift").path
        let run = try Planner.run(["--output", json, "--embed", swift], tool: "build-coalition")
        #expect(run.status == 0, "\(run.stderr)")
        let committed = try Data(contentsOf: TestPaths.repository.appendingPathComponent("Sources/planner/BundledInstance.swift"))
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: swift)) == committed,
            "Sources/planner/BundledInstance.swift is stale: run swift run build-coalition")
    }
}
