/// The keys of each kind of object in a `sourcing-instance/1` file, in the
/// order of FORMULATION.md's table (the canonical output order).
///
/// Each enum is the single source of truth for its kind: the decoder
/// switches over it exhaustively, the encoder writes in its order, and
/// ``InstanceLoader/allowedKeys`` / ``InstanceLoader/requiredKeys`` (checked
/// against `schemas/sourcing-instance-1.schema.json` by a test) derive from it.
protocol InstanceObjectKey: RawRepresentable<String>, CaseIterable, Sendable where AllCases == [Self] {
    /// The name of the object kind (`mine`, `policy`, ...).
    static var kind: String { get }
    /// Whether the key must be present.
    var isRequired: Bool { get }
}

extension InstanceObjectKey {
    static var allowedNames: [String] { allCases.map(\.rawValue) }
    static var requiredNames: [String] { allCases.filter(\.isRequired).map(\.rawValue) }
}

/// Finds a key by name with one string comparison in the common case
/// (candidates are grouped by UTF-8 length); `init(rawValue:)` compares
/// against every case in turn, which shows in profiles of million-entity files.
struct KeyTable<Key: InstanceObjectKey>: Sendable {
    private let byLength: [[Key]]

    init() {
        var groups: [[Key]] = []
        for key in Key.allCases {
            let length = key.rawValue.utf8.count
            while groups.count <= length { groups.append([]) }
            groups[length].append(key)
        }
        byLength = groups
    }

    func callAsFunction(_ name: String) -> Key? {
        let length = name.utf8.count
        guard length < byLength.count else { return nil }
        for key in byLength[length] where key.rawValue == name { return key }
        return nil
    }
}

enum TopLevelKey: String, InstanceObjectKey {
    case format, name, minerals, countries, mines, refineries, buyers, transport, policy
    static let named = KeyTable<TopLevelKey>()
    static let kind = "instance"
    var isRequired: Bool { self == .format }
}

enum MineralKey: String, InstanceObjectKey {
    case id, name, priceFloor, referencePrice, shortfallPenalty
    static let named = KeyTable<MineralKey>()
    static let kind = "mineral"
    var isRequired: Bool { self == .id }
}

enum CountryKey: String, InstanceObjectKey {
    case code, name, coalition
    static let named = KeyTable<CountryKey>()
    static let kind = "country"
    var isRequired: Bool { self != .name }
}

enum MineKey: String, InstanceObjectKey {
    case id, mineral, country, capacity, price, chinaExposure, fixedCost, minVolume
    static let named = KeyTable<MineKey>()
    static let kind = "mine"
    var isRequired: Bool {
        switch self {
        case .id, .mineral, .country, .capacity, .price: return true
        case .chinaExposure, .fixedCost, .minVolume: return false
        }
    }
}

enum RefineryKey: String, InstanceObjectKey {
    case id, mineral, country, capacity, fee, yield, feed, chinaExposure, fixedCost, minVolume
    static let named = KeyTable<RefineryKey>()
    static let kind = "refinery"
    var isRequired: Bool {
        switch self {
        case .id, .mineral, .country, .capacity, .fee: return true
        case .yield, .feed, .chinaExposure, .fixedCost, .minVolume: return false
        }
    }
}

enum BuyerKey: String, InstanceObjectKey {
    case id, country, demand, exposureCap, maxSuppliers
    static let named = KeyTable<BuyerKey>()
    static let kind = "buyer"
    var isRequired: Bool {
        switch self {
        case .id, .country, .demand: return true
        case .exposureCap, .maxSuppliers: return false
        }
    }
}

enum TransportKey: String, InstanceObjectKey {
    case from, to, cost
    static let named = KeyTable<TransportKey>()
    static let kind = "transport"
    var isRequired: Bool { true }
}

enum PolicyKey: String, InstanceObjectKey {
    case defaultTransportCost, externalTariff, maxCountryShare, minCoalitionShare, shortfallPenalty, blocked
    static let named = KeyTable<PolicyKey>()
    static let kind = "policy"
    var isRequired: Bool { false }
}

enum BlockKey: String, InstanceObjectKey {
    case from, to, mineral
    static let named = KeyTable<BlockKey>()
    static let kind = "block"
    var isRequired: Bool { false }
}

extension InstanceLoader {
    /// The `format` value of an instance file.
    public static let formatName = "sourcing-instance/1"

    /// Every object kind with a fixed set of keys, in file order.
    static let objectKinds: [any InstanceObjectKey.Type] = [
        TopLevelKey.self, MineralKey.self, CountryKey.self, MineKey.self, RefineryKey.self,
        BuyerKey.self, TransportKey.self, PolicyKey.self, BlockKey.self,
    ]

    /// The keys allowed in each kind of object, in canonical order. Kinds:
    /// `instance` (the top level), `mineral`, `country`, `mine`, `refinery`,
    /// `buyer`, `transport`, `policy`, `block` (an entry of `policy.blocked`).
    /// The maps `demand`, `exposureCap` and `maxSuppliers` take any key.
    public static let allowedKeys: [String: [String]] = Dictionary(
        uniqueKeysWithValues: objectKinds.map { ($0.kind, $0.allowedNames) })

    /// The keys that must be present in each kind of object (same kinds as
    /// ``allowedKeys``).
    public static let requiredKeys: [String: [String]] = Dictionary(
        uniqueKeysWithValues: objectKinds.map { ($0.kind, $0.requiredNames) })
}
