import Foundation
import Sourcing
import StrictJSON
import TestSupport
import Testing

/// Canonical scenario output, the scenario JSON Schema, and the scenarios of
/// the repository applied to its reference instance.
@Suite("Scenario encoder and schema")
struct ScenarioEncoderTests {
    @Test func roundTripsEveryAction() throws {
        let scenario = ScenarioLoaderTests.everyActionValue
        let data = ScenarioEncoder.encode(scenario)
        #expect(try ScenarioLoader.decode(data, file: "s.json") == scenario)
        #expect(ScenarioEncoder.encode(try ScenarioLoader.decode(data, file: "s.json")) == data)
    }

    @Test func canonicalText() {
        let scenario = Scenario(
            name: "cut",
            changes: [
                .capacity(.factor(0.25), where: FacilitySelector(country: "CHN", mineral: "rare-earths", stage: .refinery)),
                .block(Block(from: "COD", mineral: "cobalt")),
                .priceFloor(set: 1e7, where: MineralSelector())
            ])
        let expected = """
            {
              "format": "sourcing-scenario/1",
              "name": "cut",
              "changes": [
                {
                  "capacity": {
                    "factor": 0.25
                  },
                  "where": {
                    "country": "CHN",
                    "mineral": "rare-earths",
                    "stage": "refinery"
                  }
                },
                {
                  "block": {
                    "from": "COD",
                    "mineral": "cobalt"
                  }
                },
                {
                  "priceFloor": {
                    "set": 10000000
                  },
                  "where": {}
                }
              ]
            }

            """
        #expect(String(decoding: ScenarioEncoder.encode(scenario), as: UTF8.self) == expected)
    }

    @Test func emptyScenario() {
        #expect(
            String(decoding: ScenarioEncoder.encode(Scenario()), as: UTF8.self)
                == "{\n  \"format\": \"sourcing-scenario/1\",\n  \"changes\": []\n}\n")
    }

    /// A stress ranking writes one scenario per country; each reads back and applies.
    @Test func generatedScenariosApply() throws {
        let instance = scenarioTestInstance()
        let producers = Set(instance.mines.map(\.country) + instance.refineries.map(\.country)).sorted()
        for country in producers {
            let scenario = Scenario(
                name: "\(country) stops",
                changes: [
                    .capacity(.set(0), where: FacilitySelector(country: country)),
                    .block(Block(from: country))
                ])
            let reread = try ScenarioLoader.decode(ScenarioEncoder.encode(scenario), file: "\(country).json")
            #expect(reread == scenario)
            let (result, _) = try applying(reread.changes, to: instance)
            #expect(result.mines.filter { $0.country == country }.allSatisfy { $0.capacity == 0 })
            #expect(result.refineries.filter { $0.country == country }.allSatisfy { $0.capacity == 0 })
        }
    }

    // MARK: The repository's scenarios

    /// instances/scenarios/*.json applied to instances/coalition-2026.json, when both are present.
    @Test func repositoryScenariosApplyToTheReferenceInstance() throws {
        let root = TestPaths.repository.appendingPathComponent("instances")
        let instancePath = root.appendingPathComponent("coalition-2026.json").path
        let folder = root.appendingPathComponent("scenarios")
        guard FileManager.default.fileExists(atPath: instancePath),
            let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
        else { return }
        let (instance, _) = try InstanceLoader.load(path: instancePath)
        for name in names.sorted() where name.hasSuffix(".json") {
            let path = folder.appendingPathComponent(name).path
            let scenario = try ScenarioLoader.load(path: path)
            let (result, _) = try ScenarioApplier.apply(scenario, to: instance, scenarioFile: path, instanceFile: instancePath)
            #expect(result.isValid, "\(name)")
            #expect(result != instance, "\(name) changes nothing")
        }
    }

    // MARK: JSON Schema

    static func schema() throws -> JSONValue {
        let url = TestPaths.repository.appendingPathComponent("schemas/sourcing-scenario-1.schema.json")
        return try JSONParser.parse(Data(contentsOf: url))
    }

    @Test func schemaHeader() throws {
        let schema = try Self.schema()
        #expect(schema["$schema"] == .string("https://json-schema.org/draft/2020-12/schema"))
        #expect(schema["properties"]?["format"]?["const"] == .string(ScenarioLoader.formatName))
        #expect(schema["properties"]?.objectMembers?.map(\.key) == ScenarioLoader.topLevelKeys)
        #expect(schema["required"] == .array([.string("format"), .string("changes")]))
        #expect(schema["additionalProperties"] == .bool(false))
    }

    @Test func schemaHasOneShapePerAction() throws {
        let schema = try Self.schema()
        let references = schema["properties"]?["changes"]?["items"]?["oneOf"]?.arrayElements?.compactMap { $0["$ref"]?.stringValue }
        #expect(references == ScenarioAction.allCases.map { "#/$defs/\($0.rawValue)" })
        for action in ScenarioAction.allCases {
            guard let definition = schema["$defs"]?[action.rawValue] else {
                Issue.record("no definition for \(action)")
                continue
            }
            let keys = definition["properties"]?.objectMembers?.map(\.key) ?? []
            #expect(keys == (action.selects ? [action.rawValue, "where"] : [action.rawValue]), "\(action)")
            #expect(definition["required"]?.arrayElements?.compactMap(\.stringValue) == keys, "\(action)")
            #expect(definition["additionalProperties"] == .bool(false), "\(action)")
            guard action.selects, case .string(let reference)? = definition["properties"]?["where"]?["$ref"] else { continue }
            let selection = schema["$defs"]?[String(reference.dropFirst("#/$defs/".count))]
            #expect(selection?["properties"]?.objectMembers?.map(\.key) == action.whereKeys, "\(action)")
            let required = selection?["required"]?.arrayElements?.compactMap(\.stringValue) ?? []
            #expect(required == (action == .exposureCap ? ["mineral"] : []), "\(action)")
        }
        #expect(schema["$defs"]?["policyFields"]?["properties"]?.objectMembers?.map(\.key) == InstanceLoader.allowedKeys["policy"])
        #expect(schema["$defs"]?["blockedEntry"]?["properties"]?.objectMembers?.map(\.key) == InstanceLoader.allowedKeys["block"])
    }

    @Test func schemaObjectsForbidOtherKeysAndReferencesResolve() throws {
        let schema = try Self.schema()
        var offenders: [String] = []
        var references: [String] = []
        func walk(_ value: JSONValue, _ path: String) {
            switch value {
            case .object(let members):
                if value["properties"] != nil, value["additionalProperties"] != .bool(false) { offenders.append(path) }
                for member in members {
                    if member.key == "$ref", case .string(let target) = member.value { references.append(target) }
                    walk(member.value, JSONPath.appending(path, key: member.key))
                }
            case .array(let elements):
                for (i, element) in elements.enumerated() { walk(element, JSONPath.appending(path, index: i)) }
            default:
                break
            }
        }
        walk(schema, "")
        #expect(offenders.isEmpty)
        #expect(!references.isEmpty)
        for reference in references {
            #expect(reference.hasPrefix("#/$defs/"), "\(reference)")
            #expect(schema["$defs"]?[String(reference.dropFirst("#/$defs/".count))] != nil, "\(reference)")
        }
    }
}
