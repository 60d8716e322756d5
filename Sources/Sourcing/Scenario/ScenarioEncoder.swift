public import FoundationEssentials
public import StrictJSON

/// Writes a ``Scenario`` as canonical `sourcing-scenario/1` JSON, so tools
/// can generate scenarios (a stress ranking writes one per country).
///
/// Canonical means the output depends only on the scenario's values, and
/// `ScenarioLoader.decode(encode(x)) == x` for a scenario the loader accepts:
/// - 2-space indentation, one member per line (the layout of
///   `instances/scenarios/*.json`);
/// - top-level keys `format`, `name`, `source`, `changes`; `name` and
///   `source` omitted when absent, `changes` always written;
/// - in each change the action key first, then `where` (always written for a
///   selecting action, `{}` when it selects everything); `where` fields in
///   the order `id`/`buyer`, `country`, `mineral`, `stage`; absent ones omitted;
/// - blocked entries `from`, `to`, `mineral` and policy fields in the order
///   of docs/FORMULATION.md's table (as ``InstanceEncoder`` writes them);
/// - numbers in their shortest round-trip form (``JSONWriter/format(_:)``).
public enum ScenarioEncoder {
    /// The scenario as UTF-8 JSON text ending in a newline.
    public static func encode(_ scenario: Scenario) -> Data {
        JSONWriter.encode(jsonValue(scenario), style: .pretty(indent: 2, inlineArrayElements: false))
    }

    /// The scenario as a JSON value in canonical member order.
    public static func jsonValue(_ scenario: Scenario) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [("format", .string(ScenarioLoader.formatName))]
        if let name = scenario.name { members.append(("name", .string(name))) }
        if let source = scenario.source { members.append(("source", .string(source))) }
        members.append(("changes", .array(scenario.changes.map(jsonValue))))
        return .object(members)
    }

    /// One change as a JSON object: its action, then its `where`.
    public static func jsonValue(_ change: ScenarioChange) -> JSONValue {
        let value: JSONValue
        var selection: [(key: String, value: JSONValue)]?
        switch change {
        case .capacity(let amount, let selector), .price(let amount, let selector):
            value = jsonValue(amount)
            selection = fields([
                ("id", selector.id), ("country", selector.country),
                ("mineral", selector.mineral), ("stage", selector.stage?.rawValue)
            ])
        case .demand(let amount, let selector):
            value = jsonValue(amount)
            selection = fields([("buyer", selector.buyer), ("country", selector.country), ("mineral", selector.mineral)])
        case .exposureCap(let cap, let selector):
            value = .object([("set", InstanceEncoder.cap(cap))])
            selection = fields([("buyer", selector.buyer), ("country", selector.country), ("mineral", selector.mineral)])
        case .priceFloor(let target, let selector), .referencePrice(let target, let selector):
            value = jsonValue(.set(target))
            selection = fields([("mineral", selector.mineral)])
        case .shortfallPenalty(let penalty, let selector):
            value = .object([("set", InstanceEncoder.penalty(penalty))])
            selection = fields([("mineral", selector.mineral)])
        case .buyerShortfallPenalty(let penalty, let selector):
            value = .object([("set", InstanceEncoder.penalty(penalty))])
            selection = fields([("buyer", selector.buyer), ("country", selector.country), ("mineral", selector.mineral)])
        case .hostThroughput(let amount, let selector):
            value = jsonValue(amount)
            selection = fields([
                ("id", selector.id), ("country", selector.country), ("mineral", selector.mineral),
                ("stage", selector.stage?.rawValue), ("host", selector.host)
            ])
        case .block(let entry), .unblock(let entry):
            value = InstanceEncoder.block(entry)
        case .policy(let update):
            value = InstanceEncoder.policy(update)
        }
        var members: [(key: String, value: JSONValue)] = [(change.action.rawValue, value)]
        if let selection { members.append(("where", .object(selection))) }
        return .object(members)
    }

    static func jsonValue(_ amount: ScenarioAmount) -> JSONValue {
        switch amount {
        case .factor(let factor): return .object([("factor", .number(factor))])
        case .set(let target): return .object([("set", .number(target))])
        }
    }

    /// The present fields, in the given order.
    static func fields(_ fields: [(String, String?)]) -> [(key: String, value: JSONValue)] {
        fields.compactMap { key, value in value.map { (key: key, value: JSONValue.string($0)) } }
    }
}
