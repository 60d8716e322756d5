import StrictJSON

/// Applies a ``Scenario`` to an ``Instance`` (docs/FORMULATION.md section 7).
///
/// Changes apply in order, each to the values left by the ones before it,
/// so factors multiply (`capacity` factor 0.5 twice leaves a quarter). Each
/// change is checked with ``validate(_:file:)`` before it is kept, so the
/// result is always a valid `sourcing-instance/1`.
///
/// Errors (all collected; each names the scenario file and the change's path):
/// - a `where` that selects nothing: each `where` field that alone selects
///   nothing (`changes[2].where.country`), an id, country or mineral not in
///   the instance included; when every field alone selects something but
///   together they select nothing, `changes[2].where`;
/// - an `exposureCap` key that is neither a listed mineral nor `"*"`
///   (`changes[2].where.mineral`);
/// - a change that would make the instance invalid, at the change's field
///   that carries the value (`changes[0].capacity.factor`,
///   `changes[3].block.from`, `changes[1].policy.maxCountryShare`), the
///   message quoting the instance diagnostic it would cause
///   (`makes the instance invalid: mines[0].capacity: inf must be ...`).
///
/// A change with an error is skipped (the next ones apply to the values
/// before it) so every error of the scenario is found in one pass.
///
/// Warnings: an `unblock` that removes nothing; and any warning of
/// ``validate(_:file:)`` that a change brings about (minVolume above a cut
/// capacity, an empty block `{}`), at the change's path.
///
/// Cost: the instance is validated once in full; each change then costs a
/// pass to select and a validation of only what it touches (the rest of
/// the instance is unchanged and was valid, and no change can break a rule
/// between entities: none adds, removes or renames a mineral, country,
/// facility or buyer).
public enum ScenarioApplier {
    /// Applies `scenario` to `instance`.
    ///
    /// - Parameters:
    ///   - scenario: the changes.
    ///   - instance: a valid instance (as ``InstanceLoader`` returns it).
    ///   - scenarioFile: the scenario's file name (or a label such as
    ///     `command line`), for the diagnostics.
    ///   - instanceFile: the instance's file name, used only when the
    ///     instance itself is invalid.
    /// - Returns: the changed instance (valid) and the warnings.
    /// - Throws: ``InstanceError`` with every error (and the warnings found
    ///   so far); when `instance` itself is invalid, its own diagnostics.
    public static func apply(
        _ scenario: Scenario, to instance: Instance, scenarioFile: String,
        instanceFile: String = "<instance>"
    )
        throws(InstanceError) -> (instance: Instance, warnings: [Diagnostic])
    {
        let baseline = validate(instance, file: instanceFile)
        if baseline.contains(where: { $0.severity == .error }) {
            throw InstanceError(diagnostics: baseline)
        }
        var applier = Applier(sink: DiagnosticSink(file: scenarioFile))
        var current = instance
        for (index, change) in scenario.changes.enumerated() {
            let at = JSONPath.appending("changes", index: index)
            if current.version < .v2, change.needsVersion2 {
                applier.sink.error(
                    JSONPath.appending(at, key: change.action.rawValue),
                    "needs a \(InstanceVersion.v2.formatName) instance; this one is \(current.version.formatName) (run `planner upgrade` on it first)"
                )
                continue
            }
            guard let patch = applier.patch(change, current, at: at) else { continue }
            let after = validatePart(patch.part(of: current, changed: true), file: scenarioFile)
            let errors = after.filter { $0.severity == .error }
            if !errors.isEmpty {
                for error in errors {
                    let path = patch.instancePath(error.path)
                    applier.sink.error(
                        changePath(of: path, change, at: at, in: current),
                        "makes the instance invalid: \(path): \(error.message)", covers: false)
                }
                continue
            }
            // Removing blocked entries moves the paths of later ones: an
            // unblock brings about no warning.
            if change.action != .unblock, !after.isEmpty {
                let before = Set(validatePart(patch.part(of: current, changed: false), file: scenarioFile).map(WarningKey.init))
                for warning in after where !before.contains(WarningKey(warning)) {
                    let path = patch.instancePath(warning.path)
                    applier.sink.warning(changePath(of: path, change, at: at, in: current), "\(path): \(warning.message)")
                }
            }
            patch.commit(to: &current)
        }
        // The cost range needs the whole changed instance (its median).
        for problem in costRangeDiagnostics(current, file: scenarioFile) {
            applier.sink.error("changes", "makes the instance invalid: \(problem.path): \(problem.message)", covers: false)
        }
        if applier.sink.errorCount > 0 {
            throw InstanceError(diagnostics: applier.sink.diagnostics)
        }
        return (current, applier.sink.diagnostics)
    }

    /// A validation diagnostic compared across states of the instance.
    private struct WarningKey: Hashable {
        let path: String
        let message: String

        init(_ diagnostic: Diagnostic) {
            path = diagnostic.path
            message = diagnostic.message
        }
    }

    /// The path in the scenario of the change's field that causes a problem
    /// found at `instancePath` in the changed instance.
    static func changePath(of instancePath: String, _ change: ScenarioChange, at: String, in before: Instance) -> String {
        let action = JSONPath.appending(at, key: change.action.rawValue)
        switch change {
        case .capacity(let amount, _), .price(let amount, _), .demand(let amount, _), .hostThroughput(let amount, _):
            switch amount {
            case .factor: return JSONPath.appending(action, key: "factor")
            case .set: return JSONPath.appending(action, key: "set")
            }
        case .exposureCap, .priceFloor, .referencePrice, .shortfallPenalty, .buyerShortfallPenalty:
            return JSONPath.appending(action, key: "set")
        case .block:
            // The entry was appended after the existing ones.
            let appended = JSONPath.appending("policy.blocked", index: before.policy.blocked?.count ?? 0)
            if instancePath.hasPrefix(appended) { return action + instancePath.dropFirst(appended.count) }
            return action
        case .unblock:
            return action
        case .policy:
            if instancePath.hasPrefix("policy") { return action + instancePath.dropFirst("policy".count) }
            return action
        }
    }
}

/// What one change does: the new values of the entities it touches, by index.
private struct Patch {
    var mines: [(index: Int, value: Mine)] = []
    var refineries: [(index: Int, value: Refinery)] = []
    var buyers: [(index: Int, value: Buyer)] = []
    /// The whole new mineral list, when the change touches minerals.
    var minerals: [Mineral]?
    /// The whole new policy, when the change touches it.
    var policy: Policy?

    /// The part of `instance` the change touches, before or after it: the
    /// touched entities, with the full mineral and country lists (for the
    /// references) and the policy when it is touched. ``validate(_:file:)``
    /// on it finds exactly what the change breaks, at paths that
    /// ``instancePath(_:)`` maps back.
    func part(of instance: Instance, changed: Bool) -> Instance {
        Instance(
            version: instance.version,
            minerals: changed ? (minerals ?? instance.minerals) : instance.minerals,
            countries: instance.countries,
            mines: changed ? mines.map(\.value) : mines.map { instance.mines[$0.index] },
            refineries: changed ? refineries.map(\.value) : refineries.map { instance.refineries[$0.index] },
            buyers: changed ? buyers.map(\.value) : buyers.map { instance.buyers[$0.index] },
            policy: policy.map { changed ? $0 : instance.policy } ?? Policy())
    }

    /// A path in ``part(of:changed:)`` as a path in the whole instance
    /// (`mines[0]` of the part is `mines[17]` of the instance).
    func instancePath(_ path: String) -> String {
        for (name, indices) in [
            ("mines", mines.map(\.index)), ("refineries", refineries.map(\.index)),
            ("buyers", buyers.map(\.index))
        ] {
            let prefix = name + "["
            guard path.hasPrefix(prefix), let close = path.firstIndex(of: "]"),
                let k = Int(path[path.index(path.startIndex, offsetBy: prefix.count)..<close]), indices.indices.contains(k)
            else { continue }
            return JSONPath.appending(name, index: indices[k]) + path[path.index(after: close)...]
        }
        return path
    }

    func commit(to instance: inout Instance) {
        for (index, value) in mines { instance.mines[index] = value }
        for (index, value) in refineries { instance.refineries[index] = value }
        for (index, value) in buyers { instance.buyers[index] = value }
        if let minerals { instance.minerals = minerals }
        if let policy { instance.policy = policy }
    }
}

/// Works out what each change does, reporting selections that select nothing.
private struct Applier {
    var sink: DiagnosticSink

    /// The new values `change` gives `instance`, or nil after reporting why
    /// it cannot apply.
    mutating func patch(_ change: ScenarioChange, _ instance: Instance, at: String) -> Patch? {
        let wherePath = JSONPath.appending(at, key: "where")
        var patch = Patch()
        switch change {
        case .capacity(let amount, let selector), .price(let amount, let selector):
            let isCapacity = change.action == .capacity
            for (i, mine) in instance.mines.enumerated() where matches(selector, mine, .mine) {
                var changed = mine
                if isCapacity {
                    changed.capacity = amount.applied(to: mine.capacity)
                } else {
                    changed.price = amount.applied(to: mine.price)
                }
                patch.mines.append((i, changed))
            }
            for (i, refinery) in instance.refineries.enumerated() where matches(selector, refinery, .refinery) {
                var changed = refinery
                if isCapacity {
                    changed.capacity = amount.applied(to: refinery.capacity)
                } else {
                    changed.fee = amount.applied(to: refinery.fee)
                }
                patch.refineries.append((i, changed))
            }
            guard !patch.mines.isEmpty || !patch.refineries.isEmpty else {
                reportNothingSelected(selector, in: instance, at: wherePath)
                return nil
            }
            return patch

        case .demand(let amount, let selector):
            for (i, buyer) in instance.buyers.enumerated() where matches(selector, buyer: buyer) {
                var changed = buyer
                var touched = false
                for (mineral, tonnes) in buyer.demand where selector.mineral == nil || selector.mineral == mineral {
                    changed.demand[mineral] = amount.applied(to: tonnes)
                    touched = true
                }
                if touched { patch.buyers.append((i, changed)) }
            }
            guard !patch.buyers.isEmpty else {
                reportNothingSelected(selector, in: instance, at: wherePath)
                return nil
            }
            return patch

        case .exposureCap(_, let selector), .buyerShortfallPenalty(_, let selector):
            var valid = true
            let field = change.action == .exposureCap ? "exposureCap" : "shortfallPenalty"
            if selector.mineral != "*", !isListed(mineral: selector.mineral, in: instance) {
                var message = "mineral \(JSONWriter.quoted(selector.mineral, maxCharacters: 40)) is not listed in minerals"
                message += " (the \(field) key to set must be a listed mineral or \"*\")"
                sink.error(JSONPath.appending(wherePath, key: "mineral"), message)
                valid = false
            }
            let buyers = BuyerSelector(buyer: selector.buyer, country: selector.country)
            for (i, buyer) in instance.buyers.enumerated() where matches(buyers, buyer: buyer) {
                var changed = buyer
                switch change {
                case .exposureCap(let cap, _): changed.exposureCap[selector.mineral] = cap
                case .buyerShortfallPenalty(let penalty, _): changed.shortfallPenalty[selector.mineral] = penalty
                default: break
                }
                patch.buyers.append((i, changed))
            }
            if patch.buyers.isEmpty {
                reportNoBuyer(buyer: selector.buyer, country: selector.country, in: instance, at: wherePath)
                valid = false
            }
            return valid ? patch : nil

        case .priceFloor(_, let selector), .referencePrice(_, let selector), .shortfallPenalty(_, let selector):
            var minerals = instance.minerals
            var selectedAny = false
            for i in minerals.indices where selector.mineral == nil || minerals[i].id == selector.mineral {
                switch change {
                case .priceFloor(let value, _): minerals[i].priceFloor = value
                case .referencePrice(let value, _): minerals[i].referencePrice = value
                case .shortfallPenalty(let value, _): minerals[i].shortfallPenalty = value
                default: break
                }
                selectedAny = true
            }
            guard selectedAny else {
                if let mineral = selector.mineral {
                    sink.error(JSONPath.appending(wherePath, key: "mineral"), "selects nothing: \(unlistedMineral(mineral, in: instance))")
                } else {
                    sink.error(wherePath, "selects nothing: the instance has no minerals")
                }
                return nil
            }
            patch.minerals = minerals
            return patch

        case .hostThroughput(let amount, let selector):
            /// The host stream after the change, nil when the facility has no
            /// byProduct or another host label.
            func cut(_ byProduct: ByProduct?) -> ByProduct? {
                guard var value = byProduct, selector.host == nil || selector.host == value.host else { return nil }
                value.hostThroughput = amount.applied(to: value.hostThroughput)
                return value
            }
            for (i, mine) in instance.mines.enumerated() where matches(selector, mine, .mine) {
                guard let value = cut(mine.byProduct) else { continue }
                var changed = mine
                changed.byProduct = value
                patch.mines.append((i, changed))
            }
            for (i, refinery) in instance.refineries.enumerated() where matches(selector, refinery, .refinery) {
                guard let value = cut(refinery.byProduct) else { continue }
                var changed = refinery
                changed.byProduct = value
                patch.refineries.append((i, changed))
            }
            guard !patch.mines.isEmpty || !patch.refineries.isEmpty else {
                reportNoHost(selector, in: instance, at: wherePath)
                return nil
            }
            return patch

        case .block(let entry):
            var policy = instance.policy
            policy.blocked = (policy.blocked ?? []) + [entry]
            patch.policy = policy
            return patch

        case .unblock(let entry):
            let before = instance.policy.blocked ?? []
            let after = before.filter { $0 != entry }
            if after.count == before.count {
                sink.warning(
                    JSONPath.appending(at, key: "unblock"),
                    "removes nothing: policy.blocked has no entry equal to \(describe(entry))")
            } else {
                var policy = instance.policy
                policy.blocked = after
                patch.policy = policy
            }
            return patch

        case .policy(let update):
            var policy = instance.policy
            if let value = update.defaultTransportCost { policy.defaultTransportCost = value }
            if let value = update.externalTariff { policy.externalTariff = value }
            if let value = update.maxCountryShare { policy.maxCountryShare = value }
            if let value = update.minCoalitionShare { policy.minCoalitionShare = value }
            if let value = update.shortfallPenalty { policy.shortfallPenalty = value }
            if let value = update.blocked { policy.blocked = value }
            patch.policy = policy
            return patch
        }
    }

    // MARK: Matching

    func matches(_ selector: FacilitySelector, _ mine: Mine, _ stage: FacilityStage) -> Bool {
        (selector.stage == nil || selector.stage == stage)
            && (selector.id == nil || selector.id == mine.id)
            && (selector.country == nil || selector.country == mine.country)
            && (selector.mineral == nil || selector.mineral == mine.mineral)
    }

    func matches(_ selector: FacilitySelector, _ refinery: Refinery, _ stage: FacilityStage) -> Bool {
        (selector.stage == nil || selector.stage == stage)
            && (selector.id == nil || selector.id == refinery.id)
            && (selector.country == nil || selector.country == refinery.country)
            && (selector.mineral == nil || selector.mineral == refinery.mineral)
    }

    /// Whether the buyer matches `buyer` and `country` (the mineral selects
    /// demand entries, not buyers).
    func matches(_ selector: BuyerSelector, buyer: Buyer) -> Bool {
        (selector.buyer == nil || selector.buyer == buyer.id) && (selector.country == nil || selector.country == buyer.country)
    }

    // MARK: Selections that select nothing

    mutating func reportNothingSelected(_ selector: FacilitySelector, in instance: Instance, at wherePath: String) {
        var reported = false
        func alone(_ key: String, _ selects: Bool, _ why: @autoclosure () -> String) {
            guard !selects else { return }
            sink.error(JSONPath.appending(wherePath, key: key), "selects nothing: \(why())")
            reported = true
        }
        let mines = instance.mines
        let refineries = instance.refineries
        if let id = selector.id {
            alone(
                "id", mines.contains { $0.id == id } || refineries.contains { $0.id == id },
                "no mine or refinery has id \(JSONWriter.quoted(id, maxCharacters: 60))"
                    + Suggestion.hint(id, in: mines.map(\.id) + refineries.map(\.id)))
        }
        if let country = selector.country {
            alone(
                "country", mines.contains { $0.country == country } || refineries.contains { $0.country == country },
                isListed(country: country, in: instance)
                    ? "no mine or refinery is in \(JSONWriter.quoted(country, maxCharacters: 40))"
                    : unlistedCountry(country, in: instance))
        }
        if let mineral = selector.mineral {
            alone(
                "mineral", mines.contains { $0.mineral == mineral } || refineries.contains { $0.mineral == mineral },
                isListed(mineral: mineral, in: instance)
                    ? "no mine or refinery is of \(JSONWriter.quoted(mineral, maxCharacters: 40))"
                    : unlistedMineral(mineral, in: instance))
        }
        if let stage = selector.stage {
            alone(
                "stage", stage == .mine ? !mines.isEmpty : !refineries.isEmpty,
                stage == .mine ? "the instance has no mines" : "the instance has no refineries")
        }
        if !reported {
            let fields = describeFields([
                ("id", selector.id), ("country", selector.country),
                ("mineral", selector.mineral), ("stage", selector.stage?.rawValue)
            ])
            sink.error(
                wherePath,
                fields.isEmpty
                    ? "selects nothing: the instance has no mines or refineries"
                    : "selects nothing: no mine or refinery matches all of \(fields) (each alone selects some)")
        }
    }

    /// A `hostThroughput` selection that selects nothing: each field that
    /// alone matches no by-product facility is named (it may match others).
    mutating func reportNoHost(_ selector: FacilitySelector, in instance: Instance, at wherePath: String) {
        var hosted: [(id: String, country: String, mineral: String, stage: FacilityStage, host: String)] = []
        for mine in instance.mines { if let b = mine.byProduct { hosted.append((mine.id, mine.country, mine.mineral, .mine, b.host)) } }
        for refinery in instance.refineries {
            if let b = refinery.byProduct { hosted.append((refinery.id, refinery.country, refinery.mineral, .refinery, b.host)) }
        }
        guard !hosted.isEmpty else {
            sink.error(wherePath, "selects nothing: no mine or refinery has a byProduct")
            return
        }
        var reported = false
        func alone(_ key: String, _ value: String?, _ matches: (String) -> Bool) {
            guard let value, !matches(value) else { return }
            sink.error(
                JSONPath.appending(wherePath, key: key),
                "selects nothing: no by-product facility has \(key) \(JSONWriter.quoted(value, maxCharacters: 60))")
            reported = true
        }
        alone("id", selector.id) { v in hosted.contains { $0.id == v } }
        alone("country", selector.country) { v in hosted.contains { $0.country == v } }
        alone("mineral", selector.mineral) { v in hosted.contains { $0.mineral == v } }
        alone("stage", selector.stage?.rawValue) { v in hosted.contains { $0.stage.rawValue == v } }
        alone("host", selector.host) { v in hosted.contains { $0.host == v } }
        if !reported {
            let fields = describeFields([
                ("id", selector.id), ("country", selector.country), ("mineral", selector.mineral),
                ("stage", selector.stage?.rawValue), ("host", selector.host)
            ])
            sink.error(wherePath, "selects nothing: no by-product facility matches all of \(fields) (each alone selects some)")
        }
    }

    mutating func reportNothingSelected(_ selector: BuyerSelector, in instance: Instance, at wherePath: String) {
        var reported = false
        func alone(_ key: String, _ selects: Bool, _ why: @autoclosure () -> String) {
            guard !selects else { return }
            sink.error(JSONPath.appending(wherePath, key: key), "selects nothing: \(why())")
            reported = true
        }
        let buyers = instance.buyers
        if let id = selector.buyer {
            let buyer = buyers.first { $0.id == id }
            alone(
                "buyer", !(buyer?.demand.isEmpty ?? true),
                buyer == nil
                    ? "no buyer has id \(JSONWriter.quoted(id, maxCharacters: 60))" + Suggestion.hint(id, in: buyers.map(\.id))
                    : "buyer \(JSONWriter.quoted(id, maxCharacters: 60)) has no demand entries")
        }
        if let country = selector.country {
            alone(
                "country", buyers.contains { $0.country == country && !$0.demand.isEmpty },
                isListed(country: country, in: instance)
                    ? "no buyer in \(JSONWriter.quoted(country, maxCharacters: 40)) has demand entries"
                    : unlistedCountry(country, in: instance))
        }
        if let mineral = selector.mineral {
            alone(
                "mineral", buyers.contains { $0.demand[mineral] != nil },
                isListed(mineral: mineral, in: instance)
                    ? "no buyer has demand for \(JSONWriter.quoted(mineral, maxCharacters: 40))"
                    : unlistedMineral(mineral, in: instance))
        }
        if !reported {
            let fields = describeFields([("buyer", selector.buyer), ("country", selector.country), ("mineral", selector.mineral)])
            sink.error(
                wherePath,
                fields.isEmpty
                    ? "selects nothing: no buyer has demand entries"
                    : "selects nothing: no demand entry matches all of \(fields) (each alone selects some)")
        }
    }

    mutating func reportNoBuyer(buyer id: String?, country: String?, in instance: Instance, at wherePath: String) {
        var reported = false
        let buyers = instance.buyers
        if let id, !buyers.contains(where: { $0.id == id }) {
            sink.error(
                JSONPath.appending(wherePath, key: "buyer"),
                "selects nothing: no buyer has id \(JSONWriter.quoted(id, maxCharacters: 60))" + Suggestion.hint(id, in: buyers.map(\.id)))
            reported = true
        }
        if let country, !buyers.contains(where: { $0.country == country }) {
            sink.error(
                JSONPath.appending(wherePath, key: "country"),
                "selects nothing: "
                    + (isListed(country: country, in: instance)
                        ? "no buyer is in \(JSONWriter.quoted(country, maxCharacters: 40))"
                        : unlistedCountry(country, in: instance)))
            reported = true
        }
        if !reported {
            let fields = describeFields([("buyer", id), ("country", country)])
            sink.error(
                wherePath,
                fields.isEmpty
                    ? "selects nothing: the instance has no buyers"
                    : "selects nothing: no buyer matches all of \(fields) (each alone selects some)")
        }
    }

    // MARK: Messages

    func isListed(country: String, in instance: Instance) -> Bool {
        instance.countries.contains { $0.code == country }
    }

    func isListed(mineral: String, in instance: Instance) -> Bool {
        instance.minerals.contains { $0.id == mineral }
    }

    func unlistedCountry(_ code: String, in instance: Instance) -> String {
        var message = "country \(JSONWriter.quoted(code, maxCharacters: 40)) is not listed in countries"
        if code.uppercased() != code, isListed(country: code.uppercased(), in: instance) {
            message += " (did you mean \(JSONWriter.quoted(code.uppercased()))? codes are compared exactly)"
        } else {
            message += Suggestion.hint(code, in: instance.countries.map(\.code))
        }
        return message
    }

    func unlistedMineral(_ id: String, in instance: Instance? = nil) -> String {
        var message = "mineral \(JSONWriter.quoted(id, maxCharacters: 40)) is not listed in minerals"
        if id == "*" {
            message += " (omit the field to select every mineral)"
        } else if let instance {
            message += Suggestion.hint(id, in: instance.minerals.map(\.id))
        }
        return message
    }

    /// `{"country": "CHN", "mineral": "lithium"}` for the present fields, or "" for none.
    func describeFields(_ fields: [(String, String?)]) -> String {
        let present = fields.compactMap { key, value in value.map { (key: key, value: JSONValue.string($0)) } }
        guard !present.isEmpty else { return "" }
        return String(decoding: JSONWriter.encode(.object(present), style: .compact), as: UTF8.self)
    }

    func describe(_ entry: Block) -> String {
        String(decoding: JSONWriter.encode(InstanceEncoder.block(entry), style: .compact), as: UTF8.self)
    }
}
