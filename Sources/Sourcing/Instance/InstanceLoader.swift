import FileIO
public import FoundationEssentials
public import StrictJSON

/// Reads `sourcing-instance/1` and `/2` files strictly (docs/FORMULATION.md
/// section 1; version 2 in docs/FORMULATION.md section 8).
///
/// Every problem is reported at once, each naming the file, the field path
/// and the value found: JSON syntax (with line and column), invalid UTF-8,
/// duplicate keys, wrong types, `null`, unknown and missing keys, a missing
/// or wrong `format`, and every rule of ``validate(_:file:)``. A file with
/// a syntax error stops at it (nothing after it can be read reliably).
public enum InstanceLoader {
    /// Reads and decodes the file at `path`.
    ///
    /// - Returns: the instance and its warnings (valid but suspicious data).
    /// - Throws: ``InstanceError`` with every problem, including a file that
    ///   does not exist, is a directory, cannot be read or exceeds
    ///   ``JSONLimits/maxInputBytes``. The diagnostics name the file as `path`.
    public static func load(path: String, limits: JSONLimits = .standard)
        throws(InstanceError) -> (instance: Instance, warnings: [Diagnostic])
    {
        let data = try readFile(path, limits: limits)
        return try decode(data, file: path, limits: limits)
    }

    /// Decodes an instance from JSON bytes.
    ///
    /// - Parameters:
    ///   - data: UTF-8 JSON text (a leading byte-order mark is skipped).
    ///   - file: the name to put in diagnostics.
    ///   - limits: input size, nesting and array-length bounds.
    /// - Returns: the instance and its warnings.
    /// - Throws: ``InstanceError`` listing every error (and the warnings).
    public static func decode(_ data: Data, file: String, limits: JSONLimits = .standard)
        throws(InstanceError) -> (instance: Instance, warnings: [Diagnostic])
    {
        var timings = LoadTimings()
        return try decode(data, file: file, limits: limits, timings: &timings)
    }

    /// ``decode(_:file:limits:)`` that also reports how long decoding (JSON
    /// parsing and mapping to the instance types) and validation took.
    public static func decode(_ data: Data, file: String, limits: JSONLimits = .standard, timings: inout LoadTimings)
        throws(InstanceError) -> (instance: Instance, warnings: [Diagnostic])
    {
        let clock = ContinuousClock()
        let start = clock.now
        var sink = DiagnosticSink(file: file)
        let document: JSONDocument
        do throws(JSONError) {
            document = try JSONParser.parseDocument(data, limits: limits)
        } catch {
            throw InstanceError(diagnostics: [.error(file: file, path: error.path, error.message)])
        }
        for duplicate in document.duplicateKeys {
            // The first occurrence was kept and is checked as usual.
            sink.error(duplicate.path, duplicate.message, covers: false)
        }
        var mapper = InstanceMapper(sink: sink)
        let instance = mapper.instance(document.value)
        sink = mapper.sink
        let decoded = clock.now
        timings.decode = start.duration(to: decoded).inSeconds
        for diagnostic in validate(instance, file: file) {
            sink.addUnlessCovered(diagnostic)
        }
        timings.validate = decoded.duration(to: clock.now).inSeconds
        if sink.errorCount > 0 {
            throw InstanceError(diagnostics: sink.diagnostics)
        }
        return (instance, sink.diagnostics)
    }

    /// The bytes of a file, or an error naming it; `kind` says what the file
    /// should have been ("is a directory, not an instance file").
    static func readFile(_ path: String, limits: JSONLimits, kind: String = "an instance file") throws(InstanceError) -> Data {
        func failure(_ message: String) -> InstanceError {
            InstanceError(diagnostics: [.error(file: path, path: "", message)])
        }
        do throws(FileBytes.Failure) {
            return try FileBytes.read(path, limit: limits.maxInputBytes)
        } catch {
            let tooLarge = "exceeds the limit of \(limits.maxInputBytes) bytes"
            switch error {
            case .missing: throw failure("no such file")
            case .directory: throw failure("is a directory, not \(kind)")
            case .tooLarge(let size?): throw failure("file of \(size) bytes \(tooLarge)")
            case .tooLarge(nil): throw failure("input \(tooLarge)")
            case .unreadable(let reason): throw failure("cannot read the file: \(reason)")
            }
        }
    }
}

/// Maps a parsed document to an ``Instance``, reporting structural problems.
///
/// A field that is missing or has the wrong type gets a placeholder value
/// (`""`, `0`) and its path is marked as covered, so the semantic checks run
/// afterwards do not report it a second time.
struct InstanceMapper {
    var sink: DiagnosticSink
    /// The version the file declares (version 2 while `format` is missing or
    /// unsupported, so only that one error is reported about it).
    var version = InstanceVersion.v2

    mutating func instance(_ root: JSONValue) -> Instance {
        var instance = Instance()
        guard let members = object(root, at: .root) else { return instance }
        // The version decides which keys and value forms are allowed, so it
        // is read before any other member, wherever `format` stands.
        if let format = members.first(where: { $0.key == TopLevelKey.format.rawValue }),
            case .string(let name) = format.value, let declared = InstanceVersion(formatName: name)
        {
            version = declared
        }
        instance.version = version
        var requiredSeen = 0
        for (key, value) in members {
            guard let field = TopLevelKey.named(key) else {
                unknownKey(key, TopLevelKey.self, at: .root)
                continue
            }
            if field.isRequired { requiredSeen += 1 }
            let at = FieldLocation(key)
            switch field {
            case .format:
                if let format = string(value, field, at: .root), InstanceVersion(formatName: format) == nil {
                    sink.error(
                        at.path,
                        "\(JSONWriter.quoted(format, maxCharacters: 60)) is not supported (expected \(JSONWriter.quoted(InstanceVersion.v2.formatName)) or \(JSONWriter.quoted(InstanceVersion.v1.formatName)))"
                    )
                }
            case .name:
                instance.name = string(value, field, at: .root)
            case .minerals:
                instance.minerals = array(value, at: at) { mapper, element, i in mapper.mineral(element, i) }
            case .countries:
                instance.countries = array(value, at: at) { mapper, element, i in mapper.country(element, i) }
            case .mines:
                instance.mines = array(value, at: at) { mapper, element, i in mapper.mine(element, i) }
            case .refineries:
                instance.refineries = array(value, at: at) { mapper, element, i in mapper.refinery(element, i) }
            case .buyers:
                instance.buyers = array(value, at: at) { mapper, element, i in mapper.buyer(element, i) }
            case .transport:
                instance.transport = array(value, at: at) { mapper, element, i in mapper.transport(element, i) }
            case .policy:
                instance.policy = policy(value)
            }
        }
        if requiredSeen == 0 {  // `format` is the only required key
            sink.error(
                "format",
                "required field is missing (expected \(JSONWriter.quoted(InstanceVersion.v2.formatName)) or \(JSONWriter.quoted(InstanceVersion.v1.formatName)))"
            )
        }
        return instance
    }

    // MARK: Entities

    mutating func mineral(_ value: JSONValue, _ index: Int) -> Mineral {
        let at = FieldLocation("minerals", index: index)
        var result = Mineral(id: "")
        fields(value, MineralKey.self, at: at, named: MineralKey.named) { decoder, field, value in
            switch field {
            case .id: result.id = decoder.string(value, field, at: at) ?? ""
            case .name: result.name = decoder.string(value, field, at: at)
            case .priceFloor: result.priceFloor = decoder.number(value, field, at: at)
            case .referencePrice: result.referencePrice = decoder.number(value, field, at: at)
            case .shortfallPenalty: result.shortfallPenalty = decoder.penalty(value, at: at.field(field.rawValue))
            }
        }
        return result
    }

    mutating func country(_ value: JSONValue, _ index: Int) -> Country {
        let at = FieldLocation("countries", index: index)
        var result = Country(code: "", coalition: false)
        fields(value, CountryKey.self, at: at, named: CountryKey.named) { decoder, field, value in
            switch field {
            case .code: result.code = decoder.string(value, field, at: at) ?? ""
            case .name: result.name = decoder.string(value, field, at: at)
            case .coalition: result.coalition = decoder.bool(value, field, at: at) ?? false
            }
        }
        return result
    }

    mutating func mine(_ value: JSONValue, _ index: Int) -> Mine {
        let at = FieldLocation("mines", index: index)
        var result = Mine(id: "", mineral: "", country: "", capacity: 0, price: 0)
        fields(value, MineKey.self, at: at, named: MineKey.named) { decoder, field, value in
            switch field {
            case .id: result.id = decoder.string(value, field, at: at) ?? ""
            case .mineral: result.mineral = decoder.string(value, field, at: at) ?? ""
            case .country: result.country = decoder.string(value, field, at: at) ?? ""
            case .capacity: result.capacity = decoder.number(value, field, at: at) ?? 0
            case .price: result.price = decoder.number(value, field, at: at) ?? 0
            case .chinaExposure: result.chinaExposure = decoder.number(value, field, at: at)
            case .fixedCost: result.fixedCost = decoder.number(value, field, at: at)
            case .minVolume: result.minVolume = decoder.number(value, field, at: at)
            case .byProduct: result.byProduct = decoder.byProduct(value, at: at.field(field.rawValue))
            }
        }
        return result
    }

    mutating func refinery(_ value: JSONValue, _ index: Int) -> Refinery {
        let at = FieldLocation("refineries", index: index)
        var result = Refinery(id: "", mineral: "", country: "", capacity: 0, fee: 0)
        fields(value, RefineryKey.self, at: at, named: RefineryKey.named) { decoder, field, value in
            switch field {
            case .id: result.id = decoder.string(value, field, at: at) ?? ""
            case .mineral: result.mineral = decoder.string(value, field, at: at) ?? ""
            case .country: result.country = decoder.string(value, field, at: at) ?? ""
            case .capacity: result.capacity = decoder.number(value, field, at: at) ?? 0
            case .fee: result.fee = decoder.number(value, field, at: at) ?? 0
            case .yield: result.yield = decoder.number(value, field, at: at)
            case .feed:
                if let text = decoder.string(value, field, at: at) {
                    if let feed = Feed(rawValue: text) {
                        result.feed = feed
                    } else {
                        decoder.sink.error(
                            at.field(field.rawValue), "\(JSONWriter.quoted(text, maxCharacters: 40)) must be \"mined\" or \"none\"")
                    }
                }
            case .chinaExposure: result.chinaExposure = decoder.number(value, field, at: at)
            case .fixedCost: result.fixedCost = decoder.number(value, field, at: at)
            case .minVolume: result.minVolume = decoder.number(value, field, at: at)
            case .byProduct: result.byProduct = decoder.byProduct(value, at: at.field(field.rawValue))
            }
        }
        return result
    }

    mutating func buyer(_ value: JSONValue, _ index: Int) -> Buyer {
        let at = FieldLocation("buyers", index: index)
        var result = Buyer(id: "", country: "")
        fields(value, BuyerKey.self, at: at, named: BuyerKey.named) { decoder, field, value in
            let map = FieldLocation("buyers", index: index, sub: field.rawValue)
            switch field {
            case .id: result.id = decoder.string(value, field, at: at) ?? ""
            case .country: result.country = decoder.string(value, field, at: at) ?? ""
            case .demand:
                result.demand = decoder.numberMap(value, at: map)
            case .exposureCap:
                result.exposureCap = decoder.capMap(value, at: map)
            case .shortfallPenalty:
                guard let entries = decoder.object(value, at: map) else { break }
                var penalties: [String: ShortfallPenalty] = [:]
                for (mineral, entry) in entries {
                    if let penalty = decoder.penalty(entry, at: map.field(mineral)) { penalties[mineral] = penalty }
                }
                result.shortfallPenalty = penalties
            case .maxSuppliers:
                guard let entries = decoder.object(value, at: map) else { break }
                var limits: [String: Int] = [:]
                limits.reserveCapacity(entries.count)
                for (mineral, entry) in entries {
                    guard let number = decoder.number(entry, at: map.field(mineral)) else { continue }
                    if number == number.rounded(.towardZero), abs(number) < 9.0e18 {
                        limits[mineral] = Int(number)  // a negative count is reported by validate
                    } else {
                        decoder.sink.error(map.field(mineral), "\(show(number)) must be an integer >= 0")
                    }
                }
                result.maxSuppliers = limits
            }
        }
        return result
    }

    mutating func transport(_ value: JSONValue, _ index: Int) -> TransportEntry {
        let at = FieldLocation("transport", index: index)
        var result = TransportEntry(from: "", to: "", cost: 0)
        fields(value, TransportKey.self, at: at, named: TransportKey.named) { decoder, field, value in
            switch field {
            case .from: result.from = decoder.string(value, field, at: at) ?? ""
            case .to: result.to = decoder.string(value, field, at: at) ?? ""
            case .cost: result.cost = decoder.number(value, field, at: at) ?? 0
            }
        }
        return result
    }

    mutating func policy(_ value: JSONValue) -> Policy {
        let at = FieldLocation("policy")
        var result = Policy()
        guard let members = object(value, at: at) else { return result }
        for (key, value) in members {
            guard let field = PolicyKey.named(key) else {
                unknownKey(key, PolicyKey.self, at: at)
                continue
            }
            switch field {
            case .defaultTransportCost: result.defaultTransportCost = number(value, field, at: at)
            case .externalTariff: result.externalTariff = number(value, field, at: at)
            case .maxCountryShare: result.maxCountryShare = number(value, field, at: at)
            case .minCoalitionShare: result.minCoalitionShare = number(value, field, at: at)
            case .shortfallPenalty: result.shortfallPenalty = penalty(value, at: at.field(key))
            case .blocked:
                if case .array = value {
                    result.blocked = array(value, at: FieldLocation("policy.blocked")) { mapper, element, i in
                        mapper.block(element, i)
                    }
                } else {
                    typeMismatch(value, expected: "an array", at: at.field(key), optional: true)
                }
            }
        }
        return result
    }

    mutating func block(_ value: JSONValue, _ index: Int) -> Block {
        let at = FieldLocation("policy.blocked", index: index)
        var result = Block()
        guard let members = object(value, at: at) else { return result }
        for (key, value) in members {
            guard let field = BlockKey.named(key) else {
                unknownKey(key, BlockKey.self, at: at)
                continue
            }
            switch field {
            case .from: result.from = string(value, field, at: at)
            case .to: result.to = string(value, field, at: at)
            case .mineral: result.mineral = string(value, field, at: at)
            }
        }
        return result
    }

    // MARK: Typed readers

    /// The members of an object, or nil after reporting what was found instead.
    /// Walks an object's members as fields of `Key`: unknown keys and
    /// missing required keys are reported here, each known field goes to
    /// `assign` (with the loader, the field and its value).
    mutating func fields<Key: InstanceObjectKey>(
        _ value: JSONValue, _: Key.Type, at location: FieldLocation, named: KeyTable<Key>,
        _ assign: (inout Self, Key, JSONValue) -> Void
    ) {
        guard let members = object(value, at: location) else { return }
        var requiredSeen = 0
        for (key, value) in members {
            guard let field = named(key), field.since <= version else {
                unknownKey(key, Key.self, at: location)
                continue
            }
            if field.isRequired { requiredSeen += 1 }
            assign(&self, field, value)
        }
        missingKeys(members, Key.self, seen: requiredSeen, at: location)
    }

    // MARK: Version 2 value forms

    /// A shortfall penalty: a number, or (version 2) a curve of segments.
    /// The segments' values are checked by ``validate(_:file:)``.
    mutating func penalty(_ value: JSONValue, at path: String) -> ShortfallPenalty? {
        switch value {
        case .number(let number):
            return .flat(number)
        case .array(let elements) where version >= .v2:
            var segments: [PenaltySegment] = []
            segments.reserveCapacity(elements.count)
            for (j, element) in elements.enumerated() {
                let at = FieldLocation(JSONPath.appending(path, index: j))
                var segment = PenaltySegment(upTo: .nan, penalty: .nan)
                fields(element, SegmentKey.self, at: at, named: SegmentKey.named) { decoder, field, value in
                    switch field {
                    case .upTo: segment.upTo = decoder.number(value, field, at: at) ?? .nan
                    case .penalty: segment.penalty = decoder.number(value, field, at: at) ?? .nan
                    }
                }
                segments.append(segment)
            }
            // A segment with a structural problem is covered by its error;
            // the curve is kept so indices match the file.
            return .curve(segments)
        default:
            typeMismatch(
                value, expected: version >= .v2 ? "a number or a curve (an array of {upTo, penalty})" : "a number",
                at: path, optional: true)
            return nil
        }
    }

    /// A map of mineral (or `"*"`) to an exposure cap: a share, or (version
    /// 2) `{share, penalty}`.
    mutating func capMap(_ value: JSONValue, at location: FieldLocation) -> [String: ExposureCap] {
        guard let entries = object(value, at: location) else { return [:] }
        var map: [String: ExposureCap] = [:]
        map.reserveCapacity(entries.count)
        for (key, entry) in entries {
            switch entry {
            case .number(let share):
                map[key] = ExposureCap(share: share)
            case .object where version >= .v2:
                let at = FieldLocation(location.field(key))
                var cap = ExposureCap(share: 0, penalty: 0)
                var complete = true
                fields(entry, SoftCapKey.self, at: at, named: SoftCapKey.named) { decoder, field, value in
                    let number = decoder.number(value, field, at: at)
                    if number == nil { complete = false }
                    switch field {
                    case .share: cap.share = number ?? 0
                    case .penalty: cap.penalty = number ?? 0
                    }
                }
                if case .object(let members) = entry, members.count < 2 { complete = false }
                if complete { map[key] = cap }
            default:
                typeMismatch(
                    entry, expected: version >= .v2 ? "a share or {share, penalty}" : "a number",
                    at: location.field(key), optional: false)
            }
        }
        return map
    }

    /// A `byProduct` object (version 2).
    mutating func byProduct(_ value: JSONValue, at path: String) -> ByProduct? {
        let at = FieldLocation(path)
        var result = ByProduct(host: "", hostThroughput: 0, ratio: 0)
        var complete = true
        guard case .object(let members) = value else {
            typeMismatch(value, expected: "an object {host, hostThroughput, ratio}", at: path, optional: true)
            return nil
        }
        fields(value, ByProductKey.self, at: at, named: ByProductKey.named) { decoder, field, value in
            switch field {
            case .host:
                if let host = decoder.string(value, field, at: at) { result.host = host } else { complete = false }
            case .hostThroughput:
                if let h = decoder.number(value, field, at: at) { result.hostThroughput = h } else { complete = false }
            case .ratio:
                if let k = decoder.number(value, field, at: at) { result.ratio = k } else { complete = false }
            }
        }
        let present = Set(members.map(\.key))
        if !ByProductKey.allCases.allSatisfy({ present.contains($0.rawValue) }) { complete = false }
        return complete ? result : nil
    }

    mutating func object(_ value: JSONValue, at location: FieldLocation) -> [(key: String, value: JSONValue)]? {
        if case .object(let members) = value { return members }
        typeMismatch(value, expected: "an object", at: location.path, optional: false)
        return nil
    }

    /// Maps every element of an array (a placeholder stands in for a bad one,
    /// so indices stay those of the file), or `[]` after reporting a non-array.
    mutating func array<Element>(
        _ value: JSONValue, at location: FieldLocation,
        _ transform: (inout InstanceMapper, JSONValue, Int) -> Element
    ) -> [Element] {
        guard case .array(let elements) = value else {
            typeMismatch(value, expected: "an array", at: location.path, optional: true)
            return []
        }
        var result: [Element] = []
        result.reserveCapacity(elements.count)
        for (i, element) in elements.enumerated() {
            result.append(transform(&self, element, i))
        }
        return result
    }

    mutating func string<Key: InstanceObjectKey>(_ value: JSONValue, _ key: Key, at location: FieldLocation) -> String? {
        if case .string(let text) = value { return text }
        typeMismatch(value, expected: "a string", at: location.field(key.rawValue), optional: !key.isRequired)
        return nil
    }

    mutating func number<Key: InstanceObjectKey>(_ value: JSONValue, _ key: Key, at location: FieldLocation) -> Double? {
        if case .number(let number) = value { return number }
        typeMismatch(value, expected: "a number", at: location.field(key.rawValue), optional: !key.isRequired)
        return nil
    }

    mutating func number(_ value: JSONValue, at path: @autoclosure () -> String) -> Double? {
        if case .number(let number) = value { return number }
        typeMismatch(value, expected: "a number", at: path(), optional: false)
        return nil
    }

    mutating func bool<Key: InstanceObjectKey>(_ value: JSONValue, _ key: Key, at location: FieldLocation) -> Bool? {
        if case .bool(let flag) = value { return flag }
        typeMismatch(value, expected: "true or false", at: location.field(key.rawValue), optional: !key.isRequired)
        return nil
    }

    /// A map of mineral (or `"*"`) to number.
    mutating func numberMap(_ value: JSONValue, at location: FieldLocation) -> [String: Double] {
        guard let entries = object(value, at: location) else { return [:] }
        var map: [String: Double] = [:]
        map.reserveCapacity(entries.count)
        for (key, entry) in entries {
            if let number = number(entry, at: location.field(key)) { map[key] = number }
        }
        return map
    }

    // MARK: Structural problems

    mutating func typeMismatch(_ value: JSONValue, expected: String, at path: String, optional: Bool) {
        var message = "expected \(expected), found \(value.briefDescription)"
        if value.isNull {
            message += optional ? " (null is not allowed; omit the key to use the default)" : " (null is not allowed)"
        }
        sink.error(path, message)
    }

    mutating func unknownKey<Key: InstanceObjectKey>(_ key: String, _: Key.Type, at location: FieldLocation) {
        let allowed = Key.allowedNames(version)
        var message = "unknown key \(JSONWriter.quoted(key, maxCharacters: 60))"
        if version == .v1, let field = Key(rawValue: key), field.since > .v1 {
            sink.error(
                location.field(key),
                message
                    + " in a \(InstanceVersion.v1.formatName) file (\(JSONWriter.quoted(key)) is new in \(JSONWriter.quoted(field.since.formatName)); run `planner upgrade` and edit the result)"
            )
            return
        }
        if let suggestion = closest(to: key, in: allowed) {
            message += " (did you mean \(JSONWriter.quoted(suggestion))?)"
        } else {
            let place = Key.kind == TopLevelKey.kind ? "at the top level" : "in a \(Key.kind)"
            message += " (allowed \(place): \(allowed.joined(separator: ", ")))"
        }
        sink.error(location.field(key), message)
    }

    /// Reports each required key absent from `members`; `seen` is how many
    /// required keys were found, so the common complete case costs nothing.
    mutating func missingKeys<Key: InstanceObjectKey>(
        _ members: [(key: String, value: JSONValue)], _: Key.Type,
        seen: Int, at location: FieldLocation
    ) {
        let required = Key.allCases.filter(\.isRequired)
        guard seen < required.count else { return }
        for key in required where !members.contains(where: { $0.key == key.rawValue }) {
            sink.error(location.field(key.rawValue), "required field is missing")
        }
    }

    /// An allowed key within edit distance 2 of `key` (ignoring case), if any.
    func closest(to key: String, in allowed: [String]) -> String? {
        let target = Array(key.lowercased().unicodeScalars)
        guard target.count <= 40 else { return nil }
        var best: (name: String, distance: Int)?
        for name in allowed {
            let distance = Suggestion.editDistance(target, Array(name.lowercased().unicodeScalars))
            if distance <= 2, distance < (best?.distance ?? Int.max) { best = (name, distance) }
        }
        return best?.name
    }
}

/// Wall-clock seconds of the two phases of loading an instance.
public struct LoadTimings: Sendable, Equatable {
    /// JSON parsing and mapping to the instance types.
    public var decode: Double = 0
    /// The validation rules of docs/FORMULATION.md.
    public var validate: Double = 0

    public init() {}
}
