public import FoundationEssentials
public import StrictJSON

/// Writes an ``Instance`` as canonical `sourcing-instance/1` or `/2` JSON
/// (the instance's own version).
///
/// Canonical means the output depends only on the instance's values, so
/// two runs give identical bytes and `decode(encode(x)) == x`:
/// - 2-space indentation; each element of an entity array (and of
///   `policy.blocked`) on one line, `{"id": "m1", "mineral": "cobalt", ...}`;
/// - keys in the order of docs/FORMULATION.md's table for each entity (`format`
///   first at the top level), map keys (`demand`, `exposureCap`,
///   `maxSuppliers`) sorted;
/// - absent optional fields omitted; empty top-level arrays, empty
///   `exposureCap`/`maxSuppliers` maps and a policy with no field set are
///   omitted too (they mean the same as absent); `demand` is always written;
/// - numbers in their shortest round-trip form, integers without a
///   fraction (`100`); see ``JSONWriter/format(_:)``.
///
/// A non-finite number (only possible in an invalid instance) is written
/// `null`, which the loader then refuses.
public enum InstanceEncoder {
    /// The instance as UTF-8 JSON text ending in a newline.
    public static func encode(_ instance: Instance) -> Data {
        JSONWriter.encode(jsonValue(instance), style: .pretty(indent: 2, inlineArrayElements: true))
    }

    /// The instance as a JSON value in canonical member order.
    public static func jsonValue(_ instance: Instance) -> JSONValue {
        var top = Members<TopLevelKey>()
        top.put(.format, .string(instance.version.formatName))
        top.put(.name, instance.name.map(JSONValue.string))
        top.put(.minerals, entities(instance.minerals, mineral))
        top.put(.countries, entities(instance.countries, country))
        top.put(.mines, entities(instance.mines, mine))
        top.put(.refineries, entities(instance.refineries, refinery))
        top.put(.buyers, entities(instance.buyers, buyer))
        top.put(.transport, entities(instance.transport, transport))
        if instance.policy != Policy() {
            top.put(.policy, policy(instance.policy))
        }
        return top.value
    }

    // MARK: Entities

    static func mineral(_ mineral: Mineral) -> JSONValue {
        var members = Members<MineralKey>()
        members.put(.id, .string(mineral.id))
        members.put(.name, mineral.name.map(JSONValue.string))
        members.put(.priceFloor, mineral.priceFloor.map(JSONValue.number))
        members.put(.referencePrice, mineral.referencePrice.map(JSONValue.number))
        members.put(.shortfallPenalty, mineral.shortfallPenalty.map(penalty))
        return members.value
    }

    static func country(_ country: Country) -> JSONValue {
        var members = Members<CountryKey>()
        members.put(.code, .string(country.code))
        members.put(.name, country.name.map(JSONValue.string))
        members.put(.coalition, .bool(country.coalition))
        return members.value
    }

    static func mine(_ mine: Mine) -> JSONValue {
        var members = Members<MineKey>()
        members.put(.id, .string(mine.id))
        members.put(.mineral, .string(mine.mineral))
        members.put(.country, .string(mine.country))
        members.put(.capacity, .number(mine.capacity))
        members.put(.price, .number(mine.price))
        members.put(.chinaExposure, mine.chinaExposure.map(JSONValue.number))
        members.put(.fixedCost, mine.fixedCost.map(JSONValue.number))
        members.put(.minVolume, mine.minVolume.map(JSONValue.number))
        members.put(.byProduct, mine.byProduct.map(byProduct))
        return members.value
    }

    static func refinery(_ refinery: Refinery) -> JSONValue {
        var members = Members<RefineryKey>()
        members.put(.id, .string(refinery.id))
        members.put(.mineral, .string(refinery.mineral))
        members.put(.country, .string(refinery.country))
        members.put(.capacity, .number(refinery.capacity))
        members.put(.fee, .number(refinery.fee))
        members.put(.yield, refinery.yield.map(JSONValue.number))
        members.put(.feed, refinery.feed.map { JSONValue.string($0.rawValue) })
        members.put(.chinaExposure, refinery.chinaExposure.map(JSONValue.number))
        members.put(.fixedCost, refinery.fixedCost.map(JSONValue.number))
        members.put(.minVolume, refinery.minVolume.map(JSONValue.number))
        members.put(.byProduct, refinery.byProduct.map(byProduct))
        return members.value
    }

    static func buyer(_ buyer: Buyer) -> JSONValue {
        var members = Members<BuyerKey>()
        members.put(.id, .string(buyer.id))
        members.put(.country, .string(buyer.country))
        members.put(.demand, sortedMap(buyer.demand, JSONValue.number))
        if !buyer.exposureCap.isEmpty {
            members.put(.exposureCap, sortedMap(buyer.exposureCap, cap))
        }
        if !buyer.maxSuppliers.isEmpty {
            members.put(.maxSuppliers, sortedMap(buyer.maxSuppliers) { JSONValue.number(Double($0)) })
        }
        if !buyer.shortfallPenalty.isEmpty {
            members.put(.shortfallPenalty, sortedMap(buyer.shortfallPenalty, penalty))
        }
        return members.value
    }

    static func transport(_ entry: TransportEntry) -> JSONValue {
        var members = Members<TransportKey>()
        members.put(.from, .string(entry.from))
        members.put(.to, .string(entry.to))
        members.put(.cost, .number(entry.cost))
        return members.value
    }

    static func policy(_ policy: Policy) -> JSONValue {
        var members = Members<PolicyKey>()
        members.put(.defaultTransportCost, policy.defaultTransportCost.map(JSONValue.number))
        members.put(.externalTariff, policy.externalTariff.map(JSONValue.number))
        members.put(.maxCountryShare, policy.maxCountryShare.map(JSONValue.number))
        members.put(.minCoalitionShare, policy.minCoalitionShare.map(JSONValue.number))
        members.put(.shortfallPenalty, policy.shortfallPenalty.map(penalty))
        members.put(.blocked, policy.blocked.map { .array($0.map(block)) })
        return members.value
    }

    static func block(_ block: Block) -> JSONValue {
        var members = Members<BlockKey>()
        members.put(.from, block.from.map(JSONValue.string))
        members.put(.to, block.to.map(JSONValue.string))
        members.put(.mineral, block.mineral.map(JSONValue.string))
        return members.value
    }

    // MARK: Version 2 value forms

    /// A number, or a curve as an array of `{upTo, penalty}`.
    static func penalty(_ penalty: ShortfallPenalty) -> JSONValue {
        switch penalty {
        case .flat(let p): return .number(p)
        case .curve(let segments):
            return .array(
                segments.map { segment in
                    var members = Members<SegmentKey>()
                    members.put(.upTo, .number(segment.upTo))
                    members.put(.penalty, .number(segment.penalty))
                    return members.value
                })
        }
    }

    /// A share, or `{share, penalty}` for a soft cap.
    static func cap(_ cap: ExposureCap) -> JSONValue {
        guard let penalty = cap.penalty else { return .number(cap.share) }
        var members = Members<SoftCapKey>()
        members.put(.share, .number(cap.share))
        members.put(.penalty, .number(penalty))
        return members.value
    }

    static func byProduct(_ value: ByProduct) -> JSONValue {
        var members = Members<ByProductKey>()
        members.put(.host, .string(value.host))
        members.put(.hostThroughput, .number(value.hostThroughput))
        members.put(.ratio, .number(value.ratio))
        return members.value
    }

    // MARK: Helpers

    /// An entity array, or nil (omitted) when empty.
    static func entities<Element>(_ elements: [Element], _ transform: (Element) -> JSONValue) -> JSONValue? {
        elements.isEmpty ? nil : .array(elements.map(transform))
    }

    /// A map with its keys sorted (by Unicode scalar values, independent of locale).
    static func sortedMap<Value>(_ map: [String: Value], _ transform: (Value) -> JSONValue) -> JSONValue {
        let entries = map.sorted { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
        return .object(entries.map { entry in (key: entry.key, value: transform(entry.value)) })
    }

    /// Object members of one kind, written with the kind's key names.
    struct Members<Key: InstanceObjectKey> {
        var members: [(key: String, value: JSONValue)] = []

        mutating func put(_ key: Key, _ value: JSONValue?) {
            guard let value else { return }
            members.append((key.rawValue, value))
        }

        var value: JSONValue { .object(members) }
    }
}
