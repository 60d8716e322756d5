extension Instance {
    /// The `/2` instance with the same optimum as this one (docs/FORMULATION.md
    /// section 8): for a `/1` instance every coalition mine's price becomes
    /// max(price, priceFloor) and every coalition feed-`"none"` source's fee
    /// max(fee, priceFloor), then every `priceFloor` is removed (version 1's
    /// floor is a price raise, version 2's a border charge, so the raise is
    /// moved into the prices it raised). A `/2` instance is returned as it is.
    public func upgraded() -> Instance {
        guard version == .v1 else { return self }
        var result = self
        result.version = .v2
        var floors: [String: Double] = [:]
        for mineral in minerals {
            if let floor = mineral.priceFloor, floors[mineral.id] == nil { floors[mineral.id] = floor }
        }
        let coalition = Set(countries.filter(\.coalition).map(\.code))
        for i in result.mines.indices {
            let mine = result.mines[i]
            if coalition.contains(mine.country), let floor = floors[mine.mineral] {
                result.mines[i].price = max(mine.price, floor)
            }
        }
        for i in result.refineries.indices {
            let refinery = result.refineries[i]
            if refinery.feed == Feed.none, coalition.contains(refinery.country), let floor = floors[refinery.mineral] {
                result.refineries[i].fee = max(refinery.fee, floor)
            }
        }
        for i in result.minerals.indices { result.minerals[i].priceFloor = nil }
        return result
    }
}
