/// A `sourcing-scenario/1` file as Swift values (docs/FORMULATION.md section 7):
/// an ordered list of changes to apply to an instance.
///
/// Read by ``ScenarioLoader``, applied by ``ScenarioApplier``, written by
/// ``ScenarioEncoder``; ``QuickChange`` builds changes from the planner's
/// `--cut` and `--ban` flags. docs/SCENARIOS.md describes the format.
public struct Scenario: Sendable, Equatable {
    /// Free text: what the scenario models.
    public var name: String?
    /// Free text: where its figures come from.
    public var source: String?
    /// Applied in order, each to the values left by the ones before.
    public var changes: [ScenarioChange]

    public init(name: String? = nil, source: String? = nil, changes: [ScenarioChange] = []) {
        self.name = name
        self.source = source
        self.changes = changes
    }
}

/// One change of a scenario: exactly one action, with its selection when
/// the action selects (the `where` of the file).
public enum ScenarioChange: Sendable, Equatable {
    /// Mine and refinery capacities (refinery capacity is per t of output).
    case capacity(ScenarioAmount, where: FacilitySelector)
    /// Mine prices and refinery fees (a feed-`"none"` source's fee included).
    case price(ScenarioAmount, where: FacilitySelector)
    /// The selected buyers' existing demand entries.
    case demand(ScenarioAmount, where: BuyerSelector)
    /// Sets `exposureCap[where.mineral]` on the selected buyers (adds the key
    /// or replaces its value); a share in [0, 1], or (version 2) a soft cap.
    case exposureCap(set: ExposureCap, where: ExposureCapSelector)
    /// Sets the mineral's coalition price floor, USD/t (version 1's price
    /// raise on a `/1` instance, the border floor on a `/2` one).
    case priceFloor(set: Double, where: MineralSelector)
    /// Sets the mineral's reference price (the tariff base), USD/t.
    case referencePrice(set: Double, where: MineralSelector)
    /// Sets the mineral's own shortfall penalty, USD/t (a curve needs version 2).
    case shortfallPenalty(set: ShortfallPenalty, where: MineralSelector)
    /// Version 2: sets `shortfallPenalty[where.mineral]` in the selected
    /// buyers' own maps (the file's `shortfallPenalty` with `buyer` and/or
    /// `country` in its `where`).
    case buyerShortfallPenalty(set: ShortfallPenalty, where: ExposureCapSelector)
    /// Version 2: the host throughput H of by-product facilities.
    case hostThroughput(ScenarioAmount, where: FacilitySelector)
    /// Appends the entry to `policy.blocked`.
    case block(Block)
    /// Removes every entry of `policy.blocked` equal to this one (same
    /// fields present, same values); removing nothing is a warning.
    case unblock(Block)
    /// Sets each field present in the value (an absent field is left as it
    /// is); `blocked`, when present, replaces the whole list.
    case policy(Policy)

    /// The action, which is also the change's key in the file.
    public var action: ScenarioAction {
        switch self {
        case .capacity: return .capacity
        case .price: return .price
        case .demand: return .demand
        case .exposureCap: return .exposureCap
        case .priceFloor: return .priceFloor
        case .referencePrice: return .referencePrice
        case .shortfallPenalty, .buyerShortfallPenalty: return .shortfallPenalty
        case .hostThroughput: return .hostThroughput
        case .block: return .block
        case .unblock: return .unblock
        case .policy: return .policy
        }
    }
}

extension ScenarioChange {
    /// Whether the change needs a `/2` instance: a new action (`hostThroughput`,
    /// a buyer's own penalty) or a new value form (a curve, a soft cap).
    public var needsVersion2: Bool {
        switch self {
        case .hostThroughput, .buyerShortfallPenalty: return true
        case .exposureCap(let cap, _): return cap.isSoft
        case .shortfallPenalty(let penalty, _): return penalty.flatValue == nil
        case .policy(let update): return update.shortfallPenalty.map { $0.flatValue == nil } ?? false
        default: return false
        }
    }
}

/// The actions of docs/FORMULATION.md section 7 (and version 2's), named as in the file.
public enum ScenarioAction: String, Sendable, Equatable, CaseIterable {
    case capacity, price, demand, exposureCap, priceFloor, referencePrice, shortfallPenalty, hostThroughput, block, unblock, policy

    /// Whether the action takes a `where` (required then; `{}` selects everything).
    public var selects: Bool {
        switch self {
        case .capacity, .price, .demand, .exposureCap, .priceFloor, .referencePrice, .shortfallPenalty, .hostThroughput: return true
        case .block, .unblock, .policy: return false
        }
    }

    /// The keys its `where` accepts, in canonical order (empty when it does not select).
    public var whereKeys: [String] {
        switch self {
        case .capacity, .price: return FacilitySelector.keys
        case .hostThroughput: return FacilitySelector.keys + ["host"]
        case .demand: return BuyerSelector.keys
        case .exposureCap, .shortfallPenalty: return ExposureCapSelector.keys
        case .priceFloor, .referencePrice: return MineralSelector.keys
        case .block, .unblock, .policy: return []
        }
    }

    /// The keys of its amount object: `factor` and `set`, or `set` alone
    /// (empty for `block`, `unblock` and `policy`, whose values are entries).
    public var amountKeys: [String] {
        switch self {
        case .capacity, .price, .demand, .hostThroughput: return ["factor", "set"]
        case .exposureCap, .priceFloor, .referencePrice, .shortfallPenalty: return ["set"]
        case .block, .unblock, .policy: return []
        }
    }
}

/// How a selected number changes.
public enum ScenarioAmount: Sendable, Equatable, Hashable {
    /// Multiply by a finite factor >= 0 (factors of successive changes multiply).
    case factor(Double)
    /// Replace by a finite value >= 0.
    case set(Double)

    /// The number changed: `value * f` or `t`.
    public func applied(to value: Double) -> Double {
        switch self {
        case .factor(let factor): return value * factor
        case .set(let target): return target
        }
    }
}

/// Mines or refineries.
public enum FacilityStage: String, Sendable, Equatable, Hashable, CaseIterable {
    case mine
    case refinery
}

/// Selects mines and refineries: every present field must match (no field:
/// every facility).
public struct FacilitySelector: Sendable, Equatable, Hashable {
    /// A mine or refinery id.
    public var id: String?
    /// The facility's country code.
    public var country: String?
    /// The facility's mineral id.
    public var mineral: String?
    /// Mines only or refineries only.
    public var stage: FacilityStage?
    /// The `byProduct.host` label (`hostThroughput` only).
    public var host: String?

    public init(
        id: String? = nil, country: String? = nil, mineral: String? = nil, stage: FacilityStage? = nil,
        host: String? = nil
    ) {
        self.id = id
        self.country = country
        self.mineral = mineral
        self.stage = stage
        self.host = host
    }

    static let keys = ["id", "country", "mineral", "stage"]
}

/// Selects the demand entries of buyers: every present field must match.
public struct BuyerSelector: Sendable, Equatable, Hashable {
    /// A buyer id.
    public var buyer: String?
    /// The buyer's country code.
    public var country: String?
    /// The demand entry's mineral.
    public var mineral: String?

    public init(buyer: String? = nil, country: String? = nil, mineral: String? = nil) {
        self.buyer = buyer
        self.country = country
        self.mineral = mineral
    }

    static let keys = ["buyer", "country", "mineral"]
}

/// The `where` of an `exposureCap` change (and of a buyer's own
/// `shortfallPenalty`): `mineral` names the key to set (a mineral id or
/// `"*"`), `buyer` and `country` select the buyers.
public struct ExposureCapSelector: Sendable, Equatable, Hashable {
    /// The buyer id.
    public var buyer: String?
    /// The buyer's country code.
    public var country: String?
    /// The key to set: a listed mineral id, or `"*"` (every mineral without its own key).
    public var mineral: String

    public init(buyer: String? = nil, country: String? = nil, mineral: String) {
        self.buyer = buyer
        self.country = country
        self.mineral = mineral
    }

    static let keys = ["buyer", "country", "mineral"]
}

/// Selects minerals by id (no field: every mineral).
public struct MineralSelector: Sendable, Equatable, Hashable {
    public var mineral: String?

    public init(mineral: String? = nil) {
        self.mineral = mineral
    }

    static let keys = ["mineral"]
}
