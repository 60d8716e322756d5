public import FoundationEssentials
public import LinearModel
public import StrictJSON

/// The result of a general LP or MIP (`planner lp`): glpsol's everyday
/// summary as text, and every value and dual as JSON.
public struct ModelReport: Report {
    public static let formats: [ReportFormat] = [.text, .json]
    /// The model solved.
    public let model: Model
    /// Its result.
    public let result: SolveResult
    /// Where the result came from (nil: not stamped).
    public var stamp: Stamp?

    public init(model: Model, result: SolveResult) {
        self.model = model
        self.result = result
    }

    /// No tables: the JSON lists every variable and row.
    public func tables() -> [Table] { [] }

    /// glpsol's summary: status, objective, size and effort.
    public func text() -> String {
        var lines = [
            "status:     \(result.termination.reason.rawValue)" + (result.termination.limit.map { " (\($0.rawValue) limit)" } ?? ""),
            "objective:  " + (result.objective.map(formatNumber) ?? "none"),
            "rows:       \(model.constraintCount)",
            "columns:    \(model.variableCount)" + (model.isMIP ? " (\(model.variableKinds.count { $0 != .continuous }) integer)" : ""),
            "non-zeros:  \(model.nonzeroCount)",
            "iterations: \(result.statistics.iterations)"
        ]
        if model.isMIP { lines.append("nodes:      \(result.statistics.nodes)") }
        if let stamp { lines.append(stamp.textLine) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Status, objective, effort, and every variable and row with its value and dual.
    public func jsonValue() -> JSONValue {
        func name(_ names: [String], _ k: Int, _ prefix: String) -> String {
            names[k].isEmpty ? "\(prefix)\(k + 1)" : names[k]
        }
        func number(_ x: Double?) -> JSONValue { x.map { .number($0) } ?? .null }
        var members: [(key: String, value: JSONValue)] = [
            ("format", .string("planner-lp/1")),
            ("status", .string(result.termination.reason.rawValue)),
            ("limit", result.termination.limit.map { .string($0.rawValue) } ?? .null),
            ("objective", number(result.objective)),
            ("kind", .string(model.isMIP ? "mip" : "lp")),
            ("iterations", .number(Double(result.statistics.iterations))),
            ("nodes", .number(Double(result.statistics.nodes)))
        ]
        if result.hasSolution {
            members.append(
                (
                    "variables",
                    .array(
                        result.values.indices.map { j in
                            var entry: [(key: String, value: JSONValue)] = [
                                ("name", .string(name(model.variableNames, j, "x"))), ("value", number(result.values[j]))
                            ]
                            if let costs = result.reducedCosts { entry.append(("reducedCost", number(costs[j]))) }
                            return .object(entry)
                        })
                ))
            members.append(
                (
                    "constraints",
                    .array(
                        result.rowActivities.indices.map { i in
                            var entry: [(key: String, value: JSONValue)] = [
                                ("name", .string(name(model.constraintNames, i, "r"))), ("activity", number(result.rowActivities[i]))
                            ]
                            if let duals = result.rowDuals { entry.append(("dual", number(duals[i]))) }
                            return .object(entry)
                        })
                ))
        }
        members.append(("stamp", stamp?.jsonValue() ?? .null))
        return .object(members)
    }

    /// Compact JSON, one line.
    public func jsonData() -> Data { JSONWriter.encode(jsonValue()) }
}
