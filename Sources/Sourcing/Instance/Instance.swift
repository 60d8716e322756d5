/// A `sourcing-instance/1` or `/2` file as Swift values (docs/FORMULATION.md
/// section 1; docs/FORMULATION.md sections 8-12 for version 2).
///
/// Optional fields keep "absent" apart from "present", so an instance
/// written back out says what the original said; the model reads them
/// through the resolved accessors (`Refinery.resolvedYield`, ...).
/// Map fields (`demand`, `exposureCap`, `maxSuppliers`) are dictionaries and
/// are always iterated in sorted key order.
public struct Instance: Sendable, Equatable {
    /// The format version the instance means (a `/1` file keeps its version
    /// 1 meaning until ``upgraded()`` turns it into an equivalent `/2`).
    public var version: InstanceVersion
    /// Free text.
    public var name: String?
    public var minerals: [Mineral]
    public var countries: [Country]
    public var mines: [Mine]
    public var refineries: [Refinery]
    public var buyers: [Buyer]
    public var transport: [TransportEntry]
    public var policy: Policy

    public init(
        version: InstanceVersion = .v1, name: String? = nil, minerals: [Mineral] = [], countries: [Country] = [],
        mines: [Mine] = [], refineries: [Refinery] = [], buyers: [Buyer] = [],
        transport: [TransportEntry] = [], policy: Policy = Policy()
    ) {
        self.version = version
        self.name = name
        self.minerals = minerals
        self.countries = countries
        self.mines = mines
        self.refineries = refineries
        self.buyers = buyers
        self.transport = transport
        self.policy = policy
    }
}

/// A mineral and its coalition prices.
public struct Mineral: Sendable, Equatable {
    public var id: String
    public var name: String?
    /// Coalition minimum price, USD/t (absent: no floor).
    public var priceFloor: Double?
    /// Market price for ad-valorem tariffs, USD/t (absent: 0).
    public var referencePrice: Double?
    /// USD/t of shortfall (a curve in version 2); overrides the policy's.
    public var shortfallPenalty: ShortfallPenalty?

    public init(
        id: String, name: String? = nil, priceFloor: Double? = nil,
        referencePrice: Double? = nil, shortfallPenalty: ShortfallPenalty? = nil
    ) {
        self.id = id
        self.name = name
        self.priceFloor = priceFloor
        self.referencePrice = referencePrice
        self.shortfallPenalty = shortfallPenalty
    }
}

/// A country and whether it is in the preferential trade zone.
public struct Country: Sendable, Equatable {
    /// Three upper-case ASCII letters.
    public var code: String
    public var name: String?
    public var coalition: Bool

    public init(code: String, name: String? = nil, coalition: Bool) {
        self.code = code
        self.name = name
        self.coalition = coalition
    }
}

/// A mine selling ore (t contained) at `price` USD/t.
public struct Mine: Sendable, Equatable {
    public var id: String
    public var mineral: String
    public var country: String
    public var capacity: Double
    public var price: Double
    /// Exposed share of its output (absent: 1 in CHN, else 0).
    public var chinaExposure: Double?
    public var fixedCost: Double?
    public var minVolume: Double?
    /// Version 2: the host stream that limits its output.
    public var byProduct: ByProduct?

    public init(
        id: String, mineral: String, country: String, capacity: Double, price: Double,
        chinaExposure: Double? = nil, fixedCost: Double? = nil, minVolume: Double? = nil,
        byProduct: ByProduct? = nil
    ) {
        self.id = id
        self.mineral = mineral
        self.country = country
        self.capacity = capacity
        self.price = price
        self.chinaExposure = chinaExposure
        self.fixedCost = fixedCost
        self.minVolume = minVolume
        self.byProduct = byProduct
    }

    /// min(capacity, ratio x hostThroughput): the capacity the model uses.
    public var effectiveCapacity: Double { byProduct.map { min(capacity, $0.limit) } ?? capacity }
}

/// Where a refinery's input comes from.
public enum Feed: String, Sendable, Equatable, CaseIterable {
    /// Ore from mines of its mineral.
    case mined
    /// No ore (recycler, integrated producer, stockpile): the fee is the whole price.
    case none
}

/// A refinery (or feed-none source); capacity and fee per t of output.
public struct Refinery: Sendable, Equatable {
    public var id: String
    public var mineral: String
    public var country: String
    public var capacity: Double
    public var fee: Double
    /// Output per t of input, in (0, 1] (absent: 1).
    public var yield: Double?
    /// Absent: mined.
    public var feed: Feed?
    public var chinaExposure: Double?
    public var fixedCost: Double?
    public var minVolume: Double?
    /// Version 2: the host stream that limits its output.
    public var byProduct: ByProduct?

    public init(
        id: String, mineral: String, country: String, capacity: Double, fee: Double,
        yield: Double? = nil, feed: Feed? = nil, chinaExposure: Double? = nil,
        fixedCost: Double? = nil, minVolume: Double? = nil, byProduct: ByProduct? = nil
    ) {
        self.id = id
        self.mineral = mineral
        self.country = country
        self.capacity = capacity
        self.fee = fee
        self.yield = yield
        self.feed = feed
        self.chinaExposure = chinaExposure
        self.fixedCost = fixedCost
        self.minVolume = minVolume
        self.byProduct = byProduct
    }

    /// min(capacity, ratio x hostThroughput): the capacity the model uses.
    public var effectiveCapacity: Double { byProduct.map { min(capacity, $0.limit) } ?? capacity }
}

/// A demand point for refined product.
public struct Buyer: Sendable, Equatable {
    public var id: String
    public var country: String
    /// Mineral id -> t.
    public var demand: [String: Double]
    /// Mineral id or "*" -> largest exposed share of what is delivered
    /// (hard, or soft at a price per exposed tonne in version 2).
    public var exposureCap: [String: ExposureCap]
    /// Mineral id or "*" -> most refineries that may deliver it.
    public var maxSuppliers: [String: Int]
    /// Version 2: mineral id or "*" -> the buyer's own shortfall penalty.
    public var shortfallPenalty: [String: ShortfallPenalty]

    public init(
        id: String, country: String, demand: [String: Double] = [:],
        exposureCap: [String: ExposureCap] = [:], maxSuppliers: [String: Int] = [:],
        shortfallPenalty: [String: ShortfallPenalty] = [:]
    ) {
        self.id = id
        self.country = country
        self.demand = demand
        self.exposureCap = exposureCap
        self.maxSuppliers = maxSuppliers
        self.shortfallPenalty = shortfallPenalty
    }
}

/// Cost per t on any arc between two countries.
public struct TransportEntry: Sendable, Equatable {
    public var from: String
    public var to: String
    public var cost: Double

    public init(from: String, to: String, cost: Double) {
        self.from = from
        self.to = to
        self.cost = cost
    }
}

/// A trade block; an absent field matches anything.
public struct Block: Sendable, Hashable {
    public var from: String?
    public var to: String?
    public var mineral: String?

    public init(from: String? = nil, to: String? = nil, mineral: String? = nil) {
        self.from = from
        self.to = to
        self.mineral = mineral
    }
}

/// The rules of the coalition and of the plan.
public struct Policy: Sendable, Equatable {
    /// Absent: 0.
    public var defaultTransportCost: Double?
    /// Absent: 0. Above 1 allowed.
    public var externalTariff: Double?
    /// Absent: 1.
    public var maxCountryShare: Double?
    /// Absent: 0.
    public var minCoalitionShare: Double?
    /// Absent: no policy penalty (demand is hard unless the mineral or the
    /// buyer has one). A curve in version 2.
    public var shortfallPenalty: ShortfallPenalty?
    /// Absent: none.
    public var blocked: [Block]?

    public init(
        defaultTransportCost: Double? = nil, externalTariff: Double? = nil,
        maxCountryShare: Double? = nil, minCoalitionShare: Double? = nil,
        shortfallPenalty: ShortfallPenalty? = nil, blocked: [Block]? = nil
    ) {
        self.defaultTransportCost = defaultTransportCost
        self.externalTariff = externalTariff
        self.maxCountryShare = maxCountryShare
        self.minCoalitionShare = minCoalitionShare
        self.shortfallPenalty = shortfallPenalty
        self.blocked = blocked
    }
}
