public import FoundationEssentials
public import Sourcing

/// Builds `instances/coalition-2026.json` from the CSV files of
/// `instances/data/` (public figures with their sources, plus the stated
/// assumption tables). `instances/README.md` explains every rule below.
///
/// The build is deterministic: minerals, facilities, buyers and countries
/// come out sorted by id or code, and every figure is rounded (tonnes to
/// 0.001 t, money to 0.01 USD), so ``encodedJSON(dataDirectory:)`` gives the
/// same bytes on every run and platform.
public enum CoalitionBuilder {
    /// The instance's `name`.
    public static let instanceName = "coalition-2026"
    /// The year of the production and price figures used (USGS MCS 2026 estimates).
    public static let year = "2025"

    /// The reference instance, valid by `validate` (no errors).
    ///
    /// - Throws: ``CoalitionError`` for a missing file or column, a malformed
    ///   number, a rule that matches no figure, or an instance that would not
    ///   validate.
    public static func build(dataDirectory: String) throws -> Instance {
        let data = try CoalitionData(directory: dataDirectory)
        let instance = try Assembly(data: data).instance()
        let errors = validate(instance, file: instanceName).filter { $0.severity == .error }
        guard errors.isEmpty else {
            throw CoalitionError("the built instance is invalid:\n" + errors.map(\.description).joined(separator: "\n"))
        }
        return instance
    }

    /// The reference instance as canonical JSON (``InstanceEncoder``): the
    /// bytes of the committed `instances/coalition-2026.json`.
    public static func encodedJSON(dataDirectory: String) throws -> Data {
        InstanceEncoder.encode(try build(dataDirectory: dataDirectory))
    }
}

/// Rounds to 0.001 (tonnes: one kilogram).
func roundedTonnes(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }

/// Rounds to 0.01 (USD: one cent).
func roundedMoney(_ value: Double) -> Double { (value * 100).rounded() / 100 }

/// The rules of the build, one mineral at a time.
struct Assembly {
    let data: CoalitionData
    let year = CoalitionBuilder.year

    /// What one mineral contributes to the instance.
    struct Part {
        var mineral: Mineral
        var mines: [Mine]
        var refineries: [Refinery]
        /// World output (t), the base of every buyer's demand.
        var worldOutput: Double
    }

    func instance() throws(CoalitionError) -> Instance {
        let specs = data.minerals.sorted { $0["id"] < $1["id"] }
        var parts: [Part] = []
        for spec in specs { parts.append(try part(spec)) }
        var mines = parts.flatMap(\.mines).sorted { $0.id < $1.id }
        var refineries = parts.flatMap(\.refineries).sorted { $0.id < $1.id }
        try attachByProducts(mines: &mines, refineries: &refineries)
        let buyers = try buyers(parts, specs, mines: mines, refineries: refineries)
        let used = Set(mines.map(\.country) + refineries.map(\.country) + buyers.map(\.country))
        return Instance(
            version: .v2,
            name: CoalitionBuilder.instanceName,
            minerals: parts.map(\.mineral),
            countries: try countries(used),
            mines: mines,
            refineries: refineries,
            buyers: buyers,
            transport: try transport(used),
            policy: try policy())
    }

    /// Transport, tariff and the blocked exporters of assumptions.csv.
    func policy() throws(CoalitionError) -> Policy {
        let blocked = try codes("blocked_exporters")
        return Policy(
            defaultTransportCost: try data.numericAssumption("default_transport_cost"),
            externalTariff: try data.numericAssumption("external_tariff"),
            blocked: blocked.isEmpty ? nil : blocked.map { Block(from: $0) })
    }

    // MARK: One mineral

    func part(_ spec: Record) throws(CoalitionError) -> Part {
        let id = spec["id"]
        guard !id.isEmpty else { throw CoalitionError("\(spec.place): empty id") }
        guard let feed = Feed(rawValue: spec["feed"]) else {
            throw CoalitionError("\(spec.place): feed \"\(spec["feed"])\" is neither mined nor none")
        }
        // Mined minerals: mine production; feed-none minerals: refinery production.
        let stage = feed == .mined ? "mine" : "refinery"
        let rows = data.production.filter {
            $0["mineral"] == spec["data_mineral"] && $0["year"] == year && $0["stage"] == stage
        }
        let worldOutput: Double
        if spec["world_output"].isEmpty {
            guard let world = rows.first(where: { $0["iso3"] == "WLD" }) else {
                throw CoalitionError("\(spec.place): production.csv has no \(year) world total for \(spec["data_mineral"]) (\(stage))")
            }
            worldOutput = try tonnes(world)
        } else {
            worldOutput = try data.numericAssumption(spec["world_output"])
        }
        var produced: [String: Double] = [:]
        for row in rows where !["", "WLD"].contains(row["iso3"]) {
            let amount = try tonnes(row)
            guard amount > 0 else { continue }
            guard produced[row["iso3"]] == nil else {
                throw CoalitionError("\(row.place): a second \(year) \(stage) row for \(row["iso3"])")
            }
            produced[row["iso3"]] = amount
        }
        let mineCapacity = feed == .mined ? produced : [:]
        let refineryCapacity =
            feed == .none && !produced.isEmpty
            ? produced
            : try refining(spec, worldOutput: worldOutput, mineCapacity: mineCapacity)

        let price = try prices(spec, feed: feed)
        let exposure = try exposures(id)
        let mines = mineCapacity.sorted { $0.key < $1.key }.map { country, tonnes in
            Mine(
                id: "mine-\(id)-\(country)", mineral: id, country: country,
                capacity: roundedTonnes(tonnes), price: price.mine,
                chinaExposure: exposure[Pair("mine", country)])
        }
        let refineries = refineryCapacity.sorted { $0.key < $1.key }.compactMap { country, tonnes -> Refinery? in
            let capacity = roundedTonnes(tonnes)
            guard capacity > 0 else { return nil }
            return Refinery(
                id: "ref-\(id)-\(country)", mineral: id, country: country,
                capacity: capacity, fee: price.fee, feed: feed == .none ? Feed.none : nil,
                chinaExposure: exposure[Pair("refinery", country)])
        }
        for key in exposure.keys {
            let exists =
                key.stage == "mine"
                ? mineCapacity[key.country] != nil : refineries.contains { $0.country == key.country }
            guard exists else {
                throw CoalitionError("exposure_rules.csv: \(id) has no \(key.stage) in \(key.country)")
            }
        }
        let mineral = Mineral(
            id: id, name: spec["name"].isEmpty ? nil : spec["name"],
            priceFloor: price.floor, referencePrice: price.product,
            shortfallPenalty: try civilPenalty(referencePrice: price.product))
        return Part(mineral: mineral, mines: mines, refineries: refineries, worldOutput: worldOutput)
    }

    /// A production or refining figure in tonnes.
    func tonnes(_ row: Record) throws(CoalitionError) -> Double {
        do throws(CoalitionError) {
            return try UnitConversion.tonnes(try row.number("quantity"), unit: row["unit"])
        } catch {
            throw CoalitionError("\(row.place): \(error.message)")
        }
    }

    // MARK: Refining

    /// Refinery capacity by country (t of product) from refining_rules.csv.
    ///
    /// The refined total is the mineral's world output, or a `world` rule's
    /// figure. `share` rules take their percentage of it and `quantity` rules
    /// their tonnes; the residual goes to the `weight` rules in proportion to
    /// their figures (residual = weights), to the mining countries without a
    /// rule in proportion to their mine output (residual = mines), or
    /// nowhere (residual = none).
    func refining(_ spec: Record, worldOutput: Double, mineCapacity: [String: Double])
        throws(CoalitionError) -> [String: Double]
    {
        let id = spec["id"]
        let rules = data.refiningRules.filter { $0["mineral"] == id }
        var total = worldOutput
        for rule in rules where rule["kind"] == "world" {
            total = try tonnes(try figure(rule))
        }
        var named: [String: Double] = [:]
        var weights: [String: Double] = [:]
        var weightsInTonnes: Set<Bool> = []
        for rule in rules {
            let country = rule["iso3"]
            let amount: Double
            switch rule["kind"] {
            case "world":
                continue
            case "share":
                amount = try figure(rule).number("share_pct") / 100 * total
            case "quantity":
                amount = try tonnes(try figure(rule))
            case "weight":
                let row = try figure(rule)
                let inTonnes = !row["quantity"].isEmpty
                weightsInTonnes.insert(inTonnes)
                weights[country] = try inTonnes ? tonnes(row) : row.number("share_pct")
                continue
            default:
                throw CoalitionError("\(rule.place): unknown kind \"\(rule["kind"])\"")
            }
            guard named[country] == nil else { throw CoalitionError("\(rule.place): a second rule for \(country)") }
            named[country] = amount
        }
        guard weightsInTonnes.count <= 1 else {
            throw CoalitionError("refining_rules.csv: the weights of \(id) mix tonnes and shares")
        }
        let residual = total - named.sorted { $0.key < $1.key }.reduce(0) { $0 + $1.value }
        guard residual >= -1e-9 * total else {
            throw CoalitionError("refining_rules.csv: the named refining of \(id) exceeds its refined total \(total) t")
        }
        var capacity = named
        func spread(_ basis: [String: Double]) throws(CoalitionError) {
            let sorted = basis.sorted { $0.key < $1.key }
            let sum = sorted.reduce(0) { $0 + $1.value }
            guard sum > 0 else {
                throw CoalitionError("refining_rules.csv: nowhere to place the residual refining of \(id)")
            }
            for (country, weight) in sorted {
                capacity[country, default: 0] += residual * weight / sum
            }
        }
        switch spec["residual"] {
        case "weights":
            try spread(weights)
        case "mines":
            guard weights.isEmpty else { throw CoalitionError("\(spec.place): weight rules need residual = weights") }
            try spread(mineCapacity.filter { named[$0.key] == nil })
        case "none":
            guard weights.isEmpty else { throw CoalitionError("\(spec.place): weight rules need residual = weights") }
        default:
            throw CoalitionError("\(spec.place): residual \"\(spec["residual"])\" is not weights, mines or none")
        }
        return capacity
    }

    /// The refining_by_country.csv row a rule names.
    func figure(_ rule: Record) throws(CoalitionError) -> Record {
        let rows = data.refiningByCountry.filter {
            $0["mineral"] == rule["data_mineral"] && $0["stage"] == rule["stage"]
                && $0["iso3"] == rule["iso3"] && $0["year"] == rule["year"]
        }
        guard rows.count == 1 else {
            throw CoalitionError("\(rule.place): \(rows.count) rows of refining_by_country.csv match the rule")
        }
        return rows[0]
    }

    // MARK: Prices

    struct Prices {
        /// Product price (USD/t): the referencePrice.
        var product: Double
        /// Mine price (USD/t of ore contained); 0 for a feed-none mineral.
        var mine: Double
        /// Refinery fee (USD/t of output): product - mine, or the whole product price for feed none.
        var fee: Double
        /// Product price floor (USD/t of refined product), when a component has a floor.
        var floor: Double?
    }

    /// The product price from price_components.csv and the mine/fee split.
    ///
    /// The product price is the weighted sum of the components' 2025 prices
    /// in USD/t; for a concentrate-priced mineral that sum is the mine price
    /// and the product price is it divided by the mine's value share. The
    /// mine price is share x product and the fee the rest. A floor replaces
    /// its component's price when higher; the product price so floored is the
    /// mineral's priceFloor, which version 2 charges at the border.
    func prices(_ spec: Record, feed: Feed) throws(CoalitionError) -> Prices {
        let id = spec["id"]
        let components = data.priceComponents.filter { $0["mineral"] == id }
        guard !components.isEmpty else { throw CoalitionError("price_components.csv: no price for \(id)") }
        var market = 0.0
        var floored = 0.0
        var hasFloor = false
        for component in components {
            let rows = data.prices.filter {
                $0["mineral"] == component["data_mineral"] && $0["series"] == component["series"] && $0["year"] == year
            }
            guard rows.count == 1 else {
                throw CoalitionError("\(component.place): \(rows.count) \(year) rows of prices.csv match the series")
            }
            let price = try usdPerTonne(rows[0], column: "price", mineral: id)
            let weight = try component.number("weight")
            market += weight * price
            if component["floor"].isEmpty {
                floored += weight * price
            } else {
                let floors = data.priceFloors.filter { $0["mineral"] == component["floor"] }
                guard floors.count == 1 else {
                    throw CoalitionError("\(component.place): \(floors.count) rows of price_floors.csv match the floor")
                }
                floored += weight * max(price, try usdPerTonne(floors[0], column: "floor", mineral: id))
                hasFloor = true
            }
        }
        var share = 1.0
        if feed == .mined {
            share = try spec.number("mine_value_share")
            guard share > 0 && share <= 1 else {
                throw CoalitionError("\(spec.place): mine_value_share must be in (0, 1]")
            }
        }
        switch spec["price_basis"] {
        case "product":
            break
        case "concentrate" where feed == .mined:
            market /= share
            floored /= share
        default:
            throw CoalitionError(
                "\(spec.place): price_basis \"\(spec["price_basis"])\" is not product (or concentrate, for a mined mineral)")
        }
        let product = roundedMoney(market)
        let mine = feed == .mined ? roundedMoney(share * product) : 0
        return Prices(
            product: product, mine: mine,
            fee: feed == .mined ? roundedMoney(product - mine) : product,
            // Version 2's floor is a border charge on refined product:
            // the product price with every floored component at its floor.
            floor: hasFloor ? roundedMoney(floored) : nil)
    }

    func usdPerTonne(_ row: Record, column: String, mineral: String) throws(CoalitionError) -> Double {
        do throws(CoalitionError) {
            return try UnitConversion.usdPerTonne(try row.number(column), unit: row["unit"], mineral: mineral)
        } catch {
            throw CoalitionError("\(row.place): \(error.message)")
        }
    }

    // MARK: Exposure

    /// chinaExposure of facilities abroad, keyed by (stage, country), from
    /// exposure_rules.csv and ownership.csv. Chinese facilities keep the
    /// spec's default (1) and are not listed.
    func exposures(_ mineral: String) throws(CoalitionError) -> [Pair: Double] {
        var result: [Pair: Double] = [:]
        for rule in data.exposureRules where rule["mineral"] == mineral {
            guard ["mine", "refinery"].contains(rule["stage"]) else {
                throw CoalitionError("\(rule.place): stage must be mine or refinery")
            }
            let rows = data.ownership.filter {
                $0["mineral"] == rule["data_mineral"] && $0["iso3"] == rule["iso3"]
                    && $0["owner_country"] == rule["owner_country"] && $0["year"] == rule["year"]
            }
            guard rows.count == 1 else {
                throw CoalitionError("\(rule.place): \(rows.count) rows of ownership.csv match the rule")
            }
            let share = try rows[0].number("share_pct") / 100
            guard share >= 0 && share <= 1 else { throw CoalitionError("\(rows[0].place): share_pct out of 0...100") }
            result[Pair(rule["stage"], rule["iso3"])] = share
        }
        return result
    }

    /// A (stage, country) key.
    struct Pair: Hashable {
        var stage: String
        var country: String
        init(_ stage: String, _ country: String) {
            self.stage = stage
            self.country = country
        }
    }

    /// A list of country codes of assumptions.csv (separated by ";").
    func codes(_ key: String) throws(CoalitionError) -> [String] {
        try data.assumption(key)["value"].split(separator: ";")
            .map(\.trimmedOfSpaces).filter { !$0.isEmpty }
    }

    // MARK: Buyers and countries

    /// The countries named anywhere, with their names from the figures and
    /// coalition membership from the assumption's list of coalition.csv (plus
    /// the EU's member states when the EU is in it).
    func countries(_ used: Set<String>) throws(CoalitionError) -> [Country] {
        let group = try data.assumption("coalition_group")["value"]
        var members = Set(data.coalition.filter { $0["group"] == group }.map { $0["iso3"] })
        guard !members.isEmpty else { throw CoalitionError("coalition.csv: no country in the group \(group)") }
        // The EU is a partner as a customs union: its member states are in with it.
        if members.contains("EUU") {
            members.formUnion(try codes("eu_member_states"))
        }
        var names: [String: String] = [:]
        let named =
            data.production.map { ($0["iso3"], $0["country"]) }
            + data.refiningByCountry.map { ($0["iso3"], $0["country"]) }
            + data.coalition.map { ($0["iso3"], $0["country"]) }
            + data.buyers.map { ($0["iso3"], $0["kind"] == "row" ? "Rest of the world" : $0["name"]) }
        for (code, name) in named where names[code] == nil && !name.isEmpty {
            names[code] = name
        }
        return used.sorted().map { Country(code: $0, name: names[$0], coalition: members.contains($0)) }
    }
}
