import Foundation
import Sourcing
import Testing

private let baseMine = #"{"id": "m1", "mineral": "cobalt", "country": "CHN", "capacity": 100, "price": 10"#
private let baseRefinery = #"{"id": "r1", "mineral": "cobalt", "country": "USA", "capacity": 100, "fee": 5"#
private let baseBuyer = #"{"id": "b1", "country": "USA", "demand": {"cobalt": 50}"#

/// The base mine, refinery or buyer with extra members (`, "key": value`), as a one-element array.
private func mines(_ extra: String) -> String { "[" + baseMine + extra + "}]" }
private func refineries(_ extra: String) -> String { "[" + baseRefinery + extra + "}]" }
private func buyers(_ extra: String) -> String { "[" + baseBuyer + extra + "}]" }

/// One test per rule of docs/FORMULATION.md section 1, each showing the exact
/// diagnostic path (through the loader, so the file paths are the ones a
/// user sees) and, for in-memory checks, through `validate` directly.
@Suite("Instance validation rules")
struct ValidationTests {
    // MARK: Ranges

    /// Every non-negative field, set to -1 in turn.
    @Test(arguments: [
        ("mines", mines(#", "fixedCost": -1"#), "mines[0].fixedCost"),
        ("mines", mines(#", "minVolume": -1"#), "mines[0].minVolume"),
        ("mines", #"[{"id": "m1", "mineral": "cobalt", "country": "CHN", "capacity": -1, "price": 10}]"#, "mines[0].capacity"),
        ("mines", #"[{"id": "m1", "mineral": "cobalt", "country": "CHN", "capacity": 1, "price": -1}]"#, "mines[0].price"),
        ("refineries", #"[{"id": "r1", "mineral": "cobalt", "country": "USA", "capacity": -1, "fee": 5}]"#, "refineries[0].capacity"),
        ("refineries", #"[{"id": "r1", "mineral": "cobalt", "country": "USA", "capacity": 1, "fee": -1}]"#, "refineries[0].fee"),
        ("refineries", refineries(#", "fixedCost": -1"#), "refineries[0].fixedCost"),
        ("refineries", refineries(#", "minVolume": -1"#), "refineries[0].minVolume"),
        ("buyers", #"[{"id": "b1", "country": "USA", "demand": {"cobalt": -1}}]"#, "buyers[0].demand.cobalt"),
        ("transport", #"[{"from": "USA", "to": "CHN", "cost": -1}]"#, "transport[0].cost"),
        ("minerals", #"[{"id": "cobalt", "priceFloor": -1}]"#, "minerals[0].priceFloor"),
        ("minerals", #"[{"id": "cobalt", "referencePrice": -1}]"#, "minerals[0].referencePrice"),
        ("minerals", #"[{"id": "cobalt", "shortfallPenalty": -1}]"#, "minerals[0].shortfallPenalty"),
        ("policy", #"{"defaultTransportCost": -1}"#, "policy.defaultTransportCost"),
        ("policy", #"{"shortfallPenalty": -1}"#, "policy.shortfallPenalty"),
        ("policy", #"{"externalTariff": -1}"#, "policy.externalTariff")
    ])
    func nonNegativeFields(_ part: String, _ value: String, _ path: String) {
        let found = errors(instanceJSON(replacing: part, with: value))
        #expect(found.map(\.path) == [path])
        #expect(found.first?.message == "-1 must be >= 0")
    }

    @Test func zeroIsAllowedForNonNegativeFields() {
        let json = instanceJSON(
            minerals: #"[{"id": "cobalt", "priceFloor": 0, "referencePrice": 0, "shortfallPenalty": 0}]"#,
            mines: #"[{"id": "m1", "mineral": "cobalt", "country": "CHN", "capacity": 0, "price": 0, "fixedCost": 0, "minVolume": 0}]"#,
            buyers: #"[{"id": "b1", "country": "USA", "demand": {"cobalt": 0}}]"#,
            transport: #"[{"from": "USA", "to": "CHN", "cost": 0}]"#,
            policy:
                #"{"defaultTransportCost": 0, "externalTariff": 0, "shortfallPenalty": 0, "maxCountryShare": 0, "minCoalitionShare": 0}"#)
        #expect(diagnostics(json).isEmpty)
    }

    @Test func externalTariffAboveOneIsAllowed() {
        #expect(diagnostics(instanceJSON(policy: #"{"externalTariff": 2.5}"#)).isEmpty)
    }

    @Test(arguments: [("0", false), ("1", true), ("0.5", true), ("1.0000001", false), ("-0.2", false), ("1e-300", true)])
    func yieldInZeroOne(_ value: String, _ valid: Bool) {
        let found = errors(instanceJSON(refineries: refineries(#", "yield": \#(value)"#)))
        if valid {
            #expect(found.isEmpty)
        } else {
            #expect(found.map(\.path) == ["refineries[0].yield"])
            #expect(found.first?.message.hasSuffix("must be in (0, 1]") == true)
        }
    }

    @Test func yieldOfAFeedNoneSourceIsStillValidated() {
        #expect(errorPaths(instanceJSON(refineries: refineries(#", "feed": "none", "yield": 2"#))) == ["refineries[0].yield"])
    }

    @Test(arguments: [
        ("mines", mines(#", "chinaExposure": 1.5"#), "mines[0].chinaExposure"),
        ("refineries", refineries(#", "chinaExposure": -0.5"#), "refineries[0].chinaExposure"),
        ("buyers", buyers(#", "exposureCap": {"cobalt": 1.5}"#), "buyers[0].exposureCap.cobalt"),
        ("buyers", buyers(#", "exposureCap": {"*": -0.5}"#), #"buyers[0].exposureCap["*"]"#),
        ("policy", #"{"maxCountryShare": 1.5}"#, "policy.maxCountryShare"),
        ("policy", #"{"minCoalitionShare": -0.5}"#, "policy.minCoalitionShare")
    ])
    func sharesInZeroOne(_ part: String, _ value: String, _ path: String) {
        let found = errors(instanceJSON(replacing: part, with: value))
        #expect(found.map(\.path) == [path])
        #expect(found.first?.message.hasSuffix("must be in [0, 1]") == true)
    }

    @Test func sharesAtTheBoundsAreValid() {
        let json = instanceJSON(
            mines: mines(#", "chinaExposure": 0"#), refineries: refineries(#", "chinaExposure": 1"#),
            buyers: buyers(#", "exposureCap": {"cobalt": 0, "*": 1}"#),
            policy: #"{"maxCountryShare": 1, "minCoalitionShare": 1}"#)
        #expect(diagnostics(json).isEmpty)
    }

    @Test func maxSuppliersIsAnIntegerAtLeastZero() {
        #expect(
            errors(instanceJSON(buyers: buyers(#", "maxSuppliers": {"cobalt": -1}"#))).map(\.description)
                == ["test.json: buyers[0].maxSuppliers.cobalt: -1 must be an integer >= 0"])
        #expect(errors(instanceJSON(buyers: buyers(#", "maxSuppliers": {"cobalt": 0}"#))).isEmpty)
    }

    @Test func nonFiniteValuesInMemory() {
        var instance = Instance(
            minerals: [Mineral(id: "cobalt", priceFloor: .infinity)],
            countries: [Country(code: "USA", coalition: true)])
        instance.mines = [Mine(id: "m", mineral: "cobalt", country: "USA", capacity: .nan, price: 1, chinaExposure: .nan)]
        instance.policy.externalTariff = .infinity
        instance.refineries = [Refinery(id: "r", mineral: "cobalt", country: "USA", capacity: 1, fee: 1, yield: .nan)]
        #expect(
            validate(instance, file: "memory").map(\.description) == [
                "memory: minerals[0].priceFloor: inf must be a finite number >= 0",
                "memory: mines[0].capacity: nan must be a finite number >= 0",
                "memory: mines[0].chinaExposure: nan must be in [0, 1]",
                "memory: refineries[0].yield: nan must be in (0, 1]",
                "memory: policy.externalTariff: inf must be a finite number >= 0"
            ])
        #expect(!instance.isValid)
    }

    // MARK: Codes and ids

    @Test(arguments: ["usa", "US", "USAA", "U5A", "", "ÜSA", " US"])
    func countryCodeIsThreeUpperCaseLetters(_ code: String) {
        let json = instanceJSON(
            countries:
                #"[{"code": "USA", "coalition": true}, {"code": "CHN", "coalition": false}, {"code": "\#(code)", "coalition": false}]"#)
        let found = errors(json)
        #expect(found.map(\.path) == ["countries[2].code"])
        #expect(found.first?.message.hasSuffix("must be three upper-case ASCII letters (ISO 3166 alpha-3 form)") == true)
    }

    @Test func countryCodesAreUnique() {
        let json = instanceJSON(
            countries: #"[{"code": "USA", "coalition": true}, {"code": "CHN", "coalition": false}, {"code": "USA", "coalition": false}]"#)
        #expect(
            errors(json).map(\.description) == [#"test.json: countries[2].code: duplicate country code "USA" (first at countries[0].code)"#]
        )
    }

    @Test func mineralIdsAreNonEmptyUniqueAndNotStar() {
        #expect(
            errors(instanceJSON(minerals: #"[{"id": "cobalt"}, {"id": "cobalt"}]"#)).map(\.description)
                == [#"test.json: minerals[1].id: duplicate mineral id "cobalt" (first at minerals[0].id)"#])
        #expect(errorPaths(instanceJSON(minerals: #"[{"id": "cobalt"}, {"id": ""}]"#)) == ["minerals[1].id"])
        #expect(errorPaths(instanceJSON(minerals: #"[{"id": "cobalt"}, {"id": "*"}]"#)) == ["minerals[1].id"])
    }

    @Test func facilityIdsShareOneNamespace() {
        let json = instanceJSON(refineries: #"[{"id": "m1", "mineral": "cobalt", "country": "USA", "capacity": 100, "fee": 5}]"#)
        #expect(
            errors(json).map(\.description) == [
                #"test.json: refineries[0].id: duplicate facility id "m1" (first at mines[0].id; mines and refineries share one namespace)"#
            ])
        #expect(errorPaths(instanceJSON(mines: "[" + baseMine + "}, " + baseMine + "}]")) == ["mines[1].id"])
        #expect(
            errorPaths(instanceJSON(refineries: #"[{"id": "", "mineral": "cobalt", "country": "USA", "capacity": 100, "fee": 5}]"#))
                == ["refineries[0].id"])
    }

    @Test func buyerIdsAreNonEmptyAndUnique() {
        #expect(errorPaths(instanceJSON(buyers: "[" + baseBuyer + "}, " + baseBuyer + "}]")) == ["buyers[1].id"])
        #expect(errorPaths(instanceJSON(buyers: #"[{"id": "", "country": "USA", "demand": {}}]"#)) == ["buyers[0].id"])
        // A buyer id may equal a facility id or a mineral id (separate namespaces).
        #expect(
            errors(
                instanceJSON(buyers: #"[{"id": "m1", "country": "USA", "demand": {}}, {"id": "cobalt", "country": "USA", "demand": {}}]"#)
            ).isEmpty)
    }

    @Test func starIsNotADemandKey() {
        #expect(
            errors(instanceJSON(buyers: #"[{"id": "b1", "country": "USA", "demand": {"*": 5}}]"#)).map(\.description)
                == [#"test.json: buyers[0].demand["*"]: "*" is not allowed as a demand key (only exposureCap and maxSuppliers take "*")"#])
    }

    // MARK: References

    @Test(arguments: [
        ("mines", #"[{"id": "m1", "mineral": "cobalt", "country": "FRA", "capacity": 1, "price": 1}]"#, "mines[0].country"),
        ("refineries", #"[{"id": "r1", "mineral": "cobalt", "country": "FRA", "capacity": 1, "fee": 1}]"#, "refineries[0].country"),
        ("buyers", #"[{"id": "b1", "country": "FRA", "demand": {}}]"#, "buyers[0].country"),
        ("transport", #"[{"from": "FRA", "to": "USA", "cost": 1}]"#, "transport[0].from"),
        ("transport", #"[{"from": "USA", "to": "FRA", "cost": 1}]"#, "transport[0].to"),
        ("policy", #"{"blocked": [{"from": "FRA"}]}"#, "policy.blocked[0].from"),
        ("policy", #"{"blocked": [{"from": "CHN", "to": "FRA"}]}"#, "policy.blocked[0].to")
    ])
    func everyCountryIsListed(_ part: String, _ value: String, _ path: String) {
        let found = errors(instanceJSON(replacing: part, with: value))
        #expect(found.map(\.path) == [path])
        #expect(found.first?.message == #"country "FRA" is not listed in countries"#)
    }

    @Test func countryCodesAreComparedExactly() {
        let found = errors(instanceJSON(mines: #"[{"id": "m1", "mineral": "cobalt", "country": "chn", "capacity": 1, "price": 1}]"#))
        #expect(
            found.map(\.description) == [
                #"test.json: mines[0].country: country "chn" is not listed in countries (did you mean "CHN"? codes are compared exactly)"#
            ])
    }

    @Test(arguments: [
        ("mines", #"[{"id": "m1", "mineral": "galium", "country": "CHN", "capacity": 1, "price": 1}]"#, "mines[0].mineral"),
        ("refineries", #"[{"id": "r1", "mineral": "galium", "country": "USA", "capacity": 1, "fee": 1}]"#, "refineries[0].mineral"),
        ("buyers", #"[{"id": "b1", "country": "USA", "demand": {"galium": 1}}]"#, "buyers[0].demand.galium"),
        ("buyers", buyers(#", "exposureCap": {"galium": 0.5}"#), "buyers[0].exposureCap.galium"),
        ("buyers", buyers(#", "maxSuppliers": {"galium": 1}"#), "buyers[0].maxSuppliers.galium"),
        ("policy", #"{"blocked": [{"mineral": "galium"}]}"#, "policy.blocked[0].mineral")
    ])
    func everyMineralIsListed(_ part: String, _ value: String, _ path: String) {
        let found = errors(instanceJSON(replacing: part, with: value))
        #expect(found.map(\.path) == [path])
        #expect(found.first?.message == #"mineral "galium" is not listed in minerals"#)
    }

    @Test func starIsAllowedInExposureCapAndMaxSuppliersButNotInBlocks() {
        #expect(errors(instanceJSON(buyers: buyers(#", "exposureCap": {"*": 0.5}, "maxSuppliers": {"*": 2}"#))).isEmpty)
        #expect(
            errors(instanceJSON(policy: #"{"blocked": [{"mineral": "*"}]}"#)).map(\.message)
                == [#"mineral "*" is not listed in minerals (omit the field to match every mineral)"#])
    }

    // MARK: Transport

    @Test func oneTransportEntryPerOrderedPair() {
        let json = instanceJSON(
            transport:
                #"[{"from": "USA", "to": "CHN", "cost": 1}, {"from": "CHN", "to": "USA", "cost": 2}, {"from": "USA", "to": "USA", "cost": 3}, {"from": "USA", "to": "CHN", "cost": 4}]"#
        )
        #expect(
            errors(json).map(\.description) == [
                #"test.json: transport[3]: duplicate transport entry from "USA" to "CHN" (first at transport[0]; at most one entry per ordered pair)"#
            ])
    }

    // MARK: Warnings

    @Test func minVolumeAboveCapacityIsAWarning() throws {
        let json = instanceJSON(mines: mines(#", "minVolume": 150"#), refineries: refineries(#", "minVolume": 100"#))
        let (_, warnings) = try InstanceLoader.decode(Data(json.utf8), file: "test.json")
        #expect(
            warnings.map(\.description) == [
                "test.json: mines[0].minVolume: warning: minVolume 150 is above capacity 100: the facility can never be contracted"
            ])
        #expect(warnings.first?.severity == .warning)
    }

    @Test func emptyBlockIsAWarning() throws {
        let json = instanceJSON(policy: #"{"blocked": [{"from": "CHN"}, {}]}"#)
        let (instance, warnings) = try InstanceLoader.decode(Data(json.utf8), file: "test.json")
        #expect(warnings.map(\.description) == ["test.json: policy.blocked[1]: warning: an empty block {} blocks every cross-border arc"])
        #expect(instance.policy.blocked == [Block(from: "CHN"), Block()])
    }

    // MARK: validate() on its own

    @Test func validateAgreesWithTheLoader() throws {
        let (instance, _) = try InstanceLoader.decode(Data(instanceJSON().utf8), file: "x")
        #expect(validate(instance, file: "x").isEmpty)
        var changed = instance
        changed.buyers[0].demand["galium"] = -2
        #expect(
            validate(changed, file: "scenario").map(\.description) == [
                #"scenario: buyers[0].demand.galium: mineral "galium" is not listed in minerals"#,
                "scenario: buyers[0].demand.galium: -2 must be >= 0"
            ])
    }
}
