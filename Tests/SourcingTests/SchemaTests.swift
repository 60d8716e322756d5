import Foundation
import Sourcing
import StrictJSON
import TestSupport
import Testing

/// Keeps `schemas/sourcing-instance-1.schema.json` in step with the decoder.
@Suite("Instance JSON Schema")
struct SchemaTests {
    static func schema() throws -> JSONValue {
        let url = TestPaths.repository.appendingPathComponent("schemas/sourcing-instance-1.schema.json")
        return try JSONParser.parse(Data(contentsOf: url))
    }

    /// The schema object describing each kind of ``InstanceLoader/allowedKeys``.
    static func definition(_ kind: String, in schema: JSONValue) -> JSONValue? {
        kind == "instance" ? schema : schema["$defs"]?[kind]
    }

    @Test func schemaIsDraft2020_12() throws {
        let schema = try Self.schema()
        #expect(schema["$schema"] == .string("https://json-schema.org/draft/2020-12/schema"))
        #expect(schema["properties"]?["format"]?["const"] == .string(InstanceLoader.formatName))
    }

    @Test(arguments: InstanceLoader.allowedKeys.keys.sorted())
    func keysMatchTheDecoder(_ kind: String) throws {
        let schema = try Self.schema()
        guard let definition = Self.definition(kind, in: schema) else {
            Issue.record("the schema has no definition for \(kind)")
            return
        }
        #expect(definition["type"] == .string("object"), "\(kind)")
        #expect(definition["additionalProperties"] == .bool(false), "\(kind)")
        let properties = definition["properties"]?.objectMembers?.map(\.key) ?? []
        #expect(properties == InstanceLoader.allowedKeys[kind], "\(kind): allowed keys (and their canonical order)")
        let required = definition["required"]?.arrayElements?.compactMap(\.stringValue) ?? []
        #expect(Set(required) == Set(InstanceLoader.requiredKeys[kind] ?? []), "\(kind): required keys")
        #expect(required.count == Set(required).count)
    }

    @Test func everyFixedObjectForbidsOtherKeys() throws {
        // Walk the whole schema: any subschema with "properties" must say additionalProperties: false.
        var offenders: [String] = []
        func walk(_ value: JSONValue, _ path: String) {
            switch value {
            case .object(let members):
                if value["properties"] != nil, value["additionalProperties"] != .bool(false) { offenders.append(path) }
                for member in members { walk(member.value, JSONPath.appending(path, key: member.key)) }
            case .array(let elements):
                for (i, element) in elements.enumerated() { walk(element, JSONPath.appending(path, index: i)) }
            default:
                break
            }
        }
        walk(try Self.schema(), "")
        #expect(offenders.isEmpty)
    }

    @Test func everyReferenceResolves() throws {
        let schema = try Self.schema()
        var references: [String] = []
        func walk(_ value: JSONValue) {
            switch value {
            case .object(let members):
                for member in members {
                    if member.key == "$ref", case .string(let target) = member.value { references.append(target) }
                    walk(member.value)
                }
            case .array(let elements):
                elements.forEach(walk)
            default:
                break
            }
        }
        walk(schema)
        #expect(!references.isEmpty)
        for reference in references {
            #expect(reference.hasPrefix("#/$defs/"), "\(reference)")
            #expect(schema["$defs"]?[String(reference.dropFirst("#/$defs/".count))] != nil, "\(reference)")
        }
    }

    @Test func numericRangesMatchTheRules() throws {
        let definitions = try Self.schema()["$defs"]
        #expect(definitions?["nonNegative"]?["minimum"] == .number(0))
        #expect(definitions?["share"]?["maximum"] == .number(1))
        #expect(definitions?["refinery"]?["properties"]?["yield"]?["exclusiveMinimum"] == .number(0))
        #expect(definitions?["buyer"]?["properties"]?["maxSuppliers"]?["additionalProperties"]?["type"] == .string("integer"))
        #expect(definitions?["countryCode"]?["pattern"] == .string("^[A-Z]{3}$"))
        #expect(definitions?["refinery"]?["properties"]?["feed"]?["enum"] == .array([.string("mined"), .string("none")]))
    }
}
