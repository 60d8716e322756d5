import FoundationEssentials
import Glibc
import Sourcing

/// Finds and loads the instance a command works on.
enum InstanceInput {
    /// The bundled reference instance, looked up from the current folder and
    /// from the executable's folder upwards (a `swift run` from the checkout).
    static func bundled() -> String? {
        let names = ["instances/coalition-2026.json", "instances/small/tagging.json"]
        var roots = [FileManager.default.currentDirectoryPath]
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            roots.append(url.path)
            url = url.deletingLastPathComponent()
        }
        for name in names {
            for root in roots where FileManager.default.fileExists(atPath: root + "/" + name) {
                return root + "/" + name
            }
        }
        return nil
    }

    /// The path given, or the bundled instance; exits 2 when there is none.
    static func path(_ given: String?) -> String {
        if let given { return given }
        guard let found = bundled() else {
            fail("no FILE given and no bundled instance found (instances/coalition-2026.json)", code: PlannerExit.invalidInput)
        }
        return found
    }

    /// Loads and validates; prints warnings on stderr; exits 2 on errors.
    static func load(_ path: String) -> (Instance, Data) {
        var timings = LoadTimings()
        return load(path, timings: &timings)
    }

    /// ``load(_:)`` that reports the time of reading and decoding (together)
    /// and of validation.
    static func load(_ path: String, timings: inout LoadTimings) -> (Instance, Data) {
        let start = ContinuousClock.now
        guard let data = FileManager.default.contents(atPath: path) else {
            fail("\(path): cannot be read (missing or not readable)", code: PlannerExit.invalidInput)
        }
        let read = start.duration(to: .now)
        defer { timings.decode += read.inSeconds }
        do {
            let (instance, warnings) = try InstanceLoader.decode(data, file: path, timings: &timings)
            for warning in warnings { FileBytes.writeError("planner: warning: \(warning)\n") }
            if instance.version == .v1 {
                FileBytes.writeError("planner: note: \(path): read as \(InstanceVersion.v1.formatName) (version 1 meaning; `planner upgrade` writes the equivalent \(InstanceVersion.v2.formatName))\n")
            }
            return (instance, data)
        } catch {
            fail("invalid instance:\n" + error.diagnostics.map { "  \($0)" }.joined(separator: "\n"),
                 code: PlannerExit.invalidInput)
        }
    }
}
