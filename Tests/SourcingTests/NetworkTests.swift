import Foundation
import Sourcing
import Testing

/// The arcs of docs/FORMULATION.md section "Arcs", derived by hand for a small
/// instance: transport is the entry (a, b), else (b, a), else 0 inside a
/// country, else the default; a block forbids trade from one country to
/// another, never inside one.
@Suite struct NetworkTests {
    static let json = instanceJSON(
        countries: #"""
            [{"code": "USA", "coalition": true}, {"code": "CHN", "coalition": false},
             {"code": "AUS", "coalition": true}, {"code": "CAN", "coalition": true}]
            """#,
        mines: #"""
            [{"id": "m1", "mineral": "cobalt", "country": "CHN", "capacity": 100, "price": 10},
             {"id": "m2", "mineral": "cobalt", "country": "AUS", "capacity": 100, "price": 10},
             {"id": "m3", "mineral": "cobalt", "country": "USA", "capacity": 100, "price": 10}]
            """#,
        refineries: #"""
            [{"id": "r1", "mineral": "cobalt", "country": "USA", "capacity": 100, "fee": 5},
             {"id": "r2", "mineral": "cobalt", "country": "CAN", "capacity": 100, "fee": 5}]
            """#,
        buyers: #"[{"id": "b1", "country": "AUS", "demand": {"cobalt": 50}}]"#,
        transport: #"""
            [{"from": "CHN", "to": "USA", "cost": 5}, {"from": "USA", "to": "CHN", "cost": 7},
             {"from": "CAN", "to": "AUS", "cost": 3}, {"from": "USA", "to": "USA", "cost": 2}]
            """#,
        policy: #"{"defaultTransportCost": 10, "blocked": [{"from": "CHN", "to": "CAN"}, {"from": "AUS", "to": "AUS"}]}"#)

    @Test func arcsAndTransportByHand() throws {
        let instance = try InstanceLoader.decode(Data(Self.json.utf8), file: "network.json").instance
        let network = Network(instance)
        // Mine by mine, refineries in file order:
        // m1 CHN -> r1 USA: the entry (CHN, USA) = 5, not the reverse 7;
        // m1 CHN -> r2 CAN: blocked;
        // m2 AUS -> r1 USA: no entry either way, the default 10;
        // m2 AUS -> r2 CAN: the reverse entry (CAN, AUS) = 3;
        // m3 USA -> r1 USA: the entry (USA, USA) = 2 beats 0 inside a country;
        // m3 USA -> r2 CAN: the default 10.
        let ore = network.oreArcs.map { [$0.mine, $0.refinery, Int($0.transport)] }
        #expect(ore == [[0, 0, 5], [1, 0, 10], [1, 1, 3], [2, 0, 2], [2, 1, 10]])
        // r1 USA -> b1 AUS: the default 10; r2 CAN -> b1 AUS: the entry 3.
        // The block AUS -> AUS never applies: blocks are trade measures.
        let product = network.productArcs.map { [$0.refinery, $0.buyer, Int($0.transport)] }
        #expect(product == [[0, 0, 10], [1, 0, 3]])
        #expect(network.countryCodes == ["AUS", "CAN", "CHN", "USA"])
        #expect(network.refineryCountry == [3, 1])
        #expect(network.refineryInCoalition == [true, true])
    }
}
