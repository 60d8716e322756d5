import ArgumentParser
import FoundationEssentials
import Sourcing

/// `planner upgrade FILE [-o OUT]`: the `/2` file with the `/1` file's optimum.
struct UpgradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upgrade",
        abstract: "Write a sourcing-instance/1 file as the equivalent sourcing-instance/2 (same optimum).",
        discussion: """
            Examples:
              planner upgrade old-instance.json -o new-instance.json
              planner upgrade instances/small/floors.json      # to stdout

            Version 1's price floor raises coalition mines' prices and coalition feed-"none" sources' fees \
            to the floor; version 2's floor is a border charge on imports. The upgrade moves each raise into \
            the price it raised and removes the floors, so the /2 file has exactly the /1 optimum \
            (docs/FORMULATION.md section 8). A /2 file is written unchanged (in canonical form).
            """)

    @Argument(help: "A sourcing-instance/1 or /2 JSON file.")
    var file: String

    @Option(name: .shortAndLong, help: "Write to this file (atomically) instead of stdout.")
    var output: String?

    func run() throws {
        let (instance, _) = try InstanceInput.load(file)
        let upgraded = instance.upgraded()
        try OutputTarget(path: output).emit(String(decoding: InstanceEncoder.encode(upgraded), as: UTF8.self))
    }
}
