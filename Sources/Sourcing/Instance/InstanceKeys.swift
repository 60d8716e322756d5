/// The keys of each kind of object in a `sourcing-instance/1` file, in the
/// order of docs/FORMULATION.md's table (the canonical output order).
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
    /// The first format version that has the key (1 unless overridden).
    var since: InstanceVersion { get }
    /// The first format version that has this kind of object at all.
    static var kindSince: InstanceVersion { get }
}

extension InstanceObjectKey {
    var since: InstanceVersion { .v1 }
    static var kindSince: InstanceVersion { .v1 }
    static var allowedNames: [String] { allCases.map(\.rawValue) }
    static var requiredNames: [String] { allCases.filter(\.isRequired).map(\.rawValue) }
    static func allowedNames(_ version: InstanceVersion) -> [String] {
        allCases.filter { $0.since <= version }.map(\.rawValue)
    }
    static func requiredNames(_ version: InstanceVersion) -> [String] {
        allCases.filter { $0.isRequired && $0.since <= version }.map(\.rawValue)
    }
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
    case id, mineral, country, capacity, price, chinaExposure, fixedCost, minVolume, byProduct
    static let named = KeyTable<MineKey>()
    static let kind = "mine"
    var isRequired: Bool {
        switch self {
        case .id, .mineral, .country, .capacity, .price: return true
        case .chinaExposure, .fixedCost, .minVolume, .byProduct: return false
        }
    }
    var since: InstanceVersion { self == .byProduct ? .v2 : .v1 }
}

enum RefineryKey: String, InstanceObjectKey {
    case id, mineral, country, capacity, fee, yield, feed, chinaExposure, fixedCost, minVolume, byProduct
    static let named = KeyTable<RefineryKey>()
    static let kind = "refinery"
    var isRequired: Bool {
        switch self {
        case .id, .mineral, .country, .capacity, .fee: return true
        case .yield, .feed, .chinaExposure, .fixedCost, .minVolume, .byProduct: return false
        }
    }
    var since: InstanceVersion { self == .byProduct ? .v2 : .v1 }
}

enum BuyerKey: String, InstanceObjectKey {
    case id, country, demand, exposureCap, maxSuppliers, shortfallPenalty
    static let named = KeyTable<BuyerKey>()
    static let kind = "buyer"
    var isRequired: Bool {
        switch self {
        case .id, .country, .demand: return true
        case .exposureCap, .maxSuppliers, .shortfallPenalty: return false
        }
    }
    var since: InstanceVersion { self == .shortfallPenalty ? .v2 : .v1 }
}

/// A segment of a shortfall curve (version 2).
enum SegmentKey: String, InstanceObjectKey {
    case upTo, penalty
    static let named = KeyTable<SegmentKey>()
    static let kind = "segment"
    static var kindSince: InstanceVersion { .v2 }
    var isRequired: Bool { true }
}

/// A soft exposure cap `{share, penalty}` (version 2).
enum SoftCapKey: String, InstanceObjectKey {
    case share, penalty
    static let named = KeyTable<SoftCapKey>()
    static let kind = "softCap"
    static var kindSince: InstanceVersion { .v2 }
    var isRequired: Bool { true }
}

/// The `byProduct` of a mine or refinery (version 2).
enum ByProductKey: String, InstanceObjectKey {
    case host, hostThroughput, ratio
    static let named = KeyTable<ByProductKey>()
    static let kind = "byProduct"
    static var kindSince: InstanceVersion { .v2 }
    var isRequired: Bool { true }
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
    /// The `format` value of a version 1 instance file.
    public static let formatName = InstanceVersion.v1.formatName

    /// Every object kind with a fixed set of keys, in file order.
    static let objectKinds: [any InstanceObjectKey.Type] = [
        TopLevelKey.self, MineralKey.self, CountryKey.self, MineKey.self, RefineryKey.self,
        BuyerKey.self, TransportKey.self, PolicyKey.self, BlockKey.self,
        SegmentKey.self, SoftCapKey.self, ByProductKey.self
    ]

    /// The keys allowed in each kind of object of a version 1 file, in
    /// canonical order. Kinds: `instance` (the top level), `mineral`,
    /// `country`, `mine`, `refinery`, `buyer`, `transport`, `policy`,
    /// `block` (an entry of `policy.blocked`). The maps `demand`,
    /// `exposureCap` and `maxSuppliers` take any key.
    public static let allowedKeys: [String: [String]] = allowedKeys(.v1)

    /// The keys that must be present in each kind of object of a version 1
    /// file (same kinds as ``allowedKeys``).
    public static let requiredKeys: [String: [String]] = requiredKeys(.v1)

    /// The keys allowed in each kind of object of a file of `version`;
    /// version 2 adds the kinds `segment`, `softCap` and `byProduct`.
    public static func allowedKeys(_ version: InstanceVersion) -> [String: [String]] {
        Dictionary(
            uniqueKeysWithValues: objectKinds.filter { $0.kindSince <= version }
                .map { ($0.kind, $0.allowedNames(version)) })
    }

    /// The required keys of each kind of object of a file of `version`.
    public static func requiredKeys(_ version: InstanceVersion) -> [String: [String]] {
        Dictionary(
            uniqueKeysWithValues: objectKinds.filter { $0.kindSince <= version }
                .map { ($0.kind, $0.requiredNames(version)) })
    }
}
