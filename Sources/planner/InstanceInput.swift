import FileIO
import FoundationEssentials
import Glibc
import Sourcing

/// Finds and loads the instance a command works on.
enum InstanceInput {
    /// The path given, or the name of the bundled reference instance,
    /// which the planner carries inside itself (``BundledInstance``): with no
    /// FILE every command works from any folder and from an installed binary.
    static func path(_ given: String?) -> String {
        given ?? BundledInstance.name
    }

    /// Loads and validates; prints warnings on stderr; exits 2 on errors.
    static func load(_ path: String) throws -> (Instance, Data) {
        var timings = LoadTimings()
        return try load(path, timings: &timings)
    }

    /// ``load(_:)`` that reports the time of reading and decoding (together)
    /// and of validation.
    static func load(_ path: String, timings: inout LoadTimings) throws -> (Instance, Data) {
        let start = ContinuousClock.now
        let bundled = path == BundledInstance.name ? BundledInstance.data : nil
        // The loader checks the size limit itself and names it.
        guard let data = bundled ?? (try? FileBytes.read(path, limit: Int.max / 2)) else {
            try fail("\(path): cannot be read (missing or not readable)", code: PlannerExit.invalidInput)
        }
        let read = start.duration(to: .now)
        defer { timings.decode += read.inSeconds }
        do {
            let (instance, warnings) = try InstanceLoader.decode(data, file: path, timings: &timings)
            for warning in warnings { FileBytes.writeError("planner: warning: \(warning)\n") }
            if instance.version == .v1 {
                FileBytes.writeError(
                    "planner: note: \(path): read as \(InstanceVersion.v1.formatName) (version 1 meaning; `planner upgrade` writes the equivalent \(InstanceVersion.v2.formatName))\n"
                )
            }
            return (instance, data)
        } catch {
            try fail(
                "invalid instance:\n" + error.diagnostics.map { "  \($0)" }.joined(separator: "\n"),
                code: PlannerExit.invalidInput)
        }
    }
}
