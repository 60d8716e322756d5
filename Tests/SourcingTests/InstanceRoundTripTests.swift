import Foundation
import Sourcing
import TestSupport
import Testing

@Suite("Instance encoding and round trips")
struct InstanceRoundTripTests {
    /// The warnings a small instance is meant to raise: floor-no-reference
    /// exercises the valid floor without a reference price (docs/FORMULATION.md
    /// section 10), which warns by design.
    static func expectedWarnings(_ file: URL) -> [String] {
        file.lastPathComponent == "floor-no-reference.json" ? ["minerals[0].priceFloor"] : []
    }

    @Test func everySmallInstanceDecodesWithoutErrors() throws {
        let files = try smallInstanceFiles()
        #expect(files.count >= 11)
        for file in files {
            do {
                let (_, warnings) = try InstanceLoader.load(path: file.path)
                #expect(warnings.map(\.path) == Self.expectedWarnings(file), "\(file.lastPathComponent): \(warnings)")
            } catch {
                Issue.record("\(file.lastPathComponent): \(error)")
            }
        }
    }

    @Test func smallInstancesRoundTrip() throws {
        for file in try smallInstanceFiles() {
            let (instance, _) = try InstanceLoader.load(path: file.path)
            let encoded = InstanceEncoder.encode(instance)
            let (decoded, warnings) = try InstanceLoader.decode(encoded, file: "encoded " + file.lastPathComponent)
            #expect(decoded == instance, "\(file.lastPathComponent)")
            #expect(warnings.map(\.path) == Self.expectedWarnings(file))
            #expect(InstanceEncoder.encode(instance) == encoded, "\(file.lastPathComponent): not deterministic")
            #expect(InstanceEncoder.encode(decoded) == encoded, "\(file.lastPathComponent): not a fixed point")
        }
    }

    @Test func smallInstancesAreAlreadyNearCanonical() throws {
        // The hand-written files use the canonical layout; only optional empty parts may differ.
        let file = TestPaths.repository.appendingPathComponent("instances/small/tagging.json")
        let (instance, _) = try InstanceLoader.load(path: file.path)
        let original = try String(contentsOf: file, encoding: .utf8)
        #expect(String(decoding: InstanceEncoder.encode(instance), as: UTF8.self) == original)
    }

    @Test func everyFieldRoundTrips() throws {
        let instance = Instance(
            name: "all fields: \"quotes\", \\ backslash, tab\t, newline\n, é, 😀",
            minerals: [
                Mineral(id: "cobalt", name: "Cobalt", priceFloor: 0.1, referencePrice: 1e-7, shortfallPenalty: 1e20),
                Mineral(id: "lithium")
            ],
            countries: [Country(code: "CHN", name: "China", coalition: false), Country(code: "USA", coalition: true)],
            mines: [
                Mine(
                    id: "m1", mineral: "cobalt", country: "CHN", capacity: 123_456.789, price: 9_007_199_254_740_994,
                    chinaExposure: 1.0 / 3.0, fixedCost: 0, minVolume: .leastNormalMagnitude)
            ],
            refineries: [
                Refinery(
                    id: "r1", mineral: "lithium", country: "USA", capacity: 100, fee: 2.5, yield: 0.8, feed: .mined,
                    chinaExposure: 0.2, fixedCost: 10, minVolume: 1),
                Refinery(id: "r2", mineral: "cobalt", country: "USA", capacity: 1, fee: 0, feed: Feed.none)
            ],
            buyers: [
                Buyer(
                    id: "b1", country: "USA", demand: ["lithium": 5, "cobalt": 7.25],
                    exposureCap: ["*": 0.5, "cobalt": 0.25], maxSuppliers: ["cobalt": 0, "*": 3]),
                Buyer(id: "b2", country: "CHN")
            ],
            transport: [TransportEntry(from: "CHN", to: "USA", cost: 12.5), TransportEntry(from: "USA", to: "USA", cost: 0)],
            policy: Policy(
                defaultTransportCost: 3, externalTariff: 2.5, maxCountryShare: 0.4, minCoalitionShare: 0.6,
                shortfallPenalty: 1000,
                blocked: [Block(from: "CHN", mineral: "cobalt"), Block(to: "USA"), Block()]))
        let encoded = InstanceEncoder.encode(instance)
        let (decoded, warnings) = try InstanceLoader.decode(encoded, file: "x")
        #expect(decoded == instance)
        // The empty block, and the tiny minVolume (below a millionth of the median tonnage; the tonnage rules run last).
        #expect(warnings.map(\.path) == ["policy.blocked[2]", "mines[0].minVolume"], "\(warnings)")
        #expect(InstanceEncoder.encode(decoded) == encoded)

        let text = String(decoding: encoded, as: UTF8.self)
        #expect(
            text.contains(
                #"{"id": "b1", "country": "USA", "demand": {"cobalt": 7.25, "lithium": 5}, "exposureCap": {"*": 0.5, "cobalt": 0.25}, "maxSuppliers": {"*": 3, "cobalt": 0}}"#
            ))
        #expect(text.contains(#"{"id": "cobalt", "name": "Cobalt", "priceFloor": 0.1, "referencePrice": 1e-7, "shortfallPenalty": 1e20}"#))
        #expect(text.contains(#""capacity": 100, "fee": 2.5, "yield": 0.8, "feed": "mined""#))
        #expect(text.contains(#"{"id": "b2", "country": "CHN", "demand": {}}"#))
        #expect(text.hasPrefix("{\n  \"format\": \"sourcing-instance/1\",\n  \"name\": "))
    }

    @Test func absentAndEmptyAreKeptApartWhereTheyDiffer() throws {
        // blocked: [] is present-but-empty; exposureCap {} and an empty array mean the same as absent.
        let instance = Instance(policy: Policy(blocked: []))
        let encoded = InstanceEncoder.encode(instance)
        #expect(
            String(decoding: encoded, as: UTF8.self)
                == "{\n  \"format\": \"sourcing-instance/1\",\n  \"policy\": {\n    \"blocked\": []\n  }\n}\n")
        #expect(try InstanceLoader.decode(encoded, file: "x").instance == instance)
        #expect(
            String(decoding: InstanceEncoder.encode(Instance()), as: UTF8.self)
                == "{\n  \"format\": \"sourcing-instance/1\"\n}\n")
    }

    @Test func mediumInstanceRoundTripsQuickly() throws {
        // 20,000 facilities: a smoke test of speed in debug builds (a release build is ~10x faster).
        var instance = Instance(
            minerals: [Mineral(id: "cobalt")],
            countries: [Country(code: "USA", coalition: true), Country(code: "CHN", coalition: false)])
        for i in 0..<10_000 {
            instance.mines.append(
                Mine(
                    id: "m\(i)", mineral: "cobalt", country: i.isMultiple(of: 2) ? "USA" : "CHN",
                    capacity: Double(i) + 0.5, price: Double(i % 97)))
            instance.refineries.append(Refinery(id: "r\(i)", mineral: "cobalt", country: "USA", capacity: 10, fee: 1.25))
        }
        let clock = ContinuousClock()
        var decoded = Instance()
        let elapsed = try clock.measure {
            decoded = try InstanceLoader.decode(InstanceEncoder.encode(instance), file: "x").instance
        }
        #expect(decoded == instance)
        #expect(elapsed < .seconds(20))
    }
}
