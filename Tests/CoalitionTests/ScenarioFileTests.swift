import Coalition
import Foundation
import Sourcing
import StrictJSON
import TestSupport
import Testing

/// instances/scenarios/*.json are `sourcing-scenario/1` files (docs/FORMULATION.md
/// section 7) whose selections name things of the reference instance.
@Suite struct ScenarioFileTests {
    static let files: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: CoalitionPaths.scenarios.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }()

    /// Selecting actions and the `where` fields each accepts.
    static let selecting: [String: Set<String>] = [
        "capacity": ["id", "country", "mineral", "stage"],
        "price": ["id", "country", "mineral", "stage"],
        "demand": ["buyer", "country", "mineral"],
        "exposureCap": ["buyer", "country", "mineral"],
        "priceFloor": ["mineral"], "referencePrice": ["mineral"], "shortfallPenalty": ["buyer", "country", "mineral"],
        "hostThroughput": ["id", "country", "mineral", "stage", "host"]
    ]
    static let unselecting: Set = ["block", "unblock", "policy"]

    @Test func atLeastEightScenarios() {
        #expect(Self.files.count >= 8, "\(Self.files)")
        for required in [
            "gallium-germanium-ban", "graphite-controls", "rare-earth-refining-cut", "antimony-controls",
            "drc-cobalt-quota", "indonesia-nickel-export-ban", "lithium-price-collapse", "combined-worst-case",
            "zinc-smelter-outage", "chinese-alumina-curtailment", "rare-earth-licensing-2025"
        ] {
            #expect(Self.files.contains("\(required).json"), "\(required)")
        }
    }

    @Test(arguments: files)
    func scenarioFile(_ file: String) throws {
        let data = try Data(contentsOf: CoalitionPaths.scenarios.appendingPathComponent(file))
        let document = try JSONParser.parse(data)
        let members = try #require(document.objectMembers, "\(file): not an object")
        #expect(Set(members.map(\.key)).isSubset(of: ["format", "name", "source", "changes"]), "\(file)")
        guard case .string("sourcing-scenario/1") = document["format"] else {
            Issue.record("\(file): format is not sourcing-scenario/1")
            return
        }
        guard case .string(let name) = document["name"], !name.isEmpty,
            case .string(let source) = document["source"], !source.isEmpty
        else {
            Issue.record("\(file): name and source must be non-empty strings")
            return
        }
        guard case .array(let changes) = document["changes"], !changes.isEmpty else {
            Issue.record("\(file): changes must be a non-empty array")
            return
        }
        let instance = try CoalitionBuilder.build(dataDirectory: CoalitionPaths.data.path)
        for (index, change) in changes.enumerated() {
            try check(change, at: "\(file): changes[\(index)]", in: instance)
        }
    }

    /// One change: one action, a `where` exactly when the action selects, and
    /// selections that name ids, countries, minerals and stages of the instance.
    func check(_ change: JSONValue, at path: String, in instance: Instance) throws {
        let members = try #require(change.objectMembers, "\(path): not an object")
        let actions = members.map(\.key).filter { $0 != "where" }
        #expect(actions.count == 1, "\(path): actions \(actions)")
        guard let action = actions.first else { return }
        let value = try #require(change[action])
        if let fields = Self.selecting[action] {
            let selection = try #require(change["where"]?.objectMembers, "\(path): a selecting action needs a where")
            for (key, field) in selection {
                #expect(fields.contains(key), "\(path).where.\(key) is not a field of \(action)")
                guard case .string(let text) = field else {
                    Issue.record("\(path).where.\(key) is not a string")
                    continue
                }
                #expect(names(key, in: instance).contains(text), "\(path).where.\(key) \"\(text)\" selects nothing")
            }
            let amounts = try #require(value.objectMembers, "\(path).\(action) is not an object")
            #expect(amounts.count == 1 && ["factor", "set"].contains(amounts[0].key), "\(path).\(action)")
            if case .number(let number) = amounts.first?.value {
                #expect(number >= 0, "\(path).\(action)")
            } else {
                Issue.record("\(path).\(action) is not a number")
            }
        } else {
            #expect(Self.unselecting.contains(action), "\(path): unknown action \(action)")
            #expect(change["where"] == nil, "\(path): \(action) takes no where")
            if action == "block" || action == "unblock" {
                let entry = try #require(value.objectMembers, "\(path).\(action) is not an object")
                for (key, field) in entry {
                    #expect(["from", "to", "mineral"].contains(key), "\(path).\(action).\(key)")
                    guard case .string(let text) = field else {
                        Issue.record("\(path).\(action).\(key) is not a string")
                        continue
                    }
                    #expect(
                        names(key == "mineral" ? "mineral" : "country", in: instance).contains(text),
                        "\(path).\(action).\(key) \"\(text)\"")
                }
            }
        }
    }

    /// What a field may name in the instance.
    func names(_ field: String, in instance: Instance) -> Set<String> {
        switch field {
        case "id": return Set(instance.mines.map(\.id) + instance.refineries.map(\.id))
        case "country": return Set(instance.countries.map(\.code))
        case "mineral": return Set(instance.minerals.map(\.id) + ["*"])
        case "stage": return ["mine", "refinery"]
        case "buyer": return Set(instance.buyers.map(\.id))
        case "host": return Set(instance.mines.compactMap(\.byProduct?.host) + instance.refineries.compactMap(\.byProduct?.host))
        default: return []
        }
    }
}
