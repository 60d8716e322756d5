import ArgumentParser
import FileIO
import FoundationEssentials
import GLPK
import Sourcing

/// `planner init [-o FILE]`: a small starting instance to edit.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a small starting instance to edit: two minerals, a few facilities, one cap, one floor.",
        discussion: """
            The file validates and solves as it is. JSON has no comments, so what each part means is \
            printed on standard error (and in the README's first section); the fields are those of \
            docs/FORMULATION.md.

            Examples:
              planner init -o my-instance.json
              planner validate my-instance.json
              planner solve my-instance.json
            """)

    @Option(name: .shortAndLong, help: "Write to this file (atomically) instead of stdout.")
    var output: String?

    @Flag(help: "Replace the file if it exists.")
    var force = false

    /// The starting instance.
    static let template = """
        {
          "format": "sourcing-instance/2",
          "name": "my first sourcing plan: lithium and cobalt for one US buyer",
          "minerals": [
            {"id": "cobalt", "name": "Cobalt", "referencePrice": 33000, "shortfallPenalty": [{"upTo": 0.1, "penalty": 53000}, {"upTo": 1, "penalty": 132000}]},
            {"id": "lithium", "name": "Lithium", "priceFloor": 20000, "referencePrice": 12000, "shortfallPenalty": 48000}
          ],
          "countries": [
            {"code": "AUS", "name": "Australia", "coalition": true},
            {"code": "CHN", "name": "China", "coalition": false},
            {"code": "COD", "name": "Congo (Kinshasa)", "coalition": false},
            {"code": "USA", "name": "United States", "coalition": true}
          ],
          "mines": [
            {"id": "mine-li-aus", "mineral": "lithium", "country": "AUS", "capacity": 500, "price": 8000},
            {"id": "mine-co-cod", "mineral": "cobalt", "country": "COD", "capacity": 300, "price": 20000, "chinaExposure": 0.5}
          ],
          "refineries": [
            {"id": "ref-li-chn", "mineral": "lithium", "country": "CHN", "capacity": 600, "fee": 3000},
            {"id": "ref-li-usa", "mineral": "lithium", "country": "USA", "capacity": 200, "fee": 6000},
            {"id": "ref-co-chn", "mineral": "cobalt", "country": "CHN", "capacity": 400, "fee": 9000},
            {"id": "recycler-co-usa", "mineral": "cobalt", "country": "USA", "capacity": 50, "fee": 36000, "feed": "none"}
          ],
          "buyers": [
            {"id": "oem-usa", "country": "USA", "demand": {"cobalt": 200, "lithium": 300}, "exposureCap": {"*": {"share": 0.5, "penalty": 6000}}}
          ],
          "transport": [
            {"from": "AUS", "to": "CHN", "cost": 45},
            {"from": "CHN", "to": "USA", "cost": 110},
            {"from": "COD", "to": "CHN", "cost": 120},
            {"from": "AUS", "to": "USA", "cost": 95}
          ],
          "policy": {"defaultTransportCost": 150, "externalTariff": 0.25}
        }

        """

    static let guide = """
        planner: wrote a starting instance. What it holds (docs/FORMULATION.md has every field):
          minerals    cobalt (a shortfall curve: the first 10% short costs 53,000 USD/t, the rest 132,000)
                      and lithium (a price floor of 20,000 USD/t, charged at the border on imported
                      refined lithium; a flat shortfall penalty of 48,000 USD/t)
          countries   coalition = inside the trade zone (AUS, USA); CHN and COD outside
          mines       sell ore at a price per tonne contained; half of the Congolese cobalt counts as
                      China-exposed (chinaExposure 0.5; Chinese facilities are fully exposed by default)
          refineries  turn ore into product at a fee per tonne; the US cobalt recycler needs no ore
                      (feed "none": its fee is the whole price)
          buyers      one US buyer; at most half of what it gets may be China-exposed, above that it
                      pays 6,000 USD per exposed tonne (a soft cap)
          transport   USD per tonne between two countries (either direction); others cost 150
          policy      a 25% tariff on refined product from outside the zone
        Next: planner validate FILE, then planner solve FILE; edit, add minerals, facilities, buyers.

        """

    func run() throws {
        if let output, !force, FileBytes.exists(output) {
            try fail("\(output) exists; --force replaces it", code: PlannerExit.invalidInput)
        }
        try OutputTarget(path: output).emit(Self.template)
        FileBytes.writeError(Self.guide)
    }
}
