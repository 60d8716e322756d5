import Foundation
import Sourcing
import StrictJSON
import TestSupport

/// A small valid instance as JSON text; each part can be replaced.
/// Minerals: cobalt, lithium. Countries: USA (coalition), CHN.
func instanceJSON(
    format: String = #""format": "sourcing-instance/1","#,
    minerals: String = #"[{"id": "cobalt"}, {"id": "lithium"}]"#,
    countries: String = #"[{"code": "USA", "coalition": true}, {"code": "CHN", "coalition": false}]"#,
    mines: String = #"[{"id": "m1", "mineral": "cobalt", "country": "CHN", "capacity": 100, "price": 10}]"#,
    refineries: String = #"[{"id": "r1", "mineral": "cobalt", "country": "USA", "capacity": 100, "fee": 5}]"#,
    buyers: String = #"[{"id": "b1", "country": "USA", "demand": {"cobalt": 50}}]"#,
    transport: String = "[]",
    policy: String = "{}"
) -> String {
    """
    {
      \(format)
      "minerals": \(minerals),
      "countries": \(countries),
      "mines": \(mines),
      "refineries": \(refineries),
      "buyers": \(buyers),
      "transport": \(transport),
      "policy": \(policy)
    }
    """
}

/// Every diagnostic of decoding `json`: the errors and warnings of a
/// refused file, or the warnings of an accepted one.
func diagnostics(_ json: String, file: String = "test.json") -> [Diagnostic] {
    diagnostics(Data(json.utf8), file: file)
}

func diagnostics(_ data: Data, file: String = "test.json", limits: JSONLimits = .standard) -> [Diagnostic] {
    do {
        return try InstanceLoader.decode(data, file: file, limits: limits).warnings
    } catch {
        return error.diagnostics
    }
}

/// The error diagnostics of decoding `json`.
func errors(_ json: String) -> [Diagnostic] {
    diagnostics(json).filter { $0.severity == .error }
}

/// The paths of the error diagnostics of decoding `json`.
func errorPaths(_ json: String) -> [String] {
    errors(json).map(\.path)
}

/// The instance files of `instances/small`.
func smallInstanceFiles() throws -> [URL] {
    let folder = TestPaths.repository.appendingPathComponent("instances/small")
    return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
        .filter { $0.pathExtension == "json" }
        .sorted { $0.lastPathComponent < $1.lastPathComponent }
}

/// ``instanceJSON(format:minerals:countries:mines:refineries:buyers:transport:policy:)``
/// with one top-level part (`"mines"`, `"policy"`, ...) replaced; keeps
/// parameterized test arguments short.
func instanceJSON(replacing part: String, with value: String) -> String {
    switch part {
    case "minerals": return instanceJSON(minerals: value)
    case "countries": return instanceJSON(countries: value)
    case "mines": return instanceJSON(mines: value)
    case "refineries": return instanceJSON(refineries: value)
    case "buyers": return instanceJSON(buyers: value)
    case "transport": return instanceJSON(transport: value)
    case "policy": return instanceJSON(policy: value)
    default: preconditionFailure("no part \(part)")
    }
}
