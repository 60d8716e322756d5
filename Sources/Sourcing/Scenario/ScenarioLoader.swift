public import FoundationEssentials
public import StrictJSON

/// Reads `sourcing-scenario/1` files strictly (docs/FORMULATION.md section 7).
///
/// Like ``InstanceLoader``, every problem is reported at once, each naming
/// the file, the field path (`changes[2].where.country`,
/// `changes[0].capacity.factor`) and the value found: JSON syntax, invalid
/// UTF-8, duplicate keys, wrong types, `null`, unknown and missing keys, a
/// missing or wrong `format`, a change with no action or two, a `where`
/// missing on a selecting action or present on one that does not select,
/// and numbers out of range (a factor or a set value below 0, an
/// exposure-cap share above 1, policy fields outside their ranges).
///
/// What depends on an instance (ids that exist, selections that select
/// something, values that keep the instance valid) is checked by
/// ``ScenarioApplier``: a scenario is valid only against an instance.
public enum ScenarioLoader {
    /// The `format` value of a scenario file.
    public static let formatName = "sourcing-scenario/1"

    /// The keys allowed at the top level of a scenario file, in canonical order.
    public static let topLevelKeys = ["format", "name", "source", "changes"]

    /// Reads and decodes the scenario file at `path`.
    ///
    /// - Throws: ``InstanceError`` with every problem, including a file that
    ///   does not exist, is a directory or cannot be read. The diagnostics
    ///   name the file as `path`.
    public static func load(path: String, limits: JSONLimits = .standard) throws(InstanceError) -> Scenario {
        let data = try InstanceLoader.readFile(path, limits: limits, kind: "a scenario file")
        return try decode(data, file: path, limits: limits)
    }

    /// Decodes a scenario from JSON bytes.
    ///
    /// - Parameters:
    ///   - data: UTF-8 JSON text (a leading byte-order mark is skipped).
    ///   - file: the name to put in diagnostics.
    ///   - limits: input size and nesting bounds.
    /// - Throws: ``InstanceError`` listing every error.
    public static func decode(_ data: Data, file: String, limits: JSONLimits = .standard) throws(InstanceError) -> Scenario {
        let document: JSONDocument
        do throws(JSONError) {
            document = try JSONParser.parseDocument(data, limits: limits)
        } catch {
            throw InstanceError(diagnostics: [.error(file: file, path: error.path, error.message)])
        }
        var mapper = ScenarioMapper(sink: DiagnosticSink(file: file))
        for duplicate in document.duplicateKeys {
            // The first occurrence was kept and is checked as usual.
            mapper.sink.error(duplicate.path, duplicate.message, covers: false)
        }
        let scenario = mapper.scenario(document.value)
        if mapper.sink.errorCount > 0 {
            throw InstanceError(diagnostics: mapper.sink.diagnostics)
        }
        return scenario
    }
}

/// Maps a parsed document to a ``Scenario``, reporting every structural problem.
struct ScenarioMapper {
    var sink: DiagnosticSink

    mutating func scenario(_ root: JSONValue) -> Scenario {
        var scenario = Scenario()
        guard let members = object(root, at: "") else { return scenario }
        var sawFormat = false
        var sawChanges = false
        for (key, value) in members {
            switch key {
            case "format":
                sawFormat = true
                if let format = string(value, at: "format"), format != ScenarioLoader.formatName {
                    var message =
                        "\(JSONWriter.quoted(format, maxCharacters: 60)) is not supported (expected \(JSONWriter.quoted(ScenarioLoader.formatName)))"
                    if format == InstanceLoader.formatName { message += "; this looks like an instance file, not a scenario" }
                    sink.error("format", message)
                }
            case "name":
                scenario.name = string(value, at: "name", optional: true)
            case "source":
                scenario.source = string(value, at: "source", optional: true)
            case "changes":
                sawChanges = true
                guard case .array(let elements) = value else {
                    typeMismatch(value, expected: "an array", at: "changes")
                    continue
                }
                for (i, element) in elements.enumerated() {
                    if let change = change(element, at: JSONPath.appending("changes", index: i)) {
                        scenario.changes.append(change)
                    }
                }
            default:
                unknownKey(key, allowed: ScenarioLoader.topLevelKeys, place: "at the top level", at: "")
            }
        }
        if !sawFormat {
            sink.error("format", "required field is missing (expected \(JSONWriter.quoted(ScenarioLoader.formatName)))")
        }
        if !sawChanges {
            sink.error("changes", "required field is missing (a list of changes; [] applies none)")
        }
        return scenario
    }

    // MARK: Changes

    /// One change, or nil after reporting why it cannot be read.
    mutating func change(_ value: JSONValue, at path: String) -> ScenarioChange? {
        guard let members = object(value, at: path) else { return nil }
        let errorsBefore = sink.errorCount
        var action: (ScenarioAction, JSONValue)?
        var selection: JSONValue?
        let actionNames = ScenarioAction.allCases.map(\.rawValue)
        for (key, member) in members {
            if key == "where" {
                selection = member
            } else if let found = ScenarioAction(rawValue: key) {
                if let (first, _) = action {
                    sink.error(
                        JSONPath.appending(path, key: key),
                        "a second action in one change (it already has \(JSONWriter.quoted(first.rawValue))); a change has exactly one action: write one change per action"
                    )
                } else {
                    action = (found, member)
                }
            } else {
                unknownKey(key, allowed: actionNames + ["where"], place: "in a change", at: path)
            }
        }
        guard let (kind, actionValue) = action else {
            if members.allSatisfy({ $0.key == "where" }) {
                sink.error(path, "no action (expected exactly one of \(actionNames.joined(separator: ", ")))")
            }
            return nil
        }
        let actionPath = JSONPath.appending(path, key: kind.rawValue)
        let wherePath = JSONPath.appending(path, key: "where")
        if !kind.selects, let selection {
            sink.error(
                wherePath, "\(JSONWriter.quoted(kind.rawValue)) does not select, so it takes no where (found \(selection.briefDescription))"
            )
        }
        if kind.selects, selection == nil {
            sink.error(wherePath, "required field is missing: \(JSONWriter.quoted(kind.rawValue)) selects (where {} selects everything)")
        }

        let change: ScenarioChange?
        switch kind {
        case .capacity, .price, .demand:
            let amount = self.amount(actionValue, kind, at: actionPath)
            switch kind {
            case .capacity, .price:
                let selector = selection.flatMap { facilitySelector($0, kind, at: wherePath) }
                guard let amount, let selector else { return nil }
                change = kind == .capacity ? .capacity(amount, where: selector) : .price(amount, where: selector)
            default:
                let selector = selection.flatMap { buyerSelector($0, kind, at: wherePath) }
                guard let amount, let selector else { return nil }
                change = .demand(amount, where: selector)
            }
        case .exposureCap:
            let setPath = JSONPath.appending(actionPath, key: "set")
            let cap = setValue(actionValue, kind, at: actionPath).flatMap { exposureCap($0, at: setPath) }
            let selector = selection.flatMap { exposureCapSelector($0, kind, at: wherePath) }
            guard let cap, let selector else { return nil }
            change = .exposureCap(set: cap, where: selector)
        case .shortfallPenalty:
            let value = setValue(actionValue, kind, at: actionPath)
            let setPath = JSONPath.appending(actionPath, key: "set")
            var penalty: ShortfallPenalty?
            if let value {
                var reader = InstanceMapper(sink: sink)
                penalty = reader.penalty(value, at: setPath)
                sink = reader.sink
                if case .flat(let p)? = penalty, !checkRange(p, kind: kind, key: "set", at: setPath) { penalty = nil }
            }
            guard let selection, let fields = whereFields(selection, kind, at: wherePath), let penalty else { return nil }
            if fields["buyer"] != nil || fields["country"] != nil {
                guard let mineral = fields["mineral"] else {
                    sink.error(
                        JSONPath.appending(wherePath, key: "mineral"),
                        "required field is missing: with buyer or country, the key of the buyers' shortfallPenalty to set (a mineral id, or \"*\" for every mineral)"
                    )
                    return nil
                }
                change = .buyerShortfallPenalty(
                    set: penalty, where: ExposureCapSelector(buyer: fields["buyer"], country: fields["country"], mineral: mineral))
            } else {
                change = .shortfallPenalty(set: penalty, where: MineralSelector(mineral: fields["mineral"]))
            }
        case .priceFloor, .referencePrice:
            let amount = self.amount(actionValue, kind, at: actionPath)
            let selector = selection.flatMap { mineralSelector($0, kind, at: wherePath) }
            guard case .set(let target)? = amount, let selector else { return nil }
            change = kind == .priceFloor ? .priceFloor(set: target, where: selector) : .referencePrice(set: target, where: selector)
        case .hostThroughput:
            let amount = self.amount(actionValue, kind, at: actionPath)
            let selector = selection.flatMap { facilitySelector($0, kind, at: wherePath) }
            guard let amount, let selector else { return nil }
            change = .hostThroughput(amount, where: selector)
        case .block:
            change = block(actionValue, at: actionPath).map(ScenarioChange.block)
        case .unblock:
            change = block(actionValue, at: actionPath).map(ScenarioChange.unblock)
        case .policy:
            change = policy(actionValue, at: actionPath).map(ScenarioChange.policy)
        }
        return sink.errorCount == errorsBefore ? change : nil
    }

    /// `{"factor": f}` or `{"set": t}` (only `set` where `kind.amountKeys` says so).
    mutating func amount(_ value: JSONValue, _ kind: ScenarioAction, at path: String) -> ScenarioAmount? {
        let allowed = kind.amountKeys
        let shape = allowed.count == 2 ? "{\"factor\": f} or {\"set\": t}" : "{\"set\": v}"
        guard case .object(let members) = value else {
            typeMismatch(value, expected: "an object \(shape)", at: path)
            return nil
        }
        var result: ScenarioAmount?
        var found: [String] = []
        var valid = true
        for (key, member) in members {
            let memberPath = JSONPath.appending(path, key: key)
            guard allowed.contains(key) else {
                if key == "factor" {
                    sink.error(memberPath, "\(JSONWriter.quoted(kind.rawValue)) takes only set, not factor")
                } else {
                    unknownKey(key, allowed: allowed, place: "in \(kind.rawValue)", at: path)
                }
                valid = false
                continue
            }
            found.append(key)
            guard let number = number(member, at: memberPath) else {
                valid = false
                continue
            }
            if !checkRange(number, kind: kind, key: key, at: memberPath) { valid = false }
            result = key == "factor" ? .factor(number) : .set(number)
        }
        if found.count > 1 {
            sink.error(path, "give either factor or set, not both")
            return nil
        }
        if members.isEmpty {
            sink.error(path, "expected \(shape), found an empty object")
            return nil
        }
        return valid ? result : nil
    }

    /// The value of `{"set": v}` (any JSON value; `factor` and other keys
    /// are reported), or nil after reporting.
    mutating func setValue(_ value: JSONValue, _ kind: ScenarioAction, at path: String) -> JSONValue? {
        guard case .object(let members) = value else {
            typeMismatch(value, expected: "an object {\"set\": v}", at: path)
            return nil
        }
        var result: JSONValue?
        var valid = true
        for (key, member) in members {
            if key == "set" {
                result = member
            } else if key == "factor" {
                sink.error(JSONPath.appending(path, key: key), "\(JSONWriter.quoted(kind.rawValue)) takes only set, not factor")
                valid = false
            } else {
                unknownKey(key, allowed: ["set"], place: "in \(kind.rawValue)", at: path)
                valid = false
            }
        }
        if members.isEmpty {
            sink.error(path, "expected {\"set\": v}, found an empty object")
            return nil
        }
        return valid ? result : nil
    }

    /// An exposure cap: a share in [0, 1], or `{"share": s, "penalty": p}`
    /// (a soft cap, which needs a `/2` instance; checked when applied).
    mutating func exposureCap(_ value: JSONValue, at path: String) -> ExposureCap? {
        switch value {
        case .number(let share):
            return checkRange(share, kind: .exposureCap, key: "set", at: path) ? ExposureCap(share: share) : nil
        case .object(let members):
            var share: Double?, penalty: Double?
            var valid = true
            for (key, member) in members {
                let memberPath = JSONPath.appending(path, key: key)
                guard key == "share" || key == "penalty" else {
                    unknownKey(key, allowed: SoftCapKey.allowedNames, place: "in a soft cap", at: path)
                    valid = false
                    continue
                }
                guard let number = number(member, at: memberPath) else { valid = false; continue }
                if key == "share" {
                    if checkRange(number, kind: .exposureCap, key: key, at: memberPath) { share = number } else { valid = false }
                } else {
                    if checkRange(number, kind: .shortfallPenalty, key: key, at: memberPath) { penalty = number } else { valid = false }
                }
            }
            for key in SoftCapKey.allowedNames where !members.contains(where: { $0.key == key }) {
                sink.error(JSONPath.appending(path, key: key), "required field is missing (a soft cap needs both share and penalty)")
                valid = false
            }
            guard valid, let share, let penalty else { return nil }
            return ExposureCap(share: share, penalty: penalty)
        default:
            typeMismatch(value, expected: "a share or {\"share\": s, \"penalty\": p}", at: path)
            return nil
        }
    }

    /// Whether `number` suits the amount; reports it otherwise.
    mutating func checkRange(_ number: Double, kind: ScenarioAction, key: String, at path: String) -> Bool {
        if !number.isFinite || number < 0 {
            sink.error(path, number.isFinite ? "\(show(number)) must be >= 0" : "\(show(number)) must be a finite number >= 0")
            return false
        }
        if kind == .exposureCap, number > 1 {
            sink.error(path, "\(show(number)) must be in [0, 1] (an exposure cap is a share of what is delivered)")
            return false
        }
        return true
    }

    // MARK: Selections

    /// The string fields of a `where`, keyed by name; unknown keys and
    /// non-strings are reported.
    mutating func whereFields(_ value: JSONValue, _ kind: ScenarioAction, at path: String) -> [String: String]? {
        guard let members = object(value, at: path) else { return nil }
        var fields: [String: String] = [:]
        var valid = true
        for (key, member) in members {
            guard kind.whereKeys.contains(key) else {
                unknownKey(key, allowed: kind.whereKeys, place: "in the where of \(kind.rawValue)", at: path)
                valid = false
                continue
            }
            if let text = string(member, at: JSONPath.appending(path, key: key)) {
                fields[key] = text
            } else {
                valid = false
            }
        }
        return valid ? fields : nil
    }

    mutating func facilitySelector(_ value: JSONValue, _ kind: ScenarioAction, at path: String) -> FacilitySelector? {
        guard let fields = whereFields(value, kind, at: path) else { return nil }
        var selector = FacilitySelector(id: fields["id"], country: fields["country"], mineral: fields["mineral"], host: fields["host"])
        if let stage = fields["stage"] {
            guard let parsed = FacilityStage(rawValue: stage) else {
                sink.error(
                    JSONPath.appending(path, key: "stage"),
                    "\(JSONWriter.quoted(stage, maxCharacters: 40)) must be \"mine\" or \"refinery\"")
                return nil
            }
            selector.stage = parsed
        }
        return selector
    }

    mutating func buyerSelector(_ value: JSONValue, _ kind: ScenarioAction, at path: String) -> BuyerSelector? {
        guard let fields = whereFields(value, kind, at: path) else { return nil }
        return BuyerSelector(buyer: fields["buyer"], country: fields["country"], mineral: fields["mineral"])
    }

    mutating func exposureCapSelector(_ value: JSONValue, _ kind: ScenarioAction, at path: String) -> ExposureCapSelector? {
        guard let fields = whereFields(value, kind, at: path) else { return nil }
        guard let mineral = fields["mineral"] else {
            sink.error(
                JSONPath.appending(path, key: "mineral"),
                "required field is missing: the exposureCap key to set (a mineral id, or \"*\" for every mineral)")
            return nil
        }
        return ExposureCapSelector(buyer: fields["buyer"], country: fields["country"], mineral: mineral)
    }

    mutating func mineralSelector(_ value: JSONValue, _ kind: ScenarioAction, at path: String) -> MineralSelector? {
        guard let fields = whereFields(value, kind, at: path) else { return nil }
        return MineralSelector(mineral: fields["mineral"])
    }

    // MARK: Entries

    /// A blocked entry `{from, to, mineral}`, each field optional.
    mutating func block(_ value: JSONValue, at path: String) -> Block? {
        guard let members = object(value, at: path) else { return nil }
        var result = Block()
        var valid = true
        for (key, member) in members {
            guard let field = BlockKey.named(key) else {
                unknownKey(key, allowed: BlockKey.allowedNames, place: "in a blocked entry", at: path)
                valid = false
                continue
            }
            guard let text = string(member, at: JSONPath.appending(path, key: key), optional: true) else {
                valid = false
                continue
            }
            switch field {
            case .from: result.from = text
            case .to: result.to = text
            case .mineral: result.mineral = text
            }
        }
        return valid ? result : nil
    }

    /// The policy fields to set, with the ranges of docs/FORMULATION.md section 1.
    mutating func policy(_ value: JSONValue, at path: String) -> Policy? {
        guard let members = object(value, at: path) else { return nil }
        var result = Policy()
        var valid = true
        for (key, member) in members {
            let memberPath = JSONPath.appending(path, key: key)
            guard let field = PolicyKey.named(key) else {
                unknownKey(key, allowed: PolicyKey.allowedNames, place: "in policy", at: path)
                valid = false
                continue
            }
            if field == .blocked {
                guard case .array(let elements) = member else {
                    typeMismatch(member, expected: "an array", at: memberPath, optional: true)
                    valid = false
                    continue
                }
                var entries: [Block] = []
                for (i, element) in elements.enumerated() {
                    if let entry = block(element, at: JSONPath.appending(memberPath, index: i)) {
                        entries.append(entry)
                    } else {
                        valid = false
                    }
                }
                result.blocked = entries
                continue
            }
            if field == .shortfallPenalty {
                var reader = InstanceMapper(sink: sink)
                let penalty = reader.penalty(member, at: memberPath)
                sink = reader.sink
                if case .flat(let p)? = penalty, !(p.isFinite && p >= 0) {
                    sink.error(memberPath, "\(show(p)) must be >= 0")
                    valid = false
                }
                if penalty == nil { valid = false }
                result.shortfallPenalty = penalty
                continue
            }
            guard let number = number(member, at: memberPath, optional: true) else {
                valid = false
                continue
            }
            switch field {
            case .maxCountryShare, .minCoalitionShare:
                if !(number >= 0 && number <= 1) {
                    sink.error(memberPath, "\(show(number)) must be in [0, 1]")
                    valid = false
                }
            default:
                if !(number.isFinite && number >= 0) {
                    sink.error(memberPath, "\(show(number)) must be >= 0")
                    valid = false
                }
            }
            switch field {
            case .defaultTransportCost: result.defaultTransportCost = number
            case .externalTariff: result.externalTariff = number
            case .maxCountryShare: result.maxCountryShare = number
            case .minCoalitionShare: result.minCoalitionShare = number
            case .shortfallPenalty, .blocked: break
            }
        }
        return valid ? result : nil
    }

    // MARK: Typed readers

    mutating func object(_ value: JSONValue, at path: String) -> [(key: String, value: JSONValue)]? {
        if case .object(let members) = value { return members }
        typeMismatch(value, expected: "an object", at: path)
        return nil
    }

    mutating func string(_ value: JSONValue, at path: String, optional: Bool = false) -> String? {
        if case .string(let text) = value { return text }
        typeMismatch(value, expected: "a string", at: path, optional: optional)
        return nil
    }

    mutating func number(_ value: JSONValue, at path: String, optional: Bool = false) -> Double? {
        if case .number(let number) = value { return number }
        typeMismatch(value, expected: "a number", at: path, optional: optional)
        return nil
    }

    mutating func typeMismatch(_ value: JSONValue, expected: String, at path: String, optional: Bool = false) {
        var message = "expected \(expected), found \(value.briefDescription)"
        if value.isNull {
            message += optional ? " (null is not allowed; omit the key instead)" : " (null is not allowed)"
        }
        sink.error(path, message)
    }

    mutating func unknownKey(_ key: String, allowed: [String], place: String, at path: String) {
        var message = "unknown key \(JSONWriter.quoted(key, maxCharacters: 60))"
        if let suggestion = InstanceMapper(sink: DiagnosticSink(file: "")).closest(to: key, in: allowed) {
            message += " (did you mean \(JSONWriter.quoted(suggestion))?)"
        } else if allowed.isEmpty {
            message += " (nothing is allowed \(place))"
        } else {
            message += " (allowed \(place): \(allowed.joined(separator: ", ")))"
        }
        sink.error(JSONPath.appending(path, key: key), message)
    }
}
