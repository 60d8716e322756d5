public import LinearModel

/// Small models with answers known by hand, shared by the suites of
/// several test targets.
public enum TestModels {
    /// Hillier and Lieberman's Wyndor Glass: max 3x + 5y, x <= 4, 2y <= 12,
    /// 3x + 2y <= 18 (rows a, b, c); optimum 36 at (2, 6).
    public static func wyndor() throws -> (
        model: Model, x: Variable, y: Variable, a: ConstraintRef, b: ConstraintRef, c: ConstraintRef
    ) {
        var model = Model()
        let x = try model.addVariable("x", lower: 0)
        let y = try model.addVariable("y", lower: 0)
        let a = try model.addConstraint(1 * x <= 4)
        let b = try model.addConstraint(2 * y <= 12)
        let c = try model.addConstraint(3 * x + 2 * y <= 18)
        try model.setObjective(3 * x + 5 * y, sense: .maximize)
        return (model, x, y, a, b, c)
    }

    /// 0-1 knapsack: values 10, 13, 7, 8, weights 5, 7, 4, 3, capacity 12.
    /// Items 1, 3 and 4 (weight 12) give the optimum 25; items 2 and 4
    /// weigh 10 and give 21; items 1, 2 and 3 weigh 16 (over the capacity).
    public static func knapsack() throws -> (model: Model, items: [Variable]) {
        var model = Model()
        let values = [10.0, 13, 7, 8], weights = [5.0, 7, 4, 3]
        let items = try values.indices.map { try model.addVariable("x\($0)", kind: .binary) }
        var weight = LinearExpression(), value = LinearExpression()
        for k in items.indices { weight.add(weights[k], items[k]); value.add(values[k], items[k]) }
        try model.addConstraint(weight <= 12)
        try model.setObjective(value, sense: .maximize)
        return (model, items)
    }

    /// A one-mineral instance whose exposure frontier is solved by hand
    /// (Tests/PlannerTests/FrontierTests.swift): demand 10 t; CHN refines
    /// 10 t at 100 USD/t (exposed), AUS 6 t at 150 USD/t; shortfall
    /// 1,000 USD/t. Breakpoints (1, 1,000), (0.4, 1,300), (0, 4,900).
    public static let frontierInstance = """
        {"format": "sourcing-instance/1",
         "minerals": [{"id": "gallium", "shortfallPenalty": 1000}],
         "countries": [{"code": "AUS", "coalition": true}, {"code": "CHN", "coalition": false}, {"code": "USA", "coalition": true}],
         "refineries": [{"id": "chn", "mineral": "gallium", "country": "CHN", "capacity": 10, "fee": 100, "feed": "none"},
                        {"id": "aus", "mineral": "gallium", "country": "AUS", "capacity": 6, "fee": 150, "feed": "none"}],
         "buyers": [{"id": "oem", "country": "USA", "demand": {"gallium": 10}}]}
        """
}
