import Foundation
import Sourcing
import StrictJSON
import TestSupport
import Testing

/// The structural checks of the loader: JSON syntax, types, keys, nulls,
/// `format`, files, limits, and reporting every problem at once.
@Suite("Instance loader")
struct InstanceLoaderTests {
    @Test func baseInstanceIsValid() throws {
        let (instance, warnings) = try InstanceLoader.decode(Data(instanceJSON().utf8), file: "test.json")
        #expect(warnings.isEmpty)
        #expect(instance.mines == [Mine(id: "m1", mineral: "cobalt", country: "CHN", capacity: 100, price: 10)])
        #expect(instance.buyers.first?.demand == ["cobalt": 50])
        #expect(instance.policy == Policy())
    }

    @Test func minimalInstanceUsesDefaults() throws {
        let (instance, _) = try InstanceLoader.decode(Data(#"{"format": "sourcing-instance/1"}"#.utf8), file: "x")
        #expect(instance == Instance())
    }

    @Test func diagnosticDescription() {
        let diagnostics = diagnostics(
            instanceJSON(mines: #"[{"id": "m1", "mineral": "cobalt", "country": "CHN", "capacity": -5, "price": 10}]"#),
            file: "coalition.json")
        #expect(diagnostics.map(\.description) == ["coalition.json: mines[0].capacity: -5 must be >= 0"])
    }

    // MARK: format

    @Test func formatMissing() {
        let diagnostics = diagnostics(instanceJSON(format: ""))
        #expect(
            diagnostics.map(\.description) == [
                #"test.json: format: required field is missing (expected "sourcing-instance/2" or "sourcing-instance/1")"#
            ])
    }

    @Test func formatWrong() {
        let diagnostics = diagnostics(instanceJSON(format: #""format": "sourcing-instance/3","#))
        #expect(
            diagnostics.map(\.description)
                == [#"test.json: format: "sourcing-instance/3" is not supported (expected "sourcing-instance/2" or "sourcing-instance/1")"#]
        )
        #expect(errorPaths(instanceJSON(format: #""format": "Sourcing-Instance/1","#)) == ["format"])
        #expect(errorPaths(instanceJSON(format: #""format": 1,"#)) == ["format"])
    }

    // MARK: Types, keys, nulls

    @Test func wrongType() {
        let json = instanceJSON(mines: #"[{"id": "m1", "mineral": "cobalt", "country": "CHN", "capacity": "abc", "price": 10}]"#)
        #expect(
            diagnostics(json).map(\.description)
                == [#"test.json: mines[0].capacity: expected a number, found string "abc""#])
    }

    @Test(arguments: [
        (#"{"format": "sourcing-instance/1", "mines": {}}"#, "mines", "expected an array, found an empty object"),
        (#"{"format": "sourcing-instance/1", "mines": [5]}"#, "mines[0]", "expected an object, found number 5"),
        (#"{"format": "sourcing-instance/1", "name": true}"#, "name", "expected a string, found boolean true"),
        (
            #"{"format": "sourcing-instance/1", "countries": [{"code": "USA", "coalition": "yes"}]}"#,
            "countries[0].coalition", #"expected true or false, found string "yes""#
        ),
        (#"{"format": "sourcing-instance/1", "policy": []}"#, "policy", "expected an object, found an empty array"),
        (#"{"format": "sourcing-instance/1", "policy": {"blocked": {}}}"#, "policy.blocked", "expected an array, found an empty object"),
        (
            #"{"format": "sourcing-instance/1", "policy": {"blocked": [[]]}}"#, "policy.blocked[0]",
            "expected an object, found an empty array"
        ),
        (#"{"format": "sourcing-instance/1", "minerals": [{"id": 7}]}"#, "minerals[0].id", "expected a string, found number 7"),
        (
            #"{"format": "sourcing-instance/1", "minerals": [{"id": "x"}], "countries": [{"code": "USA", "coalition": true}], "buyers": [{"id": "b", "country": "USA", "demand": {"x": [1]}}]}"#,
            "buyers[0].demand.x", "expected a number, found an array"
        ),
        (
            #"{"format": "sourcing-instance/1", "minerals": [{"id": "x"}], "countries": [{"code": "USA", "coalition": true}], "buyers": [{"id": "b", "country": "USA", "demand": 5}]}"#,
            "buyers[0].demand", "expected an object, found number 5"
        )
    ])
    func wrongTypes(_ json: String, _ path: String, _ message: String) {
        let found = errors(json)
        #expect(found.map(\.path) == [path])
        #expect(found.first?.message == message)
    }

    @Test func topLevelMustBeAnObject() {
        #expect(errors("[1]").map(\.description) == ["test.json: expected an object, found an array"])
    }

    @Test func nullValues() {
        let json = instanceJSON(
            mines: #"[{"id": "m1", "mineral": "cobalt", "country": "CHN", "capacity": null, "price": 10, "fixedCost": null}]"#)
        let found = errors(json)
        #expect(found.map(\.path) == ["mines[0].capacity", "mines[0].fixedCost"])
        #expect(found[0].message == "expected a number, found null (null is not allowed)")
        #expect(found[1].message == "expected a number, found null (null is not allowed; omit the key to use the default)")
        #expect(errorPaths(#"{"format": "sourcing-instance/1", "name": null}"#) == ["name"])
        #expect(errorPaths(#"{"format": "sourcing-instance/1", "mines": null}"#) == ["mines"])
        #expect(errorPaths(#"{"format": null}"#) == ["format"])
    }

    @Test func unknownKeys() {
        let json = instanceJSON(
            mines: #"[{"id": "m1", "mineral": "cobalt", "country": "CHN", "capacty": 100, "price": 10, "colour": "red"}]"#)
        let found = errors(json)
        #expect(
            found.map(\.description) == [
                #"test.json: mines[0].capacty: unknown key "capacty" (did you mean "capacity"?)"#,
                #"test.json: mines[0].colour: unknown key "colour" (allowed in a mine: id, mineral, country, capacity, price, chinaExposure, fixedCost, minVolume)"#,
                "test.json: mines[0].capacity: required field is missing"
            ])
        #expect(errorPaths(#"{"format": "sourcing-instance/1", "minerls": []}"#) == ["minerls"])
        #expect(
            errors(#"{"format": "sourcing-instance/1", "scenario": 1}"#).first?.message
                == #"unknown key "scenario" (allowed at the top level: format, name, minerals, countries, mines, refineries, buyers, transport, policy)"#
        )
        #expect(errorPaths(#"{"format": "sourcing-instance/1", "policy": {"tariff": 1}}"#) == ["policy.tariff"])
        #expect(
            errorPaths(#"{"format": "sourcing-instance/1", "policy": {"blocked": [{"country": "CHN"}]}}"#)
                == ["policy.blocked[0].country"])
        #expect(errorPaths(#"{"format": "sourcing-instance/1", "a b": 1}"#) == [#"["a b"]"#])
    }

    @Test(arguments: [
        ("minerals", #"[{"name": "x"}]"#, ["minerals[0].id"]),
        ("countries", #"[{"code": "USA"}]"#, ["countries[0].coalition"]),
        ("countries", #"[{"coalition": true}]"#, ["countries[0].code"]),
        ("mines", #"[{"id": "m"}]"#, ["mines[0].mineral", "mines[0].country", "mines[0].capacity", "mines[0].price"]),
        ("refineries", #"[{"id": "r", "mineral": "cobalt", "country": "USA", "capacity": 1}]"#, ["refineries[0].fee"]),
        ("buyers", #"[{"id": "b", "country": "USA"}]"#, ["buyers[0].demand"]),
        ("transport", #"[{"from": "USA", "cost": 1}]"#, ["transport[0].to"])
    ])
    func missingRequiredFields(_ key: String, _ value: String, _ paths: [String]) {
        let context =
            key == "minerals" || key == "countries"
            ? "" : #""minerals": [{"id": "cobalt"}], "countries": [{"code": "USA", "coalition": true}], "#
        let json = #"{"format": "sourcing-instance/1", "# + context + "\"\(key)\": \(value)}"
        let found = errors(json)
        #expect(found.map(\.path) == paths)
        #expect(found.allSatisfy { $0.message == "required field is missing" })
    }

    @Test func duplicateKeys() {
        let json = instanceJSON(
            mines: #"[{"id": "m1", "mineral": "cobalt", "country": "CHN", "capacity": 100, "capacity": -1, "price": 10}]"#)
        let found = errors(json)
        #expect(found.map(\.path) == ["mines[0].capacity"])
        #expect(found.first?.message.hasPrefix(#"duplicate key "capacity" at line 5, column"#) == true)
        // A duplicate key inside a map.
        #expect(
            errorPaths(instanceJSON(buyers: #"[{"id": "b1", "country": "USA", "demand": {"cobalt": 1, "cobalt": 2}}]"#))
                == ["buyers[0].demand.cobalt"])
    }

    @Test func maxSuppliersMustBeAnInteger() {
        let json = instanceJSON(
            buyers: #"[{"id": "b1", "country": "USA", "demand": {"cobalt": 5}, "maxSuppliers": {"cobalt": 2.5, "*": 1e300}}]"#)
        #expect(
            errors(json).map(\.description) == [
                "test.json: buyers[0].maxSuppliers.cobalt: 2.5 must be an integer >= 0",
                #"test.json: buyers[0].maxSuppliers["*"]: 1e300 must be an integer >= 0"#
            ])
        let ok = instanceJSON(
            buyers: #"[{"id": "b1", "country": "USA", "demand": {"cobalt": 5}, "maxSuppliers": {"cobalt": 2.0, "*": 0}}]"#)
        #expect(errors(ok).isEmpty)
    }

    @Test func feedMustBeMinedOrNone() {
        let json = instanceJSON(
            refineries: #"[{"id": "r1", "mineral": "cobalt", "country": "USA", "capacity": 100, "fee": 5, "feed": "recycled"}]"#)
        #expect(errors(json).map(\.description) == [#"test.json: refineries[0].feed: "recycled" must be "mined" or "none""#])
        let ok = instanceJSON(
            refineries: #"[{"id": "r1", "mineral": "cobalt", "country": "USA", "capacity": 100, "fee": 5, "feed": "none"}]"#)
        #expect(errors(ok).isEmpty)
    }

    // MARK: Malformed JSON

    @Test func numberBeyondDouble() {
        let json = instanceJSON(mines: #"[{"id": "m1", "mineral": "cobalt", "country": "CHN", "capacity": 1e400, "price": 10}]"#)
        let found = errors(json)
        #expect(found.map(\.path) == ["mines[0].capacity"])
        #expect(found.first?.message == "number 1e400 at line 5, column 77 does not fit a finite double")
    }

    @Test func truncatedFile() throws {
        let full = instanceJSON()
        let cut = String(full.prefix(full.count / 2))
        let found = errors(cut)
        #expect(found.count == 1)
        #expect(found.first?.message.contains("unexpected end of input") == true)
        #expect(errors("").first?.message == "unexpected end of input at line 1, column 1 (the file is truncated)")
    }

    @Test func syntaxErrorNamesLineAndColumn() {
        let json = "{\n  \"format\": \"sourcing-instance/1\",\n  \"mines\": [\n    {\"id\": \"m1\" \"mineral\": \"x\"}\n  ]\n}"
        #expect(
            errors(json).map(\.description) == [
                "test.json: mines[0].id: syntax error at line 4, column 17: expected ',' or '}' after an object member, found '\"'"
            ])
    }

    @Test func invalidUTF8() {
        var bytes = Array(#"{"format": "sourcing-instance/1", "name": "caf"#.utf8)
        let offset = bytes.count
        bytes += [0xE9]  // Latin-1 'é'
        bytes += Array("\"}".utf8)
        let found = diagnostics(Data(bytes))
        #expect(found.map(\.description) == ["test.json: name: invalid UTF-8 at byte offset \(offset) (line 1, column 47)"])
    }

    @Test func byteOrderMarkAccepted() throws {
        let data = Data([0xEF, 0xBB, 0xBF] + Array(instanceJSON().utf8))
        let (instance, warnings) = try InstanceLoader.decode(data, file: "bom.json")
        #expect(warnings.isEmpty)
        #expect(instance.mines.count == 1)
    }

    @Test func deepNesting() {
        let data = Data(#"{"format": "sourcing-instance/1", "name": "#.utf8) + Data(repeating: UInt8(ascii: "["), count: 1_000_000)
        let clock = ContinuousClock()
        var found: [Diagnostic] = []
        let elapsed = clock.measure { found = diagnostics(data) }
        #expect(found.count == 1)
        #expect(found.first?.message.contains("nesting deeper than 100 levels") == true)
        #expect(elapsed < .seconds(2))
    }

    @Test func absurdSizesAreRefusedWithPath() {
        // The top-level object has 8 members: allow 8 entries per container, give 9 mines.
        var limits = JSONLimits.standard
        limits.maxContainerCount = 8
        let mine = #"{"id": "m", "mineral": "cobalt", "country": "CHN", "capacity": 1, "price": 1}"#
        let json = instanceJSON(mines: "[" + Array(repeating: mine, count: 9).joined(separator: ", ") + "]")
        let found = diagnostics(Data(json.utf8), limits: limits)
        #expect(found.map(\.path) == ["mines"])
        #expect(found.first?.message.hasPrefix("more than 8 entries in one array or object") == true)
        #expect(JSONLimits.standard.maxContainerCount == 10_000_000)
    }

    // MARK: Everything at once

    @Test func manyProblemsReportedTogether() {
        let json = """
            {
              "format": "sourcing-instance/1",
              "minerals": [{"id": "cobalt"}, {"id": "cobalt"}],
              "countries": [{"code": "USA", "coalition": true}, {"code": "usa", "coalition": false}],
              "mines": [
                {"id": "m1", "mineral": "cobalt", "country": "CHN", "capacity": -5, "price": "cheap"},
                {"id": "m1", "mineral": "galium", "country": "USA", "capacity": 10, "price": 1, "minVolume": 20}
              ],
              "refineries": [{"id": "r1", "mineral": "cobalt", "country": "USA", "capacity": 10, "fee": 1, "yield": 0, "extra": 1}],
              "buyers": [{"id": "b", "country": "USA", "demand": {"cobalt": -1, "*": 2}, "exposureCap": {"cobalt": 1.5}}],
              "transport": [{"from": "USA", "to": "CHN", "cost": 1}, {"from": "USA", "to": "CHN", "cost": 2}],
              "policy": {"maxCountryShare": 2, "blocked": [{}]}
            }
            """
        let found = diagnostics(json)
        #expect(
            found.map { "\($0.severity == .warning ? "W " : "")\($0.path)" } == [
                "mines[0].price",
                "refineries[0].extra",
                "minerals[1].id",
                "countries[1].code",
                "mines[0].country",
                "mines[0].capacity",
                "mines[1].id",
                "mines[1].mineral",
                "W mines[1].minVolume",
                "refineries[0].yield",
                #"buyers[0].demand["*"]"#,
                "buyers[0].demand.cobalt",
                "buyers[0].exposureCap.cobalt",
                "transport[0].to",
                "transport[1].to",
                "transport[1]",
                "policy.maxCountryShare",
                "W policy.blocked[0]"
            ])
        let error = #expect(throws: InstanceError.self) {
            try InstanceLoader.decode(Data(json.utf8), file: "test.json")
        }
        #expect(error?.description.split(separator: "\n").count == found.count)
        #expect(error?.errors.count == 16)
        #expect(error?.warnings.count == 2)
        let summary = error?.summary(maxLines: 3).split(separator: "\n", omittingEmptySubsequences: false) ?? []
        #expect(summary.count == 4)
        #expect(summary.last == "test.json: ... and 15 more problems (18 in all)")
    }

    @Test func placeholdersDoNotCauseSecondaryErrors() {
        // A mine that is not an object, and one with a missing id and a wrong-typed country.
        let json = instanceJSON(
            mines:
                #"[7, {"mineral": "cobalt", "country": 5, "capacity": 1, "price": 1}, {"id": "", "mineral": "cobalt", "country": "CHN", "capacity": 1, "price": 1}]"#
        )
        #expect(errorPaths(json) == ["mines[0]", "mines[1].country", "mines[1].id", "mines[2].id"])
    }

    // MARK: Files

    @Test func missingFile() {
        let error = #expect(throws: InstanceError.self) {
            try InstanceLoader.load(path: "/nonexistent/dir/x.json")
        }
        #expect(error?.description == "/nonexistent/dir/x.json: no such file")
    }

    @Test func directoryIsNotAFile() {
        let path = TestPaths.repository.appendingPathComponent("instances").path
        let error = #expect(throws: InstanceError.self) {
            try InstanceLoader.load(path: path)
        }
        #expect(error?.diagnostics.first?.message == "is a directory, not an instance file")
    }

    @Test func loadNamesTheFileInDiagnostics() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("instance-loader-\(UUID().uuidString).json")
        try Data(instanceJSON(format: "").utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let error = #expect(throws: InstanceError.self) {
            try InstanceLoader.load(path: url.path)
        }
        #expect(error?.diagnostics.first?.file == url.path)
        var limits = JSONLimits.standard
        limits.maxInputBytes = 100
        let tooBig = #expect(throws: InstanceError.self) {
            try InstanceLoader.load(path: url.path, limits: limits)
        }
        #expect(tooBig?.diagnostics.first?.message.contains("exceeds the limit of 100 bytes") == true)
    }

    // MARK: Key tables

    @Test func keyTables() {
        #expect(
            InstanceLoader.allowedKeys["mine"] == [
                "id", "mineral", "country", "capacity", "price", "chinaExposure", "fixedCost", "minVolume"
            ])
        #expect(InstanceLoader.requiredKeys["buyer"] == ["id", "country", "demand"])
        #expect(InstanceLoader.requiredKeys["instance"] == ["format"])
        #expect(
            Set(InstanceLoader.allowedKeys.keys)
                == ["instance", "mineral", "country", "mine", "refinery", "buyer", "transport", "policy", "block"])
    }
}
