import Foundation
import Sourcing
import TestSupport
import Testing

/// A small valid instance for the scenario tests.
///
/// Minerals cobalt (floor 500), lithium. Countries USA, AUS (coalition),
/// CHN, COD, FIN (FIN has no facility and no buyer).
/// mines: m-cod (cobalt, COD, 100 t, 10), m-chn (cobalt, CHN, 50 t, 12),
/// m-aus (lithium, AUS, 80 t, 7); refineries: r-chn (cobalt, CHN, 120 t,
/// fee 5), r-usa (cobalt, USA, 60 t, fee 8, minVolume 20), r-li (lithium,
/// CHN, 40 t, fee 3); buyers: b-usa (USA, cobalt 50, lithium 20, cap
/// cobalt 0.3), b-aus (AUS, cobalt 10).
func scenarioTestInstance() -> Instance {
    Instance(
        name: "scenario test",
        minerals: [Mineral(id: "cobalt", priceFloor: 500), Mineral(id: "lithium")],
        countries: [
            Country(code: "USA", coalition: true), Country(code: "AUS", coalition: true),
            Country(code: "CHN", coalition: false), Country(code: "COD", coalition: false),
            Country(code: "FIN", coalition: true)
        ],
        mines: [
            Mine(id: "m-cod", mineral: "cobalt", country: "COD", capacity: 100, price: 10),
            Mine(id: "m-chn", mineral: "cobalt", country: "CHN", capacity: 50, price: 12),
            Mine(id: "m-aus", mineral: "lithium", country: "AUS", capacity: 80, price: 7)
        ],
        refineries: [
            Refinery(id: "r-chn", mineral: "cobalt", country: "CHN", capacity: 120, fee: 5),
            Refinery(id: "r-usa", mineral: "cobalt", country: "USA", capacity: 60, fee: 8, minVolume: 20),
            Refinery(id: "r-li", mineral: "lithium", country: "CHN", capacity: 40, fee: 3)
        ],
        buyers: [
            Buyer(id: "b-usa", country: "USA", demand: ["cobalt": 50, "lithium": 20], exposureCap: ["cobalt": 0.3]),
            Buyer(id: "b-aus", country: "AUS", demand: ["cobalt": 10])
        ],
        policy: Policy(externalTariff: 0.1)
    )
}

/// Applies `changes` to the test instance (or `instance`), checks that the
/// result re-validates without an error, and returns it with the warnings.
func applying(
    _ changes: [ScenarioChange], to instance: Instance = scenarioTestInstance(),
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> (instance: Instance, warnings: [Diagnostic]) {
    let result = try ScenarioApplier.apply(Scenario(changes: changes), to: instance, scenarioFile: "s.json")
    let problems = validate(result.instance, file: "result").filter { $0.severity == .error }
    #expect(problems.isEmpty, "the result must be a valid instance: \(problems)", sourceLocation: sourceLocation)
    // And it survives a trip through the file format.
    let reread = try InstanceLoader.decode(InstanceEncoder.encode(result.instance), file: "result.json").instance
    #expect(reread == result.instance, sourceLocation: sourceLocation)
    return result
}

/// The diagnostics of applying `changes` (those of the thrown error, or the warnings).
func applyDiagnostics(_ changes: [ScenarioChange], to instance: Instance = scenarioTestInstance()) -> [Diagnostic] {
    do {
        return try ScenarioApplier.apply(Scenario(changes: changes), to: instance, scenarioFile: "s.json").warnings
    } catch {
        return error.diagnostics
    }
}

/// The error paths of applying `changes`.
func applyErrorPaths(_ changes: [ScenarioChange], to instance: Instance = scenarioTestInstance()) -> [String] {
    applyDiagnostics(changes, to: instance).filter { $0.severity == .error }.map(\.path)
}

/// The diagnostics of decoding a scenario text (empty when it is accepted).
func scenarioDiagnostics(_ json: String) -> [Diagnostic] {
    do {
        _ = try ScenarioLoader.decode(Data(json.utf8), file: "s.json")
        return []
    } catch {
        return error.diagnostics
    }
}

/// The error paths of decoding a scenario with these changes (JSON text of the array's elements).
func scenarioErrorPaths(changes: String) -> [String] {
    scenarioDiagnostics(#"{"format": "sourcing-scenario/1", "changes": [\#(changes)]}"#).map(\.path)
}

/// The decoded changes of a scenario whose `changes` array holds `changes`.
func decodeChanges(_ changes: String) throws -> [ScenarioChange] {
    try ScenarioLoader.decode(Data(#"{"format": "sourcing-scenario/1", "changes": [\#(changes)]}"#.utf8), file: "s.json").changes
}
