import StrictJSON

/// Checks the semantic rules of docs/FORMULATION.md section 1 on an in-memory
/// instance: ranges and finiteness, id and code uniqueness, references to
/// listed countries and minerals, the reserved `"*"`, one transport entry
/// per ordered pair; plus the warnings (minVolume above capacity, an empty
/// block).
///
/// This is the one home of these rules: ``InstanceLoader`` runs it after
/// mapping a file, and scenario code runs it after applying changes. The
/// rules that only a file can break (types, unknown, missing, duplicate or
/// null keys, `format`) belong to the loader.
///
/// - Parameters:
///   - instance: the instance to check.
///   - file: the file name to put in the diagnostics.
/// - Returns: every error and warning, in the order of the instance's
///   fields; the instance is valid when none is an error.
public func validate(_ instance: Instance, file: String) -> [Diagnostic] {
    var validator = InstanceValidator(file: file)
    validator.check(instance)
    return validator.diagnostics
}

/// ``validate(_:file:)`` of a part of an instance (the entities a scenario
/// change touches): every rule but the cost range and the small-tonnage
/// warning, which need the whole instance's median
/// (``costRangeDiagnostics(_:file:)``).
func validatePart(_ instance: Instance, file: String) -> [Diagnostic] {
    var validator = InstanceValidator(file: file)
    validator.checksCostRange = false
    validator.warnsSmallTonnage = false
    validator.check(instance)
    return validator.diagnostics
}

/// The cost-range rule alone, on a whole instance.
func costRangeDiagnostics(_ instance: Instance, file: String) -> [Diagnostic] {
    var validator = InstanceValidator(file: file)
    validator.version = instance.version
    validator.checkCostRange(instance)
    return validator.diagnostics
}

extension Instance {
    /// Whether ``validate(_:file:)`` finds no error.
    public var isValid: Bool {
        !validate(self, file: "").contains { $0.severity == .error }
    }
}

/// The text of a number in a message: JSON form, or `nan`/`inf`.
func show(_ number: Double) -> String {
    number.isFinite ? JSONWriter.format(number) : "\(number)"
}

private struct InstanceValidator {
    let file: String
    var diagnostics: [Diagnostic] = []
    var mineralIDs: Set<String> = []
    var countryCodes: Set<String> = []

    init(file: String) {
        self.file = file
    }

    mutating func error(_ path: String, _ message: String) {
        diagnostics.append(.error(file: file, path: path, message))
    }

    mutating func warning(_ path: String, _ message: String) {
        diagnostics.append(.warning(file: file, path: path, message))
    }

    var version = InstanceVersion.v1
    var checksCostRange = true
    var warnsSmallTonnage = true

    mutating func check(_ instance: Instance) {
        version = instance.version
        checkMinerals(instance.minerals)
        checkCountries(instance.countries)
        checkFacilities(instance)
        checkBuyers(instance.buyers)
        checkTransport(instance.transport)
        checkPolicy(instance.policy)
        checkTonnages(instance)
        if checksCostRange { checkCostRange(instance) }
    }

    /// The largest cost coefficient GLPK's double-precision simplex keeps
    /// next to ordinary ones, as a multiple of the instance's median price
    /// or fee. Measured on a generated instance (median price or fee
    /// 17,187 USD/t): an unused mine priced at 3e11 left the optimum exact,
    /// at 1e12 (5.8e7 times the median) the reported "optimal" objective was
    /// 0.008% too high and at 1e15 51% too high, with or without GLPK's
    /// scaling and presolver. The limit keeps a margin of 50 below the
    /// first failure.
    static let costRatioLimit = 1e6

    /// The largest tonnage (capacity, demand, minVolume, host throughput):
    /// a trillion tonnes, far above any mineral flow; GLPK takes bounds of
    /// 1e30 and more as infinite, and a value of 1e30 passed validation and
    /// then failed the solve at `variable #0`.
    static let tonnageLimit = 1e12

    /// The smallest non-zero tonnage taken without a warning, as a share of
    /// the instance's median positive capacity or demand: GLPK's simplex
    /// tests bounds with a tolerance of 1e-7 relative to the numbers around
    /// them, so a tonnage a million times below the scale of the others may
    /// be read as 0 (or a shortfall of it left out).
    static let smallTonnageShare = 1e-6

    /// Every tonnage at most ``tonnageLimit``; a warning for a non-zero
    /// tonnage below ``smallTonnageShare`` times the instance's median.
    mutating func checkTonnages(_ instance: Instance) {
        let scale = warnsSmallTonnage ? Self.medianTonnage(instance) : nil
        let small = scale.map { $0 * Self.smallTonnageShare } ?? 0
        func check(_ value: Double?, _ path: @autoclosure () -> String) {
            guard let value, value.isFinite else { return }
            if value > Self.tonnageLimit {
                error(
                    path(),
                    "\(show(value)) t is above \(show(Self.tonnageLimit)) t, far beyond any mineral flow (GLPK takes 1e30 and more as infinite)"
                )
            } else if value > 0, value < small, !value.isSubnormal, let scale {
                warning(
                    path(),
                    "\(show(value)) t is less than \(show(Self.smallTonnageShare)) times the instance's median capacity or demand (\(show(scale)) t): "
                        + "GLPK's feasibility tolerance (1e-7, relative) may treat it as 0; use 0 or a tonnage on the instance's scale")
            }
        }
        for (i, mine) in instance.mines.enumerated() {
            let at = FieldLocation("mines", index: i)
            check(mine.capacity, at.field("capacity"))
            check(mine.minVolume, at.field("minVolume"))
            check(mine.byProduct?.hostThroughput, FieldLocation(at.field("byProduct")).field("hostThroughput"))
        }
        for (i, refinery) in instance.refineries.enumerated() {
            let at = FieldLocation("refineries", index: i)
            check(refinery.capacity, at.field("capacity"))
            check(refinery.minVolume, at.field("minVolume"))
            check(refinery.byProduct?.hostThroughput, FieldLocation(at.field("byProduct")).field("hostThroughput"))
        }
        for (i, buyer) in instance.buyers.enumerated() {
            for (key, tonnes) in buyer.demand.sorted(by: { $0.key < $1.key }) {
                check(tonnes, FieldLocation("buyers", index: i, sub: "demand").field(key))
            }
        }
    }

    /// The median of the positive finite capacities and demands, or nil
    /// when there is none.
    static func medianTonnage(_ instance: Instance) -> Double? {
        var tonnages = instance.mines.map(\.capacity) + instance.refineries.map(\.capacity)
        for buyer in instance.buyers { tonnages.append(contentsOf: buyer.demand.values) }
        let positive = tonnages.filter { $0 > 0 && $0.isFinite }.sorted()
        return positive.isEmpty ? nil : positive[positive.count / 2]
    }

    /// Every cost (prices, fees, transport, penalties, fixed costs, cap
    /// penalties) at most ``costRatioLimit`` times the median positive mine
    /// price or refinery fee; beyond it GLPK reports wrong optima as optimal.
    mutating func checkCostRange(_ instance: Instance) {
        let ordinary = (instance.mines.map(\.price) + instance.refineries.map(\.fee)).filter { $0 > 0 && $0.isFinite }.sorted()
        guard !ordinary.isEmpty else { return }
        let median = ordinary[ordinary.count / 2]
        let limit = Self.costRatioLimit * median
        func check(_ value: Double?, _ path: @autoclosure () -> String) {
            guard let value, value.isFinite, value > limit else { return }
            error(
                path(),
                "\(show(value)) is more than \(show(Self.costRatioLimit)) times the instance's median price or fee (\(show(median)) USD/t): "
                    + "GLPK's simplex then loses the ordinary costs and reports wrong optima as optimal; use a smaller value (a demand with no penalty is hard)"
            )
        }
        func check(_ penalty: ShortfallPenalty?, _ path: String) {
            guard let penalty else { return }
            switch penalty {
            case .flat(let p): check(p, path)
            case .curve(let segments):
                for (j, segment) in segments.enumerated() {
                    check(segment.penalty, JSONPath.appending(JSONPath.appending(path, index: j), key: "penalty"))
                }
            }
        }
        for (i, mineral) in instance.minerals.enumerated() {
            check(mineral.shortfallPenalty, FieldLocation("minerals", index: i).field("shortfallPenalty"))
        }
        for (i, mine) in instance.mines.enumerated() {
            let at = FieldLocation("mines", index: i)
            check(mine.price, at.field("price"))
            check(mine.fixedCost, at.field("fixedCost"))
        }
        for (i, refinery) in instance.refineries.enumerated() {
            let at = FieldLocation("refineries", index: i)
            check(refinery.fee, at.field("fee"))
            check(refinery.fixedCost, at.field("fixedCost"))
        }
        for (i, buyer) in instance.buyers.enumerated()
        where !buyer.shortfallPenalty.isEmpty || buyer.exposureCap.values.contains(where: \.isSoft) {
            for (key, penalty) in buyer.shortfallPenalty.sorted(by: { $0.key < $1.key }) {
                check(penalty, FieldLocation("buyers", index: i, sub: "shortfallPenalty").field(key))
            }
            for (key, cap) in buyer.exposureCap.sorted(by: { $0.key < $1.key }) {
                check(cap.penalty, FieldLocation(FieldLocation("buyers", index: i, sub: "exposureCap").field(key)).field("penalty"))
            }
        }
        for (i, entry) in instance.transport.enumerated() { check(entry.cost, FieldLocation("transport", index: i).field("cost")) }
        check(instance.policy.defaultTransportCost, FieldLocation("policy").field("defaultTransportCost"))
        check(instance.policy.shortfallPenalty, FieldLocation("policy").field("shortfallPenalty"))
    }

    // MARK: Entities

    mutating func checkMinerals(_ minerals: [Mineral]) {
        var firstAt: [String: Int] = [:]
        firstAt.reserveCapacity(minerals.count)
        for (i, mineral) in minerals.enumerated() {
            let at = FieldLocation("minerals", index: i)
            if mineral.id.isEmpty {
                error(at.field("id"), "id must not be empty")
            } else if mineral.id == "*" {
                error(at.field("id"), "\"*\" cannot be a mineral id (it means every mineral in exposureCap and maxSuppliers)")
            } else if let first = firstAt[mineral.id] {
                error(at.field("id"), "duplicate mineral id \(JSONWriter.quoted(mineral.id)) (first at minerals[\(first)].id)")
            } else {
                firstAt[mineral.id] = i
            }
            mineralIDs.insert(mineral.id)
            nonNegative(mineral.priceFloor, at.field("priceFloor"))
            nonNegative(mineral.referencePrice, at.field("referencePrice"))
            penalty(mineral.shortfallPenalty, at.field("shortfallPenalty"))
            if version >= .v2, let floor = mineral.priceFloor, floor > 0, isNonNegative(floor),
                (mineral.referencePrice ?? 0) == 0
            {
                warning(
                    at.field("priceFloor"),
                    "a floor with no reference price charges the whole floor (\(show(floor)) USD/t) on every imported tonne of refined product"
                )
            }
        }
        mineralIDs.remove("*")
        mineralIDs.remove("")
    }

    mutating func checkCountries(_ countries: [Country]) {
        var firstAt: [String: Int] = [:]
        firstAt.reserveCapacity(countries.count)
        for (i, country) in countries.enumerated() {
            let at = FieldLocation("countries", index: i)
            if !isCountryCode(country.code) {
                error(
                    at.field("code"),
                    "\(JSONWriter.quoted(country.code, maxCharacters: 40)) must be three upper-case ASCII letters (ISO 3166 alpha-3 form)")
            } else if let first = firstAt[country.code] {
                error(at.field("code"), "duplicate country code \(JSONWriter.quoted(country.code)) (first at countries[\(first)].code)")
            } else {
                firstAt[country.code] = i
            }
            countryCodes.insert(country.code)
        }
    }

    mutating func checkFacilities(_ instance: Instance) {
        // Mines are 0..<mines.count, refineries follow.
        var firstAt: [String: Int] = [:]
        firstAt.reserveCapacity(instance.mines.count + instance.refineries.count)
        let mineCount = instance.mines.count
        func checkID(_ id: String, _ at: FieldLocation, _ number: Int, _ validator: inout InstanceValidator) {
            if id.isEmpty {
                validator.error(at.field("id"), "id must not be empty")
            } else if let first = firstAt[id] {
                let firstPath = first < mineCount ? "mines[\(first)].id" : "refineries[\(first - mineCount)].id"
                validator.error(
                    at.field("id"),
                    "duplicate facility id \(JSONWriter.quoted(id)) (first at \(firstPath); mines and refineries share one namespace)")
            } else {
                firstAt[id] = number
            }
        }
        for (i, mine) in instance.mines.enumerated() {
            let at = FieldLocation("mines", index: i)
            checkID(mine.id, at, i, &self)
            listedMineral(mine.mineral, at.field("mineral"))
            listedCountry(mine.country, at.field("country"))
            nonNegative(mine.capacity, at.field("capacity"))
            nonNegative(mine.price, at.field("price"))
            share(mine.chinaExposure, at.field("chinaExposure"))
            nonNegative(mine.fixedCost, at.field("fixedCost"))
            nonNegative(mine.minVolume, at.field("minVolume"))
            byProduct(mine.byProduct, at.field("byProduct"))
            minVolumeWarning(mine.minVolume, capacity: mine.effectiveCapacity, at)
        }
        for (i, refinery) in instance.refineries.enumerated() {
            let at = FieldLocation("refineries", index: i)
            checkID(refinery.id, at, mineCount + i, &self)
            listedMineral(refinery.mineral, at.field("mineral"))
            listedCountry(refinery.country, at.field("country"))
            nonNegative(refinery.capacity, at.field("capacity"))
            nonNegative(refinery.fee, at.field("fee"))
            if let yield = refinery.yield, !(yield > 0 && yield <= 1) || yield.isSubnormal {
                error(at.field("yield"), yield.isSubnormal ? "\(show(yield)) \(Self.subnormal)" : "\(show(yield)) must be in (0, 1]")
            }
            share(refinery.chinaExposure, at.field("chinaExposure"))
            nonNegative(refinery.fixedCost, at.field("fixedCost"))
            nonNegative(refinery.minVolume, at.field("minVolume"))
            byProduct(refinery.byProduct, at.field("byProduct"))
            minVolumeWarning(refinery.minVolume, capacity: refinery.effectiveCapacity, at)
        }
    }

    mutating func checkBuyers(_ buyers: [Buyer]) {
        var firstAt: [String: Int] = [:]
        firstAt.reserveCapacity(buyers.count)
        for (i, buyer) in buyers.enumerated() {
            let at = FieldLocation("buyers", index: i)
            if buyer.id.isEmpty {
                error(at.field("id"), "id must not be empty")
            } else if let first = firstAt[buyer.id] {
                error(at.field("id"), "duplicate buyer id \(JSONWriter.quoted(buyer.id)) (first at buyers[\(first)].id)")
            } else {
                firstAt[buyer.id] = i
            }
            listedCountry(buyer.country, at.field("country"))

            // Maps are checked unordered first; only a map with a problem is
            // walked again in sorted key order, so the report is deterministic.
            if buyer.demand.contains(where: { $0.key == "*" || !mineralIDs.contains($0.key) || !isNonNegative($0.value) }) {
                let demand = FieldLocation("buyers", index: i, sub: "demand")
                for (key, value) in buyer.demand.sorted(by: { $0.key < $1.key }) {
                    if key == "*" {
                        error(demand.field(key), "\"*\" is not allowed as a demand key (only exposureCap and maxSuppliers take \"*\")")
                    } else {
                        listedMineral(key, demand.field(key))
                    }
                    nonNegative(value, demand.field(key))
                }
            }
            if buyer.exposureCap.contains(where: {
                ($0.key != "*" && !mineralIDs.contains($0.key)) || !isShare($0.value.share)
                    || $0.value.penalty.map { !isNonNegative($0) } == true || ($0.value.isSoft && version < .v2)
            }) {
                let caps = FieldLocation("buyers", index: i, sub: "exposureCap")
                for (key, value) in buyer.exposureCap.sorted(by: { $0.key < $1.key }) {
                    if key != "*" { listedMineral(key, caps.field(key)) }
                    if let p = value.penalty {
                        if version < .v2 {
                            error(caps.field(key), "a soft cap {share, penalty} needs \(InstanceVersion.v2.formatName)")
                        }
                        let soft = FieldLocation(caps.field(key))
                        share(value.share, soft.field("share"))
                        nonNegative(p, soft.field("penalty"))
                    } else {
                        share(value.share, caps.field(key))
                    }
                }
            }
            if !buyer.shortfallPenalty.isEmpty {
                let penalties = FieldLocation("buyers", index: i, sub: "shortfallPenalty")
                if version < .v2 {
                    error(penalties.path, "a buyer's own shortfallPenalty needs \(InstanceVersion.v2.formatName)")
                }
                for (key, value) in buyer.shortfallPenalty.sorted(by: { $0.key < $1.key }) {
                    if key != "*" {
                        if !mineralIDs.contains(key) {
                            listedMineral(key, penalties.field(key))
                        } else if buyer.demand[key] == nil {
                            warning(
                                penalties.field(key), "the buyer does not demand \(JSONWriter.quoted(key)): this penalty applies to nothing"
                            )
                        }
                    }
                    penalty(value, penalties.field(key))
                }
            }
            if buyer.maxSuppliers.contains(where: { ($0.key != "*" && !mineralIDs.contains($0.key)) || $0.value < 0 }) {
                let limits = FieldLocation("buyers", index: i, sub: "maxSuppliers")
                for (key, count) in buyer.maxSuppliers.sorted(by: { $0.key < $1.key }) {
                    if key != "*" { listedMineral(key, limits.field(key)) }
                    if count < 0 { error(limits.field(key), "\(count) must be an integer >= 0") }
                }
            }
        }
    }

    mutating func checkTransport(_ transport: [TransportEntry]) {
        struct Pair: Hashable {
            let from: String
            let to: String
        }
        var firstAt: [Pair: Int] = [:]
        firstAt.reserveCapacity(transport.count)
        for (i, entry) in transport.enumerated() {
            let at = FieldLocation("transport", index: i)
            listedCountry(entry.from, at.field("from"))
            listedCountry(entry.to, at.field("to"))
            nonNegative(entry.cost, at.field("cost"))
            let pair = Pair(from: entry.from, to: entry.to)
            if let first = firstAt[pair] {
                error(
                    at.path,
                    "duplicate transport entry from \(JSONWriter.quoted(entry.from)) to \(JSONWriter.quoted(entry.to)) (first at transport[\(first)]; at most one entry per ordered pair)"
                )
            } else {
                firstAt[pair] = i
            }
        }
    }

    mutating func checkPolicy(_ policy: Policy) {
        let at = FieldLocation("policy")
        nonNegative(policy.defaultTransportCost, at.field("defaultTransportCost"))
        nonNegative(policy.externalTariff, at.field("externalTariff"))
        share(policy.maxCountryShare, at.field("maxCountryShare"))
        share(policy.minCoalitionShare, at.field("minCoalitionShare"))
        penalty(policy.shortfallPenalty, at.field("shortfallPenalty"))
        for (i, block) in (policy.blocked ?? []).enumerated() {
            let entry = FieldLocation("policy.blocked", index: i)
            if let from = block.from { listedCountry(from, entry.field("from")) }
            if let to = block.to { listedCountry(to, entry.field("to")) }
            if let mineral = block.mineral { listedMineral(mineral, entry.field("mineral")) }
            if block.from == nil, block.to == nil, block.mineral == nil {
                warning(entry.path, "an empty block {} blocks every cross-border arc")
            }
        }
    }

    // MARK: Rules

    func isNonNegative(_ value: Double) -> Bool { value.isFinite && value >= 0 && !value.isSubnormal }

    func isShare(_ value: Double) -> Bool { value >= 0 && value <= 1 && !value.isSubnormal }

    /// The message for a subnormal number (non-zero, below 2.2e-308): GLPK's
    /// simplex cannot compute with it (a yield of 1e-310 hung the solve).
    static let subnormal = "is a subnormal number (non-zero, below 2.2e-308), which GLPK cannot compute with: use 0 or a larger value"

    /// finite, >= 0, not subnormal (when present).
    mutating func nonNegative(_ value: Double?, _ path: @autoclosure () -> String) {
        guard let value, !isNonNegative(value) else { return }
        if value.isSubnormal { error(path(), "\(show(value)) \(Self.subnormal)"); return }
        error(path(), value.isFinite ? "\(show(value)) must be >= 0" : "\(show(value)) must be a finite number >= 0")
    }

    /// in [0, 1], not subnormal (when present).
    mutating func share(_ value: Double?, _ path: @autoclosure () -> String) {
        guard let value, !isShare(value) else { return }
        if value.isSubnormal { error(path(), "\(show(value)) \(Self.subnormal)"); return }
        error(path(), "\(show(value)) must be in [0, 1]")
    }

    /// A number >= 0, or a curve (docs/FORMULATION.md section 9), checked
    /// segment by segment in order: `upTo` in (0, 1] and above the one
    /// before, `penalty` finite, >= 0 and not below the one before, the last
    /// `upTo` exactly 1; an empty curve names the curve itself.
    mutating func penalty(_ value: ShortfallPenalty?, _ path: @autoclosure () -> String) {
        switch value {
        case nil:
            return
        case .flat(let p)?:
            nonNegative(p, path())
        case .curve(let segments)?:
            let at = path()
            if version < .v2 {
                error(at, "a shortfall curve needs \(InstanceVersion.v2.formatName)")
            }
            guard !segments.isEmpty else {
                error(at, "a curve needs at least one segment {upTo, penalty}; the last upTo is 1")
                return
            }
            var previousUpTo = 0.0, previousPenalty = 0.0
            var lastUpToReported = false
            for (j, segment) in segments.enumerated() {
                let here = FieldLocation(JSONPath.appending(at, index: j))
                if !(segment.upTo > 0 && segment.upTo <= 1) {
                    error(here.field("upTo"), "\(show(segment.upTo)) must be a share of demand in (0, 1]")
                    lastUpToReported = j == segments.count - 1
                } else if segment.upTo <= previousUpTo {
                    error(here.field("upTo"), "\(show(segment.upTo)) must be above the previous segment's upTo \(show(previousUpTo))")
                    lastUpToReported = j == segments.count - 1
                } else {
                    previousUpTo = segment.upTo
                }
                if !isNonNegative(segment.penalty) {
                    nonNegative(segment.penalty, here.field("penalty"))
                } else if segment.penalty < previousPenalty {
                    error(
                        here.field("penalty"),
                        "\(show(segment.penalty)) must not be below the previous segment's penalty \(show(previousPenalty)) (penalties rise along a curve, so it stays convex)"
                    )
                } else {
                    previousPenalty = segment.penalty
                }
            }
            if let last = segments.last, last.upTo != 1, !lastUpToReported {
                let here = FieldLocation(JSONPath.appending(at, index: segments.count - 1))
                error(here.field("upTo"), "the last segment's upTo must be exactly 1 (the whole demand), found \(show(last.upTo))")
            }
        }
    }

    /// A `byProduct`: a non-empty host, hostThroughput and ratio finite >= 0.
    mutating func byProduct(_ value: ByProduct?, _ path: @autoclosure () -> String) {
        guard let value else { return }
        let at = FieldLocation(path())
        if version < .v2 { error(at.path, "byProduct needs \(InstanceVersion.v2.formatName)") }
        if value.host.isEmpty { error(at.field("host"), "the host label must not be empty") }
        nonNegative(value.hostThroughput, at.field("hostThroughput"))
        nonNegative(value.ratio, at.field("ratio"))
    }

    mutating func listedCountry(_ code: String, _ path: @autoclosure () -> String) {
        guard !countryCodes.contains(code) else { return }
        var message = "country \(JSONWriter.quoted(code, maxCharacters: 40)) is not listed in countries"
        if code.uppercased() != code, countryCodes.contains(code.uppercased()) {
            message += " (did you mean \(JSONWriter.quoted(code.uppercased()))? codes are compared exactly)"
        } else {
            message += Suggestion.hint(code, in: countryCodes.sorted())
        }
        error(path(), message)
    }

    mutating func listedMineral(_ id: String, _ path: @autoclosure () -> String) {
        guard !mineralIDs.contains(id) else { return }
        var message = "mineral \(JSONWriter.quoted(id, maxCharacters: 40)) is not listed in minerals"
        if id == "*" {
            message += " (omit the field to match every mineral)"
        } else {
            message += Suggestion.hint(id, in: mineralIDs.sorted())
        }
        error(path(), message)
    }

    mutating func minVolumeWarning(_ minVolume: Double?, capacity: Double, _ at: FieldLocation) {
        guard let minVolume, minVolume.isFinite, capacity.isFinite, capacity >= 0, minVolume > capacity else { return }
        warning(
            at.field("minVolume"), "minVolume \(show(minVolume)) is above capacity \(show(capacity)): the facility can never be contracted")
    }

    func isCountryCode(_ code: String) -> Bool {
        let utf8 = code.utf8
        return utf8.count == 3 && utf8.allSatisfy { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }
    }
}
