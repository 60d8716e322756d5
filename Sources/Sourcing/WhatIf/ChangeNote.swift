import StrictJSON

/// What one change of a what-if did, said for a planner: where it came
/// from (the scenario file or a flag), the change itself, and a note when
/// it cannot move the plan (a cut that does not bind, a `"*"` cap that
/// per-mineral caps override), with the numbers.
public struct ChangeNote: Sendable, Equatable {
    /// `scenario FILE` or the flag as given (`--cut CHN:gallium=100%`).
    public var origin: String
    /// The change in its file form (one line of compact JSON).
    public var change: String
    /// Why it changes nothing, with the numbers; nil when it may move the plan.
    public var noEffect: String?

    public init(origin: String, change: String, noEffect: String? = nil) {
        self.origin = origin
        self.change = change
        self.noEffect = noEffect
    }

    /// The notes of `changes` applied to `instance`, whose baseline plan is
    /// `baseline` (for the facilities' outputs).
    public static func notes(_ changes: [(origin: String, change: ScenarioChange)], instance: Instance, baseline: Plan) -> [ChangeNote] {
        var output: [String: Double] = [:]
        for use in baseline.facilities { output[use.stage.rawValue + ":" + use.id] = use.output }
        return changes.map { origin, change in
            let text = String(decoding: JSONWriter.encode(ScenarioEncoder.jsonValue(change), style: .compact), as: UTF8.self)
            return ChangeNote(origin: origin, change: text, noEffect: noEffect(change, instance: instance, output: output))
        }
    }

    static func noEffect(_ change: ScenarioChange, instance: Instance, output: [String: Double]) -> String? {
        func t(_ x: Double) -> String { formatNumber(clean(x)) + " t" }
        switch change {
        case .capacity(let amount, let selector):
            var used = 0.0, before = 0.0, after = 0.0, count = 0
            func take(
                _ stage: FacilityStage, _ id: String, _ country: String, _ mineral: String, _ capacity: Double, _ effective: Double,
                _ limit: Double?
            ) {
                guard
                    (selector.stage == nil || selector.stage == stage) && (selector.id == nil || selector.id == id)
                        && (selector.country == nil || selector.country == country)
                        && (selector.mineral == nil || selector.mineral == mineral)
                else { return }
                count += 1
                used += output[stage.rawValue + ":" + id] ?? 0
                before += effective
                let cut = amount.applied(to: capacity)
                after += limit.map { min(cut, $0) } ?? cut
            }
            for m in instance.mines { take(.mine, m.id, m.country, m.mineral, m.capacity, m.effectiveCapacity, m.byProduct?.limit) }
            for r in instance.refineries {
                take(.refinery, r.id, r.country, r.mineral, r.capacity, r.effectiveCapacity, r.byProduct?.limit)
            }
            guard count > 0, after >= used - 1e-9 * max(1, used) else { return nil }
            return "does not bind: the \(count) selected facilit\(count == 1 ? "y" : "ies") used \(t(used)) of \(t(before)); "
                + "the change leaves \(t(after)), so nothing moves"
        case .exposureCap(_, let selector) where selector.mineral == "*":
            var overridden = 0, selected = 0
            for buyer in instance.buyers
            where (selector.buyer == nil || selector.buyer == buyer.id)
                && (selector.country == nil || selector.country == buyer.country)
            {
                selected += 1
                if !buyer.demand.isEmpty, buyer.demand.keys.allSatisfy({ buyer.exposureCap[$0] != nil }) { overridden += 1 }
            }
            guard selected > 0, overridden == selected else { return nil }
            return
                "the \"*\" cap is overridden by per-mineral caps for all \(overridden) selected buyer\(overridden == 1 ? "" : "s"): it changes nothing"
        default:
            return nil
        }
    }
}
